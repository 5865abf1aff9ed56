"""Read responses: object lists (json/keys/versions), single objects, tags, the deletion log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.servers.base import Request, Response
from tests.servers.zotero.errors import ApiError, not_found
from tests.servers.zotero.library import Entry, Library
from tests.servers.zotero.query import (
    ListParams,
    filter_collections,
    filter_items,
    link_header,
    page,
    parse_params,
    sort_entries,
)
from tests.servers.zotero.render import collection_json, group_json, item_json, tags_json
from tests.servers.zotero.schema import Schema


def _version_header(version: int) -> dict[str, str]:
    return {"Last-Modified-Version": str(version)}


class Reader:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        # The desktop's local API: no default page size, and `collectionKey=` is ignored on
        # collection lists (Zotero server_localAPI.js reads only the path's collection key).
        self.local = False

    def listing(self, request: Request, base: str, lib: Library, p: ListParams,
                rows: list[Entry], to_json: Callable[[Entry], dict[str, Any]],
                alternate: str) -> Response:
        total = len(rows)
        shown = page(rows, p)
        headers = {"Total-Results": str(total),
                   "Link": link_header(request, base, p, total, alternate),
                   **_version_header(lib.version)}
        if p.format == "keys":
            text = "".join(f"{e.key}\n" for e in shown)
            return Response(200, text.encode(), {"Content-Type": "text/plain; charset=utf-8",
                                                 **headers})
        if p.format == "versions":
            body = Response.json({e.key: e.version for e in shown})
        else:
            body = Response.json([to_json(e) for e in shown])
        body.headers.update(headers)
        return body

    def items(self, request: Request, base: str, lib: Library, scope: list[Entry],
              trash_default: bool = False) -> Response:
        p = parse_params(request, trash_default=trash_default, unlimited=self.local)
        rows = sort_entries(filter_items(scope, p, self.schema), p, self.schema)
        return self.listing(request, base, lib, p, rows,
                            lambda e: item_json(self.schema, lib, e, base),
                            f"{lib.web_url}/items")

    def item(self, base: str, lib: Library, key: str) -> Response:
        entry = lib.items.get(key)
        if entry is None:
            raise not_found()
        response = Response.json(item_json(self.schema, lib, entry, base))
        response.headers.update(_version_header(entry.version))
        return response

    def collections(self, request: Request, base: str, lib: Library,
                    scope: list[Entry]) -> Response:
        p = parse_params(request, unlimited=self.local)
        if self.local:
            p.collection_keys = None
        rows = sort_entries(filter_collections(scope, p), p, self.schema)
        return self.listing(request, base, lib, p, rows,
                            lambda e: collection_json(lib, e, base),
                            f"{lib.web_url}/collections")

    def collection(self, base: str, lib: Library, key: str) -> Response:
        entry = lib.collections.get(key)
        if entry is None:
            raise not_found()
        response = Response.json(collection_json(lib, entry, base))
        response.headers.update(_version_header(entry.version))
        return response

    def tags(self, request: Request, base: str, lib: Library, scope: list[Entry],
             name: str | None = None) -> Response:
        p = parse_params(request, default_sort="title")
        if p.format != "json":
            raise ApiError(400, f"Invalid 'format' value '{p.format}'")
        live = [e for e in scope if not e.data.get("deleted")]
        rows = tags_json(lib, live, base)
        if name is not None:
            rows = [r for r in rows if r["tag"] == name]
            if not rows:
                raise not_found()
        if p.sort == "numItems":
            rows.sort(key=lambda r: r["meta"]["numItems"])
        if p.direction == "desc":
            rows.reverse()
        shown = page(rows, p)
        response = Response.json(shown)
        response.headers.update({"Total-Results": str(len(rows)),
                                 "Link": link_header(request, base, p, len(rows),
                                                     f"{lib.web_url}/tags"),
                                 **_version_header(lib.version)})
        return response

    def deleted(self, request: Request, lib: Library) -> Response:
        raw = request.arg("since")
        if raw is None or raw == "":
            raise ApiError(400, "'since' parameter must be provided")
        try:
            since = int(raw)
        except ValueError:
            raise ApiError(400, "Invalid value for 'since' parameter") from None
        body = {kind: [name for name, version in log.items() if version > since]
                for kind, log in lib.deleted.items()}
        response = Response.json(body)
        response.headers.update(_version_header(lib.version))
        return response

    def groups(self, request: Request, base: str, groups: list[Library]) -> Response:
        rows = [group_json(g, base, sum(1 for e in g.items.values()
                                        if not e.data.get("deleted"))) for g in groups]
        response = Response.json(rows)
        response.headers["Total-Results"] = str(len(rows))
        return response
