"""The state store: schema migrations, WAL, each part's round trip, and the run lock."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from zsync.config.settings import load
from zsync.state.db import connect
from zsync.state.schema import LATEST, MIGRATIONS, migrate
from zsync.state.store import (
    Conflict,
    IntentObject,
    LockHeld,
    Origin,
    RunLock,
    StateError,
    StateStore,
)


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    s = StateStore.open(tmp_path / "deep" / "folder" / "state.sqlite")
    s.select_library("users/1")
    return s


def item(key: str, version: int = 1, **extra: object) -> dict[str, object]:
    return {"key": key, "version": version, "itemType": "journalArticle", "title": "T", **extra}


def test_open_creates_folders_wal_and_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "state.sqlite"
    with StateStore.open(path) as s:
        assert path.exists()
        assert s.schema_version == LATEST
        mode = s.db.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        numbers = [r[0] for r in s.db.execute("SELECT number FROM schema_migrations")]
        assert numbers == [m.number for m in MIGRATIONS]


def test_path_comes_from_config(tmp_path: Path) -> None:
    config = load(env={"ZSYNC_STATE": str(tmp_path / "x" / "s.sqlite")})
    with StateStore.from_config(config) as s:
        assert s.path == tmp_path / "x" / "s.sqlite"


def test_old_database_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, upto=1) == [1]
    conn.execute("INSERT INTO libraries (library, server_id, version) VALUES ('users/1', '', 7)")
    conn.execute("INSERT INTO pending_writes (batch_id, library_id, kind, object_type, objects,"
                 " state, created_at, updated_at) VALUES ('b1', 1, 'create', 'items', '[]',"
                 " 'pending', 't', 't')")
    conn.close()
    with StateStore.open(path) as s:
        assert s.schema_version == LATEST
        s.select_library("users/1")
        assert s.mirror.library_version() == 7
        [pending] = s.intents.pending()
        assert pending.batch_id == "b1"
        assert (pending.attempts, pending.base_version) == (0, 0)  # columns added by v2


def test_migrating_twice_does_nothing(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.sqlite")
    assert migrate(conn) == []


def test_a_newer_database_is_set_aside_not_used_nor_lost(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    StateStore.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("INSERT INTO schema_migrations VALUES (?, 'future', 't')", (LATEST + 1,))
    conn.close()
    with StateStore.open(path) as store:  # a new one, rebuilt from the library by a sync
        assert store.schema_version == LATEST
    [aside] = [p for p in tmp_path.glob("s.sqlite.unusable-*") if p.name[-1].isdigit()]
    kept = sqlite3.connect(aside)
    assert kept.execute("SELECT max(number) FROM schema_migrations").fetchone()[0] == LATEST + 1
    kept.close()


def test_library_must_be_selected(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / "s.sqlite") as s, pytest.raises(StateError):
        s.mirror.library_version()


def test_libraries_are_separate_and_local_ones_partitioned_by_server_id(
        store: StateStore) -> None:
    store.mirror.upsert_items([item("AAAA2222")])
    store.select_library("groups/9")
    assert store.mirror.get_item("AAAA2222") is None
    store.select_library("users/1", server_id="local-abc")
    assert store.mirror.get_item("AAAA2222") is None
    store.select_library("users/1")
    assert store.mirror.get_item("AAAA2222") is not None


def test_mirror_items_children_trash_and_tombstones(store: StateStore) -> None:
    store.mirror.upsert_items([
        {"key": "PARENT22", "version": 3, "library": {}, "data": item("PARENT22", 3)},
        item("NOTE2222", 4, itemType="note", parentItem="PARENT22", note="<p>x</p>"),
        item("TRASH222", 5, deleted=1),
    ])
    got = store.mirror.get_item("PARENT22")
    assert got is not None and got.version == 3 and got.item_type == "journalArticle"
    assert [c.key for c in store.mirror.children("PARENT22")] == ["NOTE2222"]
    trashed = store.mirror.get_item("TRASH222")
    assert trashed is not None and trashed.trashed
    assert store.mirror.mark_items_deleted(["NOTE2222", "MISSING2"]) == 1
    assert store.mirror.children("PARENT22") == []
    gone = store.mirror.get_item("NOTE2222")
    assert gone is not None and gone.deleted  # tombstone kept
    assert store.mirror.item_versions() == {"PARENT22": 3, "TRASH222": 5}
    # asked for some keys, the versions of those not deleted on the server
    assert store.mirror.item_versions(["TRASH222", "NOTE2222", "MISSING2"]) == {"TRASH222": 5}
    assert store.mirror.key_in_use("NOTE2222")
    store.mirror.set_library_version(42)
    assert store.mirror.library_version() == 42


def test_collections_found_by_name_and_parent(store: StateStore) -> None:
    store.mirror.upsert_collections([
        {"key": "STATUS22", "version": 1, "name": "Status", "parentCollection": False},
        {"key": "NEW22222", "version": 2, "name": "New", "parentCollection": "STATUS22"},
        {"key": "NEWTOP22", "version": 2, "name": "New", "parentCollection": False},
    ])
    found = store.mirror.find_collection("New", "STATUS22")
    assert found is not None and found.key == "NEW22222"
    top = store.mirror.find_collection("New", None)
    assert top is not None and top.key == "NEWTOP22"
    store.mirror.mark_collections_deleted(["NEW22222"])
    assert store.mirror.find_collection("New", "STATUS22") is None


def test_written_merges_partial_updates(store: StateStore) -> None:
    store.written.record("AAAA2222", {"key": "AAAA2222", "version": 0, "title": "A",
                                      "tags": [{"tag": "x"}]}, "fp1", run_id=1)
    store.written.record("AAAA2222", {"key": "AAAA2222", "version": 5, "DOI": "10.1/x"})
    got = store.written.get("AAAA2222")
    assert got is not None
    assert got.data == {"title": "A", "tags": [{"tag": "x"}], "DOI": "10.1/x"}
    assert got.fingerprint == "fp1"


def test_intents_round_trip_and_state(store: StateStore) -> None:
    objs = [IntentObject({"key": "AAAA2222", "version": 0, "itemType": "book"}, "fp", "r1")]
    intent = store.intents.record("create", "items", objs, run_id=3)
    [pending] = store.intents.pending()
    assert pending.objects == tuple(objs) and pending.kind == "create"
    store.intents.count_attempt(intent.batch_id)
    got = store.intents.get(intent.batch_id)
    assert got is not None and got.attempts == 1
    store.intents.mark(intent.batch_id, "done")
    assert store.intents.pending() == []


def test_intent_is_on_disk_before_returning(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    s = StateStore.open(path)
    s.select_library("users/1")
    s.intents.record("create", "items", [IntentObject({"key": "AAAA2222", "version": 0})])
    other = StateStore.open(path)  # a second connection sees it: it was committed
    other.select_library("users/1")
    assert len(other.intents.pending()) == 1


def test_transaction_rolls_back_everything(store: StateStore) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.mirror.upsert_items([item("AAAA2222")])
        store.mirror.set_library_version(9)
        raise RuntimeError
    assert store.mirror.get_item("AAAA2222") is None
    assert store.mirror.library_version() == 0


def test_runs_origins_not_duplicates_conflicts(store: StateStore) -> None:
    run = store.runs.start()
    store.runs.finish(run, "ok", {"created": 2}, "/tmp/report.html")
    got = store.runs.get(run)
    assert got is not None and got.outcome == "ok" and got.counts == {"created": 2}
    store.origins.add(Origin("AAAA2222", "notes/a.md", 3, "markdown", {"doi": "10.1/x"}))
    [origin] = store.origins.for_item("AAAA2222")
    assert (origin.path, origin.line, origin.identifiers) == ("notes/a.md", 3, {"doi": "10.1/x"})
    store.not_duplicates.add("BBBB2222", "AAAA2222")
    assert store.not_duplicates.contains("AAAA2222", "BBBB2222")
    assert store.not_duplicates.pairs() == {frozenset({"AAAA2222", "BBBB2222"})}
    store.conflicts.add(Conflict("AAAA2222", "title", "Mine", "Theirs", run))
    store.conflicts.add(Conflict("AAAA2222", "title", "Mine 2", "Theirs", run))
    assert [c.zsync_value for c in store.conflicts.open()] == ["Mine 2"]
    assert store.conflicts.resolve("AAAA2222", "title") == 1
    assert store.conflicts.open() == []


def test_lock_refuses_a_second_run(tmp_path: Path) -> None:
    path = tmp_path / "state" / "state.sqlite"
    with RunLock(path), pytest.raises(LockHeld, match="another zsync run"):
        RunLock(path).acquire()
    with RunLock(path):  # released: free again
        pass
