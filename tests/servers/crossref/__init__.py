"""A local stand-in for the Crossref REST API (api.crossref.org) and DOI content negotiation.

    with crossref_server(enforce_limits=False) as server:
        Crossref(base_url=server.url).works(ids="10.1371/journal.pone.0033693")
        server.app.add_work({...})          # more works at run time
        server.counts["works-filter"]        # requests per endpoint

Works come from the recorded singleton responses in ../shared/fixtures/crossref/works (when
that folder exists), from an optional folder of JSON works, from `generate_works`, and from
`CrossrefApp.add_work`. See tests/servers/README.md.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from tests.servers.base import (
    LocalServer,
    app_server,
    serve_source,
    shared_dir,
    source_options,
    source_parser,
)
from tests.servers.crossref.app import CrossrefApp
from tests.servers.crossref.csl import arxiv_csl, crossref_to_csl
from tests.servers.crossref.pools import DEFAULT_LIMITS, PoolLimit
from tests.servers.crossref.store import (
    WorkStore,
    fixtures_dir,
    load_recorded_works,
    recorded_fixtures,
)
from tests.servers.generate import crossref_work, iter_generate

__all__ = [
    "DEFAULT_LIMITS",
    "CrossrefApp",
    "PoolLimit",
    "WorkStore",
    "arxiv_csl",
    "cli",
    "crossref_server",
    "crossref_to_csl",
    "fixtures_dir",
    "generate_works",
    "make_app",
    "recorded_fixtures",
    "shared_dir",
]


def generate_works(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` plausible journal-article work messages (see tests/servers/generate.py).

    About 85% have an abstract in PubMed and 60% of those also in Crossref (JATS), 3% are
    retracted (`updated-by` from retraction-watch), 3% corrected (publisher `updated-by`).
    The same (n, seed) gives the same works; pubmed.generate_articles(n, seed) gives the
    PubMed records of the same papers.
    """
    return [crossref_work(work) for work in iter_generate(n, seed)]


def make_app(
    works_dir: str | Path | None = None,
    *,
    recorded: bool = True,
    generate: int = 0,
    seed: int = 0,
    enforce_limits: bool = True,
    limits: dict[str, PoolLimit] | None = None,
    retry_after: float | None = None,
    max_request_line: int = 4096,
    cn_redirect: bool = True,
) -> CrossrefApp:
    """A Crossref emulator app.

    recorded: load the recorded works from ../shared (silently skipped when absent).
    works_dir: a folder of extra works (*.json: a work, a `work` envelope or a list).
    generate/seed: add `generate_works(generate, seed)`.
    enforce_limits: answer 429 past the pool's rate or concurrency limit.
    limits: override pool limits, e.g. {"polite-array": PoolLimit(3, 3)}.
    retry_after: add a Retry-After header (seconds) to 429s; the live API sent none.
    cn_redirect: /doi/{doi} redirects (302) like doi.org instead of answering directly.
    """
    store = WorkStore()
    if recorded:
        load_recorded_works(store)
    if works_dir is not None:
        store.load_dir(works_dir)
    if generate:
        store.add_many(generate_works(generate, seed))
    return CrossrefApp(
        store, enforce_limits=enforce_limits, limits=limits, retry_after=retry_after,
        max_request_line=max_request_line, cn_redirect=cn_redirect,
    )


def crossref_server(
    works_dir: str | Path | None = None, **options: Any
) -> AbstractContextManager[LocalServer[CrossrefApp]]:
    """Run `make_app(works_dir, **options)` on 127.0.0.1 for the length of a `with` block;
    `latency` (seconds added per request) and `port` go to the server."""
    return app_server(make_app, works_dir, **options)


def cli(argv: list[str]) -> None:
    parser = source_parser("crossref", "Serve the Crossref REST API emulator.",
                           limits="429 past the pool rate/concurrency limits (default on)",
                           folder=("--works-dir", "folder of extra work JSON files"),
                           recorded="works", generated="works")
    parser.add_argument("--retry-after", type=float, help="Retry-After seconds on 429s")
    args = parser.parse_args(argv)
    app = make_app(args.works_dir, retry_after=args.retry_after, **source_options(args))
    serve_source("crossref", app, args, f"{len(app.store)} works")
