"""The planner's indexed view of the mirror answers every question as the full view does,
however the library changes between runs (items added, edited, trashed, restored, deleted,
child notes added), and the state file's change counters move with what was written."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from zsync.state.db import Db
from zsync.state.schema import LATEST, migrate
from zsync.state.store import StateStore
from zsync.zotero.indexed import IndexedView, indexed_view
from zsync.zotero.library import LibraryItem, index_entries
from zsync.zotero.memory import Memory, join_extra
from zsync.zotero.mirror import library_view

KEYS = [f"ITEM{n:04d}" for n in range(12)]
DOIS = ["10.1000/a", "10.1000/b", "10.1000/c"]
PMIDS = ["111", "222"]
CITEKEYS = ["smith2020", "doe2021"]
WORKS = ["w1", "w2"]


@st.composite
def item_data(draw: st.DrawFn, key: str) -> dict[str, Any]:
    """A top-level item holding some identifiers where Zotero or people put them."""
    data: dict[str, Any] = {"key": key, "itemType": draw(st.sampled_from(
        ["journalArticle", "book", "webpage"])), "title": draw(st.sampled_from(["A", "B"]))}
    extra: list[str] = []
    if draw(st.booleans()):
        data["DOI"] = draw(st.sampled_from(DOIS))
    if draw(st.booleans()):
        extra.append(f"PMID: {draw(st.sampled_from(PMIDS))}")
    if draw(st.booleans()):
        extra.append(f"Citation Key: {draw(st.sampled_from(CITEKEYS))}")
    if draw(st.booleans()):
        data["url"] = f"https://doi.org/{draw(st.sampled_from(DOIS))}"
    text = "\n".join(extra)
    if draw(st.booleans()):
        text = join_extra(text, Memory(work=draw(st.sampled_from(WORKS))))
    data["extra"] = text
    if draw(st.booleans()):
        data["deleted"] = 1
    return data


class IndexedViewAgrees(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        self.store = StateStore.open(Path(self.tmp.name) / "state.sqlite")
        self.store.select_library("users/1")
        self.version = 0

    def teardown(self) -> None:
        self.store.close()
        self.tmp.cleanup()

    def _put(self, data: dict[str, Any]) -> None:
        self.version += 1
        self.store.mirror.upsert_items([{**data, "version": self.version}])

    @rule(data=st.data(), key=st.sampled_from(KEYS))
    def add_or_edit(self, data: st.DataObject, key: str) -> None:
        self._put(data.draw(item_data(key)))

    @rule(key=st.sampled_from(KEYS), parent=st.sampled_from(KEYS))
    def add_child_note(self, key: str, parent: str) -> None:
        if key != parent:
            self._put({"key": f"N{key}", "itemType": "note", "parentItem": parent,
                       "note": "<p>seen</p>"})

    @rule(key=st.sampled_from(KEYS))
    def delete(self, key: str) -> None:
        self.store.mirror.mark_items_deleted([key])

    @invariant()
    def answers_agree(self) -> None:
        full = library_view(self.store)
        lazy = indexed_view(self.store)
        assert isinstance(lazy, IndexedView)
        for kind, values in (("doi", DOIS), ("pmid", PMIDS), ("citekey", CITEKEYS),
                             ("work", WORKS), ("trashed-work", WORKS)):
            for value in values:
                assert lazy.find(kind, value) == full.find(kind, value), (kind, value)
        for key in [*KEYS, *(f"N{k}" for k in KEYS)]:
            assert lazy.items.get(key) == full.items.get(key)
            assert (key in lazy.items) == (key in full.items)
            assert lazy.children(key, trashed=True) == full.children(key, trashed=True)
            assert lazy.memory(key) == full.memory(key)
            assert (key in lazy.deleted) == (key in full.deleted)
        assert lazy.kept_apart() == full.kept_apart()


IndexedViewAgrees.TestCase.settings = settings(
    max_examples=40, stateful_step_count=15, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
TestIndexedViewAgrees = IndexedViewAgrees.TestCase


def test_the_change_counters_move_with_what_the_planner_reads(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / "state.sqlite") as store:
        store.select_library("users/1")
        planning, records = store.planning_changes(), store.records_changes()
        store.mirror.upsert_items([{"key": "ITEM0001", "version": 1, "itemType": "book"}])
        assert store.planning_changes() != planning and store.records_changes() == records
        planning = store.planning_changes()
        store.mirror.reindex([], [])  # the derived index is not counted
        store.written.record("ITEM0001", {"title": "A"})
        assert store.planning_changes() != planning and store.records_changes() != records
    with StateStore.open(tmp_path / "other.sqlite") as other:
        other.select_library("users/1")
        assert other.planning_changes() != planning  # another file never repeats a count


def assert_views_agree(store: StateStore) -> None:
    full = library_view(store)
    lazy = indexed_view(store)
    for kind, values in (("doi", DOIS), ("pmid", PMIDS), ("citekey", CITEKEYS),
                         ("work", WORKS), ("trashed-work", WORKS)):
        for value in values:
            assert lazy.find(kind, value) == full.find(kind, value), (kind, value)
    for key in KEYS:
        assert lazy.memory(key) == full.memory(key)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), indexed=st.sets(st.sampled_from(KEYS)),
       edited=st.sets(st.sampled_from(KEYS)), deleted=st.sets(st.sampled_from(KEYS)))
def test_an_index_made_by_an_earlier_zsync_is_brought_up_to_date(
        data: st.DataObject, indexed: set[str], edited: set[str], deleted: set[str]) -> None:
    """A state file of schema 6 whose lookup index was made for some items, some of them
    edited or deleted since: brought up to date, the index answers as the mirror does."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "state.sqlite"
        conn = sqlite3.connect(path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        migrate(conn, upto=6)
        old = StateStore(Db(conn, path))
        old.select_library("users/1")
        version = 0
        for key in KEYS:
            version += 1
            old.mirror.upsert_items([{**data.draw(item_data(key)), "version": version}])
        for key in sorted(indexed):  # as the earlier zsync indexed them
            row = old.mirror.get_item(key)
            assert row is not None
            entries = index_entries(LibraryItem.from_mirror(row))[0] if not row.deleted else []
            with old.transaction():
                old.db.conn.executemany("INSERT INTO lookup VALUES (?, ?, ?, ?)",
                                        [(old.db.library_id, k, v, key) for k, v in entries])
                old.db.execute("INSERT INTO lookup_indexed VALUES (?, ?, ?, ?, ?)",
                               (old.db.library_id, key, row.version, int(row.trashed),
                                int(row.deleted)))
        for key in sorted(edited):
            version += 1
            old.mirror.upsert_items([{**data.draw(item_data(key)), "version": version}])
        old.mirror.mark_items_deleted(sorted(deleted))
        old.close()
        with StateStore.open(path) as store:
            store.select_library("users/1")
            assert store.schema_version == LATEST
            assert_views_agree(store)
            version += 1
            store.mirror.upsert_items([{**data.draw(item_data(KEYS[0])), "version": version}])
            assert_views_agree(store)
