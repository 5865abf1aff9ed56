"""Values as catalogues write them: ISBD-punctuated titles, citations, names with roles,
format words and language codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from zsync.model.patterns import lazy
from zsync.model.records import AUTHOR, CONTRIBUTOR, EDITOR, TRANSLATOR
from zsync.model.text import SPACES


def words(text: str) -> tuple[str, ...]:
    """A table written as one string of space-separated terms."""
    return tuple(text.split())


_GMD = lazy(
    r"\s*\[[^\]]*(?:resource|ressource|recurso|risorsa|bron|medium)[^\]]*\]", re.IGNORECASE
)
_ISBD = lazy(r"\s+([:;=])\s*")


def clean_title(text: str | None, *, cut_statement: bool = False) -> str | None:
    """A catalogue title without ISBD punctuation: ' : ' -> ': ', no trailing ' /'."""
    if not text:
        return None
    text = _GMD.sub("", SPACES.sub(" ", text)).strip()
    if cut_statement and " / " in text:
        text = text.split(" / ", 1)[0]
    text = _ISBD.sub(r"\1 ", text)
    text = text.rstrip(" /:;=,").strip()
    return text or None


# --- citations: "Nature 521(7553), 436-444", "J Med Internet Res 2017-12, Vol.19 (12), p.e402"

_YEAR = r"(?:1[5-9]|20)\d\d"
_CITATION_TAIL = lazy(
    r"(?:^|,\s*|\s+)(?="
    r"(?:vol(?:ume)?\.?|bd\.?|band|jg\.?|jahrgang|tome|t\.|v\.|no\.|nr\.|n[º°]\.?|heft|issue|"
    r"pp?\.|s\.|pages?|seiten)\s*\d"
    rf"|{_YEAR}(?:[-/.]\d{{1,2}}){{0,2}}(?!\d)"
    r"|\d+\s*\("
    r"|\d+\s*[:,]\s*[A-Za-z]?\d)",
    re.IGNORECASE,
)
_VOLUME = lazy(
    r"(?:vol(?:ume)?\.?|bd\.?|band|jg\.?|jahrgang|tome|t\.|v\.)\s*(\d+)|(?<![\d-])(\d+)\s*\(",
    re.IGNORECASE,
)
_ISSUE = lazy(
    rf"\((?!{_YEAR}\))([^)]{{1,15}})\)|(?:no\.|nr\.|heft|issue|n[º°]\.?)\s*(\w+)", re.IGNORECASE
)
_PAGES = lazy(
    r"(?:pp?\.|s\.|pages?|seiten)\s*([A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)"
    r"|[,:]\s*([A-Za-z]?\d+\s*[-–]\s*[A-Za-z]?\d+|[A-Za-z]\d+)\s*\.?$",
    re.IGNORECASE,
)
_IN_PREFIX = lazy(r"^\s*(?:in|en|em|dans)\s*:\s*", re.IGNORECASE)
_PAGE_HINT = lazy(r"\bpp?\.\s*\d|\d+\s*[-–]\s*\d+\s*$")
_DASH = lazy(r"\s*[-–]\s*")
_DATE = lazy(rf"(?<!\d){_YEAR}(?:-\d{{2}}){{0,2}}(?!\d)")


@dataclass(frozen=True)
class Citation:
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    date: str | None = None


def split_citation(text: str) -> Citation:
    """A host-item citation split into journal/book title, volume, issue, pages and date."""
    text = _IN_PREFIX.sub("", SPACES.sub(" ", text).strip())
    match = _CITATION_TAIL.search(text)
    head, tail = (text[: match.start()], text[match.start() :]) if match else (text, "")
    container = head.strip(" ,.;:") or None
    volume = _first_group(_VOLUME.search(tail))
    issue = _first_group(_ISSUE.search(tail))
    pages = normalise_pages(_first_group(_PAGES.search(tail)))
    date = _DATE.search(tail)
    return Citation(container, volume, issue, pages, date.group(0) if date else None)


def looks_like_citation(text: str) -> bool:
    """A value naming a host item with volume/issue/pages, not a publisher and year."""
    return bool(_VOLUME.search(text) or _PAGE_HINT.search(text))


def normalise_pages(pages: str | None) -> str | None:
    if not pages:
        return None
    parts = [p.strip() for p in _DASH.split(pages.strip()) if p.strip()]
    if len(parts) == 2 and parts[0] == parts[1]:
        return parts[0]
    return "-".join(parts) or None


def _first_group(match: re.Match[str] | None) -> str | None:
    if not match:
        return None
    return next((g for g in match.groups() if g), None)


# --- names -------------------------------------------------------------------------------

_ROLE_WORDS = {
    EDITOR: words(
        "editor editors editora editoras editores ed eds hrsg hg herausgeber "
        "herausgeberin éditeur éditrice éd edt curatore curatrice redactie red coord "
        "compiler comp"
    ),
    AUTHOR: words("author autor autora aut verfasser verfasserin auteur autore"),
    TRANSLATOR: words(
        "translator trl übersetzer übersetzerin traductor traductora traducteur tradutor "
        "traduttore vertaler"
    ),
}
_ROLE_INDEX = {word: role for role, words in _ROLE_WORDS.items() for word in words}
_RELATOR_SPLIT = lazy(r"[\s,;/]+")
_INITIAL_END = lazy(r"(?:\b\w|\bJr|\bSr)\.$")
_PAREN = lazy(r"\s*\(([^()]*)\)\s*$")
_LIFE_DATES = lazy(r",?\s*(?:ca\.\s*)?\d{4}\s*-\s*(?:\d{4})?\s*\.?\s*$|,?\s*\d{4}-\s*$")


def known_role(relator: str) -> str | None:
    """The Zotero creator type of a known relator term or code (`editor.`, `Hrsg.`, `edt`)."""
    for word in _RELATOR_SPLIT.split(relator.casefold()):
        role = _ROLE_INDEX.get(word.strip(".()[]"))
        if role:
            return role
    return None


def role_of(relator: str | None) -> str | None:
    """A relator's creator type: known ones mapped, other roles `contributor`, none None."""
    if not relator or not relator.strip(" .,"):
        return None
    return known_role(relator) or CONTRIBUTOR


