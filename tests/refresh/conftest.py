"""Fixtures for the refresh tests: Crossref and PubMed emulators holding a series of
generated works (shared by the session), and a Zotero emulator emptied for every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.refresh.env import GENERATED, KEY, SEED, USER, RefreshEnv, Sources
from tests.servers.crossref import crossref_server, generate_works
from tests.servers.pubmed import generate_articles, pubmed_server
from tests.servers.zotero import ZoteroServer, make_app, zotero_server


@pytest.fixture(scope="session")
def refresh_sources() -> Iterator[Sources]:
    with crossref_server(recorded=False, enforce_limits=False) as cr, \
            pubmed_server(recorded=False, enforce_limits=False) as pm:
        cr.app.add_works(generate_works(GENERATED, SEED))
        pm.app.add_articles(generate_articles(GENERATED, SEED))
        yield Sources(cr, pm)


@pytest.fixture(scope="module")
def zotero_running() -> Iterator[ZoteroServer]:
    with zotero_server(user_id=USER, key=KEY) as server:
        yield server


@pytest.fixture
def world(tmp_path: Path, zotero_running: ZoteroServer, refresh_sources: Sources
          ) -> RefreshEnv:
    zotero_running.app = make_app(USER, KEY)
    zotero_running.faults.clear()
    zotero_running.reset_log()
    refresh_sources.reset()
    return RefreshEnv(tmp_path, zotero_running, refresh_sources)
