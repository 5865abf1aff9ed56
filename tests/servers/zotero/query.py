"""Read parameters of multi-object requests: filters, sort, pagination and `Link` headers."""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tests.servers.base import Request
from tests.servers.zotero.errors import ApiError
from tests.servers.zotero.library import Entry, is_valid_key
from tests.servers.zotero.render import creator_summary, parse_date
from tests.servers.zotero.schema import Schema

FORMATS = ("json", "keys", "versions")
OTHER_FORMATS = ("atom", "bib", "bibtex", "biblatex", "bookmarks", "coins", "csljson", "csv",
                 "mods", "refer", "rdf_bibliontology", "rdf_dc", "rdf_zotero", "ris", "tei",
                 "wikipedia")
SORTS = ("dateModified", "dateAdded", "title", "creator", "itemType", "date", "publisher",
         "publicationTitle", "journalAbbreviation", "language", "accessDate", "libraryCatalog",
         "callNumber", "rights", "addedBy", "numItems", "name")
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
# Parameters a Link URL keeps when they differ from these defaults (None: no default).
LINK_PARAMS: dict[str, str | None] = {
    "format": "json", "include": "data", "sort": "dateModified", "direction": None,
    "since": None, "itemKey": None, "collectionKey": None, "searchKey": None, "itemType": None,
    "tag": None, "q": None, "qmode": "titleCreatorYear", "includeTrashed": "0", "style": None,
}
TAG_HTML = re.compile(r"<[^>]+>")


@dataclass
class ListParams:
    format: str = "json"
    limit: int | None = DEFAULT_LIMIT
    start: int = 0
    sort: str = "dateModified"
    direction: str = "desc"
    since: int | None = None
    item_keys: list[str] | None = None
    collection_keys: list[str] | None = None
    item_types: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    q: str | None = None
    qmode: str = "titleCreatorYear"
    include_trashed: bool = False


def _int_arg(request: Request, name: str, message: str) -> int | None:
    raw = request.arg(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, message) from None


