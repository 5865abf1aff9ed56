"""The shipped compact Zotero schema, its generator and its queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.shared_files import REPO_ROOT, ZOTERO_SCHEMA_JSON, shared_file
from zsync.zotero.schema import ZoteroSchema, compact_schema, dump_compact, main

SHIPPED = REPO_ROOT / "zsync" / "data" / "zotero_schema.json"
SCHEMA = ZoteroSchema.load_default()


def test_shipped_schema_is_generated_from_the_shared_schema_json() -> None:
    full = json.loads(shared_file(ZOTERO_SCHEMA_JSON).read_text("utf-8"))
    assert SHIPPED.read_text("utf-8") == dump_compact(compact_schema(full))


def test_shipped_schema_is_small_and_version_41() -> None:
    assert SHIPPED.stat().st_size < 20_000
    assert SCHEMA.version == 41
    assert len(SCHEMA.item_types) == 40


def test_full_schema_json_gives_the_same_schema() -> None:
    full = json.loads(shared_file(ZOTERO_SCHEMA_JSON).read_text("utf-8"))
    live = ZoteroSchema.from_schema_json(full)
    assert live.version == SCHEMA.version
    for item_type in SCHEMA.item_types:
        assert live.fields(item_type) == SCHEMA.fields(item_type)
        assert live.creator_types(item_type) == SCHEMA.creator_types(item_type)


def test_generator_command_line(tmp_path: Path) -> None:
    source = shared_file(ZOTERO_SCHEMA_JSON)
    dest = tmp_path / "compact.json"
    assert main([str(source), str(dest)]) == 0
    assert dest.read_text("utf-8") == SHIPPED.read_text("utf-8")
    assert main([]) == 2


@pytest.mark.parametrize(
    ("item_type", "field", "expected"),
    [
        ("journalArticle", "publicationTitle", "publicationTitle"),
        ("bookSection", "publicationTitle", "bookTitle"),
        ("conferencePaper", "publicationTitle", "proceedingsTitle"),
        ("blogPost", "publicationTitle", "blogTitle"),
        ("preprint", "publisher", "repository"),
        ("thesis", "publisher", "university"),
        ("report", "publisher", "institution"),
        ("book", "repository", "publisher"),  # via the base field
        ("journalArticle", "university", "publisher"),  # schema 41: journals have publisher
        ("journalArticle", "PMID", "PMID"),
        ("book", "PMID", None),
        ("blogPost", "libraryCatalog", None),
        ("case", "title", "caseName"),
        ("dataset", "place", "repositoryLocation"),
        ("dataset", "volume", None),
    ],
)
def test_resolve_field(item_type: str, field: str, expected: str | None) -> None:
    assert SCHEMA.resolve_field(item_type, field) == expected


def test_base_fields_and_creator_types() -> None:
    assert SCHEMA.base_field("bookTitle") == "publicationTitle"
    assert SCHEMA.base_field("title") is None
    assert SCHEMA.primary_creator_type("artwork") == "artist"
    assert SCHEMA.primary_creator_type("journalArticle") == "author"
    assert "bookAuthor" in SCHEMA.creator_types("bookSection")
    assert "bookAuthor" not in SCHEMA.creator_types("book")
    assert SCHEMA.creator_types("note") == ()
    assert SCHEMA.has_field("journalArticle", "PMCID")
    assert not SCHEMA.has_field("preprint", "PMCID")
    with pytest.raises(KeyError):
        SCHEMA.fields("noSuchType")


def test_item_problems() -> None:
    good = {"itemType": "book", "title": "T", "creators": [
        {"creatorType": "editor", "firstName": "A", "lastName": "B"}],
        "tags": [{"tag": "x", "type": 1}], "collections": [], "relations": {}}
    assert SCHEMA.item_problems(good) == []
    bad = {"itemType": "book", "bookTitle": "T", "creators": [
        {"creatorType": "bookAuthor", "name": "Org"}, {"creatorType": "author"}],
        "tags": [{"tag": "", "type": 0}, {"tag": "y", "type": 3}]}
    assert len(SCHEMA.item_problems(bad)) == 5
    assert SCHEMA.item_problems({"itemType": "nope"}) == ["unknown itemType 'nope'"]


def test_compact_schema_puts_the_primary_creator_type_first() -> None:
    full = {"version": 1, "itemTypes": [{"itemType": "x", "fields": [
        {"field": "title"}, {"field": "label", "baseField": "publisher"}],
        "creatorTypes": [{"creatorType": "contributor"},
                         {"creatorType": "performer", "primary": True}]}]}
    compact = compact_schema(full)
    assert compact == {"version": 1, "itemTypes": {"x": {
        "fields": ["title", "label"], "base": {"label": "publisher"},
        "creatorTypes": ["performer", "contributor"]}}}
    assert json.loads(dump_compact(compact)) == compact
