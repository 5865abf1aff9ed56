"""`zsync add ID...`: works named by identifier go through the same path as a note's."""

from __future__ import annotations

import json

from tests.servers.generate import make_work
from tests.sync.conftest import GENERATED_SEED
from tests.sync.env import SyncEnv

ISBN_13 = "9780262035613"  # a valid ISBN-13 (check digit 3)
ARXIV_KNOWN = "2101.00001"
ARXIV_UNKNOWN = "2405.12345"


def _register_arxiv(world: SyncEnv, arxiv_id: str, title: str) -> None:
    world.sources.crossref_app.add_datacite({
        "DOI": f"10.48550/arXiv.{arxiv_id}", "type": "article", "title": title,
        "author": [{"family": "Quist", "given": "Ada"}], "publisher": "arXiv",
        "issued": {"date-parts": [[2021, 1, 4]]},
    })


def test_a_doi_a_pmid_an_arxiv_id_and_an_isbn_make_four_items_once(world: SyncEnv) -> None:
    by_doi, by_pmid = make_work(3, GENERATED_SEED), make_work(4, GENERATED_SEED)
    _register_arxiv(world, ARXIV_KNOWN, "Learning to add papers by identifier")
    given = (f"https://doi.org/{by_doi.doi}", by_pmid.pmid, f"arXiv:{ARXIV_KNOWN}",
             f"ISBN {ISBN_13[:3]}-{ISBN_13[3:]}")

    first = world.cli("add", *given, "--tag", "from-add", "--status", "reading", "--json")

    assert first.exit_code == 0, first.stdout + first.stderr
    assert json.loads(first.stdout)["summary"]["create"] == 4
    library = world.library()
    assert len(library.works) == 4
    titles = {w.get("title") for w in library.works}
    assert {by_doi.title, by_pmid.title, "Learning to add papers by identifier"} <= titles
    book = next(w for w in library.works if w["itemType"] == "book")
    assert book.get("ISBN", "").replace("-", "") == ISBN_13
    for work in library.works:
        assert "from-add" in library.tags(work)
        assert ("Status", "Reading") in library.filed_in(work)
    assert "from the ISBN alone" in first.stdout

    world.zotero.reset_log()
    again = world.cli("add", *given, "--tag", "from-add", "--status", "reading", "--json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["summary"]["create"] == 0
    assert world.writes() == []
    assert len(world.library().works) == 4


def test_a_work_already_synced_from_a_note_is_not_added_again(world: SyncEnv) -> None:
    work = make_work(5, GENERATED_SEED)
    notes = world.tmp / "notes"
    notes.mkdir()
    (notes / "paper.md").write_text(f"# {work.title}\n\nDOI: {work.doi}\n", encoding="utf-8")
    assert world.cli("sync", str(notes)).exit_code == 0

    added = world.cli("add", work.doi.upper(), "--json")

    assert added.exit_code == 0, added.stderr
    assert json.loads(added.stdout)["summary"]["create"] == 0
    assert world.library().count_doi(work.doi) == 1


def test_identifiers_no_source_knows_are_named_with_why(world: SyncEnv) -> None:
    unknown_doi = "10.5555/no-such-work-anywhere"
    result = world.cli("add", unknown_doi, "not-an-identifier", "9780262035614",
                       f"arxiv.org/abs/{ARXIV_UNKNOWN}v2", "--json")

    assert result.exit_code == 1
    report = json.loads(result.stdout)
    problems = " | ".join(p["error"] for p in report["input_problems"])
    assert f"DOI {unknown_doi} was not added" in problems and "crossref" in problems
    assert "'not-an-identifier' is not a DOI" in problems
    assert "'9780262035614' is not" in problems  # wrong check digit
    [preprint] = world.library().works  # an arXiv id no source knows: from the id alone
    assert preprint["itemType"] == "preprint"
    assert ARXIV_UNKNOWN in preprint.get("url", "") + preprint.get("archiveID", "")


def test_identifiers_from_a_file_or_stdin_and_into_a_collection(world: SyncEnv) -> None:
    works = [make_work(i, GENERATED_SEED) for i in (6, 7, 8)]
    listing = world.tmp / "ids.txt"
    listing.write_text(f"# to read\n{works[0].doi}\n\nPMID: {works[1].pmid}  # review\n",
                       encoding="utf-8")

    dry = world.cli("add", "--from", str(listing), "--collection", "Projects/Thesis",
                    "--dry-run", "--json")
    assert dry.exit_code == 0, dry.stderr
    assert json.loads(dry.stdout)["summary"]["create"] == 2 and world.writes() == []

    assert world.cli("add", "--from", str(listing), "--collection", "Projects/Thesis"
                     ).exit_code == 0
    from tests.support import invoke_cli
    piped = invoke_cli(["add", "--collection", "Projects/Thesis"], world.env(), world.tmp,
                       input=f"{works[2].doi}\n{works[0].doi}\n")
    assert piped.exit_code == 0, piped.stderr
    library = world.library()
    assert len(library.works) == 3
    assert all(("Projects", "Thesis") in library.filed_in(w) for w in library.works)
    assert library.collection_paths()[("Projects", "Thesis")] == 1
