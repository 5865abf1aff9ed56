"""The field table: every bibliographic field of a `Record`, one line each.

A line says what the generic stages need to know of a field: its kind, the Zotero field
that holds it, the CSL-JSON variables it is read from, which source wins it when a note is
enriched, and whether a difference between the note and a source is shown to the user.
Zotero JSON (`zotero.to_item`, `zotero.from_item`), CSL-JSON (`inputs.exports.csl_items`),
enrichment (`enrich.merge`) and both JSON forms (`model.serialize`, `enrich.jsonform`)
read this table instead of naming fields one by one.

Two sorts of field:

- A field with its own `Record` attribute (`in_record=True`, e.g. `volume`): code that
  needs the value by name reads the attribute. Its key (provenance, JSON) is its name.
- Any other Zotero field (`in_record=False`, e.g. `edition`): the value is kept in
  `Record.fields` under the Zotero field's name, and its key is `fields.<name>`. Adding
  such a field is one line here (plus the tags of a format that has its own, such as a
  BibTeX or RIS tag). Lines can also be added at run time with `register`.

The order of the table is the order fields are written to a Zotero item (so the lines a
type without such a field gets in `extra` keep their order) and shown in reports.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from zsync.model.records import Record


class Kind(StrEnum):
    """What a field's value is, which says how each format writes and reads it."""

    TEXT = "text"  # one string
    DATE = "date"  # a PartialDate
    CREATORS = "creators"  # a tuple of Creator
    IDENTIFIER = "identifier"  # an attribute of Record.ids, already normalised
    LIST = "list"  # a tuple of strings
    HEADINGS = "headings"  # a tuple of MeshHeading


class Precedence(StrEnum):
    """Which source's value a merged record keeps (`enrich.merge` orders the sources)."""

    BIBLIOGRAPHIC = "bibliographic"  # the version of record first, the note last
    DESCRIPTIVE = "descriptive"  # PubMed first (structured abstracts, ISO abbreviations)
    LOCAL_FIRST = "local_first"  # the note first: what it says was chosen by the user
    LOCAL_THEN_PUBMED = "local_then_pubmed"  # the note, then PubMed, then Crossref
    NOTE_ONLY = "note_only"  # the user's own (tags, status): never from a source


@dataclass(frozen=True, slots=True)
class Field:
    """One field. `zotero`: the Zotero base field that holds it, then fields to try on an
    item type that lacks it (`series`, then `seriesTitle`); empty when it is not a Zotero
    field of its own (creators, item type and tags are written their own way).
    `csl`: CSL-JSON variables it is read from, the first with a value wins.
    `separator`: how Zotero's one text field joins a list's values (None: the first only).
    """

    name: str
    kind: Kind = Kind.TEXT
    zotero: tuple[str, ...] = ()
    csl: tuple[str, ...] = ()
    precedence: Precedence = Precedence.LOCAL_FIRST
    compared: bool = False
    in_record: bool = True
    separator: str | None = ", "

    @property
    def key(self) -> str:
        """The field's name in provenance and JSON output (`volume`, `fields.edition`)."""
        return self.name if self.in_record else f"fields.{self.name}"

    @property
    def zotero_field(self) -> str | None:
        """The Zotero base field it is read back from."""
        return self.zotero[0] if self.zotero else None


def _extension(name: str, *csl: str) -> Field:
    """A further Zotero field, kept in `Record.fields` under its Zotero name."""
    return Field(name, zotero=(name,), csl=csl, in_record=False)


_B, _D = Precedence.BIBLIOGRAPHIC, Precedence.DESCRIPTIVE
_P, _N = Precedence.LOCAL_THEN_PUBMED, Precedence.NOTE_ONLY

