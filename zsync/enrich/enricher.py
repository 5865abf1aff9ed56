"""Enrichment: complete each record from the registered metadata sources, keeping every
field's source.

Lookups are batched across all records of a run, never one record at a time, and the
Enricher names no source: it asks each what its spec says it answers.

1. arXiv ids without a DOI get arXiv's DataCite DOI (`10.48550/arxiv.<id>`), looked up
   like any other DOI;
2. identifiers a source converts (PubMed: PMCIDs, through the PMC ID Converter) are turned
   into the kinds the sources look up;
3. records with no identifier but a title are searched by citation at the sources that can
   (Crossref) and a candidate is accepted only when title, author and year agree
   (`enrich.titlematch`);
4. then every source at the same time (their rate limits are separate), each with the
   records holding an identifier kind it answers;
5. identifiers a source found (a DOI PubMed gave to a note with a PMID alone) go, in a
   further round, to the sources that had nothing to look those records up by.

Identifiers a lookup found (idconv, esearch, a title match) stay on the record with that
lookup as their source even when the full record could not be fetched. A source that is
down, rate limiting or offline degrades the run: the record is kept as the note has it,
with the reason it was not enriched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from zsync.enrich.merge import Enriched, FieldSource, SourceRecord, merge
from zsync.enrich.titlematch import Verdict, best_match
from zsync.inputs.exports.csl_items import csl_to_record
from zsync.model.identifiers import arxiv_doi
from zsync.model.records import Identifiers, Record
from zsync.sources.base import (
    Converter,
    Lookup,
    LookupContext,
    Mapper,
    ProgressSink,
    Source,
    TitleSearcher,
    wants,
    with_id,
)
from zsync.sources.outcomes import NotEnriched
from zsync.sources.registry import Precedence

__all__ = ["Enricher", "ProgressSink", "utc_now"]

log = logging.getLogger("zsync.enrich")

IDS_STEP = "ids"  # problems of steps 1-3, reported before each source's own


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class _Found:
    """What the lookups gave for one record, before merging."""

    ids: Identifiers
    sources: list[SourceRecord] = field(default_factory=list)
    # Why a source could not be used, by step (sources run on their own threads), reported
    # in step order so a run's output does not depend on timing.
    problems: dict[str, list[str]] = field(default_factory=dict)
    verdict: Verdict | None = None
    learned: dict[str, FieldSource] = field(default_factory=dict)  # id kind -> lookup
    asked: set[str] = field(default_factory=set)  # names of the sources asked about it

    def learn(self, kind: str, value: str, origin: FieldSource) -> None:
        self.ids = with_id(self.ids, kind, value)
        self.learned[kind] = origin

    def take(self, step: str, found: Lookup) -> None:
        for kind, (value, origin) in found.learned.items():
            if not getattr(self.ids, kind):
                self.learn(kind, value, origin)
        self.sources.extend(found.records)
        self.problems.setdefault(step, []).extend(found.problems)


class Enricher:
    """Enriches records from `sources` (by default: the registered ones, built by
    `runtime.enricher`), in the order given."""

    def __init__(self, *sources: Source, clock: Callable[[], str] = utc_now,
                 title_search: bool = True, progress: ProgressSink | None = None) -> None:
        self.sources = sources
        self.clock = clock
        self.title_search = title_search
        self.progress = progress
        self.mapper: Mapper | None = None  # answers mapped in earlier runs (sync sets it)

    def enrich(self, records: Sequence[Record]) -> list[Enriched]:
        """One `Enriched` per record, in the same order."""
        context = LookupContext(self.clock, self.progress, csl_to_record, self.mapper)
        found = [_Found(r.ids, problems={IDS_STEP: []}) for r in records]
        for f in found:
            f.problems.update((s.spec.name, []) for s in self.sources)
            if f.ids.arxiv and not f.ids.doi:
                f.ids = replace(f.ids, doi=arxiv_doi(f.ids.arxiv))
        self._convert(found, context)
        self._search_titles(records, found, context)
        while self._look_up(found, context):
            pass
        precedence = Precedence([source.spec for source in self.sources])
        return [_result(r, f, precedence) for r, f in zip(records, found, strict=True)]

    # --- identifiers a source converts (PMCID -> PMID, DOI) --------------------------------

    def _convert(self, found: list[_Found], context: LookupContext) -> None:
        for source in self.sources:
            if not isinstance(source, Converter) or not source.spec.converts:
                continue
            todo = [f for f in found if any(getattr(f.ids, k) for k in source.spec.converts)]
            if todo:
                for f, got in zip(todo, source.convert([f.ids for f in todo], context),
                                  strict=True):
                    f.take(IDS_STEP, got)

    # --- Title search (first, so found DOIs join the batches) ----------------------------

    def _search_titles(self, records: Sequence[Record], found: list[_Found],
                       context: LookupContext) -> None:
        for source in self.sources:
            if isinstance(source, TitleSearcher) and source.spec.search_label:
                self._search_at(source, records, found, context)

    def _search_at(self, source: TitleSearcher, records: Sequence[Record], found: list[_Found],
                   context: LookupContext) -> None:
        todo = [(r, f) for r, f in zip(records, found, strict=True)
                if self.title_search and f.ids.is_empty() and r.title]
        tick = context.ticker(f"{source.spec.title} title search")
        if tick:
            tick(0, len(todo))
        name, label = source.spec.name, source.spec.search_label or source.spec.name
        for record, f in todo:
            answer = source.search(record)
            if tick:
                tick(1, 0)
            if isinstance(answer, NotEnriched):
                f.problems[IDS_STEP].append(str(answer))
                continue
            f.verdict = best_match(record, answer)
            if f.verdict.accepted and f.verdict.candidate and f.verdict.candidate.ids.doi:
                f.learn("doi", f.verdict.candidate.ids.doi, FieldSource(label, self.clock()))
            else:
                f.problems[IDS_STEP].append(_unmatched(name, f.verdict))

    # --- Lookups by identifier, every source at once -----------------------------------

    def _look_up(self, found: list[_Found], context: LookupContext) -> bool:
        """One round: each source gets the records it can look up and was not asked about
        (marked before any thread starts). False when no source had anything to do."""
        work: list[tuple[Source, list[_Found]]] = []
        for source in self.sources:
            todo = [f for f in found
                    if source.spec.name not in f.asked and wants(source.spec, f.ids)]
            for f in todo:
                f.asked.add(source.spec.name)
            if todo:
                work.append((source, todo))
        if not work:
            return False
        *others, last = work
        with ThreadPoolExecutor(max(len(others), 1), thread_name_prefix="zsync-source") as pool:
            pending = [pool.submit(source.lookup, [f.ids for f in todo], context)
                       for source, todo in others]
            here = last[0].lookup([f.ids for f in last[1]], context)  # while the others run
            answers = [*(p.result() for p in pending), here]
        for (source, todo), got in zip(work, answers, strict=True):
            for f, lookup in zip(todo, got, strict=True):
                f.take(source.spec.name, lookup)
        return True


def _result(note: Record, f: _Found, precedence: Precedence) -> Enriched:
    """Merge, then keep identifiers a lookup found that no fetched record carries."""
    sources = sorted(f.sources, key=lambda s: precedence.rank(s.source))
    problems = tuple(p for step in f.problems.values() for p in step)
    enriched = merge(note, sources, problems, precedence)
    missing = {kind: source for kind, source in f.learned.items()
               if not getattr(enriched.record.ids, kind) and getattr(f.ids, kind)}
    if not missing:
        return enriched
    ids = enriched.record.ids
    for kind in missing:
        ids = with_id(ids, kind, getattr(f.ids, kind))
    return replace(enriched, record=replace(enriched.record, ids=ids),
                   provenance={**enriched.provenance, **missing})


def _unmatched(source: str, verdict: Verdict) -> str:
    if verdict.candidate is None:
        return f"{source}: no candidate found by title"
    best = verdict.candidate
    score = f", score {verdict.score:.1f}" if verdict.score is not None else ""
    return (
        f"{source}: title search not accepted ({verdict.reason}); best candidate "
        f"{best.ids.doi or '?'} “{best.title}” ({verdict.title_similarity:.0f}% title{score})"
    )
