"""`zsync refresh` against the emulators: an incomplete library is completed, the user's
own values stay, retractions are flagged once, and an unchanged library costs nothing."""

from __future__ import annotations

import json

from tests.refresh.env import (
    CORRECTED,
    NO_ABSTRACT,
    RETRACTED,
    RefreshEnv,
    article,
    work,
)
from zsync.state.store import StateStore


def test_incomplete_items_are_filled_in(world: RefreshEnv) -> None:
    with_doi, by_title, pmid_only, page = world.seed(
        article(1), article(2, DOI=None),
        article(4, DOI=None, title=None, extra=f"PMID: {work(4).pmid}"),
        {"itemType": "webpage", "title": "A blog post about sleep"})

    result = world.run()

    assert result.failed == 0 and result.items == 4
    filled = world.item(with_doi)
    w1 = work(1)
    assert filled["abstractNote"].startswith("BACKGROUND:")
    assert (filled["PMID"], filled["volume"], filled["issue"], filled["pages"]) == \
        (w1.pmid, w1.volume, w1.issue, w1.page)
    assert filled["journalAbbreviation"] == w1.journal.abbrev and filled["ISSN"]
    assert filled["language"] == "en"
    mesh = {m.term for m in w1.mesh}
    assert {t for t, kind in world.tags(with_doi).items() if kind == 1} == mesh
    assert world.item(by_title)["DOI"] == work(2).doi  # found by title, author and year
    found = world.item(pmid_only)
    assert (found["DOI"], found["title"]) == (work(4).doi, work(4).title)
    assert world.item(page)["version"] == 4  # nothing to say about a web page: untouched
    changes = {w["item_key"]: {c["field"]: c["source"] for c in w["changes"]}
               for w in result.report["works"]}
    assert changes[by_title]["DOI"].startswith("crossref")
    assert changes[with_doi]["abstractNote"] == "pubmed"
    assert result.report["command"] == "refresh" and result.report["summary"]["update"] == 3


def test_the_users_own_values_are_left_alone_and_reported(world: RefreshEnv) -> None:
    (key,) = world.seed(article(3, volume="999", abstractNote="My own summary.",
                                tags=[{"tag": "to read"}]))

    result = world.run()

    item = world.item(key)
    assert (item["volume"], item["abstractNote"]) == ("999", "My own summary.")
    assert item["issue"] == work(3).issue  # empty: filled
    assert "to read" in world.tags(key)
    (reported,) = result.report["works"]
    kept = {c["field"]: (c["library"], c["zsync"], c["kind"]) for c in reported["conflicts"]}
    assert kept["volume"] == ("999", work(3).volume, "differs")
    assert kept["abstractNote"][0] == "My own summary."

    # The user changes a value zsync wrote; a second pass over everything keeps it.
    world.zotero.app.edit_item(None, key, {"issue": "8b"})
    again = world.run(everything=True)
    assert world.item(key)["issue"] == "8b"
    (row,) = again.report["works"]
    assert {c["field"]: c["kind"] for c in row["conflicts"]}["issue"] == "edited"
    with StateStore.open(world.state_path) as store:
        store.select_library("users/1")
        assert [(c.field, c.user_value) for c in store.conflicts.open(key)] == [("issue", "8b")]


def test_a_value_zsync_wrote_follows_the_source(world: RefreshEnv) -> None:
    doi = "10.5555/zsync.refresh.run.source-change"
    crossref = world.sources.crossref.app
    message = {"DOI": doi, "type": "journal-article", "title": ["A paper that moves"],
               "container-title": ["Journal of Tests"], "volume": "1", "issue": "1",
               "published": {"date-parts": [[2020]]},
               "author": [{"family": "Okafor", "given": "Ada"}]}
    crossref.add_work(message)
    (key,) = world.seed({"itemType": "journalArticle", "title": "A paper that moves",
                         "DOI": doi})
    world.run()
    world.zotero.app.edit_item(None, key, {"issue": "1 (suppl)"})  # the user's change
    crossref.add_work({**message, "volume": "2", "issue": "2"})

    world.run(everything=True, **{})  # cached answer: nothing new yet
    assert world.item(key)["volume"] == "1"
    fresh = RefreshEnv(world.tmp / "fresh-cache", world.zotero, world.sources)
    fresh.tmp.mkdir()
    fresh.state_path.write_bytes(world.state_path.read_bytes())
    fresh.run(everything=True)
    assert (world.item(key)["volume"], world.item(key)["issue"]) == ("2", "1 (suppl)")


