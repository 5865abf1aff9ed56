"""Ordinary life around a sync: the state file is lost, a second computer syncs the same
notes (one after the other, and at the same moment), the user edits and refiles in Zotero,
only some notes are synced, the notes are reached by another path, a note is deleted, and
the user trashes a status collection. Each ends with the library a user would want, and a
run right after it writes nothing."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from tests.servers.base import Fault, Request
from tests.servers.generate import SyntheticWork
from tests.sync import seed_records
from tests.sync.conftest import GENERATED, GENERATED_SEED
from tests.sync.env import FAST, Library, SyncEnv
from tests.sync.notes import markdown_note, plain_works, write_notes
from tests.sync.seed_records import FREDRIKSEN_DOI, HINDER_DOI

RUN_TIMEOUT = 120.0


def works(n: int) -> list[SyntheticWork]:
    return plain_works(n, GENERATED_SEED, GENERATED)


def note_path(folder: Path, work: SyntheticWork) -> Path:
    """Where `write_notes` puts the note on `work`."""
    return folder / f"note-{work.index:06d}.md"


def finish(process: Any) -> tuple[int, str]:
    """Wait for a spawned `zsync`; its exit status and everything it printed."""
    out, err = process.communicate(timeout=RUN_TIMEOUT)
    return process.returncode, out.decode() + err.decode()


def said_about(report: dict[str, Any], identity: str) -> str:
    """What the report tells the user about one work beyond the changes: its message,
    conflicts and remarks."""
    rows = [w for w in report["works"] if w["identity"] == identity]
    return json.dumps([{"message": w["message"], "conflicts": w["conflicts"],
                        "remarks": w["remarks"]} for w in rows])


def assert_one_of_each(lib: Library, notes_on: dict[str, int]) -> None:
    """One item per DOI, with as many child notes as notes were written on it."""
    for doi, count in notes_on.items():
        assert lib.count_doi(doi) == 1, doi
        assert len(lib.notes(lib.by_doi(doi)["key"])) == count, doi


# -- 1. the state file is lost --------------------------------------------------------------

@pytest.mark.parametrize("how", ["deleted", "emptied", "garbage"])
def test_a_lost_state_file_makes_nothing_twice(world: SyncEnv, how: str) -> None:
    folder = world.tmp / "notes"
    synced = works(3)
    write_notes(folder, synced, status="New")
    assert world.run([folder]).failed == 0
    before = world.library().signature()

    for _ in range(2):  # lost twice over, each time followed by two runs
        world.lose_state(how)
        status, printed = finish(world.spawn("sync", str(folder)))
        assert "Traceback" not in printed
        assert status == 0, printed
        if how == "garbage":  # set aside and rebuilt, with one line saying so
            assert [line for line in printed.splitlines() if "state" in line.lower()], printed
        assert world.run([folder]).failed == 0
        lib = world.library()
        assert_one_of_each(lib, {w.doi: 1 for w in synced})
        assert lib.collection_paths() == {("Status",): 1, ("Status", "New"): 1}
        assert lib.signature() == before

    assert world.rerun_writes([folder]) == []


# -- 2. two computers ---------------------------------------------------------------------------

def machine(world: SyncEnv, name: str) -> dict[str, str]:
    """The settings of another computer: its own state file and record cache."""
    return {"ZSYNC_STATE": str(world.tmp / name / "state.sqlite"),
            "ZSYNC_CACHE_DIR": str(world.tmp / name / "cache")}


def two_machine_notes(world: SyncEnv) -> tuple[Path, list[SyntheticWork]]:
    folder = world.tmp / "notes"
    synced = works(4)
    write_notes(folder, synced[:3], status="New")
    write_notes(folder, synced[3:], status="Reading")
    return folder, synced


def assert_two_machines_agree(world: SyncEnv, folder: Path, synced: list[SyntheticWork],
                              paths: list[Path]) -> None:
    lib = world.library()
    assert len(lib.works) == len(synced)
    assert_one_of_each(lib, {w.doi: 1 for w in synced})
    assert lib.collection_paths() == {("Status",): 1, ("Status", "New"): 1,
                                      ("Status", "Reading"): 1}
    for name in ("laptop", "desktop"):
        assert world.rerun_writes(paths, **machine(world, name)) == [], name


def test_two_computers_one_after_the_other_share_one_library(world: SyncEnv) -> None:
    folder, synced = two_machine_notes(world)

    assert world.run([folder], dry_run=False, policy=FAST, **machine(world, "laptop")).failed == 0
    assert world.run([folder], dry_run=False, policy=FAST, **machine(world, "desktop")).failed == 0

    assert_two_machines_agree(world, folder, synced, [folder])


def test_two_computers_syncing_at_the_same_moment_make_nothing_twice(
        world: SyncEnv) -> None:
    folder, synced = two_machine_notes(world)
    race = 4.0  # each machine's first write waits this long before it is applied
    arrivals: list[float] = []

    def first_writes(request: Request) -> bool:
        if request.method == "POST" and len(arrivals) < 2:
            arrivals.append(time.monotonic())
            return True
        return False

    world.zotero.inject(Fault("delay", first_writes, seconds=race, times=2))
    laptop = world.spawn("sync", "notes", **machine(world, "laptop"))
    desktop = world.spawn("sync", "notes", **machine(world, "desktop"))
    results = [finish(laptop), finish(desktop)]

    assert [status for status, _ in results] == [0, 0], results
    # Both machines planned against the library before either write was applied.
    assert len(arrivals) == 2 and arrivals[1] - arrivals[0] < race
    assert_two_machines_agree(world, folder, synced, [folder])


# -- 3. the user's own edits ------------------------------------------------------------------

MY_COLLECTION = "Chapter 2"
OWN_TAG = "Coordination"  # a keyword of the Fredriksen note
MESH_TAG = "Humans"  # a MeSH heading PubMed gives the Hinder paper


def edit_as_the_user(world: SyncEnv) -> None:
    """Remove one of zsync's tags and a MeSH tag, move an item out of Status/New into the
    user's own collection, and clear an abstract."""
    lib = world.library()
    app, ref = world.zotero.app, world.ref
    fredriksen, hinder = lib.by_doi(FREDRIKSEN_DOI), lib.by_doi(HINDER_DOI)
    assert OWN_TAG in lib.tags(fredriksen) and MESH_TAG in lib.tags(hinder)
    assert hinder["abstractNote"]
    mine = app.seed_collection(MY_COLLECTION, ref=ref)
    app.edit_item(ref, fredriksen["key"], {
        "tags": [t for t in fredriksen["tags"] if t["tag"] != OWN_TAG], "collections": [mine]})
    app.edit_item(ref, hinder["key"], {
        "tags": [t for t in hinder["tags"] if t["tag"] != MESH_TAG], "abstractNote": ""})


