"""What `zsync refresh` wants for one library item: a `Work` linked to that item.

Pure. From the item as the library holds it and the enriched record (`enrich.merge`), the
work's desired `item` holds only the fields refresh manages (`FIELDS`, through the item
type's own field names) and only where the sources say something the item does not say
already: a value equal up to case, punctuation, page abbreviation, a date of the same
year, a shared ISSN or the same language code is left out, so it is neither written nor
reported. The planner (`sync.plan`, three-way against what zsync wrote) then fills empty
fields, updates fields zsync wrote earlier, and reports every other difference.

Identifiers the item type has no field for go into `extra` as `PMID: ...` lines. Creators
are only given to an item that has none. Tags: MeSH descriptors (automatic) and the
retraction-watch tags are added; every tag the item has is kept; a tag zsync added before
and the user removed is not added again. The work has no status collection and no note
of its own; it may carry the retraction-watch note (`sync.retraction`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from zsync.enrich.merge import Enriched, comparable
from zsync.model.dates import parse_date
from zsync.model.pages import expand_page_range
from zsync.model.records import Origin
from zsync.sync import retraction
from zsync.sync.plan import Work, Written
from zsync.sync.threeway import empty
from zsync.zotero.library import LibraryItem, extra_fields, item_identifiers
from zsync.zotero.schema import ZoteroSchema
from zsync.zotero.to_item import record_to_item

# Base fields refresh fills, in the order a report lists them.
FIELDS = ("title", "date", "publicationTitle", "volume", "issue", "pages", "abstractNote",
          "journalAbbreviation", "ISSN", "language", "DOI", "PMID", "PMCID")
# Base field -> the `Record` attribute (and provenance key) it comes from.
_ATTR = {"title": "title", "date": "date", "publicationTitle": "container",
         "volume": "volume", "issue": "issue", "pages": "pages", "abstractNote": "abstract",
         "journalAbbreviation": "journal_abbreviation", "ISSN": "issn",
         "language": "language", "DOI": "doi", "PMID": "pmid", "PMCID": "pmcid",
         "creators": "creators"}
_ID_LABELS = (("doi", "DOI"), ("pmid", "PMID"), ("pmcid", "PMCID"))
_ISSN = re.compile(r"\d{4}-?\d{3}[\dXx]")


def identity(item_key: str) -> str:
    return f"zotero:{item_key}"


def _issns(text: str) -> set[str]:
    return {m.replace("-", "").upper() for m in _ISSN.findall(text)}


def equivalent(base: str, have: Any, want: Any) -> bool:
    """Whether the library's value already says what the source's value says."""
    if not isinstance(have, str) or not isinstance(want, str):
        return bool(have == want)
    if base == "date":
        ours, theirs = parse_date(have), parse_date(want)
        return bool(ours and theirs and ours.year == theirs.year)
    if base == "ISSN":
        return bool(_issns(have) & _issns(want))
    if base == "language":
        return have.strip()[:2].casefold() == want.strip()[:2].casefold()
    if base == "pages":
        have, want = expand_page_range(have) or have, expand_page_range(want) or want
    return comparable(have) == comparable(want)


def _extra(current: Mapping[str, Any], ids: Mapping[str, str],
           has_field: Callable[[str], bool]) -> str | None:
    """`extra` with lines for identifiers the item lacks and has no field for (else None)."""
    held = item_identifiers(current)
    known = extra_fields(str(current.get("extra") or ""))
    lines = []
    for kind, label in _ID_LABELS:
        value = ids.get(kind)
        if value and not held[kind] and not has_field(label) and kind not in known:
            lines.append(f"{label}: {value}")
    if not lines or "extra" not in current:
        return None
    have = str(current.get("extra") or "").rstrip()
    return "\n".join([have, *lines]) if have else "\n".join(lines)


def refresh_tags(current: Iterable[Mapping[str, Any]], written: Iterable[str],
                 wanted: Iterable[tuple[str, int]]) -> list[dict[str, Any]]:
    """The item's tags plus the wanted ones it lacks, except those the user removed."""
    have = [dict(t) for t in current]
    names = {t.get("tag") for t in have}
    removed_by_user = set(written) - names
    new = [{"tag": name, "type": kind} for name, kind in dict.fromkeys(wanted)
           if name not in names and name not in removed_by_user]
    return have + new


def refresh_work(item: LibraryItem, enriched: Enriched, written: Written | None,
                 schema: ZoteroSchema, *, mesh_tags: bool = True) -> Work:
    """The work that brings `item` up to date with `enriched` (see the module docstring)."""
    record = replace(enriched.record, item_type=item.item_type)
    full = record_to_item(record, schema, include_mesh=False)
    current = item.data
    desired: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, want in full.items():
        base = schema.base_field(name) or name
        if base not in FIELDS or name not in current or empty(want):
            continue
        have = current.get(name)
        if not empty(have) and equivalent(base, have, want):
            continue
        desired[name] = want
        source = enriched.provenance.get(_ATTR[base])
        if source is not None:
            sources[name] = source.source
    if not current.get("creators") and full.get("creators"):
        desired["creators"] = full["creators"]
    ids = {kind: getattr(record.ids, kind) for kind, _ in _ID_LABELS
           if getattr(record.ids, kind)}
    extra = _extra(current, ids, lambda label: schema.has_field(item.item_type, label))
    if extra is not None:
        desired["extra"] = extra
    wanted = [(t, 0) for t in retraction.tags_for(record.notices)]
    if mesh_tags:
        wanted += [(m.descriptor, 1) for m in record.mesh]
    desired["tags"] = refresh_tags(current.get("tags") or [], written.tags if written else (),
                                   wanted)
    return Work(
        identity=identity(item.key),
        title=str(current.get("title") or record.title or "") or None,
        item=desired,
        status="",
        origins=(Origin(f"zotero:{item.key}", format="zotero"),),
        identifiers=ids,
        sources=sources,
        notice_html=retraction.note_html(record.notices),
    )
