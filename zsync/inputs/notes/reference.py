"""A formatted reference of the work, as templates print it at the top of a note, read back
into its authors, year and title; and the short names notes go by (`Smith et al. (2019)`).

Forms read (after Markdown links, emphasis markers and quote marks are set aside):

- APA and its relatives, as Zotero's bibliography and the Obsidian plugins write them:
  `Marr, D. (1982). _Vision: A Computational Investigation_. The MIT Press.`
  `Hill, Y. (2020). A Dynamical Approach to Psychological Resilience.`
  and Chicago author-date: `Marr, David. 1982. *Vision*. MIT Press.`
- Chicago and MLA bibliographies, the title quoted or in italics and the year after it:
  `Shannon, Claude E. “A Mathematical Theory of Communication.” *Bell System …* 27 (1948).`
- IEEE: `[1] C. E. Shannon, “A mathematical theory of communication,” …, 1948.`
- Vancouver (PubMed, NLM): `Shannon CE, Weaver W. A theory. Bell Syst Tech J. 1948;27:379-423.`
- a bold title followed by the authors and year:
  `**Memory devices for in-memory computing** — Sebastian, Le Gallo (2020), *Nature*`
- a note's alias: `Jaques et al. (2019)`, `Beneš et al. (2011) Urban ecosystem design`,
  `Smith & Jones, 2020`.

Only what the text states is returned; a line that is not a reference gives None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zsync.model.patterns import lazy

_MD_LINK = lazy(r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_LINE_MARKS = lazy(r"^(?:\s*(?:>|[-*+](?=\s)|\d{1,3}[.)](?=\s)))+\s*")
_YEAR = r"(?:1[5-9]|20)\d\d"
_APA = lazy(
    rf"^(?P<authors>[^()]{{2,600}}?)\s*\((?P<year>{_YEAR})[a-z]?(?:,[^)]*)?\)[.,:]?\s+(?P<rest>.+)$"
)
_AUTHOR_DATE = lazy(
    rf"^(?P<authors>[^()]{{2,600}}?)\.\s+(?P<year>{_YEAR})[a-z]?\.\s+(?P<rest>.+)$"
)
_QUOTED = lazy(r"[“\"](?P<text>[^”\"]{3,400}?)[,.]?[”\"]")
_NOTES_BIBLIOGRAPHY = lazy(
    r"^(?P<authors>[^“\"*_()]{2,400}?)[.,]\s+(?P<title>[“\"][^”\"]{3,400}[”\"]|(?:\*|_)[^*_]{3,400}(?:\*|_))"
    r"(?P<rest>.*)$"
)
_IEEE_NUMBER = lazy(r"^\[\d{1,4}\]\s*")
_VANCOUVER = lazy(
    rf"^(?P<authors>(?:[^\W\d_][\w'’-]*(?:\s[^\W\d_][\w'’-]*){{0,2}}\s[A-Z]{{1,3}}(?:,\s|\.\s))+"
    rf"(?:et al\.\s)?)(?P<title>[^.?!]{{3,400}}[.?!])\s(?P<rest>.*?(?P<year>{_YEAR}).*)$"
)
_ET_AL = lazy(r",?\s+et\s+al\.?$")
_YEAR_IN = lazy(rf"(?<!\d)({_YEAR})(?!\d)")
_CHICAGO_FIRST = lazy(
    r"^[^\W\d_][\w'’-]*(?:\s(?:[a-z]{1,3}\s)?[^\W\d_][\w'’-]*)?,\s[^\W\d_][\w.'’-]*(?:\s[^\W\d_][\w.'’-]*){0,3}$"
)
_BOLD_LEAD = lazy(
    rf"^(?:\*\*|__)(?P<title>[^*_]{{8,400}}?)(?:\*\*|__)\s*[—–-]+\s*"
    rf"(?P<authors>[^()]{{2,300}}?)\s*\((?P<year>{_YEAR})[a-z]?\)"
)
_ITALIC = lazy(
    r"(?<![\w*_/:])(\*|_|/)(?!\s)(?P<text>[^*_/]+?)(?<!\s)\1(?![\w*_/])"  # `/…/` in Org
)
_INITIAL = lazy(r"\b[^\W\d_]\.")
_NAME_WORD = r"[^\W\d_][\w'’\-]*"
_FAMILY = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
_ALIAS = lazy(
    rf"^(?P<family>{_FAMILY}?)(?:\s+et\s+al\.?|\s*(?:&|and|und|y)\s+{_FAMILY}?)?"
    rf"(?:,\s*|\s+)\(?(?P<year>{_YEAR})[a-z]?\)?(?:[\s:.,–—-]+(?P<title>\S.*))?$"
)


@dataclass
class Reference:
    """What a formatted reference states: authors as written (`Family, I.` or `Family`)."""

    authors: list[str] = field(default_factory=list)
    year: str | None = None
    title: str | None = None


def plain_reference(line: str) -> str:
    """A line without quote and list marks, with Markdown links as their text."""
    text = _LINE_MARKS.sub("", line).strip()
    if "](" in text:
        text = _MD_LINK.sub(lambda m: m.group(1), text)
    return " ".join(text.split())


def read_reference(line: str) -> Reference | None:
    """The authors, year and title of a formatted reference, or None for other text."""
    text = plain_reference(line)
    bold = _BOLD_LEAD.match(text)
    if bold:
        authors = _families(bold["authors"])
        return Reference(authors, bold["year"], bold["title"].strip()) if authors else None
    for read in (_read_bibliography, _read_apa, _read_ieee, _read_vancouver):
        found = read(text)
        if found:
            return found
    return None


def _read_apa(text: str) -> Reference | None:
    match = _APA.match(text) or _AUTHOR_DATE.match(text)
    if not match:
        return None
    authors = _apa_authors(match["authors"]) or _chicago_authors(match["authors"])
    return Reference(authors, match["year"], _apa_title(match["rest"])) if authors else None


def _read_bibliography(text: str) -> Reference | None:
    """Chicago and MLA: `Family, Given. “Title.” Journal 27 (1948): 379–423.`"""
    match = _NOTES_BIBLIOGRAPHY.match(text)
    if not match:
        return None
    authors = _chicago_authors(match["authors"])
    year = _YEAR_IN.search(match["rest"])
    title = _clean_title(match["title"].strip("“”\"*_"))
    return Reference(authors, year.group(1) if year else None, title) if authors else None


def _read_ieee(text: str) -> Reference | None:
    """IEEE: `[1] C. E. Shannon and W. Weaver, “Title,” Journal, vol. 27, 1948.`"""
    numbered = _IEEE_NUMBER.match(text)
    quoted = _QUOTED.search(text)
    if not quoted:
        return None
    head = text[numbered.end() if numbered else 0 : quoted.start()].strip().rstrip(",").strip()
    names = [n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+", head) if n.strip()]
    given_first = re.compile(r"^(?:[^\W\d_][\w'’-]*\.?\s?-?){1,3}\s+[^\W\d_][\w'’-]+$")
    if not names or not all(given_first.match(n) and _INITIAL.search(n) for n in names):
        return None
    years = _YEAR_IN.findall(text[quoted.end() :])
    return Reference(names, years[-1] if years else None, _clean_title(quoted["text"]))


def _read_vancouver(text: str) -> Reference | None:
    """Vancouver: `Shannon CE, Weaver W. Title. Journal. 1948;27(3):379-423.`"""
    match = _VANCOUVER.match(text)
    if not match:
        return None
    names = [n.strip() for n in re.split(r",\s|\.\s", match["authors"]) if n.strip()]
    names = [n for n in names if n != "et al"]
    return Reference(names, match["year"], _clean_title(match["title"])) if names else None


def _chicago_authors(text: str) -> list[str]:
    """`Marr, David`, `Shannon, Claude E., and Warren Weaver`: the first name inverted."""
    text = _ET_AL.sub("", text.strip().rstrip("."))
    chunks = [c.strip() for c in re.split(r",?\s+and\s+", text) if c.strip()]
    if not chunks:
        return []
    head = [p.strip() for p in chunks[0].split(",")]
    if len(head) < 2:
        return []
    first = f"{head[0]}, {head[1]}"
    rest = head[2:] + chunks[1:]
    if not _CHICAGO_FIRST.match(first) or not all(_is_name(p) for p in rest):
        return []
    return [first, *rest]


def _apa_authors(text: str) -> list[str]:
    """`Smith, J. A., Jones, B., & Lee, C.` as `Smith, J. A.`, `Jones, B.`, `Lee, C.`."""
    text = text.strip().strip("*_").strip()
    if not _INITIAL.search(text):
        return []  # a reference lists initials; `We found (2019).` is prose
    parts = re.split(r"(?<=\.),\s*(?:&\s*|and\s+)?|\s+&\s+", text)
    names = [p.strip().strip(",").strip() for p in parts if p.strip()]
    return names if names and all(_is_name(n) for n in names) else []


def _families(text: str) -> list[str]:
    """`Sebastian, Le Gallo, Eleftheriou` or `Baars, B.J.`: family names (with initials)."""
    text = re.sub(r"\s+(?:et\s+al\.?)\s*$", "", text.strip().strip("*_,").strip())
    if _INITIAL.search(text):
        return _apa_authors(text) if _INITIAL.search(text.split(",")[-1]) else []
    names = [p.strip() for p in re.split(r",\s*|\s+(?:&|and)\s+", text) if p.strip()]
    return names if names and all(_is_name(n) for n in names) else []


def _is_name(text: str) -> bool:
    """A family name (capitalised; particles allowed) with or without initials."""
    words = text.replace(",", " ").split()
    if not 0 < len(words) <= 6 or not all(w[0].isalpha() for w in words):
        return False
    return words[-1][0].isupper() or "," in text


def _apa_title(rest: str) -> str | None:
    """The title after `(year).`: the italic part when it comes first (a book), else the text
    up to the container's italics or the first full stop."""
    rest = rest.strip()
    italic = _ITALIC.search(rest)
    if italic and italic.start() == 0:
        return _clean_title(italic["text"])
    end = italic.start() if italic else len(rest)
    head = rest[:end]
    if not italic:
        stop = re.search(r"(?<=[^\s.A-Z])[.?!](?:\s|$)", head)
        head = head[: stop.end()] if stop else head
    return _clean_title(head)


def _clean_title(text: str) -> str | None:
    text = text.strip().rstrip(",;:").strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].strip()
    return text if len(text) >= 3 else None


def read_alias(alias: str) -> Reference | None:
    """`Jaques et al. (2019)` as family `Jaques` and year 2019 (title when it follows)."""
    text = " ".join(alias.strip().strip("\"'").split())
    match = _ALIAS.match(text)
    if not match or not ("(" in text or "et al" in text or "&" in text or "," in text):
        return None
    title = (match["title"] or "").strip() or None
    return Reference([match["family"]], match["year"], title)
