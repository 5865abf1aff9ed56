"""An OpenAlex-like metadata source, written as a new source would be: this one module plus
one registry line (`REGISTRY.register(SPEC)`) make zsync look works up in it by DOI,
batched and cache first, merge its fields by the trust its spec declares, pace its requests
in its own pool and list its answers in `zsync cache`.

It is trusted for descriptive fields after PubMed and before Crossref, and for PMIDs after
both; for nothing else. It talks to `tests/servers/openalex.py` in the tests.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from zsync.config.settings import Config
from zsync.model.identifiers import normalize_doi
from zsync.model.records import Identifiers, Origin, Record
from zsync.sources.base import FieldGroup, Lookup, LookupContext, SourceRecord, SourceSpec, Trust
from zsync.sources.batching import tick
from zsync.sources.cache import RecordCache
from zsync.sources.http import HttpLayer, ServiceUnavailable
from zsync.sources.lookup import cached_answers, left_to_fetch, unique_keys
from zsync.sources.outcomes import NotEnriched, NotFound
from zsync.sources.throttle import ServicePolicy

NAME = "openalex"
POOL = "openalex"
POLICY = ServicePolicy(POOL, 10.0, 2)  # OpenAlex asks for at most 10 requests a second
PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/"
Work = dict[str, Any]


def pools(config: Config) -> Mapping[str, ServicePolicy]:
    return {POOL: POLICY}


SPEC = SourceSpec(
    name=NAME,
    title="OpenAlex",
    id_kinds=("doi",),
    trust=(Trust(NAME, {FieldGroup.DESCRIPTIVE: 15, FieldGroup.BIOMEDICAL_IDS: 30}),),
    cache=(NAME,),
    pools=pools,
    implementation="tests.sources.openalex_like:OpenAlexLike",
)


class OpenAlexLike:
    spec = SPEC

    def __init__(self, config: Config, http: HttpLayer, cache: RecordCache, *,
                 base_url: str = "https://api.openalex.org", batch: int = 50) -> None:
        self.http = http
        self.cache = cache
        self.offline = config.network.offline
        self.base_url = base_url.rstrip("/")
        self.batch = batch

    def lookup(self, queries: Sequence[Identifiers], context: LookupContext) -> list[Lookup]:
        keys = unique_keys({ids.doi for ids in queries if ids.doi}, str.lower)
        progress = context.ticker(self.spec.title)
        answers: dict[str, Work | NotFound | NotEnriched] = dict(
            cached_answers(self.cache, NAME, "doi", keys.values(), self.offline,
                           lambda _key, payload: dict(json.loads(payload))))
        todo = left_to_fetch(keys, answers, NAME, self.offline, progress)
        for start in range(0, len(todo), self.batch):
            batch = todo[start:start + self.batch]
            answers.update(self._fetch(batch))
            tick(progress, len(batch))
        times = self.cache.fetched_times(NAME, "doi", keys.values())
        out = []
        for ids in queries:
            key = keys.get(ids.doi or "", "")
            answer, found = answers.get(key), Lookup()
            if isinstance(answer, dict):
                found.records.append(
                    SourceRecord(NAME, work_to_record(answer), context.stamp(times.get(key))))
            elif isinstance(answer, NotEnriched):
                found.problems.append(str(answer))
            out.append(found)
        return out

    def _fetch(self, batch: list[str]) -> dict[str, Work | NotFound | NotEnriched]:
        params = [("filter", "doi:" + "|".join(batch)), ("per-page", str(len(batch)))]
        try:
            response = self.http.get(POOL, f"{self.base_url}/works", params=params)
            if response.status_code != 200:
                raise ServiceUnavailable(NAME, f"HTTP {response.status_code}")
            works = {normalize_doi(str(w.get("doi"))) or "": w
                     for w in response.json()["results"]}
        except ServiceUnavailable as exc:
            return dict.fromkeys(batch, NotEnriched(NAME, exc.reason))
        self.cache.put_many(NAME, "doi", {k: json.dumps(works[k]) if k in works else None
                                          for k in batch})
        return {k: works.get(k) or NotFound(NAME, "no such DOI") for k in batch}


def work_to_record(work: Work) -> Record:
    doi = normalize_doi(str(work.get("doi") or ""))
    pmid = str((work.get("ids") or {}).get("pmid") or "").removeprefix(PUBMED_URL) or None
    return Record(
        Origin(f"openalex:{doi}", format="openalex"),
        Identifiers(doi=doi, pmid=pmid),
        title=work.get("display_name"),
        abstract=_abstract(work.get("abstract_inverted_index")),
        language=work.get("language"),
    )


def _abstract(index: Mapping[str, list[int]] | None) -> str | None:
    """OpenAlex keeps an abstract as word -> positions; put the words back in order."""
    if not index:
        return None
    positions = {at: word for word, ats in index.items() for at in ats}
    return " ".join(positions[at] for at in sorted(positions))
