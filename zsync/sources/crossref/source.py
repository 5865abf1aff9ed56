"""Crossref as a metadata source: its client's answers as `Lookup`s of records.

Every DOI goes to Crossref in `filter=doi:` batches; DOIs another agency holds come back
through DOI content negotiation as CSL-JSON and are labelled `datacite`. A title search
(`query.bibliographic`) gives candidate works with Crossref's relevance score.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from zsync.model.records import Identifiers, Origin, Record
from zsync.sources.base import Lookup, LookupContext, SourceRecord
from zsync.sources.outcomes import CslWork, NotEnriched, NotFound

if TYPE_CHECKING:
    from zsync.sources.crossref.client import CrossrefClient

SOURCE = "crossref"
DATACITE = "datacite"


def lookup(
    client: CrossrefClient, queries: Sequence[Identifiers], context: LookupContext
) -> list[Lookup]:
    """Each query's DOI, looked up in one batched pass (cache first)."""
    dois = {ids.doi for ids in queries if ids.doi}
    answers = client.works_by_doi(dois, progress=context.ticker(client.spec.title))
    times = client.fetched_times(dois)
    out = []
    for ids in queries:
        doi = ids.doi or ""
        answer = answers.get(doi)
        fetched = context.stamp(times.get(doi))
        found = Lookup()
        if isinstance(answer, CslWork):
            found.records.append(SourceRecord(DATACITE, _csl_record(answer, context), fetched))
        elif isinstance(answer, dict):
            found.records.append(SourceRecord(SOURCE, _work_record(answer, context), fetched))
        elif answer is not None:
            found.problems.append(_problem(doi, answer))
        out.append(found)
    return out


def search(
    client: CrossrefClient, record: Record
) -> list[tuple[Record, float | None]] | NotEnriched:
    """Candidate works for `record` by title, first author and year, best first."""
    first = record.first_author
    answer = client.search_bibliographic(
        record.title or "", first.sort_name if first else None, record.year
    )
    if isinstance(answer, NotEnriched):
        return answer
    from zsync.sources.crossref.mapping import work_to_record

    return [(work_to_record(work), _score(work)) for work in answer]


def _work_record(work: dict[str, Any], context: LookupContext) -> Record:
    from zsync.sources.crossref.mapping import work_to_record  # when an answer is read

    return context.mapped(SOURCE, json.dumps(work, sort_keys=True), lambda: work_to_record(work))


def _score(work: dict[str, Any]) -> float | None:
    score = work.get("score")
    return float(score) if isinstance(score, int | float) else None


def _problem(doi: str, answer: NotFound | NotEnriched | Any) -> str:
    if isinstance(answer, NotFound):
        return f"{SOURCE}: {doi} {answer}"
    return str(answer)


def _csl_record(answer: CslWork, context: LookupContext) -> Record:
    if context.read_csl is None:
        raise ValueError("a CSL-JSON reader is needed for DOIs other agencies hold")
    record = context.read_csl(answer.csl, Origin(f"doi.org:{answer.doi}", format="csl-json"))
    catalog = f"DOI.org ({answer.agency.capitalize()})" if answer.agency else "DOI.org"
    return replace(record, fields={**record.fields, "libraryCatalog": catalog})
