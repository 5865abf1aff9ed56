"""Records from identifiers a user types or lists (`zsync add`). Pure.

Each entry is one identifier: a DOI (bare, `doi:` or a doi.org URL), a PMID (digits,
`PMID:` or a PubMed URL), a PMCID (`PMC123`), an arXiv id (`2101.00001`, `arXiv:…`,
an arxiv.org URL) or an ISBN (10 or 13 digits with a valid check digit, `ISBN …`). Bare
digits are an ISBN when they are 10 or 13 long with a valid check digit, else a PMID.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from zsync.model.identifiers import (
    normalize_arxiv,
    normalize_doi,
    normalize_isbn,
    normalize_pmcid,
    normalize_pmid,
)
from zsync.model.patterns import lazy
from zsync.model.records import Identifiers, InputProblem, Origin, Record

ORIGIN = "zsync add"  # the name under which an added item remembers what `add` gave it
_COMMENT = lazy(r"\s+#.*$|^#.*$")
_LABEL = lazy(r"(?:isbn(?:-1[03])?|pmid|pmcid|doi|arxiv)\s*[:=]?", re.IGNORECASE)
_ARXIV_BARE = lazy(r"\d{4}\.\d{4,5}(v\d+)?|[a-z-]+(\.[A-Z]{2})?/\d{7}(v\d+)?")


@dataclass(frozen=True)
class Wanted:
    """What `zsync add` puts on every item it is given."""

    tags: tuple[str, ...] = ()
    status: str | None = None


def entries(text: str) -> list[str]:
    """Identifiers in a list: one or more a line (space or comma separated), `#` comments
    and blank lines skipped."""
    out: list[str] = []
    for line in text.splitlines():
        line = _COMMENT.sub("", line).strip()
        label = ""
        for part in re.split(r"[\s,;]+", line):
            if _LABEL.fullmatch(part):  # "ISBN 978-…", "PMID: 123": label and value
                label = f"{label}{part} "
            elif part:
                out.append(f"{label}{part}")
                label = ""
    return out


def identify(entry: str) -> Identifiers | None:
    """The identifier `entry` names, normalised; None when it names none."""
    text = entry.strip()
    lowered = text.lower()
    if lowered.startswith(("isbn", "978", "979")) or re.fullmatch(r"[\d-]{9,}[\dXx]", text):
        isbn = normalize_isbn(text)
        if isbn:
            return Identifiers(isbn=(isbn,))
    if "arxiv" in lowered or _ARXIV_BARE.fullmatch(text):
        arxiv = normalize_arxiv(text)
        if arxiv:
            return Identifiers(arxiv=arxiv)
    if "10." in text:
        doi = normalize_doi(text)
        if doi:
            return Identifiers(doi=doi)
    if "pmc" in lowered:
        pmcid = normalize_pmcid(text)
        if pmcid:
            return Identifiers(pmcid=pmcid)
    pmid = normalize_pmid(text)
    return Identifiers(pmid=pmid) if pmid else None


def _kind_defaults(ids: Identifiers) -> dict[str, object]:
    """What an identifier alone says about its work, for when no source knows it."""
    if ids.isbn:
        return {"item_type": "book"}
    if ids.arxiv:
        return {"item_type": "preprint", "publisher": "arXiv",
                "urls": (f"https://arxiv.org/abs/{ids.arxiv}",)}
    return {}


def records_from(
    given: Iterable[str], wanted: Wanted | None = None
) -> tuple[list[Record], list[InputProblem]]:
    """One record per distinct identifier, in the order given, and a problem for each
    entry that names no identifier."""
    wanted = wanted or Wanted()
    records: list[Record] = []
    problems: list[InputProblem] = []
    seen: set[Identifiers] = set()
    for position, entry in enumerate(given, start=1):
        ids = identify(entry)
        if ids is None:
            problems.append(InputProblem(ORIGIN, f"{entry!r} is not a DOI, PMID, PMCID, "
                                         "arXiv id or ISBN (an ISBN's check digit must match)"))
            continue
        if ids in seen:
            continue
        seen.add(ids)
        origin = Origin(ORIGIN, line=position, format="identifier", position=position)
        records.append(Record(origin, ids, tags=wanted.tags, status=wanted.status,
                              **_kind_defaults(ids)))  # type: ignore[arg-type]
    return records, problems


def named(record: Record) -> str:
    """The identifier a record was made from, as a user would write it."""
    ids = record.ids
    if ids.isbn:
        return f"ISBN {ids.isbn[0]}"
    if ids.arxiv:
        return f"arXiv:{ids.arxiv}"
    if ids.pmcid and not ids.doi:
        return ids.pmcid
    if ids.pmid and not ids.doi:
        return f"PMID {ids.pmid}"
    return f"DOI {ids.doi}"
