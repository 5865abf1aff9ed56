"""A field added to the field table alone is synced like any other: written to the item
zsync creates, read back from the library on the next run, and updated when the note
changes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.env import SyncEnv
from zsync.model import fields
from zsync.model.fields import Field
from zsync.zotero.from_item import item_to_record

TITLE = "Harbour tide tables printed with the wrong datum"


@pytest.fixture
def section() -> Iterator[Field]:
    field = Field("section", csl=("section",), in_record=False)
    fields.register(field)
    yield field
    fields.unregister(field.key)


def _csl(folder: Path, section: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "clippings.json"
    path.write_text(json.dumps([{
        "id": "tide", "type": "article-newspaper", "title": TITLE,
        "container-title": "The Harbour Gazette", "section": section,
        "issued": {"date-parts": [[2021, 4, 2]]},
        "author": [{"family": "Okafor", "given": "Ada"}],
    }]), encoding="utf-8")
    return path


def test_an_added_field_is_created_read_back_and_updated(world: SyncEnv, section: Field) -> None:
    notes = world.tmp / "notes"
    _csl(notes, "Science")

    assert world.cli("sync", str(notes)).exit_code == 0
    item = world.library().by_title(TITLE)
    assert item["section"] == "Science"
    assert fields.value_of(item_to_record(item), section) == "Science"

    world.zotero.reset_log()
    assert world.cli("sync", str(notes)).exit_code == 0
    assert world.writes() == []  # what the library holds is what the note says

    _csl(notes, "Local news")
    assert world.cli("sync", str(notes)).exit_code == 0
    assert world.library().by_title(TITLE)["section"] == "Local news"
