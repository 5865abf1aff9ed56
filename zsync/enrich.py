"""Enrichment: complete each record from Crossref and PubMed, keeping every field's source.

Lookups are batched across all records of a run, never one record at a time:

1. PMCIDs without a PMID or DOI go to the PMC ID Converter (200 a request);
2. every DOI goes to Crossref (`filter=doi:` batches; DataCite and other agencies' DOIs
   through DOI content negotiation);
3. DOIs without a PMID go to PubMed's esearch, then all PMIDs to efetch (200 a request);
4. records with no identifier but a title are searched in Crossref by citation and
   accepted only when title, author and year agree (`core.titlematch`).

A source that is down, rate limiting or offline degrades the run: the record is kept as
the note has it, with the reason it was not enriched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from .adapters.crossref import CrossrefClient
from .adapters.outcomes import CslWork, NotEnriched, NotFound
from .adapters.pubmed import PubMedClient
from .core.merge import Enriched, SourceRecord, merge
from .core.records import Identifiers, Origin, Record
from .core.titlematch import Verdict, best_match
from .mapping.crossref import work_to_record
from .mapping.pubmed import parse_pubmed_xml
from .parsing.csl_items import csl_to_record

log = logging.getLogger("zsync.enrich")


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class _Found:
    """What the lookups gave for one record, before merging."""

    ids: Identifiers
    sources: list[SourceRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    verdict: Verdict | None = None


@dataclass
class Enricher:
    crossref: CrossrefClient
    pubmed: PubMedClient
    clock: Callable[[], str] = utc_now
    title_search: bool = True

    def enrich(self, records: Sequence[Record]) -> list[Enriched]:
        """One `Enriched` per record, in the same order."""
        found = [_Found(r.ids) for r in records]
        self._convert_pmcids(found)
        self._search_titles(records, found)
        self._crossref(found)
        self._pubmed(found)
        return [
            merge(r, f.sources, tuple(f.problems)) for r, f in zip(records, found, strict=True)
        ]

    # --- 1. PMCID -> PMID, DOI ------------------------------------------------------------

    def _convert_pmcids(self, found: list[_Found]) -> None:
        todo = [f for f in found if f.ids.pmcid and not (f.ids.pmid and f.ids.doi)]
        if not todo:
            return
        answers = self.pubmed.convert_pmcids({f.ids.pmcid for f in todo if f.ids.pmcid})
        for f in todo:
            answer = answers.get(f.ids.pmcid or "")
            if isinstance(answer, dict):
                f.ids = replace(
                    f.ids, pmid=f.ids.pmid or answer.get("pmid"), doi=f.ids.doi or answer.get("doi")
                )
            elif isinstance(answer, NotEnriched):
                f.problems.append(str(answer))

    # --- 4 (first, so found DOIs join the batches). Title search ---------------------------

    def _search_titles(self, records: Sequence[Record], found: list[_Found]) -> None:
        if not self.title_search:
            return
        for record, f in zip(records, found, strict=True):
            if not f.ids.is_empty() or not record.title:
                continue
            first = record.first_author
            answer = self.crossref.search_bibliographic(
                record.title, first.sort_name if first else None, record.year
            )
            if isinstance(answer, NotEnriched):
                f.problems.append(str(answer))
                continue
            candidates = [(work_to_record(w), _score(w)) for w in answer]
            f.verdict = best_match(record, candidates)
            if f.verdict.accepted and f.verdict.candidate and f.verdict.candidate.ids.doi:
                f.ids = replace(f.ids, doi=f.verdict.candidate.ids.doi)
            else:
                f.problems.append(_unmatched(f.verdict))

    # --- 2. Crossref by DOI ---------------------------------------------------------------

    def _crossref(self, found: list[_Found]) -> None:
        dois = {f.ids.doi for f in found if f.ids.doi}
        if not dois:
            return
        answers = self.crossref.works_by_doi(dois)
        fetched = self.clock()
        for f in found:
            if not f.ids.doi:
                continue
            answer = answers.get(f.ids.doi)
            if isinstance(answer, CslWork):
                f.sources.append(SourceRecord("datacite", _csl_record(answer), fetched))
            elif isinstance(answer, dict):
                f.sources.append(SourceRecord("crossref", work_to_record(answer), fetched))
            elif answer is not None:
                f.problems.append(_problem("crossref", f.ids.doi, answer))

    # --- 3. PubMed ------------------------------------------------------------------------

    def _pubmed(self, found: list[_Found]) -> None:
        need_pmid = {f.ids.doi for f in found if f.ids.doi and not f.ids.pmid}
        pmids = self.pubmed.pmids_for_dois(need_pmid) if need_pmid else {}
        for f in found:
            answer = pmids.get(f.ids.doi or "") if not f.ids.pmid else None
            if isinstance(answer, str):
                f.ids = replace(f.ids, pmid=answer)
            elif isinstance(answer, NotEnriched):
                f.problems.append(str(answer))
        wanted = {f.ids.pmid for f in found if f.ids.pmid}
        articles = self.pubmed.fetch(wanted) if wanted else {}
        fetched = self.clock()
        for f in found:
            article = articles.get(f.ids.pmid or "")
            if isinstance(article, str):
                self._add_pubmed(f, article, fetched)
            elif article is not None:
                f.problems.append(_problem("pubmed", f"PMID {f.ids.pmid}", article))

    def _add_pubmed(self, f: _Found, article_xml: str, fetched: str) -> None:
        parsed = parse_pubmed_xml(article_xml)
        if not parsed:
            return
        record = parsed[0]
        doi = record.ids.doi
        if f.ids.doi and doi and doi != f.ids.doi:
            f.problems.append(
                f"pubmed: PMID {f.ids.pmid} is the article with DOI {doi}, not {f.ids.doi}; "
                "its data was not used"
            )
            return
        f.sources.append(SourceRecord("pubmed", record, fetched))


def _score(work: dict[str, Any]) -> float | None:
    score = work.get("score")
    return float(score) if isinstance(score, int | float) else None


def _unmatched(verdict: Verdict) -> str:
    if verdict.candidate is None:
        return "crossref: no candidate found by title"
    best = verdict.candidate
    score = f", score {verdict.score:.1f}" if verdict.score is not None else ""
    return (
        f"crossref: title search not accepted ({verdict.reason}); best candidate "
        f"{best.ids.doi or '?'} “{best.title}” ({verdict.title_similarity:.0f}% title{score})"
    )


def _problem(source: str, what: str, answer: NotFound | NotEnriched | Any) -> str:
    if isinstance(answer, NotFound):
        return f"{source}: {what} {answer}"
    return str(answer)


def _csl_record(answer: CslWork) -> Record:
    record = csl_to_record(answer.csl, Origin(f"doi.org:{answer.doi}", format="csl-json"))
    catalog = f"DOI.org ({answer.agency.capitalize()})" if answer.agency else "DOI.org"
    return replace(record, fields={**record.fields, "libraryCatalog": catalog})
