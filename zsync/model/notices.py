"""Retractions, corrections and similar notices, as Crossref and PubMed record them.

Only links that say *this* work was updated become `UpdateNotice`s:
- Crossref `updated-by` (on the updated work). `update-to` sits on the notice itself and
  names the work it updates, so it never flags the record carrying it. Entries pointing at the
  work's own DOI (PLOS deposits `new_version` that way) and version/edition updates are ignored.
- PubMed `CommentsCorrections` of the `...In` kind (RetractionIn, ErratumIn, ...) and the
  publication type "Retracted Publication". The `...Of`/`...For` kinds and the types
  "Retraction of Publication" / "Published Erratum" mark the notice article, never flag it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from zsync.model.identifiers import normalize_doi, normalize_pmid
from zsync.model.partial_dates import crossref_date
from zsync.model.patterns import lazy
from zsync.model.records import UpdateNotice

RETRACTION = "retraction"
CORRECTION = "correction"
EXPRESSION_OF_CONCERN = "expression_of_concern"
WITHDRAWAL = "withdrawal"
UPDATE = "update"

# Crossref update types (deposit schema and Retraction Watch) -> notice kind.
CROSSREF_KINDS = {
    "retraction": RETRACTION,
    "partial_retraction": CORRECTION,  # NLM files partial retractions as errata too
    "withdrawal": WITHDRAWAL,
    "removal": WITHDRAWAL,
    "correction": CORRECTION,
    "corrigendum": CORRECTION,
    "erratum": CORRECTION,
    "expression_of_concern": EXPRESSION_OF_CONCERN,
    "addendum": UPDATE,
    "clarification": UPDATE,
}

# PubMed CommentsCorrections RefType on the concerned work -> notice kind.
PUBMED_KINDS = {
    "RetractionIn": RETRACTION,
    "RetractedandRepublishedIn": RETRACTION,
    "PartialRetractionIn": CORRECTION,
    "ErratumIn": CORRECTION,
    "CorrectedandRepublishedIn": CORRECTION,
    "ExpressionOfConcernIn": EXPRESSION_OF_CONCERN,
    "UpdateIn": UPDATE,
}

RETRACTED_PUBLICATION = "Retracted Publication"  # MeSH publication type D016441

_DOI_IN_TEXT = lazy(r"\bdoi:\s*(10\.\S+)", re.IGNORECASE)


def _date_of(entry: Mapping[str, Any]) -> str | None:
    date = crossref_date(entry.get("updated"))
    return date.iso() if date else None


def crossref_notices(work: Mapping[str, Any]) -> tuple[UpdateNotice, ...]:
    """Notices from a Crossref work's `updated-by` list (see the module docstring)."""
    own = normalize_doi(work.get("DOI"))
    found: dict[tuple[str, str | None], UpdateNotice] = {}
    for entry in work.get("updated-by") or ():
        kind = CROSSREF_KINDS.get(str(entry.get("type", "")).lower())
        doi = normalize_doi(entry.get("DOI"))
        if kind is None or (doi is not None and doi == own):
            continue
        notice = UpdateNotice(kind=kind, doi=doi, label=entry.get("label"),
                              date=_date_of(entry), source=entry.get("source") or "crossref")
        found.setdefault((kind, doi), notice)
    return tuple(found.values())


def pubmed_notices(
    comments: Iterable[tuple[str, str | None, str | None]],
    publication_types: Sequence[str],
) -> tuple[UpdateNotice, ...]:
    """Notices from (RefType, RefSource, PMID) triples and the publication types."""
    found: dict[tuple[str, str | None], UpdateNotice] = {}
    for ref_type, ref_source, pmid in comments:
        kind = PUBMED_KINDS.get(ref_type)
        if kind is None:
            continue
        doi_match = _DOI_IN_TEXT.search(ref_source or "")
        doi = normalize_doi(doi_match.group(1)) if doi_match else None
        notice = UpdateNotice(kind=kind, pmid=normalize_pmid(pmid), doi=doi,
                              label=ref_source or ref_type, source="pubmed")
        found.setdefault((kind, notice.pmid or doi), notice)
    retracted = RETRACTED_PUBLICATION in publication_types
    if retracted and not any(n.kind == RETRACTION for n in found.values()):
        found[(RETRACTION, None)] = UpdateNotice(kind=RETRACTION, label=RETRACTED_PUBLICATION,
                                                 source="pubmed")
    return tuple(found.values())
