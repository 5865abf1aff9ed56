"""A small local stand-in for the OpenAlex works API (api.openalex.org), for tests that plug
a further metadata source into zsync.

    with openalex_server(rate=2) as server:
        server.app.add_work(openalex_work("10.5555/x", "A title", abstract="Words ..."))
        httpx2.get(f"{server.url}/works", params={"filter": "doi:10.5555/x|10.5555/y"})
        server.counts["works"]

Implemented: `GET /works` with `filter=doi:A|B|...` (bare DOIs or `https://doi.org/...`,
case-insensitive, at most 100 values, else 400), `per-page` (1-200, default 25), `mailto`;
answers `{"meta": {...}, "results": [...]}` with works in the store's order (never request
order) and unknown DOIs left out. Works carry `doi` as a `https://doi.org/` URL, `ids`
(`pmid` as a PubMed URL), `display_name`, `publication_year`, `language` and the abstract as
`abstract_inverted_index` (word -> positions), as OpenAlex sends them.

Limits: `rate` requests in any one-second window (every attempt counts), else 429 JSON
`{"error": "Rate limit exceeded"}`; every admitted answer carries `X-RateLimit-Limit` and
`X-RateLimit-Interval: 1s`. The header names and the 429 body are invented (not recorded).
Standalone: `python -m tests.servers openalex --port 8089 [--rate 10]`.
"""

from __future__ import annotations

import argparse
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.servers.base import LocalServer, Request, Response, running, serve_until_interrupted
from tests.servers.pubmed.limits import SlidingWindow

DOI_URL = "https://doi.org/"
PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/"
MAX_OR_VALUES = 100


def openalex_work(doi: str, title: str, *, abstract: str | None = None, year: int | None = None,
                  language: str | None = "en", pmid: str | None = None) -> dict[str, Any]:
    """A work as OpenAlex sends it (the fields zsync's tests read, and a few more)."""
    ids: dict[str, str] = {"openalex": f"https://openalex.org/W{zlib.crc32(doi.encode())}",
                           "doi": DOI_URL + doi}
    if pmid:
        ids["pmid"] = PUBMED_URL + pmid
    return {"id": ids["openalex"], "doi": DOI_URL + doi, "title": title, "display_name": title,
            "publication_year": year, "language": language, "type": "article", "ids": ids,
            "abstract_inverted_index": inverted_index(abstract) if abstract else None}


def inverted_index(text: str) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, word in enumerate(text.split()):
        index.setdefault(word, []).append(position)
    return index


class OpenAlexApp:
    def __init__(self, *, rate: int = 10) -> None:
        self.rate = rate
        self._works: dict[str, dict[str, Any]] = {}
        self._window = SlidingWindow()
        self._lock = threading.Lock()

    def add_work(self, work: dict[str, Any]) -> None:
        with self._lock:
            self._works[_bare(str(work["doi"]))] = work

    def endpoint(self, request: Request) -> str:
        return "works" if request.path.rstrip("/") == "/works" else "unknown"

    def admit(self, request: Request) -> Response | None:
        if self._window.hit(request.client or "local") > self.rate:
            return Response.json({"error": "Rate limit exceeded"}, status=429)
        return None

    def release(self, request: Request) -> None:
        return None

    def handle(self, request: Request) -> Response:
        if self.endpoint(request) != "works":
            return self._answer({"error": "Not found"}, 404)
        wanted, problem = _doi_filter(request.arg("filter") or "")
        per_page = _int(request.arg("per-page"), 25)
        if problem or per_page is None or not 1 <= per_page <= 200:
            return self._answer({"error": problem or "per-page must be 1-200"}, 400)
        with self._lock:
            hits = [w for doi, w in self._works.items() if doi in wanted]
        meta = {"count": len(hits), "page": 1, "per_page": per_page}
        return self._answer({"meta": meta, "results": hits[:per_page]}, 200)

    def _answer(self, data: dict[str, Any], status: int) -> Response:
        answer = Response.json(data, status=status)
        answer.headers.update({"X-RateLimit-Limit": str(self.rate),
                               "X-RateLimit-Interval": "1s"})
        return answer


def _doi_filter(text: str) -> tuple[set[str], str | None]:
    name, _, values = text.partition(":")
    if name != "doi" or not values:
        return set(), "only filter=doi:... is emulated"
    dois = [_bare(v) for v in values.split("|") if v.strip()]
    if len(dois) > MAX_OR_VALUES:
        return set(), f"at most {MAX_OR_VALUES} values may be OR-ed"
    return set(dois), None


def _bare(doi: str) -> str:
    doi = doi.strip().lower()
    return doi[len(DOI_URL):] if doi.startswith(DOI_URL) else doi


def _int(text: str | None, default: int) -> int | None:
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        return None


@contextmanager
def openalex_server(*, rate: int = 10, latency: float = 0.0) -> Iterator[LocalServer]:
    with running(OpenAlexApp(rate=rate), latency=latency) as server:
        yield server


def cli(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.servers openalex")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--rate", type=int, default=10, help="requests per second allowed")
    args = parser.parse_args(argv)
    server = LocalServer(OpenAlexApp(rate=args.rate), port=args.port)
    serve_until_interrupted(server, f"openalex emulator on {server.url} (limit {args.rate}/s)")