def assert_edits_kept(world: SyncEnv) -> None:
    lib = world.library()
    fredriksen, hinder = lib.by_doi(FREDRIKSEN_DOI), lib.by_doi(HINDER_DOI)
    assert OWN_TAG not in lib.tags(fredriksen)
    assert set(seed_records.FREDRIKSEN_KEYWORDS) - {OWN_TAG} <= set(lib.tags(fredriksen))
    assert lib.filed_in(fredriksen) == {(MY_COLLECTION,)}
    assert MESH_TAG not in lib.tags(hinder)
    assert hinder["abstractNote"] == ""
    assert len(lib.works) == 2
    assert_one_of_each(lib, {FREDRIKSEN_DOI: 1, HINDER_DOI: 0})  # the catalogue page has no note text


def refresh_everything(world: SyncEnv) -> None:
    result = world.cli("refresh", "--all")
    assert result.exit_code == 0, result.output


def test_the_users_removals_moves_and_cleared_fields_stay(world: SyncEnv, notes: Path) -> None:
    world.run([notes])
    edit_as_the_user(world)

    world.run([notes])
    assert_edits_kept(world)
    refresh_everything(world)
    assert_edits_kept(world)
    assert world.rerun_writes([notes]) == []


def test_the_users_edits_stay_after_the_state_file_is_lost(world: SyncEnv, notes: Path) -> None:
    world.run([notes])
    edit_as_the_user(world)
    world.lose_state("deleted")

    world.run([notes])
    assert_edits_kept(world)
    world.lose_state("deleted")
    refresh_everything(world)
    assert_edits_kept(world)
    assert world.rerun_writes([notes]) == []
    assert_edits_kept(world)


