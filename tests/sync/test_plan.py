"""Sync planning: creates, updates, moves, conflicts; never removing what the user added."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from zsync.model.records import Origin
from zsync.sync.legacy import legacy_memories
from zsync.sync.plan import Action, Plan, PlanInputs, Work, Written, plan
from zsync.zotero.library import LibraryCollection, LibraryItem, LibraryView
from zsync.zotero.memory import Memory, join_extra, split_extra

DOI = "10.1038/nature14539"
ITEM = {
    "itemType": "journalArticle",
    "title": "Deep learning",
    "creators": [{"creatorType": "author", "firstName": "Yann", "lastName": "LeCun"}],
    "date": "2015-05-27",
    "publicationTitle": "Nature",
    "volume": "521",
    "DOI": DOI,
    "abstractNote": "",
    "tags": [{"tag": "ml", "type": 0}, {"tag": "Neural Networks, Computer", "type": 1}],
}


def work(status: str = "New", note: str | None = "<p>my note</p>", **changes: Any) -> Work:
    return Work(
        identity=f"doi:{DOI}", title="Deep learning", item={**ITEM, **changes}, status=status,
        origins=(Origin("notes/lecun.md", 1, 10, "markdown"),), note_html=note,
        identifiers={"doi": DOI}, sources={"title": "crossref", "volume": "crossref"},
    )


def keys() -> Any:
    counter = itertools.count(1)
    return lambda: f"K{next(counter):07d}"


def run(works: list[Work], items: Sequence[LibraryItem] = (),
        collections: Sequence[LibraryCollection] = (), written: dict[str, Written] | None = None,
        links: dict[str, str] | None = None) -> Plan:
    view = LibraryView.build(items, collections)
    statuses = {c.key for c in collections if c.parent == "STATUS01"}
    return plan(works, PlanInputs(view, written or {}, links or {}, "Status", keys(),
                                  legacy=legacy_memories(written or {}, statuses)))


STATUS = [
    LibraryCollection("STATUS01", 1, "Status", None),
    LibraryCollection("STATNEW1", 1, "New", "STATUS01"),
    LibraryCollection("STATREAD", 1, "Reading", "STATUS01"),
    LibraryCollection("MYCOLL01", 1, "Thesis chapter 2", None),
]


def synced_item(**data: Any) -> LibraryItem:
    base = {**ITEM, "key": "ITEM0001", "collections": ["STATNEW1"], "extra": ""}
    return LibraryItem("ITEM0001", 10, {**base, **data})


def synced_note(html: str = "<p>my note</p>") -> LibraryItem:
    return LibraryItem("NOTE0001", 10, {"itemType": "note", "note": html, "parentItem": "ITEM0001"})


WRITTEN = {
    "ITEM0001": Written(
        "ITEM0001", {k: v for k, v in ITEM.items() if k != "tags"},
        tags=("ml", "Neural Networks, Computer"), collections=("STATNEW1",),
        note_key="NOTE0001", note_html="<p>my note</p>",
    )
}
LINKS = {f"doi:{DOI}": "ITEM0001"}


def test_into_an_empty_library_everything_is_created_with_client_keys() -> None:
    result = run([work()])
    assert [(c.name, c.parent) for c in result.collections] == [("Status", None), ("New", "K0000001")]
    (created,) = result.works
    assert created.action is Action.CREATE
    assert created.payload is not None
    assert created.payload["version"] == 0 and created.payload["key"] == created.item_key
    assert created.payload["collections"] == ["K0000002"]
    assert created.note is not None and created.note.parent == created.item_key
    assert result.has_changes


def as_stored(result: Plan) -> tuple[list[LibraryItem], list[LibraryCollection]]:
    """The library after a real run wrote `result` (what the server stores)."""
    items = []
    for w in result.works:
        if w.payload is not None:
            items.append(LibraryItem(w.payload["key"], 1, {**w.payload, "version": 1}))
        items += [LibraryItem(n.key, 1, {"itemType": "note", "note": n.html, "parentItem": n.parent})
                  for n in w.notes]
    colls = [LibraryCollection(c.key, 1, c.name, c.parent) for c in result.collections]
    return items, colls


def test_a_second_run_with_nothing_new_changes_nothing() -> None:
    items, colls = as_stored(run([work()]))
    result = run([work()], items, colls)  # no state store at all: the items remember
    assert result.collections == ()
    (same,) = result.works
    assert same.action is Action.UNCHANGED
    assert same.payload is None
    assert not result.has_changes


def test_a_record_kept_only_by_an_older_zsync_moves_into_the_item_once() -> None:
    result = run([work()], [synced_item(), synced_note()], STATUS, WRITTEN, LINKS)
    (moved,) = result.works
    assert moved.payload is not None and set(moved.payload) == {"key", "version", "extra"}
    memory = split_extra(moved.payload["extra"])[1]
    assert memory is not None and memory.holds_written("title", "Deep learning")
    assert memory.collection == "STATNEW1"
    items = [LibraryItem("ITEM0001", 11, {**synced_item().data, **moved.payload}), synced_note()]
    again = run([work()], items, STATUS)  # and from then on the item is enough
    assert not again.has_changes


def test_a_changed_status_moves_the_item_and_keeps_the_users_collections() -> None:
    item = synced_item(collections=["STATNEW1", "MYCOLL01"])
    result = run([work(status="Reading")], [item, synced_note()], STATUS, WRITTEN, LINKS)
    (moved,) = result.works
    assert moved.action is Action.UPDATE
    assert moved.collections_removed == ("STATNEW1",)
    assert moved.collections_added == ("STATREAD",)
    assert moved.payload is not None
    assert moved.payload["collections"] == ["MYCOLL01", "STATREAD"]


def test_a_field_the_user_edited_is_kept_and_reported() -> None:
    item = synced_item(title="Deep learning (my edit)")
    result = run([work(title="Deep Learning", volume="522")], [item, synced_note()], STATUS, WRITTEN, LINKS)
    (planned,) = result.works
    assert planned.action is Action.CONFLICT
    (conflict,) = planned.conflicts
    assert (conflict.field, conflict.theirs, conflict.ours) == (
        "title", "Deep learning (my edit)", "Deep Learning",
    )
    assert planned.payload is not None
    assert "title" not in planned.payload
    assert planned.payload["volume"] == "522"  # zsync's own earlier value may follow the source
    assert [(c.field, c.old, c.new, c.source) for c in planned.changes] == [
        ("volume", "521", "522", "crossref"),
    ]


def test_the_users_tags_stay_and_only_zsyncs_own_stale_tags_go() -> None:
    tags = [{"tag": "ml", "type": 0}, {"tag": "Neural Networks, Computer", "type": 1},
            {"tag": "my-own", "type": 0}]
    item = synced_item(tags=tags)
    wanted = [{"tag": "deep-learning", "type": 0}]
    result = run([work(tags=wanted)], [item, synced_note()], STATUS, WRITTEN, LINKS)
    (planned,) = result.works
    assert planned.tags_added == ("deep-learning",)
    assert set(planned.tags_removed) == {"ml", "Neural Networks, Computer"}
    assert planned.payload is not None
    assert [t["tag"] for t in planned.payload["tags"]] == ["my-own", "deep-learning"]


def test_an_existing_copy_found_by_doi_in_extra_is_filled_not_duplicated() -> None:
    own = LibraryItem("USERITEM", 5, {
        "itemType": "journalArticle", "title": "Deep Learning (user's title)", "volume": "",
        "abstractNote": "", "publicationTitle": "Nature", "date": "2015", "DOI": "",
        "extra": f"DOI: {DOI.upper()}", "creators": [], "tags": [], "collections": [],
    })
    result = run([work()], [own], STATUS)
    (planned,) = result.works
    assert planned.action is Action.UPDATE
    assert planned.item_key == "USERITEM"
    assert planned.matched_by == f"DOI {DOI}"
    changed = {c.field for c in planned.changes}
    assert {"volume", "DOI", "creators"} <= changed
    assert "title" not in changed and "date" not in changed
    assert {c.field: c.kind for c in planned.conflicts} == {"title": "differs", "date": "differs"}


def test_a_note_the_user_edited_is_kept() -> None:
    result = run([work(note="<p>new text</p>")], [synced_item(), synced_note("<p>mine now</p>")],
                 STATUS, WRITTEN, LINKS)
    (planned,) = result.works
    assert planned.note is not None and planned.note.action == "kept"
    assert planned.action is Action.CONFLICT


def test_a_changed_note_updates_zsyncs_note() -> None:
    result = run([work(note="<p>new text</p>")], [synced_item(), synced_note()], STATUS, WRITTEN, LINKS)
    (planned,) = result.works
    assert planned.note is not None
    assert (planned.note.action, planned.note.key) == ("update", "NOTE0001")
    assert planned.action is Action.UPDATE


def test_an_input_that_failed_is_an_error_row_and_creates_nothing() -> None:
    bad = Work("notes/empty.md#1", None, {}, "New", (Origin("notes/empty.md"),), error="empty input")
    result = run([bad])
    assert [w.action for w in result.works] == [Action.ERROR]
    assert result.collections == ()


def test_a_copy_without_identifiers_is_found_by_title_author_and_year() -> None:
    from zsync.dedupe.libmatch import LibraryIndex, existing_finder
    from zsync.dedupe.rules import Settings

    own = LibraryItem("USERITEM", 5, {
        "itemType": "journalArticle", "title": "Deep Learning.", "date": "2015",
        "creators": [{"creatorType": "author", "firstName": "Y.", "lastName": "LeCun"}],
        "publicationTitle": "Nature", "volume": "", "DOI": "", "extra": "", "tags": [],
        "collections": [],
    })
    view = LibraryView.build([own], STATUS)
    finder = existing_finder(LibraryIndex.build(view, Settings()))
    inputs = PlanInputs(view, {}, {}, "Status", keys(), fuzzy=finder)
    (planned,) = plan([work()], inputs).works
    assert planned.action is Action.UPDATE
    assert planned.item_key == "USERITEM"
    assert planned.matched_by and "title" in planned.matched_by
    # Kept apart when the user said these are different works.
    apart = existing_finder(LibraryIndex.build(view, Settings.of(False, [(f"doi:{DOI}", "USERITEM")])))
    inputs = PlanInputs(view, {}, {}, "Status", keys(), fuzzy=apart)
    assert plan([work()], inputs).works[0].action is Action.CREATE


def test_items_the_user_kept_apart_stay_apart_when_zsync_updates_them() -> None:
    extra = join_extra("", Memory(apart=frozenset({"OTHER234"})))  # written by the pair command
    item = synced_item(collections=["STATNEW1", "MYCOLL01"], extra=extra)
    (moved,) = run([work(status="Reading")], [item, synced_note()], STATUS, WRITTEN, LINKS).works
    assert moved.action is Action.UPDATE and moved.payload is not None
    assert moved.collections_removed == ("STATNEW1",)  # the older zsync's record still counts
    memory = split_extra(moved.payload["extra"])[1]
    assert memory is not None and memory.apart == {"OTHER234"}
    assert memory.collection == "STATREAD"


def test_a_status_that_files_no_item_makes_no_collection() -> None:
    """The user moved the item out of Status/New: a note's new status "Read" is reported,
    not applied, so no empty Status/Read is made (a no-op run writes nothing)."""
    refiled = synced_item(collections=["MYCOLL01"])
    result = run([work(status="Read")], [refiled, synced_note()], STATUS, WRITTEN, LINKS)
    assert result.works[0].collections_added == ()
    assert result.collections == ()
    fresh = run([work(status="Read")], [], STATUS)
    assert [c.name for c in fresh.collections] == ["Read"]  # filed there: made
