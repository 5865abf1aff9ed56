"""The refresh marks in the state store: what is due, the watermark, full passes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from zsync.state.refresh import RefreshLog
from zsync.state.store import StateStore


def _item(key: str, version: int, **data: Any) -> dict[str, Any]:
    return {"key": key, "version": version, "itemType": "journalArticle", "title": key,
            **data}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    with StateStore.open(tmp_path / "state.sqlite") as s:
        s.select_library("users/1")
        s.mirror.upsert_items([
            _item("AAAA2222", 1), _item("BBBB2222", 2), _item("CCCC2222", 3),
            _item("TRSH2222", 3, deleted=1),
            {"key": "NOTE2222", "version": 3, "itemType": "note", "note": "n",
             "parentItem": "AAAA2222"},
        ])
        s.mirror.set_library_version(3)
        yield s


def test_due_items_are_the_regular_ones_not_seen_at_their_version(store: StateStore) -> None:
    log = RefreshLog(store.db)
    assert [d.key for d in log.due()] == ["AAAA2222", "BBBB2222", "CCCC2222"]
    assert log.mark(["AAAA2222", "BBBB2222"], run_id=1) == 2
    assert log.advance_watermark(3) == 2  # just below the oldest item still due
    assert [d.key for d in log.due()] == ["CCCC2222"]
    store.mirror.upsert_items([_item("AAAA2222", 4)])  # changed by someone
    assert [d.key for d in log.due()] == ["CCCC2222", "AAAA2222"]
    log.mark(["AAAA2222", "CCCC2222"], run_id=2)
    assert log.advance_watermark(4) == 4 and log.due() == []
    rows = RefreshLog(store.db).items_and_children(["AAAA2222"])
    assert {r.key for r in rows} == {"AAAA2222", "NOTE2222"}


def test_full_pass_and_reset(store: StateStore) -> None:
    log = RefreshLog(store.db)
    log.mark(["AAAA2222", "BBBB2222", "CCCC2222"], run_id=1)
    log.advance_watermark(3)
    assert log.start_full_pass(5) == 5 and log.start_full_pass(6) == 5
    assert len(log.due(full_pass=5)) == 3
    log.mark(["AAAA2222"], run_id=6)
    assert [d.key for d in log.due(full_pass=5)] == ["BBBB2222", "CCCC2222"]
    log.end_full_pass()
    assert log.full_pass() is None
    log.check_watermark(1)  # the library was reset below the watermark
    assert log.watermark() == 0
