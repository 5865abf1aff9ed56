"""Citation keys as the link between a note and its Zotero item."""

from __future__ import annotations

import json
from pathlib import Path

from tests.servers.generate import make_work
from tests.sync.conftest import GENERATED_SEED
from tests.sync.env import SyncEnv


def _bibtex(folder: Path, key: str, title: str, doi: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.bib"
    doi_line = f"  doi = {{{doi}}},\n" if doi else ""
    path.write_text(f"@article{{{key},\n  title = {{{title}}},\n{doi_line}"
                    "  keywords = {from-bib},\n}\n", encoding="utf-8")
    return path


def test_a_key_finds_the_item_holding_it_in_its_field_or_in_extra(world: SyncEnv) -> None:
    app, ref = world.zotero.app, world.ref
    in_field = app.seed_item({"itemType": "book", "title": "Reading Zotero Items Slowly",
                              "citationKey": "quistReading2019"}, ref=ref)
    in_extra = app.seed_item({"itemType": "book", "title": "A Book Better BibTeX Keyed",
                              "extra": "Citation Key: ortizBook2011\nsomething: else"}, ref=ref)
    notes = world.tmp / "notes"
    # titles unlike the items' own: only the key can tie them
    _bibtex(notes, "quistReading2019", "Notes while reading")
    _bibtex(notes, "ortizBook2011", "Chapter summaries")

    result = world.cli("sync", str(notes), "--json")

    assert result.exit_code == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["create"] == 0
    assert {w["matched_by"] for w in report["works"]} == {
        "citation key quistReading2019", "citation key ortizBook2011"}
    library = world.library()
    assert len(library.works) == 2
    assert "from-bib" in library.tags(library.items[in_field])
    assert "from-bib" in library.tags(library.items[in_extra])
    assert library.items[in_extra]["citationKey"] == "ortizBook2011"  # into its field
    assert library.items[in_field]["title"] == "Reading Zotero Items Slowly"  # theirs, kept
    world.zotero.reset_log()
    assert world.cli("sync", str(notes)).exit_code == 0
    assert world.writes() == []


def test_a_created_item_carries_the_key(world: SyncEnv) -> None:
    work = make_work(9, GENERATED_SEED)
    notes = world.tmp / "notes"
    _bibtex(notes, "lateKey2020", work.title, work.doi)

    assert world.cli("sync", str(notes)).exit_code == 0

    assert world.library().by_doi(work.doi)["citationKey"] == "lateKey2020"


def test_two_works_claiming_one_key_are_reported_not_merged(world: SyncEnv) -> None:
    held, other = make_work(10, GENERATED_SEED), make_work(11, GENERATED_SEED)
    app, ref = world.zotero.app, world.ref
    key = app.seed_item({"itemType": "journalArticle", "title": held.title, "DOI": held.doi,
                         "citationKey": "sharedKey2020"}, ref=ref)
    notes = world.tmp / "notes"
    _bibtex(notes, "sharedKey2020", other.title, other.doi)

    result = world.cli("sync", str(notes), "--json")

    assert result.exit_code == 0, result.stderr
    [work] = json.loads(result.stdout)["works"]
    assert work["action"] == "create"
    said = " ".join(work.get("remarks") or [])
    assert "citation key sharedKey2020 is also the key of item" in said and key in said
    library = world.library()
    assert len(library.works) == 2
    assert library.items[key]["DOI"] == held.doi  # untouched
    assert library.by_doi(other.doi)["title"] != held.title


def test_notes_known_only_by_their_key_update_the_items_holding_it(world: SyncEnv) -> None:
    app, ref = world.zotero.app, world.ref
    by_field = app.seed_item({"itemType": "book", "title": "Deep Reading",
                              "citationKey": "lecunDeepLearning2015"}, ref=ref)
    by_extra = app.seed_item({"itemType": "book", "title": "Org Mode for Scholars",
                              "extra": "Citation Key: doeOrg2020"}, ref=ref)
    by_name = app.seed_item({"itemType": "book", "title": "Named Notes",
                             "citationKey": "smithNamed2019"}, ref=ref)
    notes = world.tmp / "notes"
    notes.mkdir()
    (notes / "lecun.md").write_text("---\ncitekey: lecunDeepLearning2015\nstatus: reading\n"
                                    "---\n\nWhat I made of it.\n", encoding="utf-8")
    (notes / "doe.org").write_text(":PROPERTIES:\n:ROAM_REFS: cite:&doeOrg2020\n:END:\n"
                                   "#+filetags: :orgkey:\n\nSome notes.\n", encoding="utf-8")
    (notes / "@smithNamed2019.md").write_text("Thoughts, in a file named by its key.\n",
                                             encoding="utf-8")
    (notes / "@nobodyHasThis2001.md").write_text("A key no item holds.\n", encoding="utf-8")

    result = world.cli("sync", str(notes), "--json")

    report = json.loads(result.stdout)
    assert report["summary"]["create"] == 0, result.stdout
    matched = {w["matched_by"] for w in report["works"] if w.get("matched_by")}
    assert matched == {"citation key lecunDeepLearning2015", "citation key doeOrg2020",
                       "citation key smithNamed2019"}
    [lost] = [w for w in report["works"] if w["action"] == "error"]
    assert "citation key nobodyHasThis2001" in lost["message"]
    library = world.library()
    assert len(library.works) == 3
    assert ("Status", "Reading") in library.filed_in(library.items[by_field])
    assert "orgkey" in library.tags(library.items[by_extra])
    assert any("Thoughts" in n["note"] for n in library.notes(by_name))
    world.zotero.reset_log()
    world.cli("sync", str(notes))
    assert world.writes() == []
