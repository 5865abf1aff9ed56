"""PubMed as a metadata source: its client's answers as `Lookup`s of records.

- `lookup`: DOIs without a PMID go to ESearch, and one EFetch pass (200 a request) covers
  the PMIDs found and those the queries give. Articles are mapped to records on a worker
  thread as EFetch batches arrive. An article whose own DOI is not the query's is not used.
- `convert`: PMCIDs without a PMID or DOI go to the PMC ID Converter (200 a request).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from zsync.model.records import Identifiers, Record
from zsync.sources.base import FieldSource, Lookup, LookupContext, SourceRecord, with_id
from zsync.sources.outcomes import NotEnriched, NotFound

if TYPE_CHECKING:
    from zsync.sources.pubmed.client import PubMedClient

SOURCE = "pubmed"
IDCONV_SOURCE = "pmc-idconv"
IDCONV_TASK = "PMC ID converter"


@dataclass
class _Query:
    ids: Identifiers
    found: Lookup = field(default_factory=Lookup)

    def learn(self, kind: str, value: str, origin: FieldSource) -> None:
        self.ids = with_id(self.ids, kind, value)
        self.found.learned[kind] = (value, origin)


def lookup(
    client: PubMedClient, queries: Sequence[Identifiers], context: LookupContext
) -> list[Lookup]:
    states = [_Query(ids) for ids in queries]
    need_pmid = {q.ids.doi for q in states if q.ids.doi and not q.ids.pmid}
    given = {q.ids.pmid for q in states if q.ids.pmid}
    tick = context.ticker(client.spec.title)
    with _ArticleMapper(context) as mapper:
        pmids = client.pmids_for_dois(
            need_pmid, also_fetch=given, progress=tick, on_articles=mapper.take
        ) if need_pmid else {}
        for q in states:
            answer = pmids.get(q.ids.doi or "") if not q.ids.pmid else None
            if isinstance(answer, str):
                q.learn("pmid", answer, FieldSource(SOURCE, None))
            elif isinstance(answer, NotEnriched):
                q.found.problems.append(str(answer))
        wanted = {q.ids.pmid for q in states if q.ids.pmid} - mapper.seen
        others = client.fetch(wanted, progress=tick, on_articles=mapper.take) \
            if wanted else {}
        mapped = mapper.results()
    times = client.fetched_times(mapped)
    for q in states:
        pmid = q.ids.pmid or ""
        if pmid in mapped:
            _add(q, mapped[pmid], context.stamp(times.get(pmid)))
        elif others.get(pmid) is not None:
            q.found.problems.append(_problem(f"PMID {pmid}", others[pmid]))
    return [q.found for q in states]


def _add(q: _Query, record: Record | None, fetched: str) -> None:
    if record is None:
        return
    doi = record.ids.doi
    if q.ids.doi and doi and doi != q.ids.doi:
        q.found.learned.pop("pmid", None)
        q.found.problems.append(
            f"{SOURCE}: PMID {q.ids.pmid} is the article with DOI {doi}, not {q.ids.doi}; "
            "its data was not used"
        )
        return
    if "pmid" in q.found.learned:
        q.found.learned["pmid"] = (q.ids.pmid or "", FieldSource(SOURCE, fetched))
    if doi and not q.ids.doi:
        q.learn("doi", doi, FieldSource(SOURCE, fetched))
    q.found.records.append(SourceRecord(SOURCE, record, fetched))


def convert(
    client: PubMedClient, queries: Sequence[Identifiers], context: LookupContext
) -> list[Lookup]:
    """PMIDs and DOIs for the queries' PMCIDs, where a query lacks either."""
    out = [Lookup() for _ in queries]
    todo = [(ids, found) for ids, found in zip(queries, out, strict=True)
            if ids.pmcid and not (ids.pmid and ids.doi)]
    if not todo:
        return out
    pmcids = {ids.pmcid for ids, _ in todo if ids.pmcid}
    answers = client.convert_pmcids(pmcids, progress=context.ticker(IDCONV_TASK))
    times = client.idconv_fetched_times(pmcids)
    for ids, found in todo:
        answer = answers.get(ids.pmcid or "")
        if isinstance(answer, dict):
            when = context.stamp(times.get(ids.pmcid or ""))
            for kind in ("pmid", "doi"):
                value = answer.get(kind)
                if value and not getattr(ids, kind):
                    found.learned[kind] = (value.lower(), FieldSource(IDCONV_SOURCE, when))
        elif isinstance(answer, NotEnriched):
            found.problems.append(str(answer))
    return out


class _ArticleMapper:
    """Maps PubMed articles to records on a worker thread as EFetch batches arrive, so the
    mapping overlaps the waits between rate-limited requests instead of following them."""

    def __init__(self, context: LookupContext) -> None:
        self.context = context
        self.seen: set[str] = set()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="zsync-pubmed-map")
        self._jobs: list[Future[dict[str, Record | None]]] = []

    def __enter__(self) -> _ArticleMapper:
        return self

    def __exit__(self, *_: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def take(self, articles: dict[str, str]) -> None:
        self.seen.update(articles)
        self._jobs.append(self._pool.submit(_map_articles, articles, self.context))

    def results(self) -> dict[str, Record | None]:
        out: dict[str, Record | None] = {}
        for job in self._jobs:
            out.update(job.result())
        return out


def _map_articles(articles: dict[str, str], context: LookupContext
                  ) -> dict[str, Record | None]:
    return {pmid: context.mapped(SOURCE, xml, partial(_first_article, xml))
            for pmid, xml in articles.items()}


def _first_article(xml: str) -> Record | None:
    from zsync.sources.pubmed.mapping import parse_pubmed_xml  # lxml, when an answer is read

    parsed = parse_pubmed_xml(xml)
    return parsed[0] if parsed else None


def _problem(what: str, answer: NotFound | NotEnriched | str) -> str:
    if isinstance(answer, NotFound):
        return f"{SOURCE}: {what} {answer}"
    return str(answer)
