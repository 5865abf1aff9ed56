"""zsync's records as the lazy planner reads them (one item and its notes at a time) give
the same answers as reading every record, in a state file made now or by an earlier zsync
and brought up to date."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zsync.state.db import Db
from zsync.state.schema import LATEST, migrate
from zsync.state.store import Origin, StateStore
from zsync.sync.library_state import (
    Links,
    Noticed,
    WrittenRecords,
    links,
    noticed,
    written_by_item,
)

KEYS = [f"ITEM{n:04d}" for n in range(6)]
NOTES = [f"NOTE{n:04d}" for n in range(8)]
NOTICE = ('<div class="zsync-notice zsync-notice-{slug}"><p>This work was {slug}.</p>'
          "</div>")


@st.composite
def record(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """One record as zsync writes it: an item's fields, or a note under some item (an
    ordinary note or a retraction/correction notice)."""
    if draw(st.booleans()):
        key = draw(st.sampled_from(KEYS))
        return key, {"itemType": "journalArticle", "title": draw(st.sampled_from("AB")),
                     "tags": [{"tag": draw(st.sampled_from(["x", "y"]))}],
                     "collections": draw(st.sampled_from([[], ["COLL0001"]]))}
    key = draw(st.sampled_from(NOTES))
    text = draw(st.sampled_from([
        "<p>Read it.</p>", "<p>Read it again.</p>",
        NOTICE.format(slug="retracted"), NOTICE.format(slug="corrected")]))
    return key, {"itemType": "note", "parentItem": draw(st.sampled_from(KEYS)), "note": text}


RECORDS = st.lists(record(), max_size=25)
IDENTITIES = ["doi:10.1/a", "doi:10.1/b", "pmid:1"]
# Where works came from: (item, file, line, identity).
ORIGINS = st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(["/n/a.md", "/n/b.bib"]),
                             st.integers(0, 3), st.sampled_from(IDENTITIES)), max_size=12)


@contextmanager
def state_file(upto: int = LATEST) -> Iterator[tuple[Path, StateStore]]:
    """A state file with its schema at migration `upto`, and a store over it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "state.sqlite"
        conn = sqlite3.connect(path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        migrate(conn, upto=upto)
        store = StateStore(Db(conn, path))
        store.select_library("users/1")
        try:
            yield path, store
        finally:
            store.close()


def answers(store: StateStore) -> dict[str, Any]:
    """What the planner reads of zsync's records: read whole, then item by item."""
    records = WrittenRecords(store)
    notices = Noticed(records)
    linked = Links(store)
    asked = [*KEYS, *NOTES, "NOTHERE1"]
    return {
        "whole": written_by_item(store), "noticed": noticed(store), "links": links(store),
        "each": {k: records.get(k) for k in asked},
        "each noticed": {k: notices.get(k) for k in asked},
        "each link": {i: linked.get(i) for i in [*IDENTITIES, "", "doi:10.1/none"]},
        "iterated": dict(records.items()), "iterated noticed": dict(notices.items()),
        "iterated links": dict(linked.items()),
    }


def write(store: StateStore, records: list[tuple[str, dict[str, Any]]],
          origins: Sequence[tuple[str, str, int, str]] = ()) -> None:
    for key, data in records:
        store.written.record(key, data)
    for key, path, line, identity in origins:
        store.origins.add(Origin(key, path, line, "md", {"identity": identity}))


def agree(seen: dict[str, Any]) -> None:
    """The answers read item by item are those read whole."""
    assert seen["each"] == {k: seen["whole"].get(k) for k in seen["each"]}
    assert seen["each noticed"] == {k: seen["noticed"].get(k) for k in seen["each"]}
    assert seen["each link"] == {i: seen["links"].get(i) for i in seen["each link"]}
    assert seen["iterated"] == seen["whole"]
    assert list(seen["iterated"]) == list(seen["whole"])
    assert list(seen["iterated noticed"].items()) == list(seen["noticed"].items())
    assert seen["iterated links"] == seen["links"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=RECORDS, origins=ORIGINS)
def test_each_item_read_alone_is_as_read_with_all(
        records: list[tuple[str, dict[str, Any]]],
        origins: list[tuple[str, str, int, str]]) -> None:
    with state_file() as (_, store):
        write(store, records, origins)
        agree(answers(store))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=RECORDS, origins=ORIGINS, later=RECORDS, later_origins=ORIGINS)
def test_a_state_file_of_an_earlier_zsync_is_brought_up_to_date_with_the_same_answers(
        records: list[tuple[str, dict[str, Any]]], origins: list[tuple[str, str, int, str]],
        later: list[tuple[str, dict[str, Any]]],
        later_origins: list[tuple[str, str, int, str]]) -> None:
    with state_file(upto=6) as (path, old):
        write(old, records, origins)
        before = answers(old)
        old.close()
        with StateStore.open(path) as store:
            store.select_library("users/1")
            assert store.schema_version == LATEST
            assert answers(store) == before
            write(store, later, later_origins)  # what is written after the update is found
            agree(answers(store))


def test_an_item_s_notes_are_found_without_reading_every_record(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / "state.sqlite") as store:
        store.select_library("users/1")
        store.written.record("ITEM0001", {"itemType": "book", "title": "T"})
        store.written.record("NOTE0001", {"itemType": "note", "parentItem": "ITEM0001",
                                          "note": "<p>n</p>"})
        sent: list[str] = []
        store.db.conn.set_trace_callback(sent.append)
        found = store.written.notes_under("ITEM0001")
        store.db.conn.set_trace_callback(None)
        plans = [str(row[-1]) for sql in sent if sql.lstrip().upper().startswith("SELECT")
                 for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}")]
        assert plans and all("USING INDEX written_parent" in p for p in plans), plans
        assert [n.item_key for n in found] == ["NOTE0001"]
        assert store.written.notes_under("NOTE0001") == []


def test_a_record_that_is_not_json_does_not_stop_a_write(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / "state.sqlite") as store:
        store.select_library("users/1")
        with store.transaction():
            store.db.execute("INSERT INTO written (library_id, item_key, data, written_at) "
                             "VALUES (?, 'BROKEN01', '{not json', 't')",
                             (store.db.library_id,))
        store.written.record("ITEM0001", {"itemType": "book"})
        assert store.written.notes_under("ITEM0001") == []
