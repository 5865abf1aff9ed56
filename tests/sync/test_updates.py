"""Re-syncs against a library the user works in: status moves, hand-made collections, the
user's own edits, and works that were in the library before zsync."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.servers.generate import crossref_work
from tests.sync import seed_records
from tests.sync.env import Sources, SyncEnv, user_extra
from tests.sync.notes import MARKDOWN_SEED, set_status
from tests.sync.seed_records import FREDRIKSEN_DOI, FREDRIKSEN_TITLE, HINDER_DOI
from zsync.cli.status import status_data
from zsync.state.store import StateStore

NEW_TITLE = FREDRIKSEN_TITLE + " (corrected)"


@pytest.fixture
def change_crossref(sources: Sources) -> Iterator[Callable[[], None]]:
    """Call to give Crossref's record of the Fredriksen paper a new title and article
    number; the original is put back after the test."""

    def change() -> None:
        changed = crossref_work(seed_records.FREDRIKSEN)
        changed["title"] = [NEW_TITLE]
        changed["article-number"] = changed["page"] = "493"
        sources.crossref_app.add_work(changed)

    try:
        yield change
    finally:
        sources.crossref_app.add_work(crossref_work(seed_records.FREDRIKSEN))


def test_a_changed_status_moves_the_item_and_keeps_the_users_own_collection(
        world: SyncEnv, notes: Path) -> None:
    world.run([notes])
    lib = world.library()
    item = lib.by_doi(FREDRIKSEN_DOI)
    mine = world.zotero.app.seed_collection("To cite in chapter 2", ref=world.ref)
    world.zotero.app.edit_item(world.ref, item["key"],
                               {"collections": [*item["collections"], mine]})

    set_status(notes, "Reading")
    result = world.run([notes])

    assert result.failed == 0
    lib = world.library()
    moved = lib.by_doi(FREDRIKSEN_DOI)
    assert moved["key"] == item["key"]
    assert lib.filed_in(moved) == {("Status", "Reading"), ("To cite in chapter 2",)}
    assert lib.filed_in(lib.by_doi(HINDER_DOI)) == {("Status", "New")}
    assert lib.collection_paths() == {("Status",): 1, ("Status", "New"): 1,
                                      ("Status", "Reading"): 1, ("To cite in chapter 2",): 1}
    [work] = [w for w in result.report["works"] if w["identity"] == f"doi:{FREDRIKSEN_DOI}"]
    assert work["action"] == "update"
    assert work["collections_added"] == [lib.collection_key("Status", "Reading")]
    assert work["collections_removed"] == [lib.collection_key("Status", "New")]
    assert len(lib.notes(moved["key"])) == 1  # the note was updated, not added again
    assert "Reading" in lib.notes(moved["key"])[0]["note"]

    set_status(notes, "done")  # a word from the status map
    world.run([notes])
    lib = world.library()
    assert lib.filed_in(lib.by_doi(FREDRIKSEN_DOI)) == {("Status", "Read"),
                                                       ("To cite in chapter 2",)}
    world.zotero.reset_log()
    world.run([notes])
    assert world.writes() == []


def test_a_users_edit_survives_a_resync_and_is_reported_as_a_conflict(
        world: SyncEnv, change_crossref: Callable[[], None]) -> None:
    world.run(ZSYNC_CACHE_DIR=str(world.tmp / "cache-1"))
    key = world.library().by_doi(FREDRIKSEN_DOI)["key"]
    world.zotero.app.edit_item(world.ref, key, {"title": "My own title", "extra": "read twice"})
    change_crossref()

    # A fresh record cache, so the second run sees Crossref's new record.
    result = world.run(ZSYNC_CACHE_DIR=str(world.tmp / "cache-2"))

    item = world.library().items[key]
    assert item["title"] == "My own title"  # the user's edit is kept
    assert user_extra(item) == "read twice"
    assert item["pages"] == "493"  # a field the user did not touch follows the source
    [work] = [w for w in result.report["works"] if w["identity"] == f"doi:{FREDRIKSEN_DOI}"]
    assert work["action"] == "conflict"
    assert {"field": "title", "zsync": NEW_TITLE, "library": "My own title",
            "kind": "edited"} in work["conflicts"]
    assert [c["new"] for c in work["changes"] if c["field"] == "pages"] == ["493"]
    assert result.failed == 0
    conflicts = status_data(world.config())["conflicts"]
    assert conflicts == [{"item": key, "field": "title", "zsync": NEW_TITLE,
                          "yours": "My own title"}]
    with StateStore.open(world.state_path) as store:
        store.select_library(world.ref)
        assert [(c.item_key, c.field) for c in store.conflicts.open()] == [(key, "title")]

    # Reported again while it stands; nothing is written for it.
    world.zotero.reset_log()
    again = world.run(ZSYNC_CACHE_DIR=str(world.tmp / "cache-2"))
    assert world.writes() == []
    assert [w["action"] for w in again.report["works"]
            if w["identity"] == f"doi:{FREDRIKSEN_DOI}"] == ["conflict"]


def test_works_already_in_the_library_are_updated_and_filed_not_duplicated(
        world: SyncEnv) -> None:
    app, ref = world.zotero.app, world.ref
    mine = app.seed_collection("Project X", ref=ref)
    in_extra = app.seed_item({
        "itemType": "journalArticle", "title": "Digitalisation of municipal healthcare",
        "extra": f"DOI: {FREDRIKSEN_DOI.upper()}", "tags": [{"tag": "from colleague"}],
        "collections": [mine]}, ref=ref)
    in_url = app.seed_item({
        "itemType": "journalArticle", "title": "",
        "url": f"https://doi.org/{HINDER_DOI}"}, ref=ref)

    result = world.run()

    assert result.failed == 0
    lib = world.library()
    assert len(lib.works) == 2
    assert lib.count_doi(FREDRIKSEN_DOI) == lib.count_doi(HINDER_DOI) == 1
    fredriksen, hinder = lib.items[in_extra], lib.items[in_url]
    assert lib.filed_in(fredriksen) == {("Project X",), ("Status", "New")}
    assert lib.filed_in(hinder) == {("Status", "New")}
    assert "from colleague" in lib.tags(fredriksen)
    assert set(seed_records.FREDRIKSEN_KEYWORDS) <= set(lib.tags(fredriksen))
    assert fredriksen["title"] == "Digitalisation of municipal healthcare"  # theirs, kept
    assert fredriksen["DOI"] == FREDRIKSEN_DOI  # an empty field is filled
    assert hinder["title"] == seed_records.HINDER_TITLE  # was empty: filled
    assert len(lib.notes(in_extra)) == 1
    by_identity = {w["identity"]: w for w in result.report["works"]}
    assert by_identity[f"doi:{FREDRIKSEN_DOI}"]["item_key"] == in_extra
    assert by_identity[f"doi:{HINDER_DOI}"]["item_key"] == in_url
    assert "DOI" in by_identity[f"doi:{FREDRIKSEN_DOI}"]["matched_by"]
    assert {c["field"] for c in by_identity[f"doi:{FREDRIKSEN_DOI}"]["conflicts"]} == {"title"}

    world.zotero.reset_log()
    world.run()
    assert world.writes() == []
    assert len(world.library().works) == 2


def test_only_tags_and_collections_zsync_added_are_ever_taken_away(
        world: SyncEnv, notes: Path) -> None:
    app, ref = world.zotero.app, world.ref
    # Before zsync: the user's copy of the paper, tagged and filed in their own Status/Read.
    status = app.seed_collection("Status", ref=ref)
    read = app.seed_collection("Read", parent=status, ref=ref)
    key = app.seed_item({
        "itemType": "journalArticle", "title": FREDRIKSEN_TITLE, "DOI": FREDRIKSEN_DOI,
        "tags": [{"tag": "Healthcare"}, {"tag": "from colleague"}], "collections": [read]},
        ref=ref)
    world.run([notes])
    lib = world.library()
    assert lib.filed_in(lib.items[key]) == {("Status", "Read"), ("Status", "New")}
    assert set(seed_records.FREDRIKSEN_KEYWORDS) <= set(lib.tags(lib.items[key]))
    app.edit_item(ref, key, {"tags": [*lib.items[key]["tags"], {"tag": "mine"}]})
    # The note drops two keywords (one zsync added, one the user had) and changes status.
    path = notes / MARKDOWN_SEED
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Volunteers, Coordination, Collaboration, Healthcare, ",
        "Volunteers, Collaboration, "), encoding="utf-8")
    set_status(notes, "Reading")

    result = world.run([notes])

    assert result.failed == 0
    lib = world.library()
    item = lib.items[key]
    tags = set(lib.tags(item))
    assert "Coordination" not in tags  # zsync added it, the note no longer has it
    assert {"Healthcare", "from colleague", "mine"} <= tags  # the user's, never removed
    assert lib.filed_in(item) == {("Status", "Read"), ("Status", "Reading")}
    world.zotero.reset_log()
    world.run([notes])
    assert world.writes() == []


def test_items_the_user_trashed_or_deleted_are_not_created_again(world: SyncEnv) -> None:
    world.run()
    lib = world.library()
    trashed, deleted = lib.by_doi(FREDRIKSEN_DOI)["key"], lib.by_doi(HINDER_DOI)["key"]
    app, ref = world.zotero.app, world.ref
    app.edit_item(ref, trashed, {"deleted": 1})
    app.delete_remotely(ref, deleted)
    world.zotero.reset_log()

    result = world.run()

    assert world.writes() == []
    assert world.library().works == []
    assert set(app.items(ref)) >= {trashed}  # still in the trash, as the user left it
    for work in result.report["works"]:
        assert work["action"] == "unchanged"
        assert "deleted or moved to the trash in Zotero" in work["message"]
    assert {w["item_key"] for w in result.report["works"]} == {trashed, deleted}

    app.edit_item(ref, trashed, {"deleted": 0})  # restored from the trash: synced again
    result = world.run()
    assert [w["action"] for w in result.report["works"]
            if w["identity"] == f"doi:{FREDRIKSEN_DOI}"] == ["unchanged"]
    assert len(world.library().works) == 1


def test_the_users_edit_of_the_child_note_is_kept_and_reported(
        world: SyncEnv, notes: Path) -> None:
    world.run([notes])
    lib = world.library()
    item = lib.by_doi(FREDRIKSEN_DOI)
    [note] = lib.notes(item["key"])
    edited = note["note"].replace("</div>", "<p>My own remark.</p></div>")
    world.zotero.app.edit_item(world.ref, note["key"], {"note": edited})
    mine = world.zotero.app.item(note["key"], world.ref)["note"]  # as the server stored it
    assert "My own remark." in mine
    set_status(notes, "Reading")  # the note text changes too

    result = world.run([notes])

    lib = world.library()
    assert [n["note"] for n in lib.notes(item["key"])] == [mine]  # kept, not duplicated
    assert lib.filed_in(lib.items[item["key"]]) == {("Status", "Reading")}  # the move happens
    [work] = [w for w in result.report["works"] if w["identity"] == f"doi:{FREDRIKSEN_DOI}"]
    assert work["action"] == "conflict" and work["note"]["action"] == "kept"
    conflicts = status_data(world.config())["conflicts"]
    # the conflict names the note file whose child note the user edited
    assert [(c["item"], c["field"], c["yours"]) for c in conflicts] == [
        (item["key"], "note markdown-bullets-fredriksen-2021-volunteers.txt", mine)]


def test_a_child_note_the_user_deleted_is_not_added_again(world: SyncEnv, notes: Path) -> None:
    world.run([notes])
    lib = world.library()
    item = lib.by_doi(FREDRIKSEN_DOI)
    [note] = lib.notes(item["key"])
    world.zotero.app.delete_remotely(world.ref, note["key"])
    set_status(notes, "Reading")

    world.run([notes])

    lib = world.library()
    assert lib.notes(item["key"]) == []
    assert lib.filed_in(lib.items[item["key"]]) == {("Status", "Reading")}
