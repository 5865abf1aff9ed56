"""What duplicate detection compares: one `Sig` per record or Zotero item.

A signature holds the normalised title (and its main title, before a subtitle), the year,
the keys of every creator's family name, the item type, whether the work is a preprint,
and its identifiers as `kind:value` strings. Records from notes and items from the Zotero
library give the same kind of signature, so one set of rules compares any two of them.

Identifier kinds: `doi` (a version-of-record DOI), `pre` (a preprint: an arXiv id, with
arXiv's DataCite DOI folded into it, or a preprint server's DOI), `pmid`, `pmcid`, and
`isbn` for whole books only (the chapters of one book share its ISBN).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from zsync.model import identifiers as idn
from zsync.model.patterns import lazy
from zsync.model.records import EDITOR, SERIES_EDITOR, TRANSLATOR, Creator, Record
from zsync.model.text import _NON_WORD, _RETRACTED, fold, normalize_name, normalize_title
from zsync.zotero.library import item_identifiers

EXCLUSIVE_KINDS = ("doi", "pre", "pmid", "pmcid", "isbn")
_BOOK_TYPES = frozenset({"book"})
LEAD_CREATORS = 2  # creators whose names key blocks (see `blocking`)
_SIDE_ROLES = frozenset({EDITOR, SERIES_EDITOR, TRANSLATOR})
_PARTICLES = frozenset(
    "van von der den de del della dei degli di da das dos du la le les ten ter zu op "
    "het te bin ibn al el mac st".split()
)
# arXiv, bioRxiv/medRxiv (dated new-style or 6+ digit old-style), OSF-hosted servers,
# SSRN, Research Square, Preprints.org, TechRxiv, ChemRxiv, Authorea, JMIR Preprints.
_PREPRINT_DOI = lazy(
    r"^10\.(?:48550/|1101/(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,}|31219/|31234/|31235/|31222/"
    r"|2139/ssrn|21203/rs\.|20944/preprints|36227/techrxiv|26434/chemrxiv|22541/au\."
    r"|2196/preprints)",
    re.IGNORECASE,
)
_PREPRINT_VENUE = lazy(r"arxiv|biorxiv|medrxiv|ssrn|preprint|research square", re.I)
_SUBTITLE = lazy(r":|\s[-–—]\s|\.\s|\?\s")
_YEAR = lazy(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_NOTICE = lazy(
    r"^\W*(?:(?:author|publisher)(?:'s)?\s+correction|correction|corrigendum|erratum|errata"
    r"|addendum|retraction(?:\s+(?:note|notice|statement))?|notice\s+of\s+retraction"
    r"|(?:editorial\s+)?expression\s+of\s+concern|comments?\s+on|commentary\s+on"
    r"|reply\s+to|response\s+to|in\s+reply)\b\s*(?:[:\-–—]|to\b|on\b|for\b)",
    re.IGNORECASE,
)
_NUMBERISH = lazy(
    r"\d|\b(?:[ivx]{2,8}|part|parts|vol|volume|no|number|chapter|phase|book|paper|study"
    r"|section|report|wave|round|series)\b"
)
_BRACKETED_RETRACTED = lazy(
    r"^\s*\[\s*(?:retracted|withdrawn)(?:\s+article)?\s*\]\s*", re.IGNORECASE
)
_ROMAN = lazy(r"^(?:x{0,3})(?:ix|iv|v?i{0,3})$")
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                 "first": "1", "second": "2", "third": "3", "fourth": "4"}
_SERIES_WORDS = frozenset("part parts vol volume no number chapter phase book paper study "
                          "section report wave round series".split())
_EMPTY: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Sig:
    """The comparable facts of one record or item (see the module docstring)."""

    title: str
    main: str  # the main title when a subtitle follows it, else ""
    year: int | None
    families: frozenset[str]  # name keys of every creator
    lead: tuple[str, ...]  # name keys of the first primary creators, for blocking
    names: tuple[str, ...]  # display family names, for evidence, same order as `lead` keys
    item_type: str
    preprint: bool
    ids: frozenset[str]  # "kind:value"
    numbers: frozenset[str]  # part / volume / year numbers named in the title
    notice: bool  # a correction, retraction notice, comment or reply about another work


def title_key(title: str | None) -> str:
    """`text.normalize_title`, also without a bracketed "[Retracted]" prefix, with a fast
    path for plain ASCII titles (no markup, no entities), where case folding is
    lower-casing and there are no accents to strip."""
    if title and title.lstrip().startswith("["):
        title = _BRACKETED_RETRACTED.sub("", title)
    if title and title.isascii() and "&" not in title and "<" not in title:
        return _NON_WORD.sub(" ", _RETRACTED.sub("", title).lower()).strip()
    return normalize_title(title)


@lru_cache(maxsize=1 << 16)
def name_keys(family: str | None) -> frozenset[str]:
    """Keys a family name is known by: whole ("vangemertpijnen"), without its leading
    particles ("gemertpijnen"), and its first part when compound ("gemert",
    "fernandez" for "Fernández-Altuna")."""
    whole = normalize_name(family)
    if not whole:
        return _EMPTY
    parts = [p for p in re.split(r"[\s\-‐‑–]+", fold(family or "")) if normalize_name(p)]
    while len(parts) > 1 and normalize_name(parts[0]) in _PARTICLES:
        parts = parts[1:]
    keys = {whole, normalize_name("".join(parts))}
    first = normalize_name(parts[0]) if parts else ""
    if len(parts) > 1 and len(first) >= 4:
        keys.add(first)
    return frozenset(k for k in keys if k)


def title_numbers(normalized: str) -> frozenset[str]:
    """Digits, roman numerals from II on, and the number after "part", "volume", ...:
    what tells "Part 1" from "Part 2" of a series."""
    if not _NUMBERISH.search(normalized):
        return _EMPTY
    tokens = normalized.split()
    found: set[str] = set()
    for index, token in enumerate(tokens):
        after_series = index > 0 and tokens[index - 1] in _SERIES_WORDS
        if token.isdecimal():
            found.add(str(int(token)))
        elif len(token) > 1 and _ROMAN.match(token):
            found.add(_roman_value(token))
        elif after_series and (token in _NUMBER_WORDS or token in "ivx" or len(token) == 1):
            found.add(_NUMBER_WORDS.get(token) or _roman_value(token) or token)
    return frozenset(found)


def _roman_value(token: str) -> str:
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for index, char in enumerate(token):
        value = values.get(char, 0)
        following = values.get(token[index + 1], 0) if index + 1 < len(token) else 0
        total += -value if value < following else value
    return str(total) if total else token


def main_title(title: str | None, normalized: str | None = None) -> str:
    """The normalised main title when the title has a subtitle, else ""."""
    if not title:
        return ""
    head = _SUBTITLE.split(title, maxsplit=1)
    if len(head) < 2:
        return ""
    main = title_key(head[0])
    whole = title_key(title) if normalized is None else normalized
    return main if main != whole else ""


@lru_cache(maxsize=1 << 16)
def _sorted_keys(family: str) -> tuple[str, ...]:
    return tuple(sorted(name_keys(family)))


def _lead(people: tuple[Creator, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    primary = [c for c in people if c.role not in _SIDE_ROLES] or people
    keys: list[str] = []
    names: list[str] = []
    for creator in primary[:LEAD_CREATORS]:
        for key in _sorted_keys(creator.sort_name):
            keys.append(key)
            names.append(creator.sort_name)
    return tuple(keys), tuple(names)


def _sig(title: str | None, year: int | None, creators: tuple[Creator, ...],
         item_type: str, ids: frozenset[str], venue: str) -> Sig:
    normalized = title_key(title)
    lead, names = _lead(creators)
    families = frozenset().union(*(name_keys(c.sort_name) for c in creators))
    has_pre = any(i.startswith("pre:") for i in ids)
    has_vor = any(i.startswith("doi:") for i in ids)
    preprint = item_type == "preprint" or (
        has_pre and not has_vor and (not venue or bool(_PREPRINT_VENUE.search(venue)))
    )
    return Sig(
        title=normalized, main=main_title(title, normalized), year=year, families=families,
        lead=lead,
        names=names, item_type=item_type, preprint=preprint, ids=ids,
        numbers=title_numbers(normalized) or _EMPTY,
        notice=bool(_NOTICE.match(title or "")),
    )


def id_strings(found: Mapping[str, Iterable[str]], item_type: str) -> frozenset[str]:
    """`kind:value` strings from identifiers by kind (doi, pmid, pmcid, isbn, arxiv)."""
    out: set[str] = set()
    for doi in found.get("doi", ()):
        arxiv = idn.normalize_arxiv(doi) if doi.startswith("10.48550/") else None
        if arxiv:
            out.add(f"pre:arxiv:{arxiv}")
        elif _PREPRINT_DOI.match(doi):
            out.add(f"pre:doi:{doi}")
        else:
            out.add(f"doi:{doi}")
    out.update(f"pre:arxiv:{a}" for a in found.get("arxiv", ()))
    out.update(f"pmid:{p}" for p in found.get("pmid", ()))
    out.update(f"pmcid:{p}" for p in found.get("pmcid", ()))
    if item_type in _BOOK_TYPES:
        out.update(f"isbn:{i}" for i in found.get("isbn", ()))
    return frozenset(out)


def sig_of_record(record: Record) -> Sig:
    ids = record.ids
    item_type = record.item_type or ""
    found = {
        "doi": [ids.doi] if ids.doi else [], "pmid": [ids.pmid] if ids.pmid else [],
        "pmcid": [ids.pmcid] if ids.pmcid else [], "arxiv": [ids.arxiv] if ids.arxiv else [],
        "isbn": list(ids.isbn),
    }
    return _sig(record.title, record.year, record.creators, item_type,
                id_strings(found, item_type), record.container or "")


def creators_of_item(data: Mapping[str, Any]) -> tuple[Creator, ...]:
    out = []
    for raw in data.get("creators") or ():
        role = str(raw.get("creatorType") or "author")
        if raw.get("name"):
            out.append(Creator(name=str(raw["name"]), role=role))
        elif raw.get("lastName") or raw.get("firstName"):
            family = str(raw.get("lastName") or raw.get("firstName"))
            out.append(Creator(family=family, given=raw.get("firstName") or None, role=role))
    return tuple(out)


def year_of(date: Any) -> int | None:
    found = _YEAR.search(str(date or ""))
    return int(found.group(1)) if found else None


def item_title(data: Mapping[str, Any]) -> str:
    for field in ("title", "caseName", "nameOfAct", "subject"):
        if data.get(field):
            return str(data[field])
    return ""


def sig_of_item(data: Mapping[str, Any]) -> Sig:
    """The signature of Zotero item data (API JSON), identifiers wherever they are kept."""
    item_type = str(data.get("itemType") or "")
    venue = str(data.get("publicationTitle") or data.get("repository")
                or data.get("institution") or "")
    return _sig(item_title(data), year_of(data.get("date")), creators_of_item(data),
                item_type, id_strings(item_identifiers(data), item_type), venue)
