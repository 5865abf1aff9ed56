"""The shared example notes: their duplicate groups are found, with the rule that fired,
and the look-alikes among them stay apart.

Two views of the same facts: records built by hand from EXPECTED.jsonl (only what each note
literally holds: its `in_note` identifiers, title, year, first author, type), and the
records the parsers read from the files (skipped when a parser cannot read one yet).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from zsync.dedupe.duplicates import find_duplicates
from zsync.dedupe.libmatch import match_library
from zsync.dedupe.within_input import Group
from zsync.model.records import Creator, Identifiers, Origin, PartialDate, Record
from zsync.zotero.library import LibraryItem, LibraryView

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "examples"
pytestmark = pytest.mark.skipif(not (SHARED / "EXPECTED.jsonl").exists(),
                                reason="shared examples not present")


def expected() -> list[dict[str, Any]]:
    lines = (SHARED / "EXPECTED.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def canonical(line: dict[str, Any]) -> str:
    return str(line["is_duplicate_of"] or line["id"])


def by_hand(line: dict[str, Any]) -> Record:
    present = set(line.get("in_note") or [])
    doi = line["doi"] if "doi" in present else None
    arxiv = None
    if "arxiv" in present and (line["doi"] or "").startswith("10.48550/arxiv."):
        arxiv = line["doi"].split("arxiv.", 1)[1]
    ids = Identifiers(doi=doi, pmid=line["pmid"] if "pmid" in present else None,
                      pmcid=line["pmcid"] if "pmcid" in present else None, arxiv=arxiv)
    year = line["year"]
    return Record(
        origin=Origin(line["files"][0], position=line.get("position", 1)), ids=ids,
        title=line["title"], creators=(Creator(family=line["first_author_family"]),),
        date=PartialDate(str(year), year), item_type=line["item_type"],
    )


def usable_lines() -> list[dict[str, Any]]:
    return [line for line in expected() if not line["should_fail"]]


def check_groups(lines: list[dict[str, Any]], groups: list[Group]) -> None:
    group_of = {m: n for n, g in enumerate(groups) for m in g.members}
    for i, line in enumerate(lines):
        for j, other in enumerate(lines):
            same = canonical(line) == canonical(other)
            assert (group_of[i] == group_of[j]) == same, (line["id"], other["id"])
    for group in groups:
        assert len(group.matches) == len(group.members) - 1
        for match in group.matches:
            assert match.rule and match.evidence


def test_duplicate_groups_from_expected_are_found_and_lookalikes_stay_apart() -> None:
    lines = usable_lines()
    groups = find_duplicates([by_hand(line) for line in lines])
    check_groups(lines, groups)
    rules = {lines[g.members[1]]["id"]: g.matches[0].rule for g in groups if len(g.members) > 1}
    assert rules["michie2011-list"] == "title, year and creator"  # PMID vs DOI+PMCID
    assert rules["ioannidis2005-dataview"] == "same PMCID"
    assert rules["lecun2015-vufind-en"] == "same DOI"
    assert rules["ajzen1985-marc"] == "same DOI"


def _parsed() -> dict[tuple[str, int], Record]:
    from zsync.inputs.files import parse_paths

    found: dict[tuple[str, int], Record] = {}
    for line in usable_lines():
        for result in parse_paths([SHARED / line["files"][0]]):
            for record in result.records:
                found[(line["files"][0], record.origin.position)] = record
    return found


def test_duplicate_groups_from_the_files_are_found_and_lookalikes_stay_apart() -> None:
    try:
        parsed = _parsed()
    except Exception as error:  # a parser still being written
        pytest.skip(f"parsing the examples failed: {error}")
    lines = [line for line in usable_lines()
             if (line["files"][0], line.get("position", 1)) in parsed]
    if len(lines) < len(usable_lines()):
        pytest.skip("some example files are not parsed yet")
    records = [parsed[(line["files"][0], line.get("position", 1))] for line in lines]
    check_groups(lines, find_duplicates(records))


def item_of(line: dict[str, Any], key: str) -> LibraryItem:
    """The canonical work as a Zotero item, its DOI in `extra` (as for types without a DOI
    field) to show identifiers are found wherever they are kept."""
    data = {
        "key": key, "itemType": line["item_type"], "title": line["title"],
        "creators": [{"creatorType": "author", "lastName": line["first_author_family"],
                      "firstName": ""}],
        "date": str(line["year"]), "extra": f"DOI: {line['doi']}" if line["doi"] else "",
        "dateAdded": "2020-01-01T00:00:00Z",
    }
    return LibraryItem(key, 1, data)


def test_every_appearance_finds_its_library_item() -> None:
    lines = usable_lines()
    items = {line["id"]: item_of(line, f"K{n:07d}") for n, line in enumerate(lines)
             if not line["is_duplicate_of"]}
    library = LibraryView.build(items.values())
    found = match_library([by_hand(line) for line in lines], library)
    for line, match in zip(lines, found, strict=True):
        assert match is not None, line["id"]
        assert match.key == items[canonical(line)].key, (line["id"], match)
