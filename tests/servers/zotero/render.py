"""Response JSON for items, collections, tags and groups (the shapes of reference §5)."""

from __future__ import annotations

import copy
import re
from typing import Any
from urllib.parse import quote_plus

from tests.servers.zotero import relations
from tests.servers.zotero.library import Entry, Library
from tests.servers.zotero.schema import Schema

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
ISO_DATE = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?\b")
US_DATE = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
MONTH_YEAR = re.compile(r"^\s*(\d{1,2})[-/.](\d{4})\s*$")
YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
DAY = re.compile(r"(?<!\d)(\d{1,2})(?!\d)")


def parse_date(text: str) -> str | None:
    """Zotero's `meta.parsedDate`: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', or None."""
    parts: tuple[str | None, ...]
    if match := ISO_DATE.match(text):
        parts = match.groups()
    elif match := US_DATE.match(text):
        parts = (match.group(3), match.group(1), match.group(2))
    elif match := MONTH_YEAR.match(text):
        parts = (match.group(2), match.group(1), None)
    elif year := YEAR.search(text):
        lowered = text.lower()
        month = next((i + 1 for i, m in enumerate(MONTHS) if m in lowered), None)
        rest = text.replace(year.group(1), " ")
        day = DAY.search(rest) if month else None
        parts = (year.group(1), str(month) if month else None, day.group(1) if day else None)
    else:
        return None
    year_s, month_s, day_s = parts
    out = str(year_s)
    if month_s and 1 <= int(month_s) <= 12:
        out += f"-{int(month_s):02d}"
        if day_s and 1 <= int(day_s) <= 31:
            out += f"-{int(day_s):02d}"
    return out


def creator_summary(schema: Schema, data: dict[str, Any]) -> str | None:
    creators = data.get("creators") or []
    primary = schema.types[data["itemType"]].primary
    chosen: list[dict[str, str]] = []
    for ctype in (primary, "editor", "contributor"):
        chosen = [c for c in creators if c["creatorType"] == ctype]
        if chosen:
            break
    names = [c.get("lastName") or c.get("name") or "" for c in chosen]
    if not names:
        return None
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def library_json(lib: Library) -> dict[str, Any]:
    return {"type": lib.kind, "id": lib.id, "name": lib.name,
            "links": {"alternate": {"href": lib.web_url, "type": "text/html"}}}


def _link(href: str, kind: str = "application/json") -> dict[str, str]:
    return {"href": href, "type": kind}


def _user_json(lib: Library) -> dict[str, Any]:
    owner = lib.owner or 0
    return {"id": owner, "username": f"user{owner}", "name": "",
            "links": {"alternate": _link(f"https://www.zotero.org/user{owner}", "text/html")}}


def item_json(schema: Schema, lib: Library, entry: Entry, base: str,
              in_write_report: bool = False) -> dict[str, Any]:
    """Item response JSON. Without a parseable date, `meta.parsedDate` is left out of reads
    but is `false` in write reports (as in web-library/test-user-add-new-item.json)."""
    data = copy.deepcopy(entry.data)
    key = entry.key
    data["relations"] = relations.as_json(relations.visible(lib, key, data.get("relations")))
    links = {"self": _link(f"{base}{lib.prefix}/items/{key}"),
             "alternate": _link(f"{lib.web_url}/items/{key}", "text/html")}
    if data.get("parentItem"):
        links["up"] = _link(f"{base}{lib.prefix}/items/{data['parentItem']}")
    meta: dict[str, Any] = {}
    if lib.kind == "group":
        meta["createdByUser"] = meta["lastModifiedByUser"] = _user_json(lib)
    item_type = data["itemType"]
    if schema.is_regular(item_type):
        if summary := creator_summary(schema, data):
            meta["creatorSummary"] = summary
        parsed = parse_date(data.get("date", ""))
        if parsed or in_write_report:
            meta["parsedDate"] = parsed or False
    if item_type != "attachment":
        meta["numChildren"] = sum(1 for c in lib.children(key) if not c.data.get("deleted"))
    return {"key": key, "version": entry.version, "library": library_json(lib),
            "links": links, "meta": meta, "data": data}


def collection_json(lib: Library, entry: Entry, base: str) -> dict[str, Any]:
    key = entry.key
    links = {"self": _link(f"{base}{lib.prefix}/collections/{key}"),
             "alternate": _link(f"{lib.web_url}/collections/{key}", "text/html")}
    parent = entry.data.get("parentCollection")
    if parent:
        links["up"] = _link(f"{base}{lib.prefix}/collections/{parent}")
    members = [e for e in lib.collection_members(key) if not e.data.get("deleted")]
    meta = {"numCollections": len(lib.subcollections(key)), "numItems": len(members)}
    return {"key": key, "version": entry.version, "library": library_json(lib),
            "links": links, "meta": meta, "data": copy.deepcopy(entry.data)}


def tags_json(lib: Library, items: list[Entry], base: str) -> list[dict[str, Any]]:
    """One row per (tag, type) over `items`, sorted by name."""
    counts: dict[tuple[str, int], int] = {}
    for entry in items:
        for tag in entry.data.get("tags", []):
            ident = (tag["tag"], int(tag.get("type", 0)))
            counts[ident] = counts.get(ident, 0) + 1
    rows = []
    for (name, tag_type), count in sorted(counts.items(), key=lambda kv: (kv[0][0].lower(),
                                                                          kv[0])):
        quoted = quote_plus(name, safe="")
        rows.append({"tag": name,
                     "links": {"self": _link(f"{base}{lib.prefix}/tags/{quoted}"),
                               "alternate": _link(f"http://zotero.org{lib.prefix}/tags/{quoted}",
                                                  "text/html")},
                     "meta": {"type": tag_type, "numItems": count}})
    return rows


def group_json(lib: Library, base: str, num_items: int) -> dict[str, Any]:
    data = {"id": lib.id, "version": lib.version, "name": lib.name, "owner": lib.owner,
            "type": "Public" if lib.public else "Private", "description": "", "url": "",
            "libraryEditing": "members", "libraryReading": "all" if lib.public else "members",
            "fileEditing": "members", "members": []}
    return {"id": lib.id, "version": lib.version,
            "links": {"self": _link(f"{base}/groups/{lib.id}"),
                      "alternate": _link(lib.web_url, "text/html")},
            "meta": {"numItems": num_items}, "data": data}