# -- 4. a run over some of the notes ----------------------------------------------------------

ALPHA = "Alpha reading: the survey design is the strong part."
ALPHA_LATER = "Alpha reading, later: the sample is too small after all."
BETA = "Beta reading: compare with the Danish cohort."


def test_a_run_over_one_note_keeps_what_the_other_notes_gave(world: SyncEnv) -> None:
    folder = world.tmp / "notes"
    shared, *others = works(3)
    one, other = folder / "reading-a.md", folder / "reading-b.md"
    write_notes(folder, others, status="New")
    one.write_text(markdown_note(shared, "New", ALPHA, keywords=["alpha-only"]), "utf-8")
    other.write_text(markdown_note(shared, "New", BETA, keywords=["beta-only"]), "utf-8")

    assert world.run([folder]).failed == 0
    lib = world.library()
    item = lib.by_doi(shared.doi)
    assert {"alpha-only", "beta-only"} <= set(lib.tags(item))
    assert ALPHA in lib.notes_text(item["key"]) and BETA in lib.notes_text(item["key"])
    betas = {n["key"]: n["note"] for n in lib.notes(item["key"])
             if BETA in n["note"] and ALPHA not in n["note"]}
    untouched = [w for w in lib.signature()["works"]
                 if w["fields"].get("DOI") in {w.doi for w in others}]

    one.write_text(markdown_note(shared, "New", ALPHA_LATER, keywords=["alpha-later"]),
                   "utf-8")
    assert world.run([one]).failed == 0

    lib = world.library()
    item = lib.by_doi(shared.doi)
    tags = set(lib.tags(item))
    assert {"beta-only", "alpha-later"} <= tags and "alpha-only" not in tags
    text = lib.notes_text(item["key"])
    assert ALPHA_LATER in text and BETA in text and ALPHA not in text
    for key, html in betas.items():  # the other note's own child note, as it was
        assert lib.items[key]["note"] == html
    assert [w for w in lib.signature()["works"]
            if w["fields"].get("DOI") in {w.doi for w in others}] == untouched
    assert world.rerun_writes([one]) == []
    assert world.rerun_writes([folder]) == []


# -- 5. the same notes reached by another path ------------------------------------------------

