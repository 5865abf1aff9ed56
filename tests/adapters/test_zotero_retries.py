"""Writes that fail half-way: retries that never duplicate, rate limits, refused batches,
a crash after Zotero committed, and a real kill -9 followed by resume."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.zotero_env import KEY, USER, api_for, article, posts, sent_keys, titles
from tests.servers.zotero import ZoteroServer, on
from zsync.state.store import LockHeld, RunLock, StateStore
from zsync.zotero.api import (
    PendingWritesError,
    WriteExecutor,
    WriteRejected,
    WriteUnconfirmed,
    refresh_mirror,
    resume_pending,
)

# -- retries never duplicate -------------------------------------------------------------------


def test_dropped_connection_after_commit_makes_no_duplicate(server: ZoteroServer,
                                                           store: StateStore) -> None:
    server.drop_next(after_commit=True, match=on("POST", "/items"))
    result = WriteExecutor(api_for(server), store).apply([article(i) for i in range(3)],
                                                         "create")
    assert [o.status for o in result.outcomes] == ["existed"] * 3
    assert titles(server) == ["Paper 0", "Paper 1", "Paper 2"]
    first, second = posts(server)
    assert sent_keys(first) == sent_keys(second)
    assert all(v == 0 for _k, v in sent_keys(second))
    assert all(store.mirror.get_item(o.key) is not None for o in result.outcomes)


def test_500_is_retried_with_the_same_keys(server: ZoteroServer, store: StateStore) -> None:
    server.fail_next(500, match=on("POST", "/items"))
    result = WriteExecutor(api_for(server), store).apply([article(1), article(2)], "create")
    assert [o.status for o in result.outcomes] == ["created", "created"]
    first, second = posts(server)
    assert first.status == 500 and sent_keys(first) == sent_keys(second)
    assert len(server.app.items()) == 2


def test_502_after_commit_is_confirmed_not_recreated(server: ZoteroServer,
                                                    store: StateStore) -> None:
    server.app.fail_after_commit(502)
    result = WriteExecutor(api_for(server), store).apply([article(1)], "create")
    assert [o.status for o in result.outcomes] == ["existed"]
    assert len(server.app.items()) == 1


def test_429_retry_after_is_honoured(server: ZoteroServer, store: StateStore) -> None:
    server.rate_limit_next(retry_after="1", match=on("POST", "/items"))
    started = time.monotonic()
    result = WriteExecutor(api_for(server), store).apply([article(1)], "create")
    assert time.monotonic() - started >= 1.0
    assert [o.status for o in result.outcomes] == ["created"]
    assert [r.status for r in posts(server)] == [429, 200]
    assert sent_keys(posts(server)[0]) == sent_keys(posts(server)[1])


def test_429_without_retry_after_backs_off_and_retries(server: ZoteroServer,
                                                      store: StateStore) -> None:
    server.rate_limit_next(retry_after=None, match=on("POST", "/items"))
    result = WriteExecutor(api_for(server), store).apply([article(1)], "create")
    assert [o.status for o in result.outcomes] == ["created"]


def test_backoff_header_delays_the_next_request(server: ZoteroServer, store: StateStore) -> None:
    executor = WriteExecutor(api_for(server), store)
    server.backoff("0.6")
    executor.apply([article(1)], "create")
    started = time.monotonic()
    executor.apply([article(2)], "create")
    assert time.monotonic() - started >= 0.55


def test_unconfirmed_batch_stays_pending_and_is_resent_safely(server: ZoteroServer,
                                                             store: StateStore) -> None:
    server.drop_next(after_commit=True, times=4, match=on("POST", "/items"))
    executor = WriteExecutor(api_for(server), store)
    with pytest.raises(WriteUnconfirmed, match="re-sent"):
        executor.apply([article(1), article(2)], "create")
    assert len(store.intents.pending()) == 1
    with pytest.raises(PendingWritesError):
        executor.apply([article(3)], "create")
    result = executor.resume_pending()
    assert [o.status for o in result.outcomes] == ["existed", "existed"]
    assert titles(server) == ["Paper 1", "Paper 2"]
    assert store.intents.pending() == []


def test_refused_batch_is_reported_and_not_retried(server: ZoteroServer,
                                                   store: StateStore) -> None:
    server.app.add_key("readOnlyKey123456", USER, write=False)
    executor = WriteExecutor(api_for(server, **{"zotero.api_key": "readOnlyKey123456"}), store)
    with pytest.raises(WriteRejected, match="403") as error:
        executor.apply([article(1)], "create")
    assert "readOnlyKey123456" not in str(error.value)
    assert len(posts(server)) == 1 and store.intents.pending() == []
    assert server.app.items() == {}


# -- kill and resume ----------------------------------------------------------------------------


def test_crash_after_the_server_committed_then_resume(server: ZoteroServer, state_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import zsync.zotero.writer as writer

    def die(*_args: Any, **_kw: Any) -> None:
        raise KeyboardInterrupt  # the process ends before the report is stored

    store = StateStore.open(state_path)
    monkeypatch.setattr(writer, "settle", die)
    with pytest.raises(KeyboardInterrupt):
        WriteExecutor(api_for(server), store).apply([article(i) for i in range(3)], "create")
    store.close()
    monkeypatch.undo()
    assert len(server.app.items()) == 3

    with StateStore.open(state_path) as reopened:
        result = resume_pending(api_for(server), reopened)
        assert [o.status for o in result.outcomes] == ["existed"] * 3
        assert reopened.intents.pending() == []
        assert all(reopened.written.get(o.key) is not None for o in result.outcomes)
    assert len(server.app.items()) == 3
    assert len(posts(server)) == 1  # looked up, not re-sent


def test_resume_does_not_bring_back_what_the_user_deleted_meanwhile(
        server: ZoteroServer, state_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zsync.zotero.writer as writer

    def die(*_args: Any, **_kw: Any) -> None:
        raise KeyboardInterrupt

    store = StateStore.open(state_path)
    monkeypatch.setattr(writer, "settle", die)
    with pytest.raises(KeyboardInterrupt):
        WriteExecutor(api_for(server), store).apply([article(1), article(2)], "create")
    monkeypatch.undo()
    [intent] = store.intents.pending()
    deleted_key = intent.objects[0].data["key"]
    server.app.delete_remotely(None, deleted_key)  # the user deletes it before the next run
    result = resume_pending(api_for(server), store)
    assert [(o.status, o.code) for o in result.outcomes] == [("needs_replan", 404),
                                                             ("existed", None)]
    assert titles(server) == ["Paper 2"]
    tomb = store.mirror.get_item(deleted_key)
    assert tomb is not None and tomb.deleted
    written = store.written.get(deleted_key)
    assert written is not None and written.data["title"] == "Paper 1"
    assert store.intents.pending() == []
    store.close()


def test_resume_sends_what_never_arrived(server: ZoteroServer, store: StateStore) -> None:
    server.drop_next(after_commit=False, times=4, match=on("POST", "/items"))
    with pytest.raises(WriteUnconfirmed):
        WriteExecutor(api_for(server), store).apply([article(1)], "create")
    assert server.app.items() == {}
    result = resume_pending(api_for(server), store)
    assert [o.status for o in result.outcomes] == ["created"]
    assert titles(server) == ["Paper 1"]


_CHILD = """
import pathlib, sys
from zsync.state.store import RunLock, StateStore
from zsync.zotero.api import WriteExecutor, make_api
from zsync.config.settings import load
url, key, path = sys.argv[1:4]
config = load(path=None, env={}, overrides={
    "zotero.api_key": key, "zotero.library_id": "1", "zotero.api_url": url})