def _keys(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    return [k.strip() for k in raw.split(",") if is_valid_key(k.strip())]


def parse_params(request: Request, trash_default: bool = False,
                 default_sort: str = "dateModified", unlimited: bool = False) -> ListParams:
    """`unlimited`: the desktop's local API, which has no default or maximum `limit`."""
    p = ListParams(include_trashed=trash_default, sort=default_sort)
    p.format = request.arg("format") or "json"
    if p.format not in FORMATS:
        if p.format in OTHER_FORMATS:
            raise ApiError(501, f"Format '{p.format}' is not implemented by this emulator")
        raise ApiError(400, f"Invalid 'format' value '{p.format}'")
    limit = _int_arg(request, "limit", f"Invalid 'limit' value '{request.arg('limit')}'")
    if limit is None or limit <= 0:
        p.limit = None if p.format in ("keys", "versions") or unlimited else DEFAULT_LIMIT
    else:
        p.limit = limit if unlimited else min(limit, MAX_LIMIT)
    p.start = max(0, _int_arg(request, "start", "Invalid 'start' value") or 0)
    p.sort = request.arg("sort") or p.sort
    if p.sort not in SORTS:
        raise ApiError(400, f"Invalid 'sort' value '{p.sort}'")
    p.direction = request.arg("direction") or ("desc" if p.sort.startswith("date") else "asc")
    if p.direction not in ("asc", "desc"):
        raise ApiError(400, f"Invalid 'direction' value '{p.direction}'")
    p.since = _int_arg(request, "since", "Invalid value for 'since' parameter")
    p.item_keys = _keys(request.arg("itemKey"))
    p.collection_keys = _keys(request.arg("collectionKey"))
    p.item_types = request.args("itemType")
    p.tags = request.args("tag")
    p.q = request.arg("q") or None
    p.qmode = request.arg("qmode") or "titleCreatorYear"
    trashed = request.arg("includeTrashed")
    if trashed is not None:
        p.include_trashed = trashed in ("1", "true")
    return p


def _condition(expr: str, has: Callable[[str], bool]) -> bool:
    """Zotero search syntax for one `tag`/`itemType` value: `a || b`, `-a`, `\\-a`."""
    for alternative in expr.split(" || "):
        name, negate = alternative, False
        if name.startswith("\\-"):
            name = name[1:]
        elif name.startswith("-"):
            name, negate = name[1:], True
        if has(name) != negate:
            return True
    return False


def _title(data: dict[str, Any], schema: Schema) -> str:
    if data["itemType"] == "note":
        return TAG_HTML.sub("", data.get("note", "")).strip().split("\n")[0]
    fields = schema.types[data["itemType"]].fields
    return str(data.get(fields[0], "")) if fields else ""


def _quick_match(data: dict[str, Any], schema: Schema, q: str, everything: bool) -> bool:
    needle = q.lower()
    hay = [_title(data, schema)]
    for creator in data.get("creators", []):
        hay.append(" ".join(v for k, v in creator.items() if k != "creatorType"))
    hay.append(parse_date(str(data.get("date", ""))) or "")
    if everything:
        hay += [str(v) for v in data.values() if isinstance(v, str)]
        hay += [t["tag"] for t in data.get("tags", [])]
    return any(needle in h.lower() for h in hay)


def filter_items(entries: list[Entry], p: ListParams, schema: Schema) -> list[Entry]:
    out = []
    for entry in entries:
        data = entry.data
        if not p.include_trashed and data.get("deleted"):
            continue
        if p.since is not None and entry.version <= p.since:
            continue
        if p.item_keys is not None and entry.key not in p.item_keys:
            continue
        if p.tags:
            names = {t["tag"] for t in data.get("tags", [])}
            if not all(_condition(expr, names.__contains__) for expr in p.tags):
                continue
        if p.item_types and not all(_condition(expr, {data["itemType"]}.__contains__)
                                    for expr in p.item_types):
            continue
        if p.q and not _quick_match(data, schema, p.q, p.qmode == "everything"):
            continue
        out.append(entry)
    return out


def filter_collections(entries: list[Entry], p: ListParams) -> list[Entry]:
    """Trashed collections are listed too, with `deleted: true` (dataserver
    `Zotero_Collections::search` has no trash condition)."""
    return [e for e in entries
            if (p.since is None or e.version > p.since)
            and (p.collection_keys is None or e.key in p.collection_keys)]


def sort_entries(entries: list[Entry], p: ListParams, schema: Schema) -> list[Entry]:
    def sort_key(entry: Entry) -> tuple[Any, ...]:
        data = entry.data
        if p.sort in ("dateModified", "dateAdded"):
            return (data.get(p.sort, ""), entry.seq)
        if p.sort in ("title", "name"):
            value = data.get("name") if "name" in data else _title(data, schema)
        elif p.sort == "creator":
            value = creator_summary(schema, data) if "itemType" in data else ""
        elif p.sort == "date":
            value = parse_date(str(data.get("date", ""))) or ""
        else:
            value = data.get(p.sort, "")
        return (str(value or "").lower(), entry.seq)

    reverse = p.direction == "desc"
    first = None if p.limit is None else p.start + p.limit
    if first is None or first * 8 > len(entries):
        return sorted(entries, key=sort_key, reverse=reverse)
    # One page of a large library (`limit=1` for its version): the page's entries in
    # order, then the rest unsorted (only their number is read). Keys are unique (`seq`).
    pick = heapq.nlargest if reverse else heapq.nsmallest
    top = pick(first, entries, key=sort_key)
    chosen = {id(e) for e in top}
    return [*top, *(e for e in entries if id(e) not in chosen)]


def page(rows: list[Any], p: ListParams) -> list[Any]:
    if p.limit is None:
        return rows[p.start:]
    return rows[p.start:p.start + p.limit]


def link_header(request: Request, base: str, p: ListParams, total: int, alternate: str) -> str:
    """`Link` with first/prev/next/last/alternate; URLs keep every non-default parameter."""
    kept: list[tuple[str, str]] = []
    for name, value in request.query:
        if name in LINK_PARAMS and value != LINK_PARAMS[name] and value != "":
            if name == "direction" and value == ("desc" if p.sort.startswith("date") else "asc"):
                continue
            kept.append((name, value))
    if p.limit is not None and (p.limit != DEFAULT_LIMIT or p.format != "json"):
        kept.append(("limit", str(p.limit)))

    def url(start: int) -> str:
        query = kept + ([("start", str(start))] if start > 0 else [])
        return f"{base}{request.path}" + (f"?{urlencode(query)}" if query else "")

    links: list[str] = []
    if p.limit is not None and p.start > 0:
        links.append(f'<{url(0)}>; rel="first"')
        links.append(f'<{url(max(0, p.start - p.limit))}>; rel="prev"')
    if p.limit is not None and p.start + p.limit < total:
        links.append(f'<{url(p.start + p.limit)}>; rel="next"')
        last = total - (total % p.limit)
        if last == total:
            last = total - p.limit
        links.append(f'<{url(last)}>; rel="last"')
    links.append(f'<{alternate}>; rel="alternate"')
    return ", ".join(links)
