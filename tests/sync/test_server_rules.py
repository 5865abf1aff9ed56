"""Values the Zotero server cleans or refuses: a control character and surrounding spaces
in a title, and values over Zotero's length limits. A sync stores what a user would want,
never has an item refused, and a run right after it writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.sync.env import SyncEnv
from tests.sync.notes import title_note

TAG_LIMIT = CREATOR_LIMIT = 255  # characters
FIELD_LIMIT = 65_535  # bytes
NOTE_LIMIT = 500_000  # characters


# -- 8. a control character and spaces around a title ---------------------------------------

BELL_TITLE = "Bells\u0007 at night on a surgical ward: an audit of alarm fatigue"


def markdown_with_bell(folder: Path) -> Path:
    path = folder / "bells.md"
    path.write_text(title_note(BELL_TITLE, ["Ines Varga", "Tomas Lund"], 2019), "utf-8")
    return path


def csl_with_bell(folder: Path) -> Path:
    path = folder / "bells.json"
    path.write_text(json.dumps([{
        "id": "bells", "type": "article-journal", "title": f"  {BELL_TITLE}\t ",
        "author": [{"family": "Varga", "given": "Ines"}, {"family": "Lund", "given": "Tomas"}],
        "container-title": " Journal of Ward Practice ", "issued": {"date-parts": [[2019]]},
    }]), "utf-8")
    return path


@pytest.mark.parametrize("write", [markdown_with_bell, csl_with_bell],
                         ids=["markdown", "csl-json"])
def test_a_control_character_in_a_title_is_no_conflict(world: SyncEnv, write: Any) -> None:
    folder = world.tmp / "notes"
    folder.mkdir()
    path = write(folder)
    assert world.run([path]).failed == 0

    world.zotero.reset_log()
    again = world.run([path])

    assert [c for w in again.report["works"] for c in w["conflicts"]] == []
    assert world.writes() == []
    assert world.rerun_writes([path]) == []
    [work] = world.library().works
    assert "\u0007" not in work["title"] and work["title"] == work["title"].strip()
    assert work["title"].startswith("Bells at night")


# -- 10. values over Zotero's limits -------------------------------------------------------------

LONG_TITLE = "Long values on their way to the library: a field guide"
LONG_TAG = "longtag-" + "x" * 292  # 300 characters
LONG_FAMILY = "Quixote" * 43  # 301 characters
LONG_ABSTRACT = ("The abstract goes on and on about measurement. " * 1_500)[:70_000]
LONG_THOUGHTS = ("My reading notes keep growing with every chapter. " * 12_000)[:600_000]


def cut_with_marker(value: str, original: str) -> bool:
    """`value` is the start of `original`, visibly marked as shortened (not a bare prefix)."""
    return value.startswith(original[:100]) and not original.startswith(value)


def test_over_long_values_are_shortened_and_reported_not_refused(world: SyncEnv) -> None:
    folder = world.tmp / "notes"
    folder.mkdir()
    path = folder / "long.md"
    path.write_text(title_note(LONG_TITLE, [f"Ada {LONG_FAMILY}", "Bo Chen"], 2020,
                               keywords=[LONG_TAG, "measurement"], abstract=LONG_ABSTRACT,
                               thoughts=LONG_THOUGHTS), "utf-8")

    result = world.run([path])

    assert result.failed == 0, [w["result"] for w in result.report["works"]]
    lib = world.library()
    [item] = [w for w in lib.works if w["title"].startswith("Long values")]
    [tag] = [t for t in lib.tags(item) if t.startswith("longtag-")]
    assert len(tag) <= TAG_LIMIT and cut_with_marker(tag, LONG_TAG)
    assert "measurement" in lib.tags(item)
    [family] = [c["lastName"] for c in item["creators"]
                if c.get("lastName", "").startswith("Quixote")]
    assert len(family) <= CREATOR_LIMIT and cut_with_marker(family, LONG_FAMILY)
    abstract = item["abstractNote"]
    assert len(abstract.encode()) <= FIELD_LIMIT and cut_with_marker(abstract, LONG_ABSTRACT)
    notes = lib.notes(item["key"])
    assert notes and all(len(n["note"]) <= NOTE_LIMIT for n in notes)
    assert LONG_THOUGHTS[:200] in lib.notes_text(item["key"])
    [work] = [w for w in result.report["works"] if w["item_key"] == item["key"]]
    told = json.dumps([work["message"], work["conflicts"], work["remarks"],
                       result.report["notices"]]).lower()
    assert all(word in told for word in ("tag", "abstract", "note"))
    assert "creator" in told or "author" in told
    assert world.rerun_writes([path]) == []
