"""Fixtures for the dedupe tests: one Zotero emulator per module, emptied for every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dedupe.env import KEY, USER, DedupeEnv
from tests.servers.zotero import ZoteroServer, make_app, zotero_server


@pytest.fixture(scope="module")
def zotero_running() -> Iterator[ZoteroServer]:
    with zotero_server(user_id=USER, key=KEY) as server:
        yield server


@pytest.fixture
def world(tmp_path: Path, zotero_running: ZoteroServer) -> DedupeEnv:
    zotero_running.app = make_app(USER, KEY)
    zotero_running.faults.clear()
    zotero_running.reset_log()
    return DedupeEnv(tmp_path, zotero_running)