def strip_role(name: str) -> tuple[str, str | None]:
    """'Ajzen, Icek, 1942- (author)' -> ('Ajzen, Icek', 'author')."""
    role = None
    name = SPACES.sub(" ", name).strip()
    paren = _PAREN.search(name)
    if paren and known_role(paren.group(1)):
        role = known_role(paren.group(1))
        name = name[: paren.start()]
    name = _LIFE_DATES.sub("", name).strip(" ,;")
    return name, role


def strip_name_punctuation(name: str) -> str:
    """MARC names end with ',' or '.', but an initial keeps its full stop."""
    name = name.strip().rstrip(",;:").strip()
    if name.endswith(".") and not _INITIAL_END.search(name):
        name = name[:-1].rstrip()
    return name


# --- formats and languages ---------------------------------------------------------------

_TYPE_PATTERNS = (
    ("bookSection", r"chapter|cap[íi]tulo|kapitel|chapitre|capitolo|hoofdstuk|book ?section"),
    ("conferencePaper", r"conference|proceeding|konferenz|kongress|congreso|conf[ée]rence|tagung"),
    ("thesis", r"thesis|dissertation|tesis|tese\b|th[èe]se|hochschulschrift|tesi\b|proefschrift"),
    ("preprint", r"preprint"),
    ("journalArticle", r"article|art[íi]culo|artigo|artikel|aufsatz|articolo"),
    ("report", r"\breport|informe|bericht|rapport|relatório"),
    ("book", r"e-?book|\bbook|libro|livro|\bbuch|livre|boek|monogra"),
)
_TYPE_REGEXES = tuple((t, lazy(p, re.IGNORECASE)) for t, p in _TYPE_PATTERNS)


def item_type_from_formats(formats: list[str]) -> str | None:
    """The Zotero item type that VuFind format words (any display language) name."""
    text = " ".join(formats)
    for item_type, regex in _TYPE_REGEXES:
        if regex.search(text):
            return item_type
    return None


_LANGUAGES = dict(
    pair.split("=")
    for pair in words(
        "eng=English spa=Spanish ger=German deu=German fre=French fra=French "
        "por=Portuguese ita=Italian dut=Dutch nld=Dutch chi=Chinese zho=Chinese "
        "jpn=Japanese rus=Russian pol=Polish swe=Swedish dan=Danish nor=Norwegian "
        "fin=Finnish cat=Catalan tur=Turkish ara=Arabic kor=Korean gre=Greek ell=Greek "
        "cze=Czech ces=Czech hun=Hungarian lat=Latin"
    )
)


def language_name(value: str | None) -> str | None:
    """A language as shown, with MARC/ISO 639-2 codes spelled out in English."""
    if not value or not value.strip():
        return None
    value = value.strip()
    return _LANGUAGES.get(value.lower(), value)
