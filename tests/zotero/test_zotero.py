"""Record -> Zotero item: fields by type, Extra, identifiers by schema version, creators, tags."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.shared_files import REPO_ROOT
from zsync.model.records import Creator, Identifiers, MeshHeading, Origin, PartialDate, Record
from zsync.zotero.schema import ZoteroSchema
from zsync.zotero.to_item import item_type_for, record_to_item, zotero_date

SCHEMA = ZoteroSchema.load_default()
COMPACT = json.loads((REPO_ROOT / "zsync" / "data" / "zotero_schema.json").read_text("utf-8"))


def _old_schema() -> ZoteroSchema:
    """Schema as before December 2025: no PMID/PMCID anywhere, no DOI on books."""
    compact: dict[str, Any] = copy.deepcopy(COMPACT)
    compact["version"] = 30
    for name, spec in compact["itemTypes"].items():
        drop = {"PMID", "PMCID"} | ({"DOI"} if name != "journalArticle" else set())
        spec["fields"] = [f for f in spec["fields"] if f not in drop]
    return ZoteroSchema.from_compact(compact)


def _record(**fields: Any) -> Record:
    return Record(origin=Origin(path="notes.md"), **fields)


ARTICLE = _record(
    item_type="journalArticle", title="A title", container="Journal",
    ids=Identifiers(doi="10.1234/abc", pmid="123", pmcid="PMC456"),
    date=PartialDate("2020-03", 2020, 3), volume="1", issue="2", pages="3-4",
    issn=("1111-2222",), journal_abbreviation="J", language="en",
    creators=(Creator(family="Doe", given="Jane"), Creator(name="The Group")),
)


def test_journal_article_on_schema_41_uses_the_pmid_fields() -> None:
    item = record_to_item(ARTICLE, SCHEMA)
    assert item["PMID"] == "123"
    assert item["PMCID"] == "PMC456"
    assert item["DOI"] == "10.1234/abc"
    assert "extra" not in item
    assert item["creators"] == [
        {"creatorType": "author", "firstName": "Jane", "lastName": "Doe"},
        {"creatorType": "author", "name": "The Group"},
    ]
    assert (item["collections"], item["relations"]) == ([], {})


def test_old_schema_puts_identifiers_in_extra() -> None:
    old = _old_schema()
    article = record_to_item(ARTICLE, old)
    assert article["extra"] == "PMID: 123\nPMCID: PMC456"
    assert article["DOI"] == "10.1234/abc"
    book = record_to_item(_record(item_type="book", ids=ARTICLE.ids), old)
    assert book["extra"] == "DOI: 10.1234/abc\nPMID: 123\nPMCID: PMC456"
    assert old.item_problems(book) == []


def test_fields_a_type_lacks_go_to_extra_and_catalog_is_dropped() -> None:
    record = replace(ARTICLE, item_type="blogPost",
                     fields={"libraryCatalog": "Crossref", "extra": "Note: kept"})
    item = record_to_item(record, SCHEMA)
    assert item["blogTitle"] == "Journal"
    assert "libraryCatalog" not in item
    assert item["extra"].split("\n") == [
        "Note: kept", "volume: 1", "issue: 2", "pages: 3-4", "journalAbbreviation: J",
        "PMID: 123", "PMCID: PMC456"]
    assert SCHEMA.item_problems(item) == []


def test_fields_override_core_values_through_base_fields() -> None:
    record = _record(item_type="preprint", title="P", publisher="openRxiv",
                     fields={"repository": "bioRxiv", "archiveID": "rs.1"})
    item = record_to_item(record, SCHEMA)
    assert (item["repository"], item["archiveID"]) == ("bioRxiv", "rs.1")
    thesis = record_to_item(_record(item_type="thesis", publisher="Uni Library"), SCHEMA)
    assert thesis["university"] == "Uni Library"


def test_extra_does_not_repeat_a_value_already_in_a_field() -> None:
    record = _record(item_type="dataset", publisher="PDB", fields={"seriesTitle": "PDB"})
    assert "extra" not in record_to_item(record, SCHEMA)


@pytest.mark.parametrize(
    ("item_type", "role", "expected"),
    [
        ("bookSection", "bookAuthor", "bookAuthor"),
        ("journalArticle", "bookAuthor", "author"),
        ("artwork", "author", "artist"),
        ("artwork", "bookAuthor", "artist"),
        ("dataset", "editor", "contributor"),
        ("book", "seriesEditor", "seriesEditor"),
        ("journalArticle", "seriesEditor", "editor"),
        ("thesis", "translator", "contributor"),
        ("audioRecording", "author", "performer"),
    ],
)
def test_creator_roles_are_made_valid(item_type: str, role: str, expected: str) -> None:
    record = _record(item_type=item_type, creators=(Creator(family="X", given="Y", role=role),))
    item = record_to_item(record, SCHEMA)
    assert item["creators"][0]["creatorType"] == expected
    assert SCHEMA.item_problems(item) == []


def test_tags_manual_and_automatic() -> None:
    record = _record(
        tags=("to read",), keywords=("Burns", "burns "),
        mesh=(MeshHeading("Burns"), MeshHeading("Humans", major=True)),
    )
    item = record_to_item(record, SCHEMA, tags_manual=["zsync"], tags_automatic=["auto"])
    assert item["tags"] == [
        {"tag": "to read", "type": 0}, {"tag": "Burns", "type": 0},
        {"tag": "burns", "type": 0}, {"tag": "zsync", "type": 0},
        {"tag": "Humans", "type": 1}, {"tag": "auto", "type": 1},
    ]
    without_mesh = record_to_item(record, SCHEMA, include_mesh=False)
    assert [t["tag"] for t in without_mesh["tags"]] == ["to read", "Burns", "burns"]


def test_access_date_is_never_invented_and_collections_are_kept() -> None:
    item = record_to_item(ARTICLE, SCHEMA, collections=["ABCD1234", "ABCD1234", "EFGH5678"])
    assert "accessDate" not in item
    assert item["collections"] == ["ABCD1234", "EFGH5678"]


def test_item_type_guesses() -> None:
    assert item_type_for(_record(container="J"), SCHEMA) == "journalArticle"
    assert item_type_for(_record(ids=Identifiers(isbn=("9780306406157",))), SCHEMA) == "book"
    assert item_type_for(_record(ids=Identifiers(arxiv="2101.00001")), SCHEMA) == "preprint"
    assert item_type_for(_record(item_type="note"), SCHEMA) == "document"
    assert item_type_for(_record(item_type="nonsense"), SCHEMA) == "document"
    no_preprint = ZoteroSchema.from_compact({**COMPACT, "itemTypes": {
        k: v for k, v in COMPACT["itemTypes"].items() if k != "preprint"}})
    assert item_type_for(_record(item_type="preprint"), no_preprint) == "report"


def test_arxiv_id_goes_to_archive_id_or_extra() -> None:
    ids = Identifiers(arxiv="2101.00001")
    preprint = record_to_item(_record(item_type="preprint", ids=ids), SCHEMA)
    assert preprint["archiveID"] == "arXiv:2101.00001"
    article = record_to_item(_record(item_type="journalArticle", ids=ids), SCHEMA)
    assert article["extra"] == "arXiv: 2101.00001"


def test_title_field_follows_the_type() -> None:
    item = record_to_item(_record(item_type="case", title="Roe v. Wade"), SCHEMA)
    assert item["caseName"] == "Roe v. Wade"
    assert "title" not in item


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (PartialDate("2020-03-05", 2020, 3, 5), "2020-03-05"),
        (PartialDate("March 5, 2020", 2020, 3, 5), "2020-03-05"),
        (PartialDate("2020 Mar", 2020, 3), "2020-03"),
        (PartialDate("2010 Sep-Oct", 2010), "2010 Sep-Oct"),
        (PartialDate("1990 Spring", 1990), "1990 Spring"),
        (PartialDate("", 1999), "1999"),
        (PartialDate("n.d."), "n.d."),
        (PartialDate(""), None),
        (None, None),
    ],
)
def test_zotero_date(date: PartialDate | None, expected: str | None) -> None:
    assert zotero_date(date) == expected


def test_output_is_deterministic_and_in_schema_order() -> None:
    first = record_to_item(ARTICLE, SCHEMA)
    assert first == record_to_item(ARTICLE, SCHEMA)
    keys = [k for k in first if k not in ("itemType", "creators", "tags", "collections",
                                          "relations")]
    order = SCHEMA.fields("journalArticle")
    assert keys == sorted(keys, key=order.index)


ALL_FIELDS = sorted({f for t in SCHEMA.item_types for f in SCHEMA.fields(t)})
ALL_ROLES = sorted({c for t in SCHEMA.item_types for c in SCHEMA.creator_types(t)})
ITEM_TYPES = [t for t in SCHEMA.item_types if t not in ("note", "attachment", "annotation")]


@given(
    item_type=st.sampled_from([*ITEM_TYPES, None, "nonsense"]),
    roles=st.lists(st.sampled_from(ALL_ROLES), max_size=4),
    fields=st.dictionaries(st.sampled_from(ALL_FIELDS), st.text(min_size=1, max_size=5),
                           max_size=6),
    container=st.one_of(st.none(), st.text(max_size=5)),
)
@settings(max_examples=150, deadline=None)
def test_every_item_is_valid_for_its_type(
    item_type: str | None, roles: list[str], fields: dict[str, str], container: str | None
) -> None:
    record = _record(
        item_type=item_type, title="T", container=container, volume="1", pages="2",
        ids=Identifiers(doi="10.1234/x", pmid="1", pmcid="PMC2", isbn=("9780306406157",),
                        arxiv="2101.00001"),
        creators=tuple(Creator(family="F", given="G", role=r) for r in roles),
        fields=fields,
    )
    item = record_to_item(record, SCHEMA)
    assert SCHEMA.item_problems(item) == []
    assert item == record_to_item(record, SCHEMA)
