"""Enrichment: complete each record from Crossref and PubMed, keeping every field's source.

Lookups are batched across all records of a run, never one record at a time:

1. arXiv ids without a DOI get arXiv's DataCite DOI (`10.48550/arxiv.<id>`), looked up
   like any other DOI (it goes to DOI content negotiation);
2. PMCIDs without a PMID or DOI go to the PMC ID Converter (200 a request);
3. records with no identifier but a title are searched in Crossref by citation and
   accepted only when title, author and year agree (`enrich.titlematch`);
4. then Crossref and PubMed at the same time (their rate limits are separate): every DOI to
   Crossref (`filter=doi:` batches; DataCite and other agencies' DOIs through content
   negotiation); DOIs without a PMID to PubMed's esearch, and one efetch pass (200 a
   request) over the PMIDs found and those the notes give;
5. DOIs that only PubMed gave (notes with a PMID alone) go to Crossref afterwards.

Identifiers a lookup found (idconv, esearch, a title match) stay on the record with that
lookup as their source even when the full record could not be fetched. A source that is
down, rate limiting or offline degrades the run: the record is kept as the note has it,
with the reason it was not enriched.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any, Protocol, TypeVar

from zsync.enrich.merge import Enriched, FieldSource, SourceRecord, merge
from zsync.enrich.titlematch import Verdict, best_match
from zsync.inputs.exports.csl_items import csl_to_record
from zsync.model.identifiers import arxiv_doi
from zsync.model.records import Identifiers, Origin, Record
from zsync.sources.crossref.client import CrossrefClient
from zsync.sources.crossref.mapping import work_to_record
from zsync.sources.outcomes import CslWork, NotEnriched, NotFound
from zsync.sources.pubmed.client import IDCONV_SOURCE, PubMedClient
from zsync.sources.pubmed.mapping import parse_pubmed_xml

log = logging.getLogger("zsync.enrich")

TITLE_SEARCH = "crossref-search"
T = TypeVar("T")
_SOURCE_ORDER = ("crossref", "datacite", "pubmed")


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Mapper(Protocol):
    """Maps one answer of a source: `make()`, or what it gave for the same `text` of the
    same `kind` before (adapters.filecache.MappedRecords)."""

    def __call__(self, kind: str, text: str, make: Callable[[], T]) -> T: ...


def map_directly(kind: str, text: str, make: Callable[[], T]) -> T:
    return make()


class ProgressSink(Protocol):
    """Told how far each lookup task is: `done` and `total` are increments, in ids."""

    def update(self, task: str, *, done: int = 0, total: int = 0) -> None: ...


@dataclass
class _Found:
    """What the lookups gave for one record, before merging."""

    ids: Identifiers
    sources: list[SourceRecord] = field(default_factory=list)
    # Why a source could not be used, by lookup step (the Crossref step runs on its own
    # thread), reported in step order so a run's output does not depend on timing.
    problems: dict[str, list[str]] = field(
        default_factory=lambda: {"ids": [], "crossref": [], "pubmed": []})
    verdict: Verdict | None = None
    learned: dict[str, FieldSource] = field(default_factory=dict)  # id kind -> lookup
    asked_crossref: bool = False

    def learn(self, kind: str, value: str, source: str, fetched_at: str | None) -> None:
        self.ids = _with_id(self.ids, kind, value)
        self.learned[kind] = FieldSource(source, fetched_at)


@dataclass
class Enricher:
    crossref: CrossrefClient
    pubmed: PubMedClient
    clock: Callable[[], str] = utc_now
    title_search: bool = True
    progress: ProgressSink | None = None
    mapper: Mapper = map_directly

    def enrich(self, records: Sequence[Record]) -> list[Enriched]:
        """One `Enriched` per record, in the same order."""
        found = [_Found(r.ids) for r in records]
        for f in found:
            if f.ids.arxiv and not f.ids.doi:
                f.ids = replace(f.ids, doi=arxiv_doi(f.ids.arxiv))
        self._convert_pmcids(found)
        self._search_titles(records, found)
        with ThreadPoolExecutor(1, thread_name_prefix="zsync-crossref") as pool:
            crossref = pool.submit(self._crossref, _crossref_todo(found))
            self._pubmed(found)
            crossref.result()
        self._crossref(_crossref_todo(found))  # DOIs PubMed gave to notes that had none
        return [_result(r, f) for r, f in zip(records, found, strict=True)]

    def _when(self, epoch: float | None) -> str:
        """A source's answer time: when it was fetched (the cache row's time), else now."""
        if epoch is None:
            return self.clock()
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _tick(self, task: str) -> Callable[[int, int], None] | None:
        sink = self.progress
        if sink is None:
            return None
        return lambda done, total: sink.update(task, done=done, total=total)

    # --- PMCID -> PMID, DOI ---------------------------------------------------------------

    def _convert_pmcids(self, found: list[_Found]) -> None:
        todo = [f for f in found if f.ids.pmcid and not (f.ids.pmid and f.ids.doi)]
        if not todo:
            return
        pmcids = {f.ids.pmcid for f in todo if f.ids.pmcid}
        answers = self.pubmed.convert_pmcids(pmcids, progress=self._tick("PMC ID converter"))
        times = self.pubmed.idconv_fetched_times(pmcids)
        for f in todo:
            answer = answers.get(f.ids.pmcid or "")
            if isinstance(answer, dict):
                when = self._when(times.get(f.ids.pmcid or ""))
                for kind in ("pmid", "doi"):
                    value = answer.get(kind)
                    if value and not getattr(f.ids, kind):
                        f.learn(kind, value.lower(), IDCONV_SOURCE, when)
            elif isinstance(answer, NotEnriched):
                f.problems["ids"].append(str(answer))

    # --- Title search (first, so found DOIs join the batches) ----------------------------

    def _search_titles(self, records: Sequence[Record], found: list[_Found]) -> None:
        todo = [(r, f) for r, f in zip(records, found, strict=True)
                if self.title_search and f.ids.is_empty() and r.title]
        tick = self._tick("Crossref title search")
        if tick:
            tick(0, len(todo))
        for record, f in todo:
            first = record.first_author
            answer = self.crossref.search_bibliographic(
                record.title or "", first.sort_name if first else None, record.year
            )
            if tick:
                tick(1, 0)
            if isinstance(answer, NotEnriched):
                f.problems["ids"].append(str(answer))
                continue
            candidates = [(work_to_record(w), _score(w)) for w in answer]
            f.verdict = best_match(record, candidates)
            if f.verdict.accepted and f.verdict.candidate and f.verdict.candidate.ids.doi:
                f.learn("doi", f.verdict.candidate.ids.doi, TITLE_SEARCH, self.clock())
            else:
                f.problems["ids"].append(_unmatched(f.verdict))

    # --- Crossref by DOI ------------------------------------------------------------------

    def _crossref(self, todo: list[_Found]) -> None:
        if not todo:
            return
        dois = {f.ids.doi for f in todo if f.ids.doi}
        answers = self.crossref.works_by_doi(dois, progress=self._tick("Crossref"))
        times = self.crossref.fetched_times(dois)
        for f in todo:
            doi = f.ids.doi or ""
            answer = answers.get(doi)
            fetched = self._when(times.get(doi))
            if isinstance(answer, CslWork):
                f.sources.append(SourceRecord("datacite", _csl_record(answer), fetched))
            elif isinstance(answer, dict):
                f.sources.append(SourceRecord("crossref", self._work_record(answer), fetched))
            elif answer is not None:
                f.problems["crossref"].append(_problem("crossref", doi, answer))

    def _work_record(self, work: dict[str, Any]) -> Record:
        return self.mapper("crossref", json.dumps(work, sort_keys=True),
                           lambda: work_to_record(work))

    # --- PubMed ---------------------------------------------------------------------------

    def _pubmed(self, found: list[_Found]) -> None:
        need_pmid = {f.ids.doi for f in found if f.ids.doi and not f.ids.pmid}
        given = {f.ids.pmid for f in found if f.ids.pmid}
        tick = self._tick("PubMed")
        with _ArticleMapper(self.mapper) as mapper:
            pmids = self.pubmed.pmids_for_dois(
                need_pmid, also_fetch=given, progress=tick, on_articles=mapper.take
            ) if need_pmid else {}
            for f in found:
                answer = pmids.get(f.ids.doi or "") if not f.ids.pmid else None
                if isinstance(answer, str):
                    f.learn("pmid", answer, "pubmed", None)
                elif isinstance(answer, NotEnriched):
                    f.problems["pubmed"].append(str(answer))
            wanted = {f.ids.pmid for f in found if f.ids.pmid} - mapper.seen
            others = self.pubmed.fetch(wanted, progress=tick, on_articles=mapper.take) \
                if wanted else {}
            mapped = mapper.results()
        times = self.pubmed.fetched_times(mapped)
        for f in found:
            pmid = f.ids.pmid or ""
            if pmid in mapped:
                self._add_pubmed(f, mapped[pmid], self._when(times.get(pmid)))
            elif others.get(pmid) is not None:
                f.problems["pubmed"].append(_problem("pubmed", f"PMID {pmid}", others[pmid]))

    def _add_pubmed(self, f: _Found, record: Record | None, fetched: str) -> None:
        if record is None:
            return
        doi = record.ids.doi
        if f.ids.doi and doi and doi != f.ids.doi:
            f.learned.pop("pmid", None)
            f.problems["pubmed"].append(
                f"pubmed: PMID {f.ids.pmid} is the article with DOI {doi}, not {f.ids.doi}; "
                "its data was not used"
            )
            return
        if "pmid" in f.learned:
            f.learned["pmid"] = FieldSource("pubmed", fetched)
        if doi and not f.ids.doi:
            f.learn("doi", doi, "pubmed", fetched)
        f.sources.append(SourceRecord("pubmed", record, fetched))


class _ArticleMapper:
    """Maps PubMed articles to records on a worker thread as EFetch batches arrive, so the
    mapping overlaps the waits between rate-limited requests instead of following them."""

    def __init__(self, mapper: Mapper = map_directly) -> None:
        self.mapper = mapper
        self.seen: set[str] = set()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="zsync-pubmed-map")
        self._jobs: list[Future[dict[str, Record | None]]] = []

    def __enter__(self) -> _ArticleMapper:
        return self

    def __exit__(self, *_: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def take(self, articles: dict[str, str]) -> None:
        self.seen.update(articles)
        self._jobs.append(self._pool.submit(_map_articles, articles, self.mapper))

    def results(self) -> dict[str, Record | None]:
        out: dict[str, Record | None] = {}
        for job in self._jobs:
            out.update(job.result())
        return out


def _map_articles(articles: dict[str, str],
                  mapper: Mapper = map_directly) -> dict[str, Record | None]:
    return {pmid: mapper("pubmed", xml, partial(_first_article, xml))
            for pmid, xml in articles.items()}


def _first_article(xml: str) -> Record | None:
    parsed = parse_pubmed_xml(xml)
    return parsed[0] if parsed else None


def _crossref_todo(found: list[_Found]) -> list[_Found]:
    """Records with a DOI not yet asked about, marked as asked (before any thread starts)."""
    todo = [f for f in found if f.ids.doi and not f.asked_crossref]
    for f in todo:
        f.asked_crossref = True
    return todo


def _result(note: Record, f: _Found) -> Enriched:
    """Merge, then keep identifiers a lookup found that no fetched record carries."""
    sources = sorted(f.sources, key=lambda s: _SOURCE_ORDER.index(s.source))
    problems = tuple(p for step in f.problems.values() for p in step)
    enriched = merge(note, sources, problems)
    missing = {kind: source for kind, source in f.learned.items()
               if not getattr(enriched.record.ids, kind) and getattr(f.ids, kind)}
    if not missing:
        return enriched
    ids = enriched.record.ids
    for kind in missing:
        ids = _with_id(ids, kind, getattr(f.ids, kind))
    return replace(enriched, record=replace(enriched.record, ids=ids),
                   provenance={**enriched.provenance, **missing})


def _with_id(ids: Identifiers, kind: str, value: str) -> Identifiers:
    if kind == "doi":
        return replace(ids, doi=value)
    if kind == "pmid":
        return replace(ids, pmid=value)
    return replace(ids, pmcid=value)


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
