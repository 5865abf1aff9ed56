"""One item in Zotero's own JSON (API `data`, Better BibTeX JSON export) mapped to a Record.

The item is read as zsync reads the items of a library (`zotero.from_item`: the container
is whichever title field the item type has, `bookTitle`, `proceedingsTitle` ..., the
publisher whichever field maps to it, `university`, `institution` ...), and then as every
export is read: text on one line, page ranges with a hyphen, ISSNs and ISBNs told apart,
every tag a keyword, Extra kept as the note. Identifiers Zotero keeps in Extra (`PMID:
123`, `PMCID: PMC4`, and `DOI: ...` for types without a DOI field) are read from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

from zsync.inputs.exports.exportkit import (
    IdCollector,
    clean,
    normalize_pages,
    serial_numbers,
    unique,
)
from zsync.model.dates import parse_date
from zsync.model.fields import extension_fields
from zsync.model.records import Creator, Identifiers, Origin, PartialDate, Record
from zsync.zotero.extra import extra_fields
from zsync.zotero.from_item import item_to_record


def zotero_to_record(data: Mapping[str, Any], origin: Origin) -> Record:
    """The Record for one Zotero item (the `data` object of an API item, or a BBT item):
    read as zsync reads a library item (`zotero.from_item`), then as an export is read."""
    extra = str(data.get("extra") or "")
    issns, isbns = serial_numbers(" ".join(filter(None, (_text(data, "ISSN"),
                                                         _text(data, "ISBN")))))
    ids = _identifiers(data, extra, isbns)
    read = item_to_record(data, origin=origin, ids=ids)
    record = replace(read, **_one_line(read))
    return replace(
        record,
        creators=tuple(replace(c, **_one_line(c)) for c in record.creators),
        # Fields Zotero's schema maps to no base field, read in their stead.
        container=record.container or _first(data, "reporter", "code"),
        publisher=record.publisher or _first(data, "court", "assignee"),
        date=record.date or _filing_date(data),
        series=record.series or _text(data, "seriesTitle"),
        pages=normalize_pages(record.pages),
        issn=tuple(issns),
        urls=tuple(unique(clean(url) for url in record.urls)),
        tags=(),
        keywords=tuple(_tags(data.get("tags"))),
        fields={f.name: value for f in extension_fields() if (value := _text(data, f.name))},
        note=extra.strip(),
    )


def _text(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    return clean(value) if isinstance(value, str | int | float) else None


def _filing_date(data: Mapping[str, Any]) -> PartialDate | None:
    """A patent's filing date, when it has no date of the kinds that map to `date`."""
    if _first(data, "date", "dateDecided", "dateEnacted", "issueDate"):
        return None
    return parse_date(_text(data, "filingDate"))


def _first(data: Mapping[str, Any], *names: str) -> str | None:
    return next((v for v in (_text(data, n) for n in names) if v), None)


_TEXT_FIELDS = {kind: tuple(f.name for f in fields(kind) if f.type in ("str", "str | None"))
                for kind in (Record, Creator)}


def _one_line(value: Record | Creator) -> dict[str, Any]:
    """The text fields of `value` that are not on one line with single spaces, made so."""
    texts: dict[str, Any] = {}
    for name in _TEXT_FIELDS[type(value)]:
        text = getattr(value, name)
        if isinstance(text, str) and (one := clean(text)) != text:
            texts[name] = one
    return texts


def _identifiers(data: Mapping[str, Any], extra: str, isbns: list[str]) -> Identifiers:
    """Identifiers wherever an export puts them: the DOI field or a `DOI:` line in Extra,
    labelled ones in Extra and `archiveID`, links; ISBNs from the ISBN and ISSN fields."""
    ids = IdCollector()
    ids.add_doi(_text(data, "DOI"))
    ids.add_doi(extra_fields(extra).get("doi"))
    ids.scan_labelled(extra)
    ids.scan_labelled(_text(data, "archiveID"))
    ids.scan_url(_text(data, "url"))
    ids.isbn = isbns
    return ids.build()


def _tags(tags: Any) -> list[str]:
    values = []
    for tag in tags if isinstance(tags, list) else []:
        values.append(clean(tag.get("tag")) if isinstance(tag, Mapping) else clean(tag))
    return unique(values)
