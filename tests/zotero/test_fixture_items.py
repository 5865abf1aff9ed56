"""Every recorded Crossref work and PubMed article gives the Zotero item Zotero's own
translators would make (see crossref_cases.py / pubmed_cases.py), valid under the schema."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from tests.shared_files import CROSSREF_WORKS, PUBMED_EFETCH, shared_file
from tests.sources import crossref_cases, pubmed_cases
from tests.sources.expectations import Case, item_differences
from zsync.model.records import Record
from zsync.sources.crossref.mapping import work_to_record
from zsync.sources.pubmed.mapping import parse_pubmed_xml
from zsync.zotero.schema import ZoteroSchema
from zsync.zotero.to_item import record_to_item

SCHEMA = ZoteroSchema.load_default()


def crossref_record(name: str) -> Record:
    path = shared_file(CROSSREF_WORKS / name)
    return work_to_record(json.loads(path.read_text("utf-8"))["message"])


@cache
def _pubmed_records(path: Path) -> tuple[Record, ...]:
    return tuple(parse_pubmed_xml(path.read_bytes(), origin_path=path.name))


def pubmed_records(name: str) -> tuple[Record, ...]:
    return _pubmed_records(shared_file(PUBMED_EFETCH / name))


@pytest.mark.parametrize("case", crossref_cases.CASES, ids=lambda c: c.id)
def test_crossref_work_gives_zotero_item(case: Case) -> None:
    item = record_to_item(crossref_record(case.fixture), SCHEMA)
    assert item_differences(item, case.expected()) == []
    assert SCHEMA.item_problems(item) == []


@pytest.mark.parametrize("case", pubmed_cases.CASES, ids=lambda c: c.id)
def test_pubmed_article_gives_zotero_item(case: Case) -> None:
    item = record_to_item(pubmed_records(case.fixture)[case.index], SCHEMA)
    assert item_differences(item, case.expected()) == []
    assert SCHEMA.item_problems(item) == []


def test_every_crossref_work_fixture_has_a_case() -> None:
    folder = shared_file(CROSSREF_WORKS)
    assert {p.name for p in folder.glob("*.json")} == {c.fixture for c in crossref_cases.CASES}


def test_every_pubmed_article_has_a_case() -> None:
    folder = shared_file(PUBMED_EFETCH)
    expected = {(c.fixture, c.index) for c in pubmed_cases.CASES}
    found = {
        (path.name, index)
        for path in folder.glob("*.xml")
        for index in range(len(_pubmed_records(path)))
    }
    assert found == expected


def test_deviations_from_zotero_are_explained() -> None:
    for case in [*crossref_cases.CASES, *pubmed_cases.CASES]:
        assert not case.zsync or case.why, case.id
        assert all(case.zotero.get(k) != v for k, v in case.zsync.items()), case.id
