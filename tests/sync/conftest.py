"""Fixtures for the sync tests: Crossref and PubMed emulators holding the seeds' papers and
a series of generated works (shared by the whole session), and one Zotero emulator per
module whose library is emptied for every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.crossref import crossref_server, generate_works
from tests.servers.pubmed import generate_articles, pubmed_server
from tests.servers.zotero import ZoteroServer, make_app, zotero_server
from tests.sync import seed_records
from tests.sync.env import GROUP, KEY, SEEDS, USER, Sources, SyncEnv
from tests.sync.notes import copy_seeds

GENERATED = 120  # works 0..GENERATED-1 of series GENERATED_SEED, in both sources
GENERATED_SEED = 11


@pytest.fixture(scope="session")
def sources() -> Iterator[Sources]:
    with crossref_server(recorded=False, enforce_limits=False) as cr, \
            pubmed_server(recorded=False, enforce_limits=False) as pm:
        sources = Sources(cr, pm)
        sources.crossref_app.add_works(seed_records.crossref_works())
        sources.crossref_app.add_works(generate_works(GENERATED, GENERATED_SEED))
        for article in seed_records.pubmed_articles():
            sources.pubmed_app.add_article(article)
        sources.pubmed_app.add_articles(generate_articles(GENERATED, GENERATED_SEED))
        yield sources


@pytest.fixture(scope="module")
def zotero_running() -> Iterator[ZoteroServer]:
    with zotero_server(user_id=USER, key=KEY, groups=[GROUP]) as server:
        yield server


@pytest.fixture
def zotero(zotero_running: ZoteroServer) -> ZoteroServer:
    zotero_running.app = make_app(USER, KEY, groups=[GROUP])
    zotero_running.faults.clear()
    zotero_running.reset_log()
    return zotero_running


@pytest.fixture
def world(tmp_path: Path, zotero: ZoteroServer, sources: Sources) -> SyncEnv:
    sources.reset()
    return SyncEnv(tmp_path, zotero, sources)


@pytest.fixture
def group_world(tmp_path: Path, zotero: ZoteroServer, sources: Sources) -> SyncEnv:
    sources.reset()
    return SyncEnv(tmp_path, zotero, sources, library_type="group", library_id=GROUP)


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """A copy of the seeds the test may edit."""
    return copy_seeds(SEEDS, tmp_path / "notes")