def test_a_retracted_work_is_tagged_and_noted_once(world: RefreshEnv) -> None:
    retracted, corrected, plain = world.seed(article(RETRACTED), article(CORRECTED),
                                             article(NO_ABSTRACT))

    result = world.run()

    assert "Retracted" in world.tags(retracted) and world.tags(retracted)["Retracted"] == 0
    assert "Corrected" in world.tags(corrected)
    assert "Retracted" not in world.tags(plain) and world.notes(plain) == []
    (note,) = world.notes(retracted)
    notice = work(RETRACTED).retraction or {}
    for text in (notice["doi"], notice["date"], f"PMID {notice['pmid']}"):
        assert text in note
    listed = {r["identity"]: r["notice"] for r in result.report["retracted"]}
    assert set(listed) == {f"zotero:{retracted}", f"zotero:{corrected}"}
    assert "note added" in listed[f"zotero:{retracted}"]

    world.zotero.reset_log()
    again = world.run(everything=True)  # looks at every item again
    assert world.writes() == [] and len(world.notes(retracted)) == 1
    assert "noted before" in again.report["retracted"][0]["notice"]

    # The user deletes the note and edits the item: it is not added back.
    (note_key,) = [k for k, i in world.zotero.app.items().items()
                   if i.get("parentItem") == retracted]
    world.zotero.app.delete_remotely(None, note_key)
    world.zotero.app.edit_item(None, retracted, {"extra": "checked"})
    world.run()
    assert world.notes(retracted) == []


def test_second_run_with_nothing_changed_costs_nothing(world: RefreshEnv) -> None:
    world.seed(*(article(i) for i in range(10, 30)))
    world.run(chunk_size=7)
    world.zotero.reset_log()
    world.sources.reset()

    result = world.run()

    assert len(world.zotero.log) <= 3 and world.writes() == []
    assert world.sources.requests() == 0
    assert result.items == 0 and result.report["works"] == []

    # One item edited by the user: only that item is looked at again.
    key = next(iter(world.zotero.app.items()))
    world.zotero.app.edit_item(None, key, {"extra": "read on the train"})
    assert world.run().items == 1


def test_dry_run_writes_nothing(world: RefreshEnv) -> None:
    (key,) = world.seed(article(RETRACTED))
    version = world.zotero.app.version()

    result = world.run(dry_run=True)

    assert world.writes() == [] and world.zotero.app.version() == version
    assert result.report["mode"] == "dry-run" and result.plan.has_changes
    (row,) = result.report["works"]
    assert {c["field"] for c in row["changes"]} >= {"abstractNote", "PMID"}
    assert "note to add" in result.report["retracted"][0]["notice"]
    assert world.run().items == 1  # the dry run marked nothing as done
    assert len(world.notes(key)) == 1


def test_sync_flags_a_retracted_work_from_notes_once(world: RefreshEnv) -> None:
    w = work(RETRACTED)
    notes = world.tmp / "notes"
    notes.mkdir()
    (notes / "reading.md").write_text(
        f"- **Title**: {w.title}\n- **DOI**: https://doi.org/{w.doi}\n", encoding="utf-8")
    env_run = world.cli("sync", str(notes), "--json")
    assert env_run.exit_code == 0, env_run.output
    report = json.loads(env_run.output)
    assert report["retracted"] and report["summary"]["create"] == 1
    (key,) = [k for k, i in world.zotero.app.items().items() if i.get("DOI") == w.doi]
    assert "Retracted" in world.tags(key)
    notices = [n for n in world.notes(key) if "zsync-notice" in n]
    assert len(notices) == 1 and len(world.notes(key)) == 2  # the note's text, the notice

    world.zotero.reset_log()
    assert world.cli("sync", str(notes)).exit_code == 0
    assert world.cli("refresh", "--all").exit_code == 0
    assert world.writes() == [] and len(world.notes(key)) == 2


def test_only_the_tags_refresh_added_count_as_its_own(world: RefreshEnv) -> None:
    (key,) = world.seed(article(1, tags=[{"tag": "to read"}, {"tag": "Humans", "type": 1}]))
    world.run()
    with StateStore.open(world.state_path) as store:
        store.select_library("users/1")
        row = store.written.get(key)
    assert row is not None
    owned = {t["tag"] for t in row.data["tags"]}
    assert "to read" not in owned and "Humans" not in owned  # the user's, sent along
    assert owned == {m.term for m in work(1).mesh} - {"Humans"}
    mesh_tag = sorted(owned)[0]
    kept = [t for t in world.item(key)["tags"] if t["tag"] != mesh_tag]
    world.zotero.app.edit_item(None, key, {"tags": kept})  # the user removes one
    world.run(everything=True)
    assert mesh_tag not in world.tags(key) and "to read" in world.tags(key)
