"""What a note's headings mean: a section of commentary, of metadata, the abstract, or a title.

Commentary sections (Notes, Related, References, See also …) talk about other works, so
their fields and identifiers are not the record's. Metadata sections (Citation, Metadata,
Info …) describe the work itself. A heading that is neither may be the work's title.
"""

from __future__ import annotations

import re
from functools import lru_cache

from zsync.inputs.builder import unwrap_wikilinks
from zsync.inputs.notes.labels import lookup, normalise
from zsync.model.patterns import lazy
from zsync.model.text import SPACES

OTHER, COMMENTARY, METADATA, ABSTRACT = range(4)


def _words(text: str) -> frozenset[str]:
    """`a|b c|d` written over several lines, as a set of names."""
    return frozenset(part.strip() for part in text.split("|") if part.strip())


_COMMENTARY = _words(
    """notes|note|my notes|personal notes|reading notes|comments|comment|thoughts|my thoughts
    |reflections|reflection|related|related work|related works|related papers|related notes
    |related literature|related articles|references|reference list|bibliography|literature
    |literature cited|works cited|cited references|see also|cites|cited by|citations
    |citing papers|citing articles|further reading|similar|similar papers|links|backlinks
    |linked references|unlinked references|highlights|annotations|extracted annotations
    |quotes|excerpts|questions|todo|to do|tasks|ideas|discussion|critique|follow up
    |follow ups|kommentare|kommentar|notizen|anmerkungen|siehe auch|literaturverzeichnis
    |referencias|bibliografía|notas|comentarios|véase también|ver también|références
    |commentaires|voir aussi|remarques|connections|see|compare|zotero notes|my comments
    |takeaways|key takeaways|open questions|critique and notes|appraisal|evaluation
    |relations|relationships|permanent notes|initial thoughts|atomic notes|literature notes
    |fleeting notes|persistent notes|imported annotations|pdf annotations|zotero annotations
    |selected concepts and passages|key terms|key concepts|concepts|glossary|terms
    |connections to wiki|cited by in this wiki|open questions to read|to read|quotes and highlights
    |highlights and ideas|highlights ideas|my summary|personal summary|zotero highlights"""
)
_METADATA = _words(
    """metadata|meta|meta data|info|information|details|bibliographic details
    |bibliographic information|bibliographic data|bibliographic info|citation|cite|cite as
    |reference|source|zotero|properties|metadaten|bibliografische angaben|referencia|cita
    |zitation|zitierweise|quelle|fuente|référence|citation info|paper info|publication info
    |publication details|article info|item info|paper details|article details|overview
    |bibliographic reference|bibliographic record|record|bibliographie|datos bibliográficos"""
)
_SECTION_NAMES = (
    _COMMENTARY
    | _METADATA
    | _words(
        """summary|abstract|methods|results|conclusion|conclusions|introduction|background
        |key points|main points|findings|outline|contents|table of contents|toc|tldr|tl dr
        |resumen|zusammenfassung|overview|files|attachments|atachments|pdf|tags|keywords
        |contribution|contributions|limitations|future work|key idea|key ideas|method|motivation
        |problem statement|research objective|research objectives|evaluation|experiments
        |discussion|conclusion and future work|synthesis|synth|comments and notes"""
    )
)


@lru_cache(maxsize=4096)
def classify(heading: str) -> int:
    """COMMENTARY, METADATA, ABSTRACT or OTHER for a heading's text."""
    name = _name(heading)
    if name in _COMMENTARY:
        return COMMENTARY
    if name in _METADATA:
        return METADATA
    found = lookup(name) if len(name) < 30 else None
    if found and found[0] == "abstract":
        return ABSTRACT
    return OTHER


@lru_cache(maxsize=4096)
def is_section_name(heading: str) -> bool:
    """A heading that names a part of a note (`Notes`, `Abstract`), not a work."""
    name = _name(heading)
    return name in _SECTION_NAMES or (len(name) < 30 and lookup(name) is not None)


def _name(heading: str) -> str:
    """A heading's words: no markup, emoji or a translation in brackets
    (`📑 논문 개요 (Overview)` is named by `Overview` when that is a known section)."""
    text = _MARKUP.sub("", unwrap_wikilinks(heading))
    inner = _BRACKETED.search(text)
    if inner and normalise(inner.group(1)) in _SECTION_NAMES:
        return normalise(inner.group(1))
    return normalise(_SYMBOLS.sub(" ", text))


_BRACKETED = lazy(r"[(（\[]([^()（）\[\]]{2,40})[)）\]]\s*$")
_SYMBOLS = lazy(r"[^\w\s'’&/-]+")


_MARKUP = lazy(r"[*_`]|\{#[^}]*\}")
_TITLE_PREFIX = lazy(
    r"^(?:(?:literature|lit|reading|my|study|paper)\s+)?(?:notes?|summary|annotations)"
    r"\s*(?:(?:on|about|for|of|to|from|re)\s+|[:\-–—]\s*)"
    r"|^(?:literature|lit|reading|source|paper)\s*note\s*[:\-–—]\s*"
    r"|^(?:notizen|anmerkungen|zusammenfassung)\s+(?:zu|von|über)\s+"
    r"|^(?:notas|apuntes|resumen|reseña)\s+(?:sobre|de|del)\s+"
    r"|^(?:notes|résumé|fiche)\s+(?:sur|de|du)\s+",
    re.IGNORECASE,
)
_CITEKEY = lazy(r"^@[\w:.\-/]+(?:\s*[-–—:|]\s*|\s+|$)")
_AUTHOR_YEAR = lazy(
    r"^[^\W\d_][\w'’.-]*(?:\s+(?:et\s+al\.?|and|&|y|und|et)(?:\s+[^\W\d_][\w'’.-]*)?)?,?"
    r"\s*\(?\d{4}[a-z]?\)?\s*[-–—:|]\s+"
)
_YEAR_SUFFIX = lazy(
    r"\s*[(\[](?:[^\W\d_][^()\[\]]{0,60}?,?\s+)?(?:\d{4}[a-z]?|n\.\s?d\.)[)\]]\s*$"
)
_YEAR_PREFIX = lazy(r"^[(\[]\d{4}[a-z]?[)\]]\s*[-–—:|]?\s*")
_MD_LINK = lazy(r"!?\[([^\]]*)\]\([^)]*\)")


def _link_text(m: re.Match[str]) -> str:
    """A link's text, unless it is only an icon (`[📖](zotero://…)`)."""
    text = m.group(1)
    return text if any(c.isalnum() for c in text) else ""


def title_from_heading(heading: str) -> str | None:
    """The work's title a heading gives, without "Notes on", citekeys or a "(2016)" year."""
    text = _MD_LINK.sub(_link_text, unwrap_wikilinks(heading))
    text = SPACES.sub(" ", _MARKUP.sub("", text)).strip()
    for pattern in (_TITLE_PREFIX, _CITEKEY, _AUTHOR_YEAR, _YEAR_PREFIX):
        text = pattern.sub("", text, count=1).strip()
    text = _YEAR_SUFFIX.sub("", text).strip(" -–—:|")
    if not text or text.startswith("@") or is_section_name(text):
        return None
    return text