_DEFAULT: tuple[Field, ...] = (
    Field("title", zotero=("title",), csl=("title",), precedence=_B, compared=True),
    Field("creators", Kind.CREATORS, precedence=_B),
    Field("date", Kind.DATE, zotero=("date",), csl=("issued",), precedence=_B, compared=True),
    Field("abstract", zotero=("abstractNote",), csl=("abstract",), precedence=_D),
    Field("container", zotero=("publicationTitle",), csl=("container-title",), precedence=_B,
          compared=True),
    Field("series", zotero=("series", "seriesTitle"), csl=("collection-title",)),
    Field("volume", zotero=("volume",), csl=("volume",), precedence=_B, compared=True),
    Field("issue", zotero=("issue",), csl=("issue",), precedence=_B, compared=True),
    Field("pages", zotero=("pages",), csl=("page",), precedence=_B, compared=True),
    Field("item_type", precedence=_B, compared=True),  # CSL and Zotero: their own types
    Field("publisher", zotero=("publisher",), csl=("publisher",), precedence=_B),
    Field("place", zotero=("place",), csl=("publisher-place",), precedence=_B),
    Field("journal_abbreviation", zotero=("journalAbbreviation",),
          csl=("container-title-short", "journalAbbreviation"), precedence=_D),
    Field("issn", Kind.LIST, zotero=("ISSN",), csl=("ISSN",), precedence=_B),
    Field("isbn", Kind.IDENTIFIER, zotero=("ISBN",), csl=("ISBN",), separator=" "),
    Field("language", zotero=("language",), csl=("language",), precedence=_D),
    Field("doi", Kind.IDENTIFIER, zotero=("DOI",), csl=("DOI",)),
    Field("urls", Kind.LIST, zotero=("url",), csl=("URL",), separator=None),
    Field("pmid", Kind.IDENTIFIER, zotero=("PMID",), csl=("PMID",), precedence=_P),
    Field("pmcid", Kind.IDENTIFIER, zotero=("PMCID",), csl=("PMCID",), precedence=_P),
    Field("arxiv", Kind.IDENTIFIER),
    Field("mesh", Kind.HEADINGS, precedence=_D),
    Field("publication_types", Kind.LIST, precedence=_D),
    Field("keywords", Kind.LIST, csl=("keyword",), precedence=_N),
    Field("tags", Kind.LIST, precedence=_N),
    Field("status", precedence=_N),
    _extension("shortTitle", "shortTitle", "title-short"),
    _extension("edition", "edition"),
    _extension("conferenceName", "event", "event-title"),
    _extension("seriesNumber", "collection-number"),
    _extension("numPages", "number-of-pages"),
    _extension("numberOfVolumes", "number-of-volumes"),
    _extension("archive", "archive"),
    _extension("archiveLocation", "archive_location"),
    _extension("libraryCatalog", "source"),
    _extension("callNumber", "call-number"),
    _extension("versionNumber", "version"),
    _extension("medium", "medium"),
    _extension("citationKey", "citation-key"),
    _extension("rights", "license"),
    _extension("status", "status"),
    # Read from Zotero JSON under their own names; CSL gives them by item type (`genre`,
    # `number`, `publisher`: see `inputs.exports.csl_items`).
    *map(_extension, ("accessDate", "thesisType", "reportType", "reportNumber", "archiveID",
                      "university", "institution", "repository", "patentNumber",
                      "websiteType")),
)

_table: tuple[Field, ...] = _DEFAULT


def table() -> tuple[Field, ...]:
    """Every field, in table order."""
    return _table


def by_key(key: str) -> Field | None:
    return next((f for f in _table if f.key == key), None)


def register(field: Field) -> None:
    """Add a field at the end of the table, or replace the one with the same key."""
    global _table
    if not field.in_record:
        field = replace(field, zotero=field.zotero or (field.name,))
    elif field.name not in Record.__dataclass_fields__ and field.kind is not Kind.IDENTIFIER:
        raise ValueError(f"Record has no attribute {field.name!r}; use in_record=False")
    kept = tuple(f for f in _table if f.key != field.key)
    _table = (*kept, field) if len(kept) == len(_table) else tuple(
        field if f.key == field.key else f for f in _table)


def unregister(key: str) -> None:
    """Take a field out of the table (a test's added field, once the test is done)."""
    global _table
    _table = tuple(f for f in _table if f.key != key)


def record_fields(*kinds: Kind) -> Iterator[Field]:
    """Fields with their own `Record` attribute, of the given kinds (all when none given)."""
    return (f for f in _table if f.in_record and (not kinds or f.kind in kinds))


def extension_fields() -> Iterator[Field]:
    """Fields kept in `Record.fields` by their Zotero name."""
    return (f for f in _table if not f.in_record)


def value_of(record: Record, field: Field) -> Any:
    """The record's value of `field` (None, or an empty tuple, when it has none)."""
    if field.kind is Kind.IDENTIFIER:
        return getattr(record.ids, field.name)
    if field.in_record:
        return getattr(record, field.name)
    return record.fields.get(field.name)


def with_values(record: Record, values: Mapping[Field, Any]) -> Record:
    """A copy of `record` holding `values` (identifiers and `fields` entries included)."""
    own = {f.name: v for f, v in values.items() if f.in_record and f.kind is not Kind.IDENTIFIER}
    ids = {f.name: v for f, v in values.items() if f.kind is Kind.IDENTIFIER}
    extra = {f.name: v for f, v in values.items() if not f.in_record}
    if ids:
        own["ids"] = replace(record.ids, **ids)
    if extra:
        own["fields"] = {**record.fields, **extra}
    return replace(record, **own)
