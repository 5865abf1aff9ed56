"""PubMed through the E-utilities (ESearch, EFetch) and PMC's ID Converter.

- `pmids_for_dois`: `"doi1"[doi] OR "doi2"[doi] ...` ESearch batches (retmax = batch size),
  then EFetch of the PMIDs found: ESearch does not say which PMID answers which DOI, so
  each article's own `PubmedData/ArticleIdList` DOI decides. PMIDs the caller already
  has (`also_fetch`) join that one EFetch pass. The articles are cached, so a later
  `fetch` of those PMIDs costs nothing.
- `fetch`: EFetch in batches of up to 200 PMIDs; absent PMIDs are `NotFound`. Articles are
  handed to `on_articles` batch by batch, so they can be mapped while the next one waits.
- `convert_pmcids`: idconv, 200 ids per request, JSON decoded as UTF-8 whatever the header.
A request line over `max_get_line` bytes goes as POST (marked as a repeatable query).
Every request carries `tool` and `email`, and `api_key` when set: the HTTP layer keeps it
out of logs, errors and the HTTP cache. Failures degrade to `NotEnriched` per id.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote_plus

from zsync.config.settings import Config
from zsync.model.records import Identifiers
from zsync.sources import pubmed
from zsync.sources.base import Lookup, LookupContext, SourceSpec
from zsync.sources.batching import MAX_REQUEST_LINE, Progress, measured_batches, request_line, tick
from zsync.sources.cache import RecordCache
from zsync.sources.http import HttpLayer, ServiceUnavailable
from zsync.sources.lookup import cached_answers, left_to_fetch, unique_keys
from zsync.sources.outcomes import NotEnriched, NotFound
from zsync.sources.pubmed import source as pubmed_source
from zsync.sources.pubmed.source import IDCONV_SOURCE, SOURCE
from zsync.sources.pubmed.xml import (
    PubmedXmlError,
    article_ids,
    error_text,
    parse_esearch,
    split_articles,
)

if TYPE_CHECKING:
    import requests

log = logging.getLogger("zsync.pubmed")

EFETCH_GET_MAX = 200
_ALL_INVALID = ("ID list is empty", "no correct IDs", "Supplied id parameter is empty")
T = TypeVar("T")
Params = list[tuple[str, str]]
ArticleSink = Callable[[dict[str, str]], None]  # {pmid: article XML}, batch by batch


class PubMedClient:
    """The E-utilities and the ID Converter, and PubMed as a `Source` (`pubmed.SPEC`)."""

    spec: SourceSpec = pubmed.SPEC

    def __init__(
        self, config: Config, http: HttpLayer, cache: RecordCache, *,
        max_get_line: int = MAX_REQUEST_LINE, esearch_batch: int = 100, efetch_batch: int = 200,
        idconv_batch: int = 200,
    ) -> None:
        self.http = http
        self.cache = cache
        self.offline = config.network.offline
        self.eutils = config.pubmed.eutils_url.rstrip("/")
        self.idconv_url = config.pubmed.idconv_url
        self.identity: Params = [("tool", str(config.pubmed.tool or "zsync"))]
        if config.pubmed.email:
            self.identity.append(("email", config.pubmed.email))
        key = config.pubmed.api_key
        self.key: Params = [("api_key", key.reveal())] if key else []
        self.max_get_line = max_get_line
        self.esearch_batch = esearch_batch
        self.efetch_batch = efetch_batch
        self.idconv_batch = idconv_batch

    def lookup(self, queries: Sequence[Identifiers], context: LookupContext) -> list[Lookup]:
        return pubmed_source.lookup(self, queries, context)

    def convert(self, queries: Sequence[Identifiers], context: LookupContext) -> list[Lookup]:
        return pubmed_source.convert(self, queries, context)

    # --- DOI -> PMID ------------------------------------------------------------------------

    def pmids_for_dois(
        self, dois: Iterable[str], *, also_fetch: Iterable[str] = (),
        progress: Progress | None = None, on_articles: ArticleSink | None = None,
    ) -> dict[str, str | NotFound | NotEnriched]:
        """Each DOI -> its PMID. The articles found are fetched (and cached) on the way,
        together with the PMIDs in `also_fetch`, in one EFetch pass (see `fetch`)."""
        keys = unique_keys(dois, str.lower)
        answers: dict[str, str | NotFound | NotEnriched] = dict(
            cached_answers(self.cache, SOURCE, "doi", keys.values(), self.offline, _text)
        )
        todo = left_to_fetch(keys, answers, SOURCE, self.offline, progress)
        if todo:
            answers.update(self._pmids_for(todo, [str(p) for p in also_fetch], progress,
                                           on_articles))
        return {doi: answers[key] for doi, key in keys.items()}

    def _search_batches(self, keys: list[str]) -> list[list[str]]:
        url = f"{self.eutils}/esearch.fcgi"
        return measured_batches(
            keys, lambda batch: request_line("GET", url, self._search_params(batch)),
            max_line=4 * self.max_get_line, max_count=self.esearch_batch,
        )

    def _search_params(self, batch: list[str]) -> Params:
        term = " OR ".join(f'"{doi.replace(chr(34), "")}"[doi]' for doi in batch)
        return [("db", "pubmed"), ("term", term), ("retmax", str(len(batch))),
                *self.identity, *self.key]

    def _pmids_for(
        self, keys: list[str], also_fetch: list[str], progress: Progress | None,
        on_articles: ArticleSink | None,
    ) -> dict[str, str | NotFound | NotEnriched]:
        """All ESearch batches first, then one EFetch pass over every PMID they found."""
        searches = []
        for batch in self._search_batches(keys):
            searches.append((batch, _guard(partial(self._esearch, batch))))
            tick(progress, len(batch))
        pmids = [p for _, found in searches if isinstance(found, list) for p in found]
        articles = self.fetch(dict.fromkeys([*pmids, *also_fetch]), progress=progress,
                              on_articles=on_articles) if pmids else {}
        by_doi: dict[str, str] = {}
        for pmid, xml in articles.items():
            for doi in article_ids(xml, "doi") if isinstance(xml, str) else []:
                by_doi.setdefault(doi.lower(), pmid)
        failed = next((a for a in articles.values() if isinstance(a, NotEnriched)), None)
        answers: dict[str, str | NotFound | NotEnriched] = {}
        for batch, found in searches:
            for key in batch:
                if isinstance(found, NotEnriched):
                    answers[key] = found
                elif key in by_doi:
                    answers[key] = by_doi[key]
                else:
                    answers[key] = failed or NotFound(SOURCE, "no PubMed record with this DOI")
        self.cache.put_many(SOURCE, "doi", {
            k: v if isinstance(v, str) else None
            for k, v in answers.items() if not isinstance(v, NotEnriched)
        })
        return answers

    def _esearch(self, batch: list[str]) -> list[str]:
        response = self._eutil("esearch", self._search_params(batch))
        if response.status_code != 200:
            raise ServiceUnavailable(SOURCE, f"esearch: HTTP {response.status_code}")
        result = parse_esearch(response.content)
        if result.count > len(result.ids):
            log.warning("esearch matched %d records for %d DOIs; extra ones not fetched",
                        result.count, len(batch))
        return result.ids

    # --- PMID -> article XML ----------------------------------------------------------------

    def fetch(
        self, pmids: Iterable[str], *, progress: Progress | None = None,
        on_articles: ArticleSink | None = None,
    ) -> dict[str, str | NotFound | NotEnriched]:
        """Each PMID -> its PubmedArticle (or PubmedBookArticle) as an XML string.

        `on_articles` is handed the articles as they come (the cached ones, then each
        EFetch batch), so a caller can map them while the next batch waits for its turn.
        """
        keys = unique_keys((str(p) for p in pmids), str)
        answers: dict[str, str | NotFound | NotEnriched] = dict(
            cached_answers(self.cache, SOURCE, "pmid", keys.values(), self.offline, _text)
        )
        _hand_over(on_articles, answers)
        todo = left_to_fetch(keys, answers, SOURCE, self.offline, progress)
        for start in range(0, len(todo), self.efetch_batch):
            batch = todo[start:start + self.efetch_batch]
            got = _guard(partial(self._efetch, batch))
            tick(progress, len(batch))
            if isinstance(got, NotEnriched):
                answers.update(dict.fromkeys(batch, got))
                continue
            self.cache.put_many(SOURCE, "pmid", {p: got.get(p) for p in batch})
            _hand_over(on_articles, got)
            for pmid in batch:
                answers[pmid] = got.get(pmid) or NotFound(SOURCE, "no such PMID")
        return {raw: answers[key] for raw, key in keys.items()}

    def fetched_times(self, pmids: Iterable[str]) -> dict[str, float]:
        """When the cached article for each PMID was fetched, in epoch seconds."""
        keys = unique_keys((str(p) for p in pmids), str)
        times = self.cache.fetched_times(SOURCE, "pmid", keys.values())
        return {pmid: times[key] for pmid, key in keys.items() if key in times}

    def idconv_fetched_times(self, pmcids: Iterable[str]) -> dict[str, float]:
        """When the cached ID Converter answer for each PMCID was fetched, epoch seconds."""
        keys = unique_keys(pmcids, _pmcid)
        times = self.cache.fetched_times(IDCONV_SOURCE, "pmcid", keys.values())
        return {pmcid: times[key] for pmcid, key in keys.items() if key in times}

    def _efetch(self, batch: list[str]) -> dict[str, str]:
        params = [("db", "pubmed"), ("id", ",".join(batch)), ("retmode", "xml"),
                  *self.identity, *self.key]
        response = self._eutil("efetch", params, force_post=len(batch) > EFETCH_GET_MAX)
        if response.status_code == 400:
            error = error_text(response.content) or ""
            if any(marker.lower() in error.lower() for marker in _ALL_INVALID):
                return {}
        if response.status_code != 200:
            raise ServiceUnavailable(SOURCE, f"efetch: HTTP {response.status_code}")
        return split_articles(response.content)

    def _eutil(self, name: str, params: Params, force_post: bool = False) -> requests.Response:
        url = f"{self.eutils}/{name}.fcgi"
        too_long = len(request_line("GET", url, params)) > self.max_get_line
        if force_post or too_long:
            return self.http.post("ncbi", url, data=params, idempotent=True)
        return self.http.get("ncbi", url, params=params)

    # --- PMCID -> PMID, DOI -----------------------------------------------------------------

    def convert_pmcids(
        self, pmcids: Iterable[str], *, progress: Progress | None = None
    ) -> dict[str, dict[str, str | None] | NotFound | NotEnriched]:
        keys = unique_keys(pmcids, _pmcid)
        answers: dict[str, dict[str, str | None] | NotFound | NotEnriched] = dict(
            cached_answers(self.cache, IDCONV_SOURCE, "pmcid", keys.values(), self.offline,
                           lambda _k, payload: dict(json.loads(payload)))
        )
        todo = left_to_fetch(keys, answers, IDCONV_SOURCE, self.offline, progress)
        for start in range(0, len(todo), self.idconv_batch):
            batch = todo[start:start + self.idconv_batch]
            got = _guard(partial(self._idconv, batch), IDCONV_SOURCE)
            tick(progress, len(batch))
            if isinstance(got, NotEnriched):
                answers.update(dict.fromkeys(batch, got))
                continue
            self.cache.put_many(IDCONV_SOURCE, "pmcid",
                                {k: json.dumps(got[k]) if k in got else None for k in batch})
            for key in batch:
                answers[key] = got.get(key) or NotFound(IDCONV_SOURCE, "not in PMC")
        return {raw: answers[key] for raw, key in keys.items()}

    def _idconv(self, batch: list[str]) -> dict[str, dict[str, str | None]]:
        params = [("ids", ",".join(batch)), ("idtype", "pmcid"), ("format", "json"),
                  ("versions", "no"), *self.identity]
        response = self.http.get("ncbi", self.idconv_url, params=params)
        data = _json_utf8(response.content)
        if response.status_code != 200 or data.get("status") == "error":
            message = unquote_plus(str(data.get("message", "")))[:200]
            raise ServiceUnavailable(IDCONV_SOURCE, f"HTTP {response.status_code} {message}")
        out: dict[str, dict[str, str | None]] = {}
        for record in data.get("records", []):
            pmcid = _pmcid(str(record.get("pmcid") or record.get("requested-id") or ""))
            if record.get("status") == "error" or not record.get("pmcid"):
                continue
            out[pmcid] = {"pmid": _opt(record.get("pmid")), "doi": _opt(record.get("doi"))}
        return out


def _guard(call: Callable[[], T], source: str = SOURCE) -> T | NotEnriched:
    """Failures become `NotEnriched`, named after the source the user knows."""
    try:
        return call()
    except ServiceUnavailable as exc:
        return NotEnriched(source, exc.reason)
    except PubmedXmlError as exc:
        return NotEnriched(source, f"unexpected answer: {exc}")


def _hand_over(sink: ArticleSink | None, answers: Mapping[str, object]) -> None:
    articles = {k: v for k, v in answers.items() if isinstance(v, str)}
    if sink is not None and articles:
        sink(articles)


def _text(_key: str, payload: str) -> str:
    return payload


def _pmcid(value: str) -> str:
    value = value.strip().upper()
    return value if value.startswith("PMC") else f"PMC{value}"


def _opt(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _json_utf8(data: bytes) -> dict[str, Any]:
    """idconv labels its JSON ISO-8859-1 but sends UTF-8: decode the bytes as UTF-8."""
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ServiceUnavailable(IDCONV_SOURCE, "answer is not JSON") from None
    return parsed if isinstance(parsed, dict) else {}