with RunLock(pathlib.Path(path)):
    store = StateStore.open(pathlib.Path(path))
    WriteExecutor(make_api(config), store).apply(
        [{"itemType": "journalArticle", "title": f"Paper {i}"} for i in range(3)], "create")
"""


def _wait_for(condition: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_kill_9_during_a_write_then_resume(server: ZoteroServer, state_path: Path) -> None:
    """A real `kill -9` while Zotero is still processing the batch; the lock is held meanwhile."""
    server.slow_next(1.0, match=on("POST", "/items"))
    child = subprocess.Popen([sys.executable, "-c", _CHILD, server.url, KEY, str(state_path)])
    try:
        _wait_for(lambda: not server.faults)  # the POST has reached the server
        with pytest.raises(LockHeld):
            RunLock(state_path).acquire()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    _wait_for(lambda: len(server.app.items()) == 3)  # the server finished the write anyway
    with RunLock(state_path), StateStore.open(state_path) as store:
        executor = WriteExecutor(api_for(server), store)
        result = executor.resume_pending()
        assert [o.status for o in result.outcomes] == ["existed"] * 3
        refresh_mirror(executor.api, store)
        assert len(store.mirror.items()) == 3
    assert titles(server) == ["Paper 0", "Paper 1", "Paper 2"]
