"""Runs under rate limits, server errors, dropped connections, slow answers and another
client's concurrent edit all end with the library right: one item per work, nothing lost,
and a following run that has nothing left to write."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.servers.base import Request
from tests.servers.zotero import ZoteroServer, on
from tests.support import dead_url
from tests.sync.conftest import GENERATED, GENERATED_SEED
from tests.sync.env import SEEDS, SyncEnv, user_extra
from tests.sync.notes import plain_works, set_status, write_notes
from tests.sync.seed_records import FREDRIKSEN_DOI, HINDER_DOI
from zsync.cli.status import status_data
from zsync.sources.retry import Exhausted
from zsync.zotero.api import WriteUnconfirmed

Inject = Callable[[ZoteroServer], Any]

FAULTS: dict[str, Inject] = {
    "429 with Retry-After on writes": lambda s: s.rate_limit_next(
        "0.2", times=2, match=on("POST")),
    "429 without Retry-After on writes": lambda s: s.rate_limit_next(
        None, times=2, match=on("POST")),
    "429 on the version check": lambda s: s.rate_limit_next("0.1", match=on("GET")),
    "500 on the item write": lambda s: s.fail_next(500, match=on("POST", "/items")),
    "503 with Retry-After on the collection write": lambda s: s.fail_next(
        503, retry_after="0", match=on("POST", "/collections")),
    "503 on reads, twice": lambda s: s.fail_next(503, times=2, match=on("GET")),
    "502 after the write was applied": lambda s: s.app.fail_after_commit(502),
    "dropped before the item write": lambda s: s.drop_next(
        after_commit=False, match=on("POST", "/items")),
    "dropped after the item write": lambda s: s.drop_next(
        after_commit=True, match=on("POST", "/items")),
    "dropped after the collection write": lambda s: s.drop_next(
        after_commit=True, match=on("POST", "/collections")),
    "dropped after every write once": lambda s: s.drop_next(
        after_commit=True, times=2, match=on("POST")),
    "slow answers": lambda s: s.slow_next(0.2, times=4),
    "Backoff on successful answers": lambda s: s.backoff("0.2", times=2),
}


def assert_seeds_synced_once(world: SyncEnv) -> None:
    lib = world.library()
    assert len(lib.works) == 2
    assert lib.count_doi(FREDRIKSEN_DOI) == lib.count_doi(HINDER_DOI) == 1
    assert len(lib.notes(lib.by_doi(FREDRIKSEN_DOI)["key"])) == 1
    assert len([i for i in lib.items.values() if i["itemType"] == "note"]) == 1
    assert lib.collection_paths() == {("Status",): 1, ("Status", "New"): 1}
    assert all(lib.filed_in(w) == {("Status", "New")} for w in lib.works)


def assert_next_run_writes_nothing(world: SyncEnv, paths: list[Path],
                                   max_requests: int = 3) -> None:
    world.zotero.faults.clear()
    world.zotero.reset_log()
    result = world.run(paths)
    assert world.writes() == [], [r.target for r in world.writes()]
    assert not result.plan.has_changes
    assert len(world.zotero.log) <= max_requests, [r.target for r in world.zotero.log]
    assert not any("itemKey=" in r.target for r in world.zotero.log)  # nothing re-fetched


@pytest.mark.parametrize("inject", FAULTS.values(), ids=FAULTS.keys())
def test_the_seeds_sync_right_through_a_fault(world: SyncEnv, inject: Inject) -> None:
    inject(world.zotero)

    result = world.run()

    assert result.failed == 0, result.report["works"]
    assert world.zotero.faults == []  # the fault did happen
    assert world.zotero.app.after_commit == [] and world.zotero.app.backoff is None
    assert_seeds_synced_once(world)
    assert_next_run_writes_nothing(world, [SEEDS])


def test_a_write_that_outlasts_the_timeout_is_resent_without_a_duplicate(
        world: SyncEnv) -> None:
    # The first POST is answered after the client gave up; the server applies it anyway.
    world.zotero.slow_next(2.5, match=on("POST", "/items"))

    result = world.run(ZSYNC_TIMEOUT="1")

    assert result.failed == 0
    deadline = time.monotonic() + 10  # let the late request finish before looking
    while time.monotonic() < deadline and len(
            [r for r in world.zotero.log if r.method == "POST" and r.endpoint == "items"]) < 2:
        time.sleep(0.05)
    assert_seeds_synced_once(world)
    assert_next_run_writes_nothing(world, [SEEDS])


def test_many_works_in_several_batches_through_faults(world: SyncEnv) -> None:
    works = plain_works(60, GENERATED_SEED, GENERATED)
    notes = world.tmp / "notes"
    write_notes(notes, works)
    posts = on("POST", "/items")
    calls = {"n": 0}

    def second_item_batch(request: Request) -> bool:
        if posts(request):
            calls["n"] += 1
            return calls["n"] == 2
        return False

    world.zotero.drop_next(after_commit=True, match=second_item_batch)
    world.zotero.fail_next(503, retry_after="0", match=on("POST", "/collections"))
    world.zotero.rate_limit_next("0.1", times=1, match=on("GET", "/items"))

    result = world.run([notes])

    assert result.failed == 0
    lib = world.library()
    assert len(lib.works) == 60
    assert all(lib.count_doi(w.doi) == 1 for w in works)
    assert all(len(lib.notes(w["key"])) == 1 for w in lib.works)
    assert sorted(lib.collection_paths().items()) == [
        (("Status",), 1), (("Status", "New"), 1), (("Status", "Read"), 1),
        (("Status", "Reading"), 1)]
    # 60 items + 60 notes in batches of 50, parents first: 3 item writes (+1 resent).
    item_posts = [r for r in world.zotero.log if r.method == "POST" and r.endpoint == "items"]
    assert len(item_posts) == 4
    assert_next_run_writes_nothing(world, [notes])


def test_another_clients_edit_between_refresh_and_write_is_replanned_and_kept(
        world: SyncEnv, notes: Path) -> None:
    world.run([notes])
    item = world.library().by_doi(FREDRIKSEN_DOI)
    set_status(notes, "Reading")
    app, ref = world.zotero.app, world.ref
    edited = {"done": False}

    def edit_before_the_first_item_write(request: Request) -> bool:
        if request.method == "POST" and request.path.endswith("/items") and not edited["done"]:
            edited["done"] = True  # the user, in Zotero, a moment before zsync writes
            current = app.item(item["key"], ref)
            app.edit_item(ref, item["key"], {
                "extra": "Cited in chapter 2",
                "tags": [*current["tags"], {"tag": "urgent"}]})
        return False

    world.zotero.slow_next(0, match=edit_before_the_first_item_write)
    world.zotero.reset_log()

    result = world.run([notes])

    assert edited["done"]
    assert result.failed == 0, result.report["works"]
    lib = world.library()
    moved = lib.items[item["key"]]
    assert lib.filed_in(moved) == {("Status", "Reading")}
    assert user_extra(moved) == "Cited in chapter 2"  # the concurrent edit is kept
    assert "urgent" in lib.tags(moved)
    assert len(lib.works) == 2 and len(lib.notes(item["key"])) == 1
    assert "Reading" in lib.notes(item["key"])[0]["note"]
    item_posts = [r for r in world.zotero.log if r.method == "POST" and r.endpoint == "items"]
    assert len(item_posts) >= 2  # refused (412), re-planned against the new version, resent
    # Another client wrote meanwhile, so the next run lists what changed since the last
    # refresh (version check + 3 listings) but has nothing to fetch or write.
    assert_next_run_writes_nothing(world, [notes], max_requests=4)


def test_a_run_zotero_never_answers_stops_loudly_and_the_next_run_finishes(
        world: SyncEnv) -> None:
    world.zotero.fail_next(503, retry_after="0", times=50, match=on("POST", "/items"))

    with pytest.raises(WriteUnconfirmed, match="will be re-sent"):
        world.run()

    [run] = status_data(world.config())["runs"]
    assert run["outcome"] == "failed" and "HTTP 503" in run["counts"]["error"]
    assert world.library().works == []  # the collections were written, the items not yet
    world.zotero.faults.clear()
    result = world.run()
    assert result.failed == 0
    assert_seeds_synced_once(world)
    assert [r["outcome"] for r in status_data(world.config())["runs"]] == ["ok", "failed"]


def test_an_unreachable_zotero_is_recorded_as_a_failed_run(world: SyncEnv) -> None:
    with pytest.raises(Exhausted, match="could not connect"):
        world.run(ZOTERO_API_URL=dead_url())
    [run] = status_data(world.config())["runs"]
    assert run["outcome"] == "failed" and "could not connect" in run["counts"]["error"]
