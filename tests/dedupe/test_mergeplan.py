"""Merge plans: what merging a duplicate cluster would do, the way Zotero merges."""

from __future__ import annotations

from typing import Any

from zsync.dedupe.mergeplan import REPLACES, choose_master, item_uri, plan_merge
from zsync.zotero.library import LibraryItem, LibraryView
from zsync.zotero.memory import Contribution, Memory, join_extra, split_extra, value_hash

URI = "http://zotero.org/users/42"


def item(key: str, added: str, item_type: str = "journalArticle", **data: Any) -> LibraryItem:
    base = {"key": key, "itemType": item_type, "title": "Deep learning", "dateAdded": added,
            "creators": [{"creatorType": "author", "lastName": "LeCun", "firstName": "Yann"}],
            "DOI": "", "volume": "", "pages": "", "abstractNote": "", "tags": [],
            "collections": [], "relations": {}}
    return LibraryItem(key, 7, {**base, **data})


def library() -> LibraryView:
    return LibraryView.build([
        item("NEWER001", "2021-05-01T00:00:00Z", DOI="10.1038/nature14539", volume="521",
             tags=[{"tag": "ml"}, {"tag": "Neural Networks", "type": 1}, {"tag": "auto", "type": 1}],
             collections=["COLL0002"],
             relations={"dc:relation": f"{URI}/items/OTHER001",
                        REPLACES: [f"{URI}/items/GONE0001"]}),
        item("OLDER001", "2019-02-03T00:00:00Z", pages="436-444",
             tags=[{"tag": "Neural Networks", "type": 1}, {"tag": "auto", "type": 1}],
             collections=["COLL0001"]),
        item("OTHER001", "2018-01-01T00:00:00Z", title="Related work",
             relations={"dc:relation": f"{URI}/items/NEWER001"}),
        LibraryItem("NOTE0001", 3, {"itemType": "note", "parentItem": "NEWER001", "note": "<p>x</p>"}),
        LibraryItem("ATT00001", 4, {"itemType": "attachment", "parentItem": "NEWER001"}),
    ])


def test_the_master_is_the_oldest_item_as_in_zotero() -> None:
    assert choose_master(["NEWER001", "OLDER001"], library()) == "OLDER001"


def test_a_merge_plan_fills_empty_fields_and_moves_everything_to_the_master() -> None:
    plan = plan_merge(["NEWER001", "OLDER001"], library(), URI)
    assert (plan.master, plan.others, plan.trash, plan.refused) == (
        "OLDER001", ("NEWER001",), ("NEWER001",), None)
    assert {(f.field, f.value, f.source) for f in plan.fills} == {
        ("DOI", "10.1038/nature14539", "NEWER001"), ("volume", "521", "NEWER001")}
    assert plan.collections == ("COLL0001", "COLL0002") and plan.collections_added == ("COLL0002",)
    assert plan.tags_added == ("ml",)
    assert {t["tag"]: t.get("type", 0) for t in plan.tags} == {"Neural Networks": 1, "auto": 1, "ml": 0}
    assert [(c.key, c.item_type, c.from_parent) for c in plan.children] == [
        ("NOTE0001", "note", "NEWER001"), ("ATT00001", "attachment", "NEWER001")]


def test_the_master_replaces_the_others_and_relations_follow_it() -> None:
    plan = plan_merge(["NEWER001", "OLDER001"], library(), URI)
    assert set(plan.relations[REPLACES]) == {f"{URI}/items/GONE0001", f"{URI}/items/NEWER001"}
    assert set(plan.replaces) == set(plan.relations[REPLACES])
    assert plan.relations["dc:relation"] == (f"{URI}/items/OTHER001",)
    [rewrite] = plan.rewrites
    assert (rewrite.key, rewrite.predicate, rewrite.old, rewrite.new) == (
        "OTHER001", "dc:relation", item_uri(URI, "NEWER001"), item_uri(URI, "OLDER001"))
    payload = plan.master_payload
    assert payload["key"] == "OLDER001" and payload["version"] == 7
    assert payload["DOI"] == "10.1038/nature14539" and payload["collections"] == ["COLL0001", "COLL0002"]
    assert "dateAdded" not in payload  # the master is already the oldest


def test_a_manual_tag_on_the_other_item_replaces_an_automatic_one_on_the_master() -> None:
    view = LibraryView.build([item("A0000001", "2019", tags=[{"tag": "x", "type": 1}]),
                              item("B0000001", "2020", tags=[{"tag": "x"}])])
    plan = plan_merge(["A0000001", "B0000001"], view, URI)
    assert plan.tags == ({"tag": "x"},) and plan.master_payload["tags"] == [{"tag": "x"}]


def test_the_master_takes_the_earliest_date_added_when_chosen_otherwise() -> None:
    plan = plan_merge(["NEWER001", "OLDER001"], library(), URI,
                      rule=lambda items: max(items, key=lambda i: i.data["dateAdded"]))
    assert plan.master == "NEWER001" and plan.date_added == "2019-02-03T00:00:00Z"
    assert plan.master_payload["dateAdded"] == "2019-02-03T00:00:00Z"
    assert ("pages", "436-444", "OLDER001") in {(f.field, f.value, f.source) for f in plan.fills}


def test_items_of_different_types_are_not_merged_as_zotero_refuses() -> None:
    view = LibraryView.build([item("A0000001", "2019"), item("B0000001", "2020", "conferencePaper")])
    plan = plan_merge(["A0000001", "B0000001"], view, URI)
    assert plan.refused and "different types" in plan.refused and not plan.trash


def test_zsyncs_memory_of_the_copies_is_folded_into_the_master() -> None:
    """After a merge, what zsync wrote to the trashed copy (its child note, tags, status
    collection, a kept-apart pair) is still known as zsync's on the master."""
    note = Contribution(note_key="NOTE0001", note_hash="abc123", tags=frozenset({"aaaaaa"}))
    copy = Memory(fields={"volume": value_hash("521")}, tags=frozenset({"aaaaaa"}),
                  collection="STATNEW1", contributors={"c0ffee": note},
                  apart=frozenset({"OLDER001", "FAR00001"}))
    own = Memory(fields={"title": value_hash("Deep learning")},
                 contributors={"beef00": Contribution(note_key="NOTE0002")})
    view = LibraryView.build([
        item("NEWER001", "2021-05-01T00:00:00Z", volume="521",
             extra=join_extra("Citation key: lecun2015", copy)),
        item("OLDER001", "2019-02-03T00:00:00Z", extra=join_extra("", own)),
    ])
    merge = plan_merge(["NEWER001", "OLDER001"], view, URI)
    assert merge.master == "OLDER001" and merge.master_payload is not None
    rest, memory = split_extra(merge.master_payload["extra"])
    assert rest == "Citation key: lecun2015"  # the master's extra was empty: Zotero fills it
    assert memory is not None
    assert memory.fields == {"title": value_hash("Deep learning"), "volume": value_hash("521")}
    assert set(memory.contributors) == {"c0ffee", "beef00"}
    assert memory.tags == {"aaaaaa"} and memory.collection == "STATNEW1"
    assert memory.apart == {"FAR00001"}  # the pair between the merged items is moot


def test_items_without_zsyncs_memory_merge_as_before() -> None:
    merge = plan_merge(["NEWER001", "OLDER001"], library(), URI)
    assert merge.master_payload is not None and "extra" not in merge.master_payload
