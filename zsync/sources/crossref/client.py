"""Crossref works by DOI (batched) and by citation (query.bibliographic), through habanero.

`works_by_doi` answers from the record cache first, then asks Crossref for the rest in
`filter=doi:A,doi:B,...&rows=N` batches whose request line is measured (<= 3500 bytes, <= 100
DOIs), and matches results by lower-cased DOI (the order is not the request order). A DOI
not in a batch is checked at `/works/{doi}/agency`: unknown -> `NotFound`; Crossref -> the
singleton route (percent-encoded, as habanero sends DOIs in the path raw and `#`, `?`
would cut them); another agency (DataCite, mEDRA) -> DOI content negotiation for CSL-JSON,
returned as `CslWork`. Whatever fails degrades to `NotEnriched` for the DOIs concerned.

habanero's error quirks, all mapped in `_habanero`: `warn=True` is never used (it turns a
429 into the same `None` as a missing DOI); an HTTP error arrives as `HTTPStatusError`
(path route, or a non-JSON body), `RequestError` (JSON body with a list `message`),
`TypeError` (JSON body with a string `message`) or `RuntimeError` (transport). Transient
failures never reach habanero: the HTTP layer repeats them and then raises
`ServiceUnavailable`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import httpx2

from zsync.config.settings import Config
from zsync.errors import ServiceError
from zsync.model.records import Identifiers, Record
from zsync.sources import crossref
from zsync.sources.base import Lookup, LookupContext, SourceSpec
from zsync.sources.batching import MAX_REQUEST_LINE, Progress, measured_batches, request_line, tick
from zsync.sources.cache import RecordCache
from zsync.sources.crossref import source as crossref_source
from zsync.sources.crossref.source import SOURCE
from zsync.sources.http import HttpLayer, ServiceUnavailable
from zsync.sources.http_stacks import scrub
from zsync.sources.lookup import cached_answers, left_to_fetch, unique_keys
from zsync.sources.outcomes import OFFLINE, CslWork, NotEnriched, NotFound

if TYPE_CHECKING:
    from habanero import Crossref

log = logging.getLogger("zsync.crossref")

CN_SOURCE = "doi.org"
SEARCH_SOURCE = "crossref-search"
CSL_ACCEPT = "application/vnd.citationstyles.csl+json"
Work = dict[str, Any]
Answer = Work | CslWork | NotFound | NotEnriched
T = TypeVar("T")


class _Refused(ServiceError):
    """A final HTTP error answer, however habanero chose to report it."""

    def __init__(self, status: int | None, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}" if status else detail)
        self.status = status


class CrossrefClient:
    """Crossref's REST API and DOI content negotiation, and Crossref as a `Source`."""

    spec: SourceSpec = crossref.SPEC

    def __init__(
        self, config: Config, http: HttpLayer, cache: RecordCache, *,
        max_request_line: int = MAX_REQUEST_LINE, max_batch: int = 100,
    ) -> None:
        self.http = http
        self.cache = cache
        self.offline = config.network.offline
        self.api_url = config.crossref.api_url.rstrip("/")
        self.doi_url = config.crossref.doi_url.rstrip("/")
        self.max_request_line = max_request_line
        self.max_batch = max_batch
        self.mailto = config.crossref.mailto or None
        self._cr: Crossref | None = None

    @property
    def cr(self) -> Crossref:
        """habanero's client, made (and habanero imported) for the first Crossref request."""
        if self._cr is None:
            from habanero import Crossref

            self._cr = Crossref(base_url=self.api_url, mailto=self.mailto,
                                timeout=self.http.timeout)
        return self._cr

    def lookup(self, queries: Sequence[Identifiers], context: LookupContext) -> list[Lookup]:
        return crossref_source.lookup(self, queries, context)

    def search(self, record: Record) -> list[tuple[Record, float | None]] | NotEnriched:
        return crossref_source.search(self, record)

    # --- by DOI ------------------------------------------------------------------------------

    def works_by_doi(
        self, dois: Iterable[str], *, progress: Progress | None = None
    ) -> dict[str, Answer]:
        """Each DOI (as given) -> Crossref work, `CslWork`, `NotFound` or `NotEnriched`.

        `progress(done, total)` hears of the DOIs answered, batch by batch.
        """
        keys = unique_keys(dois, str.lower)
        answers = self._from_cache(set(keys.values()))
        todo = left_to_fetch(keys, answers, SOURCE, self.offline, progress)
        if todo:
            answers.update(self._fetch(todo, progress))
        return {doi: answers[key] for doi, key in keys.items()}

    def fetched_times(self, dois: Iterable[str]) -> dict[str, float]:
        """When the cached answer for each DOI (as given) was fetched, in epoch seconds."""
        keys = unique_keys(dois, str.lower)
        times = self.cache.fetched_times(SOURCE, "doi", keys.values())
        return {doi: times[key] for doi, key in keys.items() if key in times}

    def _from_cache(self, keys: set[str]) -> dict[str, Answer]:
        found = cached_answers(self.cache, SOURCE, "doi", keys, self.offline, _work_from_cache)
        elsewhere = [k for k, v in found.items() if isinstance(v, NotFound)]
        negotiated = cached_answers(self.cache, CN_SOURCE, "doi", elsewhere, self.offline,
                                    _csl_from_cache)
        # Crossref said "not found": the doi.org row says whether that was final. Without
        # one (expired sooner, or never written) the DOI is asked about again.
        answers: dict[str, Answer] = {k: v for k, v in found.items() if k not in elsewhere}
        for key, value in negotiated.items():
            answers[key] = NotFound(SOURCE, "cached answer") if isinstance(value, NotFound) \
                else value
        return answers

    def _fetch(self, keys: list[str], progress: Progress | None) -> dict[str, Answer]:
        answers: dict[str, Answer] = {}
        unresolved = [key for key in keys if "," in key]  # a comma would split the filter
        batchable = [key for key in keys if "," not in key]
        for batch in measured_batches(batchable, self._batch_line,
                                      max_line=self.max_request_line, max_count=self.max_batch):
            got = self._guard(partial(self._batch, batch))
            if isinstance(got, NotEnriched):
                answers.update(dict.fromkeys(batch, got))
                tick(progress, len(batch))
                continue
            self.cache.put_many(SOURCE, "doi", {k: json.dumps(w) for k, w in got.items()})
            answers.update(got)
            unresolved += [key for key in batch if key not in got]
            tick(progress, len(got))
        for key in unresolved:
            answers[key] = self._guard(partial(self._resolve, key))
            tick(progress, 1)
        return answers

    def _batch_line(self, batch: list[str]) -> str:
        params = [("filter", ",".join(f"doi:{doi}" for doi in batch)), ("rows", str(len(batch)))]
        return request_line("GET", f"{self.api_url}/works", params)

    def _batch(self, batch: list[str]) -> dict[str, Work]:
        try:
            envelope = self._habanero(
                lambda: self.cr.works(filter={"doi": list(batch)}, limit=len(batch))
            )
        except _Refused as refused:
            raise ServiceUnavailable(SOURCE, f"batch refused: {refused}") from None
        wanted = set(batch)
        works = {}
        for item in envelope["message"]["items"]:
            key = str(item.get("DOI", "")).lower()
            if key in wanted:
                works[key] = item
        return works

    def _resolve(self, key: str) -> Answer:
        """A DOI the batch did not return: whose is it?"""
        try:
            labels = self._habanero(lambda: self.cr.registration_agency(_path(key)))
        except _Refused as refused:
            if refused.status != 404:
                raise ServiceUnavailable(SOURCE, f"agency lookup refused: {refused}") from None
            return self._not_found(key, "DOI not registered")
        agency = str(labels[0]).lower() if labels else "unknown"
        return self._single(key) if agency == "crossref" else self._negotiate(key, agency)

    def _single(self, key: str) -> Answer:
        try:
            envelope = self._habanero(lambda: self.cr.works(ids=_path(key)))
        except _Refused as refused:
            if refused.status != 404:
                raise ServiceUnavailable(SOURCE, f"work lookup refused: {refused}") from None
            return self._not_found(key, "agency says Crossref, but no record")
        work: Work = envelope["message"]
        self.cache.put(SOURCE, "doi", key, json.dumps(work))
        return work

    def _negotiate(self, key: str, agency: str) -> Answer:
        response = self.http.get("doi", f"{self.doi_url}/{_path(key)}",
                                 headers={"Accept": CSL_ACCEPT})
        if response.status_code == 404:
            return self._not_found(key, f"{agency} DOI not found at the resolver")
        if response.status_code != 200:
            raise ServiceUnavailable("doi", f"content negotiation: HTTP {response.status_code}")
        csl = json.loads(response.content.decode("utf-8"))
        self.cache.put(SOURCE, "doi", key, None)
        self.cache.put(CN_SOURCE, "doi", key, json.dumps({"agency": agency, "csl": csl}))
        return CslWork(key, agency, csl)

    def _not_found(self, key: str, detail: str) -> NotFound:
        self.cache.put(SOURCE, "doi", key, None)
        self.cache.put(CN_SOURCE, "doi", key, None)
        return NotFound(SOURCE, detail)

    # --- by citation --------------------------------------------------------------------------

    def search_bibliographic(
        self, title: str, first_author: str | None = None, year: int | None = None,
        rows: int = 5,
    ) -> list[Work] | NotEnriched:
        """Up to `rows` candidate works (each with Crossref's `score`), best first."""
        query = " ".join(str(p) for p in (title, first_author, year) if p)
        key = f"{rows}:{' '.join(query.lower().split())}"
        cached = self.cache.get(SEARCH_SOURCE, "query", key, allow_stale=self.offline)
        if cached is not None and cached.payload is not None:
            return list(json.loads(cached.payload))
        if self.offline:
            return NotEnriched(SOURCE, OFFLINE)

        def search() -> list[Work]:
            try:
                envelope = self._habanero(
                    lambda: self.cr.works(query_bibliographic=query, limit=rows)
                )
            except _Refused as refused:
                raise ServiceUnavailable(SOURCE, f"search refused: {refused}") from None
            return list(envelope["message"]["items"])

        found = self._guard(search)
        if not isinstance(found, NotEnriched):
            self.cache.put(SEARCH_SOURCE, "query", key, json.dumps(found))
            # Each hit is a whole work: a later lookup of its DOI needs no request.
            self.cache.put_many(SOURCE, "doi", {
                str(w["DOI"]).lower(): json.dumps(w) for w in found if w.get("DOI")
            })
        return found

    # --- habanero's error quirks ----------------------------------------------------------------

    def _habanero(self, call: Callable[[], T]) -> T:
        """Run a habanero call through the HTTP layer; every error shape becomes one of ours."""
        from habanero import RequestError

        try:
            with self.http.habanero():
                return call()
        except httpx2.HTTPStatusError as exc:  # ids route, or a non-JSON error body
            raise _Refused(exc.response.status_code, exc.response.reason_phrase) from None
        except RequestError as exc:  # JSON error with a list `message`, or non-JSON 2xx
            raise _Refused(_int(exc.status_code), scrub(str(exc.error))[:200]) from None
        except TypeError:  # JSON error whose `message` is a string: habanero trips on it
            raise _Refused(None, "unreadable error response from Crossref") from None
        except RuntimeError as exc:  # habanero's wrapper around transport errors
            raise ServiceUnavailable(SOURCE, scrub(str(exc))[:200]) from None

    @staticmethod
    def _guard(call: Callable[[], T]) -> T | NotEnriched:
        try:
            return call()
        except ServiceUnavailable as exc:
            return NotEnriched(CN_SOURCE if exc.service == "doi" else SOURCE, exc.reason)
        except (KeyError, ValueError) as exc:  # a 200 that is not what Crossref sends
            return NotEnriched(SOURCE, f"unexpected response ({type(exc).__name__})")


def _path(doi: str) -> str:
    """A DOI as a URL path: percent-encoded, except the `/` Crossref expects as is."""
    return quote(doi, safe="/")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _work_from_cache(_key: str, payload: str) -> Work:
    work = json.loads(payload)
    if not isinstance(work, dict):
        raise ValueError("not a work")
    return work


def _csl_from_cache(key: str, payload: str) -> CslWork:
    data = json.loads(payload)
    return CslWork(key, str(data["agency"]), dict(data["csl"]))
