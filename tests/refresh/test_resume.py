"""A refresh stopped midway (an exception after a chunk, or the process killed while a
write is in flight) resumes where it stopped, without writing anything twice."""

from __future__ import annotations

import json
import signal
import threading
import time

import pytest

from tests.refresh.env import RETRACTED, RefreshEnv, article
from tests.servers.base import Fault, Request
from zsync.state.store import StateStore


class Stop(Exception):
    pass


def _written_keys(world: RefreshEnv) -> list[str]:
    keys = []
    for request in world.writes():
        for obj in json.loads(request.body):
            keys.append(obj.get("parentItem") or obj["key"])
    return keys


def _stop_after_first_chunk(number: int, _size: int) -> None:
    if number == 1:
        raise Stop("stopped after the first chunk")


def test_a_run_stopped_after_a_chunk_resumes_with_the_next(world: RefreshEnv) -> None:
    keys = world.seed(*(article(i) for i in (1, 2, 3, 5, 6)), article(RETRACTED))
    with pytest.raises(Stop):
        world.run(chunk_size=2, on_chunk=_stop_after_first_chunk)
    first = set(_written_keys(world))
    assert len(first) == 2
    with StateStore.open(world.state_path) as store:
        assert store.runs.recent(1)[0].outcome == "failed"

    world.zotero.reset_log()
    world.sources.reset()
    result = world.run(chunk_size=2)

    assert result.items == 4 and result.failed == 0
    assert not first & set(_written_keys(world))  # the first chunk is not written again
    for key in keys:
        assert world.item(key)["PMID"]
    assert len(world.notes(keys[-1])) == 1


def test_a_killed_run_resumes_without_repeating_writes(world: RefreshEnv) -> None:
    keys = world.seed(*(article(i) for i in (1, 2, 3, 5)), article(RETRACTED), article(6))
    posts = []
    in_flight = threading.Event()

    def second_post(request: Request) -> bool:
        if request.method != "POST":
            return False
        posts.append(request)
        if len(posts) == 2:
            in_flight.set()
            return True
        return False

    # The second write batch is held for a while: the process is killed meanwhile, and
    # the server applies the batch afterwards (a write zsync never saw confirmed).
    world.zotero.inject(Fault("delay", second_post, seconds=1.5))
    process = world.spawn("refresh", "--chunk-size", "2")
    try:
        assert in_flight.wait(30), process.stderr.read() if process.stderr else ""
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    deadline = time.monotonic() + 10
    while len(world.writes()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # the held batch lands now, answered to no one
    applied = set(_written_keys(world))
    with StateStore.open(world.state_path) as store:
        store.select_library("users/1")
        assert len(store.intents.pending()) == 1

    world.zotero.reset_log()
    result = world.run(chunk_size=2)

    assert result.failed == 0
    with StateStore.open(world.state_path) as store:
        store.select_library("users/1")
        assert store.intents.pending() == []
    for key in keys:
        assert world.item(key)["PMID"] and world.item(key)["abstractNote"]
    assert len(world.notes(keys[4])) == 1
    # After the resumed batch (sent again, found already applied), nothing is sent twice.
    resumed, *later = world.writes()
    assert not applied & {k for r in later for k in
                          (o.get("parentItem") or o["key"] for o in json.loads(r.body))}
    assert all(o["key"] in applied or o.get("parentItem") in applied
               for o in json.loads(resumed.body))


def test_an_interrupted_full_pass_continues_where_it_stopped(world: RefreshEnv) -> None:
    keys = world.seed(*(article(i) for i in (1, 2, 3, 5)))
    world.run()
    world.zotero.reset_log()
    world.sources.crossref.reset_log()
    with pytest.raises(Stop):
        world.run(everything=True, chunk_size=2, on_chunk=_stop_after_first_chunk)
    looked_at = world.run(everything=True, chunk_size=2)
    assert looked_at.items == 2  # the pass goes on with the items it had not reached
    assert world.run(everything=True, chunk_size=2).items == len(keys)  # a new pass
    assert world.writes() == []
