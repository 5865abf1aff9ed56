"""The field table: a field added to it is read, merged, written to Zotero and read back
without any other module naming it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from zsync.enrich.jsonform import enriched_to_json
from zsync.enrich.merge import SourceRecord, merge
from zsync.inputs.exports import csl_json
from zsync.model import fields
from zsync.model.fields import Field, Kind, Precedence
from zsync.model.records import Origin, Record
from zsync.model.serialize import record_to_json
from zsync.zotero.from_item import item_to_record
from zsync.zotero.schema import ZoteroSchema
from zsync.zotero.to_item import record_to_item

SCHEMA = ZoteroSchema.load_default()
SECTION = "Science & Health"
CSL = json.dumps([{
    "id": "tide", "type": "article-newspaper", "title": "The tide tables were wrong",
    "container-title": "The Harbour Gazette", "section": SECTION,
    "issued": {"date-parts": [[2021, 4, 2]]},
    "author": [{"family": "Okafor", "given": "Ada"}],
}])
ZOTERO_JSON = json.dumps([{
    "key": "AB12CD34", "version": 3, "itemType": "newspaperArticle",
    "title": "Dredging starts in May", "publicationTitle": "The Harbour Gazette",
    "section": SECTION, "date": "2022-03-01", "creators": [], "tags": [],
}])


@pytest.fixture
def section() -> Iterator[Field]:
    """Zotero's `section` (CSL `section`), which the shipped table does not name."""
    field = Field("section", csl=("section",), in_record=False)
    fields.register(field)
    yield field
    fields.unregister(field.key)


def _parsed(text: str) -> Record:
    (record,) = csl_json.parse(text, "refs.json")
    return record


@pytest.mark.parametrize("text", [CSL, ZOTERO_JSON], ids=["csl-json", "zotero-json"])
def test_an_added_field_goes_from_an_export_into_the_item_and_back(
        section: Field, text: str) -> None:
    record = _parsed(text)
    data = record_to_item(record, SCHEMA)

    assert data["itemType"] == "newspaperArticle"
    assert data["section"] == SECTION
    assert SCHEMA.item_problems(data) == []
    back = item_to_record(data, SCHEMA, key="AB12CD34")
    assert fields.value_of(back, section) == SECTION
    assert record_to_item(back, SCHEMA) == data


def test_without_its_table_line_a_csl_variable_is_not_read() -> None:
    record = _parsed(CSL)

    assert "section" not in record.fields
    assert "section" not in record_to_item(record, SCHEMA)


def test_an_added_field_is_shown_in_both_json_forms_with_its_source(section: Field) -> None:
    record = _parsed(CSL)

    assert record_to_json(record)["fields"] == {"section": SECTION}
    shown = enriched_to_json(merge(record, []))["fields"]
    assert shown[section.key] == {"value": SECTION, "source": "note", "fetched_at": None}


def _source(section_name: str) -> SourceRecord:
    from_source = Record(Origin("crossref"), title="The tide tables were wrong",
                         fields={"section": section_name})
    return SourceRecord("crossref", from_source, "2026-01-01T00:00:00Z")


@pytest.mark.parametrize(("precedence", "winner"), [
    (Precedence.LOCAL_FIRST, "note"), (Precedence.BIBLIOGRAPHIC, "crossref")])
def test_the_table_line_says_which_source_wins_a_field(
        precedence: Precedence, winner: str) -> None:
    field = Field("section", csl=("section",), precedence=precedence, in_record=False)
    fields.register(field)
    try:
        enriched = merge(_parsed(CSL), [_source("Local")])
    finally:
        fields.unregister(field.key)

    expected = SECTION if winner == "note" else "Local"
    assert enriched.record.fields["section"] == expected
    assert enriched.provenance[field.key].source == winner


def test_a_field_compared_by_its_line_reports_a_disagreement() -> None:
    field = Field("section", csl=("section",), precedence=Precedence.BIBLIOGRAPHIC,
                  compared=True, in_record=False)
    fields.register(field)
    try:
        enriched = merge(_parsed(CSL), [_source("Local news")])
    finally:
        fields.unregister(field.key)

    (disagreement,) = enriched.disagreements
    assert disagreement.field == "fields.section"
    assert disagreement.values == (("crossref", "Local news"), ("note", SECTION))


def test_every_line_of_the_table_names_a_record_attribute_or_a_zotero_field() -> None:
    attributes = set(Record.__dataclass_fields__) | {"doi", "pmid", "pmcid", "isbn", "arxiv"}
    keys = [f.key for f in fields.table()]

    assert len(keys) == len(set(keys))
    for field in fields.table():
        if field.in_record:
            assert field.name in attributes, field
        else:
            assert field.kind is Kind.TEXT and field.zotero == (field.name,), field
        for name in field.zotero:  # a field (or base field) of some item type
            assert any(SCHEMA.resolve_field(t, name) for t in SCHEMA.item_types), field


def test_a_field_the_record_lacks_must_be_declared_outside_it() -> None:
    with pytest.raises(ValueError, match="in_record=False"):
        fields.register(Field("section"))
