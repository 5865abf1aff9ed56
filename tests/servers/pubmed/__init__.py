"""A local stand-in for NCBI E-utilities (ESearch/EFetch, db=pubmed) and the PMC ID Converter.

    with pubmed_server(enforce_limits=False) as server:
        httpx2.get(f"{server.url}/esearch.fcgi", params={"db": "pubmed",
                   "term": "10.1186/s12891-022-05070-w[doi]"})
        server.app.add_article(xml)          # more records at run time
        server.counts["efetch"]              # requests per endpoint

Records come from ../shared/fixtures/pubmed/efetch/*.xml (when that folder exists), an
optional folder of EFetch XML files, `generate_articles` and `PubMedApp.add_article`.
See tests/servers/README.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from tests.servers.base import (
    Fault,
    LocalServer,
    Request,
    Response,
    app_server,
    serve_source,
    shared_dir,
    source_options,
    source_parser,
)
from tests.servers.generate import iter_generate, pubmed_article, works_for_dois
from tests.servers.pubmed.app import PubMedApp
from tests.servers.pubmed.store import (
    ArticleStore,
    fixtures_dir,
    load_recorded_articles,
    recorded_fixtures,
)

__all__ = [
    "ArticleStore",
    "PubMedApp",
    "cli",
    "echo_api_key_next",
    "fixtures_dir",
    "generate_articles",
    "make_app",
    "pubmed_server",
    "recorded_fixtures",
    "shared_dir",
]


def generate_articles(
    n: int, seed: int = 0, dois: Sequence[str] | None = None
) -> list[str]:
    """`n` plausible <PubmedArticle> elements (XML text) with MeSH, structured abstracts
    (most), a DOI (ArticleIdList and ELocationID), PMCIDs (about 40%) and a few retractions.

    Without `dois` they are the PubMed records of crossref.generate_works(n, seed): same DOI,
    title, authors, journal and year. With `dois`, one record per DOI in `dois[:n]`
    (`n` <= 0 means all); DOIs from generate_works(..., seed) give that work's record,
    other DOIs a new deterministic one.
    """
    if dois is None:
        return [pubmed_article(work) for work in iter_generate(n, seed)]
    chosen = list(dois) if n <= 0 else list(dois)[:n]
    return [pubmed_article(work) for work in works_for_dois(chosen, seed)]


def make_app(
    articles_dir: str | Path | None = None,
    *,
    recorded: bool = True,
    generate: int = 0,
    seed: int = 0,
    enforce_limits: bool = True,
    limit_without_key: int = 3,
    limit_with_key: int = 10,
    max_get_ids: int = 200,
    all_unknown: str = "empty",
) -> PubMedApp:
    """A PubMed emulator app.

    recorded: load the recorded EFetch records from ../shared (skipped when absent).
    articles_dir: a folder of extra EFetch XML files (*.xml).
    generate/seed: add `generate_articles(generate, seed)`.
    enforce_limits: answer 429 past 3 requests/s (10 with an api_key).
    max_get_ids: EFetch by GET with more ids than this is refused with 414 (use POST).
    all_unknown: "empty" or "error", see PubMedApp.
    """
    store = ArticleStore()
    if recorded:
        load_recorded_articles(store)
    if articles_dir is not None:
        store.load_dir(articles_dir)
    if generate:
        store.add_many(generate_articles(generate, seed))
    return PubMedApp(
        store, enforce_limits=enforce_limits, limit_without_key=limit_without_key,
        limit_with_key=limit_with_key, max_get_ids=max_get_ids, all_unknown=all_unknown,
    )


def pubmed_server(
    articles_dir: str | Path | None = None, **options: Any
) -> AbstractContextManager[LocalServer[PubMedApp]]:
    """Run `make_app(articles_dir, **options)` on 127.0.0.1 for the length of a `with` block;
    `latency` (seconds added per request) and `port` go to the server."""
    return app_server(make_app, articles_dir, **options)


def cli(argv: list[str]) -> None:
    parser = source_parser("pubmed", "Serve the E-utilities / idconv emulator.",
                           limits="429 past 3/s (10/s with api_key) (default on)",
                           folder=("--articles-dir", "folder of extra EFetch XML files"),
                           recorded="records", generated="articles")
    args = parser.parse_args(argv)
    app = make_app(args.articles_dir, **source_options(args))
    serve_source("pubmed", app, args, f"{len(app.store)} records")


def echo_api_key_next(server: LocalServer, *, times: int = 1) -> None:
    """The next E-utilities answers to a request with an `api_key` repeat the key, as a
    careless server or proxy would: at the start of every title and abstract of an XML
    answer, or as a `request` member of a JSON one."""

    def carries_key(request: Request) -> bool:
        return bool(PubMedApp.params(request).get("api_key"))

    def echo(request: Request, answer: Response) -> Response:
        key = PubMedApp.params(request)["api_key"]
        if answer.body.lstrip().startswith(b"{"):
            data = json.loads(answer.body)
            data["request"] = {"api_key": key}
            answer.body = json.dumps(data).encode()
        else:
            answer.body = re.sub(rb"(<(?:ArticleTitle|AbstractText)\b[^>]*>)",
                                 lambda m: m.group(1) + key.encode() + b" ", answer.body)
        return answer

    server.inject(Fault("rewrite", carries_key, times=times, rewrite=echo))
