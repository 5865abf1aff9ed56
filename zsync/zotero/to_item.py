"""A `Record` as the `data` object of a Zotero item, valid for its item type.

Every value goes into the field its item type has for it (`publicationTitle` becomes
`bookTitle` on a book section, `publisher` becomes `repository` on a preprint). A value the
type has no field for becomes a `Field: value` line in `extra`, as Zotero itself does, unless
the same value already sits in a field; `libraryCatalog` and `accessDate` are dropped instead.
Identifiers follow the schema: `DOI`, `PMID`, `PMCID` go into real fields when the type has
them (PMID/PMCID only on journalArticle since schema 41), else into `extra`; so does a
citation key (`citationKey`, else a `Citation Key: …` line as Better BibTeX writes).
Creator roles the type lacks are mapped to the nearest valid one (bookAuthor -> author ->
the primary role).
Tags: the record's tags and keywords (and `tags_manual`) are manual tags (type 0), MeSH
descriptors automatic tags (type 1), as Zotero saves tags coming from a catalogue.
Pure and deterministic: fields come out in the schema's order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from zsync.model.partial_dates import month_names
from zsync.model.records import Creator, PartialDate, Record
from zsync.zotero.schema import ZoteroSchema

_NOT_ITEMS = frozenset({"note", "attachment", "annotation"})
_OLD_SCHEMA_TYPES = {"preprint": "report", "dataset": "document", "standard": "report"}
_DROP_WHEN_INVALID = frozenset({"libraryCatalog", "accessDate"})
_FIELD_FALLBACKS = {"series": ("seriesTitle",), "seriesTitle": ("series",)}
_PRIMARY = "<primary>"
_ROLE_FALLBACKS = {
    "bookAuthor": ("author", _PRIMARY),
    "author": (_PRIMARY,),
    "seriesEditor": ("editor", "contributor"),
    "editor": ("contributor",),
}


def item_type_for(record: Record, schema: ZoteroSchema) -> str:
    """The record's item type if the schema has it, else the closest guess."""
    wanted = record.item_type
    if wanted in _OLD_SCHEMA_TYPES and not schema.has_type(wanted):
        wanted = _OLD_SCHEMA_TYPES[wanted]
    if wanted and wanted not in _NOT_ITEMS and schema.has_type(wanted):
        return wanted
    if record.container:
        return "journalArticle"
    if record.ids.isbn:
        return "book"
    return "preprint" if record.ids.arxiv and schema.has_type("preprint") else "document"


def _parts_only(raw: str, date: PartialDate) -> bool:
    """True when `raw` says nothing beyond the year, month and day that were read from it."""
    known = {str(date.year), f"{date.year:04d}"}
    if date.month:
        known |= {str(date.month), f"{date.month:02d}", *month_names(date.month)}
    if date.day:
        known |= {str(date.day), f"{date.day:02d}"}
    return all(token.lower() in known for token in re.findall(r"[^\W\d_]+|\d+", raw))


def zotero_date(date: PartialDate | None) -> str | None:
    """`YYYY-MM-DD`/`YYYY-MM`/`YYYY` when that says all, else the date as written."""
    if date is None:
        return None
    iso, raw = date.iso(), date.raw.strip()
    if iso is None:
        return raw or None
    return iso if not raw or _parts_only(raw, date) else raw


def _core_values(record: Record) -> list[tuple[str, str | None]]:
    ids = record.ids
    return [
        ("title", record.title),
        ("abstractNote", record.abstract),
        ("publicationTitle", record.container),
        ("series", record.series),
        ("volume", record.volume),
        ("issue", record.issue),
        ("pages", record.pages),
        ("date", zotero_date(record.date)),
        ("publisher", record.publisher),
        ("place", record.place),
        ("journalAbbreviation", record.journal_abbreviation),
        ("ISSN", ", ".join(record.issn) or None),
        ("ISBN", " ".join(ids.isbn) or None),
        ("language", record.language),
        ("DOI", ids.doi),
        ("url", record.urls[0] if record.urls else None),
        ("PMID", ids.pmid),
        ("PMCID", ids.pmcid),
    ]


def _resolve(schema: ZoteroSchema, item_type: str, name: str) -> str | None:
    for candidate in (name, *_FIELD_FALLBACKS.get(name, ())):
        field = schema.resolve_field(item_type, candidate)
        if field is not None:
            return field
    return None


def _one_line(value: str) -> str:
    return " ".join(value.split())


