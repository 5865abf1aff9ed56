"""The writes of a merge: master first, then moves and relations, the trash last."""

from __future__ import annotations

from typing import Any

from zsync.dedupe.mergeplan import REPLACES, plan_merge
from zsync.dedupe.mergewrites import MASTER, MOVE, RELATION, TRASH, merge_writes
from zsync.zotero.library import LibraryItem, LibraryView

URI = "http://zotero.org/users/42"


def item(key: str, added: str, item_type: str = "journalArticle", **data: Any) -> LibraryItem:
    base = {"key": key, "itemType": item_type, "title": "Deep learning", "dateAdded": added,
            "tags": [], "collections": [], "relations": {}, "volume": ""}
    return LibraryItem(key, 3, {**base, **data})


def test_order_payloads_and_what_holds_the_trash_back() -> None:
    view = LibraryView.build([
        item("MASTER22", "2019-01-01", relations={REPLACES: f"{URI}/items/GONE2222"}),
        item("OTHER222", "2020-01-01", volume="521",
             relations={REPLACES: f"{URI}/items/OLDER222"}),
        LibraryItem("NOTE2222", 5, {"itemType": "note", "parentItem": "OTHER222",
                                    "relations": {"dc:relation": f"{URI}/items/OTHER222"}}),
        LibraryItem("ATTACH22", 6, {"itemType": "attachment", "parentItem": "OTHER222"}),
        item("FRIEND22", "2018-01-01", item_type="book", title="Something else",
             relations={"dc:relation": [f"{URI}/items/OTHER222", f"{URI}/items/X2222222"]}),
    ])
    plan = plan_merge(["OTHER222", "MASTER22"], view, URI)
    writes = merge_writes(plan, view)
    assert [(w.step, w.key) for w in writes] == [
        (MASTER, "MASTER22"), (MOVE, "NOTE2222"), (MOVE, "ATTACH22"),
        (RELATION, "FRIEND22"), (TRASH, "OTHER222")]
    master, note, _attachment, friend, trash = writes
    assert master.payload["volume"] == "521" and "dateAdded" not in master.payload
    assert set(master.payload["relations"][REPLACES]) == {
        f"{URI}/items/GONE2222", f"{URI}/items/OLDER222", f"{URI}/items/OTHER222"}
    # A note that both moves and relates to the merged item: one write, both changes.
    assert note.payload == {"key": "NOTE2222", "version": 5, "parentItem": "MASTER22",
                            "relations": {"dc:relation": f"{URI}/items/MASTER22"}}
    assert note.holds == ("OTHER222",)
    assert friend.payload["relations"] == {
        "dc:relation": [f"{URI}/items/MASTER22", f"{URI}/items/X2222222"]}
    # The trashed item gives up its dc:replaces (the master carries it now).
    assert trash.payload == {"key": "OTHER222", "version": 3, "deleted": 1, "relations": {}}


def test_a_refused_plan_writes_nothing() -> None:
    view = LibraryView.build([item("MASTER22", "2019-01-01"),
                              item("OTHER222", "2020-01-01", item_type="book")])
    plan = plan_merge(["MASTER22", "OTHER222"], view, URI)
    assert plan.refused and merge_writes(plan, view) == []
