"""A Zotero item's `data` read back into a `Record`: the inverse of `zotero.to_item`.

Type-specific fields are read through their base field (`bookTitle` is the container,
`university` the publisher), as `record_to_item` writes them. Identifiers are taken
wherever Zotero or the user put them (`zotero.library.item_identifiers`: the DOI/PMID/PMCID
fields, `Field: value` lines in `extra`, a DOI or arXiv link in `url`), preferring the
dedicated field when several disagree. Manual tags become `tags`, automatic tags
`keywords`; fields a `Record` has no slot for are kept in `fields` by their Zotero name
(`extra` included), so `record_to_item(item_to_record(data))` gives the item back.
Pure and deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from zsync.model import identifiers as ident
from zsync.model.dates import parse_date
from zsync.model.records import Creator, Identifiers, Origin, Record
from zsync.zotero.library import extra_fields, item_identifiers
from zsync.zotero.schema import ITEM_META_KEYS, ZoteroSchema

# Base fields that have their own slot in a Record.
_OWN_SLOT = frozenset({
    "title", "publicationTitle", "volume", "issue", "pages", "abstractNote", "language",
    "publisher", "place", "series", "journalAbbreviation", "date", "ISSN", "ISBN", "DOI",
    "PMID", "PMCID", "url",
})
_SERIAL = re.compile(r"[,;\s]+")


def _text(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _pick(found: Iterable[str], preferred: Iterable[str | None]) -> str | None:
    """The identifier from the first preferred place that holds one, else the smallest."""
    values = set(found)
    for candidate in preferred:
        if candidate in values:
            return candidate
    return min(values) if values else None


def item_ids(data: Mapping[str, Any]) -> Identifiers:
    """The item's identifiers, one of each kind (see the module docstring)."""
    found = item_identifiers(data)
    extra = extra_fields(_text(data.get("extra")))
    doi = _pick(found["doi"], (ident.normalize_doi(_text(data.get("DOI"))),
                               ident.normalize_doi(extra.get("doi"))))
    pmid = _pick(found["pmid"], (ident.normalize_pmid(_text(data.get("PMID"))),))
    pmcid = _pick(found["pmcid"], (ident.normalize_pmcid(_text(data.get("PMCID"))),))
    isbn = tuple(ident.find_isbns(_text(data.get("ISBN")) or ""))
    arxiv = _pick(found["arxiv"], ())
    return Identifiers(doi=doi, pmid=pmid, pmcid=pmcid, isbn=isbn, arxiv=arxiv)


def _creators(entries: Any) -> tuple[Creator, ...]:
    out: list[Creator] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        role = str(entry.get("creatorType") or "author")
        name = _text(entry.get("name"))
        if name:
            out.append(Creator(name=name, role=role))
            continue
        family, given = _text(entry.get("lastName")), _text(entry.get("firstName"))
        if family or given:
            out.append(Creator(family=family or given, given=given if family else None,
                               role=role))
    return tuple(out)


def _tags(tags: Any, automatic: bool) -> tuple[str, ...]:
    names = []
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, Mapping) and bool(tag.get("type")) == automatic:
            name = _text(tag.get("tag"))
            if name:
                names.append(name)
    return tuple(dict.fromkeys(names))


def by_base_field(data: Mapping[str, Any], schema: ZoteroSchema) -> dict[str, str]:
    """Non-empty text fields of `data` under their base field's name (first one wins)."""
    out: dict[str, str] = {}
    for name, value in data.items():
        text = _text(value)
        if name in ITEM_META_KEYS or text is None:
            continue
        out.setdefault(schema.base_field(name) or name, text)
    return out


def item_to_record(
    data: Mapping[str, Any], schema: ZoteroSchema | None = None, *, key: str | None = None
) -> Record:
    """The `Record` for one regular Zotero item (`data` of an API item or mirror row)."""
    schema = schema or ZoteroSchema.load_default()
    values = by_base_field(data, schema)
    key = key or _text(data.get("key")) or "?"
    get = values.get
    url = get("url")
    return Record(
        origin=Origin(f"zotero:{key}", format="zotero"),
        ids=item_ids(data),
        title=get("title"),
        creators=_creators(data.get("creators")),
        container=get("publicationTitle"),
        date=parse_date(get("date")),
        volume=get("volume"),
        issue=get("issue"),
        pages=get("pages"),
        abstract=get("abstractNote"),
        language=get("language"),
        publisher=get("publisher"),
        place=get("place"),
        series=get("series"),
        journal_abbreviation=get("journalAbbreviation"),
        issn=tuple(s for s in _SERIAL.split(values.get("ISSN", "")) if s),
        item_type=_text(data.get("itemType")),
        tags=_tags(data.get("tags"), automatic=False),
        keywords=_tags(data.get("tags"), automatic=True),
        urls=(url,) if url else (),
        fields={name: value for name, value in values.items() if name not in _OWN_SLOT},
    )
