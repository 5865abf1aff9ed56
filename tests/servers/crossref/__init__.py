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

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.servers.base import LocalServer
from tests.servers.crossref.app import CrossrefApp
from tests.servers.crossref.csl import arxiv_csl, crossref_to_csl
from tests.servers.crossref.pools import DEFAULT_LIMITS, PoolLimit
from tests.servers.crossref.store import (
    WorkStore,
    fixtures_dir,
    load_recorded_works,
    recorded_fixtures,
    shared_dir,
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


@contextmanager
def crossref_server(
    works_dir: str | Path | None = None,
    *,
    latency: float = 0.0,
    port: int = 0,
    **options: Any,
) -> Iterator[LocalServer]:
    """Run `make_app(works_dir, **options)` on 127.0.0.1 for the length of a `with` block."""
    server = LocalServer(make_app(works_dir, **options), port=port, latency=latency).start()
    try:
        yield server
    finally:
        server.stop()


def cli(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.servers crossref",
                                     description="Serve the Crossref REST API emulator.")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    parser.add_argument("--enforce-limits", action=argparse.BooleanOptionalAction, default=True,
                        help="429 past the pool rate/concurrency limits (default on)")
    parser.add_argument("--works-dir", type=Path, help="folder of extra work JSON files")
    parser.add_argument("--no-recorded", action="store_true",
                        help="do not load the recorded works from ../shared")
    parser.add_argument("--generate", type=int, default=0, help="add N synthetic works")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--retry-after", type=float, help="Retry-After seconds on 429s")
    args = parser.parse_args(argv)
    app = make_app(
        args.works_dir, recorded=not args.no_recorded, generate=args.generate, seed=args.seed,
        enforce_limits=args.enforce_limits, retry_after=args.retry_after,
    )
    server = LocalServer(app, port=args.port, latency=args.latency)
    state = "on" if args.enforce_limits else "off"
    print(f"crossref emulator on {server.url} ({len(app.store)} works, limits {state})",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