def test_how_the_notes_folder_is_reached_changes_nothing(
        world: SyncEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = world.tmp / "notes"
    write_notes(folder, works(3), status="New")
    monkeypatch.chdir(world.tmp)
    assert world.run([Path("notes")]).failed == 0
    before = world.library().signature()

    assert world.rerun_writes([folder]) == []  # an absolute path
    world.zotero.reset_log()
    assert world.cli("sync", "./notes/").exit_code == 0
    assert world.writes() == []
    elsewhere = world.tmp / "elsewhere"
    elsewhere.mkdir()
    status, printed = finish(world.spawn_from(elsewhere, "sync", "../notes"))
    assert status == 0, printed
    assert world.writes() == []

    moved = world.tmp / "archive" / "literature"
    moved.parent.mkdir()
    shutil.move(folder, moved)
    assert world.rerun_writes([moved]) == []
    status, printed = finish(world.spawn_from(moved, "sync", "."))
    assert status == 0, printed
    assert world.writes() == []
    assert world.library().signature() == before


# -- 6. a status change, and an item the user refiled by hand ---------------------------------

def test_a_status_change_moves_the_item_unless_the_user_refiled_it(world: SyncEnv) -> None:
    folder = world.tmp / "notes"
    moved_by_note, refiled_in_status, refiled_in_mine = works(3)
    write_notes(folder, [moved_by_note, refiled_in_status, refiled_in_mine], status="New")
    world.run([folder])
    lib = world.library()
    app, ref = world.zotero.app, world.ref
    done = app.seed_collection("Done", parent=lib.collection_key("Status"), ref=ref)
    mine = app.seed_collection(MY_COLLECTION, ref=ref)
    app.edit_item(ref, lib.by_doi(refiled_in_status.doi)["key"], {"collections": [done]})
    app.edit_item(ref, lib.by_doi(refiled_in_mine.doi)["key"], {"collections": [mine]})

    write_notes(folder, [moved_by_note, refiled_in_status, refiled_in_mine], status="Reading")
    result = world.run([folder])

    assert result.failed == 0
    lib = world.library()
    assert lib.filed_in(lib.by_doi(moved_by_note.doi)) == {("Status", "Reading")}
    assert lib.filed_in(lib.by_doi(refiled_in_status.doi)) == {("Status", "Done")}
    assert lib.filed_in(lib.by_doi(refiled_in_mine.doi)) == {(MY_COLLECTION,)}
    for work in (refiled_in_status, refiled_in_mine):  # the user is told about the status
        assert "Reading" in said_about(result.report, f"doi:{work.doi}")
    assert "Reading" not in said_about(result.report, f"doi:{moved_by_note.doi}")
    assert world.rerun_writes([folder]) == []


# -- 7. a note deleted from the folder --------------------------------------------------------

def test_a_deleted_note_removes_nothing_unless_pruned(world: SyncEnv) -> None:
    folder = world.tmp / "notes"
    gone, *kept = works(3)
    write_notes(folder, kept, status="New")
    note_path(folder, gone).write_text(
        markdown_note(gone, "New", keywords=["gone-note-tag"]), "utf-8")
    world.run([folder])
    lib = world.library()
    item = lib.by_doi(gone.doi)
    [child] = lib.notes(item["key"])
    from_note = {"gone-note-tag", *gone.keywords}
    assert from_note <= set(lib.tags(item))
    only_gone = from_note - {k for w in kept for k in w.keywords}
    only_kept = {k for w in kept for k in w.keywords} - from_note
    before = lib.signature()

    note_path(folder, gone).unlink()
    assert world.rerun_writes([folder]) == []
    assert world.library().signature() == before

    world.zotero.reset_log()
    dry = world.cli("sync", str(folder), "--prune", "--dry-run")
    assert dry.exit_code in (0, 3), dry.output
    assert world.writes() == []
    assert note_path(folder, gone).name in dry.output
    assert all(tag in dry.output for tag in only_gone), dry.output
    assert not any(tag in dry.output for tag in only_kept), dry.output

    pruned = world.cli("sync", str(folder), "--prune")
    assert pruned.exit_code == 0, pruned.output
    lib = world.library()
    item = lib.by_doi(gone.doi)  # the item itself stays
    assert child["key"] not in lib.items and lib.notes(item["key"]) == []
    assert not from_note & set(lib.tags(item))
    after = lib.signature()
    assert [w for w in after["works"] if w["fields"].get("DOI") != gone.doi] == \
        [w for w in before["works"] if w["fields"].get("DOI") != gone.doi]
    assert after["collections"] == before["collections"]
    assert world.rerun_writes([folder]) == []


# -- 9. a trashed status collection ---------------------------------------------------------

def test_a_trashed_status_collection_is_not_used_nor_made_again(world: SyncEnv) -> None:
    folder = world.tmp / "notes"
    first, second, later = works(3)
    write_notes(folder, [first, second], status="New")
    world.run([folder])
    trashed = world.library().collection_key("Status", "New")
    status_key = world.library().collection_key("Status")
    world.trash_collection(trashed)

    write_notes(folder, [later], status="New")
    result = world.run([folder])

    collections = world.zotero.app.collections(world.ref)  # the trashed one included
    named_new = [k for k, c in collections.items()
                 if c["name"] == "New" and c.get("parentCollection") == status_key]
    assert named_new == [trashed]
    lib = world.library()
    assert lib.count_doi(later.doi) == 1
    assert trashed not in lib.by_doi(later.doi)["collections"]
    told = json.dumps([result.report["notices"], [[w["message"], w["remarks"]] for w in result.report["works"]]])
    assert "trash" in told.lower()
    assert world.rerun_writes([folder]) == []
