from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.enrich.env import load_corpus
from tests.servers.base import LocalServer
from tests.servers.crossref import PoolLimit, crossref_server
from tests.servers.pubmed import pubmed_server

FAST_POOLS = {pool: PoolLimit(1000, 10) for pool in
              ("polite-single", "polite-array", "public-single", "public-array")}


@pytest.fixture(scope="package")
def emulators() -> Iterator[tuple[LocalServer, LocalServer]]:
    """Crossref and PubMed emulators holding the corpus; limits off (pacing is tested in the
    adapter tests and the benchmark)."""
    with crossref_server(recorded=False, enforce_limits=False, limits=FAST_POOLS) as crossref, \
            pubmed_server(recorded=False, enforce_limits=False, limit_without_key=1000,
                          limit_with_key=1000) as pubmed:
        load_corpus(crossref, pubmed)
        yield crossref, pubmed


@pytest.fixture
def crossref(emulators: tuple[LocalServer, LocalServer]) -> LocalServer:
    emulators[0].clear()
    return emulators[0]


@pytest.fixture
def pubmed(emulators: tuple[LocalServer, LocalServer]) -> LocalServer:
    emulators[1].clear()
    return emulators[1]