class _Fields:
    """Collects field values for one item type and the `extra` lines for the rest."""

    def __init__(self, schema: ZoteroSchema, item_type: str, extra: str | None) -> None:
        self.schema, self.item_type = schema, item_type
        self.values: dict[str, str] = {}
        self.pending: list[tuple[str, str]] = []
        self.extra_lines = [line for line in (extra or "").splitlines() if line.strip()]

    def put(self, name: str, value: str | None, *, override: bool = False) -> None:
        if value is None or not str(value).strip():
            return
        value = str(value).strip()
        field = _resolve(self.schema, self.item_type, name)
        if field is not None and field != "extra":
            if override or field not in self.values:
                self.values[field] = value
        elif name not in _DROP_WHEN_INVALID:
            self.pending.append((name, value))

    def put_arxiv(self, arxiv: str | None) -> None:
        if not arxiv:
            return
        if self.schema.has_field(self.item_type, "archiveID"):
            self.put("archiveID", f"arXiv:{arxiv}")
        else:
            self.pending.append(("arXiv", arxiv))

    def put_citekey(self, key: str | None) -> None:
        """In `citationKey` where the schema has it, else as Better BibTeX wrote it in
        `extra` (`Citation Key: …`), which Zotero moves to the field on upgrading."""
        if not key:
            return
        if self.schema.has_field(self.item_type, "citationKey"):
            self.put("citationKey", key)
        else:
            self.pending.append(("Citation Key", key))

    def extra(self) -> str | None:
        present = set(self.values.values())
        lines = list(self.extra_lines)
        for name, value in self.pending:
            line = f"{name}: {_one_line(value)}"
            if value not in present and line not in lines:
                lines.append(line)
        return "\n".join(lines) or None


def _creator_type(role: str, item_type: str, schema: ZoteroSchema) -> str | None:
    valid = schema.creator_types(item_type)
    if not valid:
        return None
    if role in valid:
        return role
    for alternative in (*_ROLE_FALLBACKS.get(role, ()), "contributor", _PRIMARY):
        if alternative == _PRIMARY:
            return valid[0]
        if alternative in valid:
            return alternative
    return valid[0]


def _creator_json(creator: Creator, creator_type: str) -> dict[str, str]:
    if creator.name is not None:
        return {"creatorType": creator_type, "name": creator.name}
    return {"creatorType": creator_type, "firstName": creator.given or "",
            "lastName": creator.family or ""}


def _creators(record: Record, item_type: str, schema: ZoteroSchema) -> list[dict[str, str]]:
    out = []
    for creator in record.creators:
        creator_type = _creator_type(creator.role, item_type, schema)
        if creator_type and (creator.name or creator.family):
            out.append(_creator_json(creator, creator_type))
    return out


def _tags(manual: Iterable[str], automatic: Iterable[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for tag_type, names in ((0, manual), (1, automatic)):
        for name in names:
            tag = _one_line(name)
            if tag and tag not in seen:
                seen.add(tag)
                out.append({"tag": tag, "type": tag_type})
    return out


def record_to_item(
    record: Record,
    schema: ZoteroSchema,
    *,
    tags_manual: Iterable[str] = (),
    tags_automatic: Iterable[str] = (),
    include_mesh: bool = True,
    collections: Iterable[str] = (),
) -> dict[str, Any]:
    """The Zotero item `data` for `record` (see the module docstring).

    tags_manual / tags_automatic: further tags to add; include_mesh: MeSH descriptors as
    automatic tags; collections: keys of the collections the item belongs to.
    """
    item_type = item_type_for(record, schema)
    own = dict(record.fields)
    fields = _Fields(schema, item_type, own.pop("extra", None))
    for name, value in _core_values(record):
        fields.put(name, value)
    for name, value in own.items():
        fields.put(name, value, override=True)
    fields.put_arxiv(record.ids.arxiv)
    fields.put_citekey(record.citekey)
    extra = fields.extra()
    if extra:
        fields.values["extra"] = extra
    title_field = _resolve(schema, item_type, "title") or "title"
    data: dict[str, Any] = {"itemType": item_type, title_field: fields.values.pop(title_field, "")}
    data["creators"] = _creators(record, item_type, schema)
    data.update({f: fields.values[f] for f in schema.fields(item_type) if f in fields.values})
    mesh = [m.descriptor for m in record.mesh] if include_mesh else []
    data["tags"] = _tags([*record.tags, *record.keywords, *tags_manual],
                         [*mesh, *tags_automatic])
    data["collections"] = list(dict.fromkeys(collections))
    data["relations"] = {}
    return data
