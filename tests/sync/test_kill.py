"""kill -9 at many points of a run, then a run to completion: the library ends exactly as
after an uninterrupted run (same items, no duplicate, same collections, same notes).

`zsync sync` runs as a subprocess against the emulators in this process. Each kill point
holds one request of the run at the server until the process is killed (`holds.Hold`):
- "delay": the request is applied after the kill (the answer is lost);
- "drop": the request is dropped unanswered and never applied (as if the process died as
  it sent it).
The completing run is the same code in-process (`zsync.sync.run.sync`).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import chdir
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.servers.base import LocalServer
from tests.servers.zotero import zotero_server
from tests.sync.conftest import GENERATED, GENERATED_SEED
from tests.sync.env import GROUP, KEY, SEEDS, USER, Sources, SyncEnv
from tests.sync.holds import Hold, Match, Mode, nth
from tests.sync.notes import markdown_note, plain_works
from zsync.state.store import StateStore

NOTES = Path("notes")  # relative, so notes name the same source file in every world


def write_inputs(folder: Path, version: int) -> None:
    """The seeds and 40 generated notes; version 2 moves 10 of them to another status and
    adds a line to 5 notes."""
    folder.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS.iterdir():
        shutil.copy(seed, folder / seed.name)
    for i, work in enumerate(plain_works(40, GENERATED_SEED, GENERATED)):
        status = "Archived" if version == 2 and i % 4 == 0 else None
        thoughts = "Useful for the methods chapter." if version == 2 and i % 8 == 1 else ""
        (folder / f"note-{work.index:06d}.md").write_text(
            markdown_note(work, status=status, thoughts=thoughts), encoding="utf-8")


@dataclass(frozen=True)
class Reference:
    after_first: dict[str, Any]
    after_second: dict[str, Any]
    cache: Path  # a record cache the reference runs filled: later runs ask no source


@pytest.fixture(scope="module")
def reference(sources: Sources, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[Reference]:
    """Signatures of the library after an uninterrupted first and second run."""
    tmp = tmp_path_factory.mktemp("reference")
    with zotero_server(user_id=USER, key=KEY, groups=[GROUP]) as server, chdir(tmp):
        world = SyncEnv(tmp, server, sources)
        write_inputs(tmp / NOTES, 1)
        assert world.run([NOTES]).failed == 0
        first = world.library().signature()
        write_inputs(tmp / NOTES, 2)
        assert world.run([NOTES]).failed == 0
        second = world.library().signature()
    assert len(first["works"]) == 42 and first["orphan_notes"] == 0
    assert second != first and ("Status", "Archived") in dict(second["collections"])
    yield Reference(first, second, world.cache_dir)


# -- the kill points ------------------------------------------------------------------------

@dataclass(frozen=True)
class Point:
    run: int  # killed during the first run (empty library) or the second (updates)
    server: str  # "zotero" or "crossref"
    match: Callable[[], Match]
    mode: Mode = "delay"
    pending: int = 1  # write batches left unconfirmed by the kill
    cold_cache: bool = False


POINTS = {
    "enriching (Crossref lookup)": Point(1, "crossref", lambda: nth("GET", "/works"),
                                         pending=0, cold_cache=True),
    "refreshing the mirror": Point(1, "zotero", lambda: nth("GET", "/items"), pending=0),
    "collection write, applied after the kill": Point(
        1, "zotero", lambda: nth("POST", "/collections")),
    "collection write, never applied": Point(
        1, "zotero", lambda: nth("POST", "/collections"), mode="drop"),
    "first item batch, applied after the kill": Point(1, "zotero", lambda: nth("POST", "/items")),
    "first item batch, never applied": Point(
        1, "zotero", lambda: nth("POST", "/items"), mode="drop"),
    "second item batch, applied after the kill": Point(
        1, "zotero", lambda: nth("POST", "/items", 2)),
    "second item batch, never applied": Point(
        1, "zotero", lambda: nth("POST", "/items", 2), mode="drop"),
    "update batch, applied after the kill": Point(2, "zotero", lambda: nth("POST", "/items")),
    "update batch, never applied": Point(
        2, "zotero", lambda: nth("POST", "/items"), mode="drop"),
}


@pytest.fixture
def here(world: SyncEnv, monkeypatch: pytest.MonkeyPatch) -> SyncEnv:
    monkeypatch.chdir(world.tmp)
    return world


def pending_batches(world: SyncEnv) -> int:
    with StateStore.open(world.state_path) as store:
        store.select_library(world.ref)
        return len(store.intents.pending())


def _server(world: SyncEnv, name: str) -> LocalServer:
    return world.zotero if name == "zotero" else world.sources.crossref


@pytest.mark.parametrize("point", POINTS.values(), ids=POINTS.keys())
def test_killed_at_a_point_then_rerun_ends_like_an_uninterrupted_run(
        here: SyncEnv, reference: Reference, point: Point) -> None:
    world = here
    if not point.cold_cache:
        world.extra_env["ZSYNC_CACHE_DIR"] = str(reference.cache)
    write_inputs(world.tmp / NOTES, 1)
    if point.run == 2:
        assert world.run([NOTES]).failed == 0
        write_inputs(world.tmp / NOTES, 2)
    hold = Hold.on(_server(world, point.server), point.match(), mode=point.mode)

    hold.kill_when_reached(world.spawn("sync", str(NOTES)))
    assert pending_batches(world) == point.pending  # a batch in flight stays recorded
    result = world.run([NOTES])

    assert result.failed == 0, result.report["works"]
    expected = reference.after_first if point.run == 1 else reference.after_second
    assert world.library().signature() == expected
    world.zotero.reset_log()
    assert not world.run([NOTES]).plan.has_changes
    assert world.writes() == []


def test_killed_twice_once_while_resuming_then_completed(
        here: SyncEnv, reference: Reference) -> None:
    world = here
    world.extra_env["ZSYNC_CACHE_DIR"] = str(reference.cache)
    write_inputs(world.tmp / NOTES, 1)
    first = Hold.on(world.zotero, nth("POST", "/items"), mode="drop")
    first.kill_when_reached(world.spawn("sync", str(NOTES)))
    assert pending_batches(world) == 1
    # The next run finds the unconfirmed batch and looks its keys up before resending.
    second = Hold.on(world.zotero, nth("GET", "/items", query="itemKey="), mode="delay")
    second.kill_when_reached(world.spawn("sync", str(NOTES)))
    assert pending_batches(world) == 1

    result = world.run([NOTES])

    assert result.failed == 0
    assert world.library().signature() == reference.after_first
