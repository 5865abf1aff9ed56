"""Fixtures of the adapter tests: an emulator per module, made new for every test, and a
state store in the test's folder.

`emulator` is the Zotero emulator unless the module defines its own (the Crossref and PubMed
client tests do); `server` is that emulator with nothing left from an earlier test.
test_http.py and test_state.py define their own `server` and `store`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.adapters.zotero_env import GROUP, KEY, USER
from tests.servers.base import LocalServer
from tests.servers.zotero import ZoteroServer, make_app, zotero_server
from zsync.inputs import filecache
from zsync.inputs.files import InputFile
from zsync.state.store import StateStore


@pytest.fixture(scope="module")
def emulator() -> Iterator[LocalServer]:
    """Started once per module: stopping a server takes a while."""
    with zotero_server(user_id=USER, key=KEY, groups=[GROUP]) as srv:
        yield srv


@pytest.fixture
def server(emulator: LocalServer) -> LocalServer:
    """The module's emulator with no log, counters or faults, and for Zotero a new app (the
    user's and the group's libraries empty)."""
    emulator.clear()
    if isinstance(emulator, ZoteroServer):
        emulator.app = make_app(USER, KEY, groups=[GROUP])
    return emulator


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "state.sqlite"


@pytest.fixture
def store(state_path: Path) -> Iterator[StateStore]:
    with StateStore.open(state_path) as s:
        yield s


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files parsed (not taken from the cache of parsed notes), in order."""
    parsed: list[Path] = []
    original = filecache.parse_missing

    def counting(inputs: list[InputFile], workers: int | None) -> list[filecache.Parsed]:
        parsed.extend(i.path for i in inputs)
        return original(inputs, workers)

    monkeypatch.setattr(filecache, "parse_missing", counting)
    return parsed
