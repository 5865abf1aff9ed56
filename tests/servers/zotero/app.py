"""`ZoteroApp`: routing of Zotero Web API v3 requests onto the library state.

Every request runs under one lock (the server is threaded). Injected delays and dropped
connections come from `base.LocalServer` faults, so a slow response does not hold the lock.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import unquote, unquote_plus

from tests.servers.base import RateLimiter, Request, Response
from tests.servers.zotero.auth import WRITE_METHODS, WriteTokens, authenticate, authorize, key_info
from tests.servers.zotero.cleaning import clean_strings
from tests.servers.zotero.control import Control
from tests.servers.zotero.errors import ApiError, not_found
from tests.servers.zotero.library import ApiKey, Entry, Library, is_valid_key
from tests.servers.zotero.mapping import ENDPOINTS, schema_response
from tests.servers.zotero.reads import Reader
from tests.servers.zotero.render import collection_json, item_json
from tests.servers.zotero.schema import Schema, load_schema
from tests.servers.zotero.writes import Writer, check_library_version, parse_version

LIST_GETS = ("GET", "HEAD")


def _allow(request: Request, *methods: str) -> None:
    if request.method not in methods and not (request.method == "HEAD" and "GET" in methods):
        raise ApiError(405, "Method not allowed", {"Allow": ", ".join(methods)})


def _body(request: Request) -> Any:
    if not request.body.strip():
        raise ApiError(400, f"{request.method} data not provided")
    try:
        return clean_strings(request.json())
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Invalid JSON") from None


class ZoteroApp(Control):
    def __init__(self, schema: Schema | None = None, version_mode: str = "per_object",
                 api_base: str | None = None) -> None:
        self.schema = schema or load_schema()
        self.writer = Writer(self.schema, version_mode)
        self.reader = Reader(self.schema)
        self.api_base = api_base
        self.lock = threading.RLock()
        self.libraries: dict[tuple[str, int], Library] = {}
        self.keys: dict[str, ApiKey] = {}
        self.tokens = WriteTokens()
        self.backoff: tuple[str, int] | None = None
        self.after_commit: list[tuple[int, str | None]] = []
        self.rate_limiter: RateLimiter | None = None
        self.rate_retry_after: str | None = None

    # -- App protocol -------------------------------------------------------------------------

    def endpoint(self, request: Request) -> str:
        parts = [p for p in request.path.split("/") if p]
        if len(parts) >= 2 and parts[0] in ("users", "groups"):
            parts = parts[2:]
        if parts[:1] == ["keys"]:
            return "keys"
        if parts[:1] == ["tags"] and len(parts) > 1:
            return "tags/<tag>"
        return "/".join("<key>" if is_valid_key(p) else p for p in parts) or "/"

    def handle(self, request: Request) -> Response:
        with self.lock:
            try:
                response = self._guarded(request)
            except ApiError as err:
                response = Response.text(err.message, err.status)
                response.headers.update(err.headers)
            response.headers["Zotero-API-Version"] = "3"
            response.headers["Zotero-Schema-Version"] = str(self.schema.version)
            if response.status < 300 and self.backoff is not None:
                seconds, times = self.backoff
                response.headers["Backoff"] = seconds
                self.backoff = (seconds, times - 1) if times > 1 else None
            return response

    def _guarded(self, request: Request) -> Response:
        if self.rate_limiter is not None and not self.rate_limiter.allow():
            headers = {"Retry-After": self.rate_retry_after} if self.rate_retry_after else {}
            raise ApiError(429, "Request rate limit exceeded", headers)
        if request.header("expect") is not None:
            raise ApiError(417, "Expect header is not supported")
        version, param = request.header("zotero-api-version"), request.arg("v")
        if version is not None and param is not None and version != param:
            raise ApiError(400, "Zotero-API-Version header and 'v' parameter differ")
        response = self._route(request)
        if (response.status < 300 and request.method in WRITE_METHODS and self.after_commit):
            status, retry_after = self.after_commit.pop(0)
            headers = {"Retry-After": retry_after} if retry_after else {}
            return Response.text("An error occurred", status, **headers)
        return response

    def base_url(self, request: Request) -> str:
        return self.api_base or f"http://{request.header('host') or '127.0.0.1'}"

    # -- routing ----------------------------------------------------------------------------

    def _route(self, request: Request) -> Response:
        parts = [unquote(p) for p in request.path.split("/") if p]
        joined = "/".join(parts)
        if joined in ENDPOINTS:
            return schema_response(self.schema, joined, request)
        if parts[:1] == ["keys"] and len(parts) == 2:
            _allow(request, "GET")
            return Response.json(key_info(request, self.keys, parts[1]))
        if len(parts) >= 2 and parts[0] in ("users", "groups") and parts[1].isdigit():
            api_key = authenticate(request, self.keys)
            lib = self.libraries.get((parts[0][:-1], int(parts[1])))
            if lib is None:
                raise not_found()
            authorize(request, api_key, lib)
            token = self.tokens.check(request, api_key)
            raw_parts = [p for p in request.path.split("/") if p][2:]
            response = self._library(request, lib, parts[2:], raw_parts, api_key)
            if token and api_key and response.status < 300:
                self.tokens.remember(api_key, token)
            return response
        raise not_found()

    def _not_modified(self, request: Request, lib: Library) -> Response | None:
        since = parse_version(request.header("if-modified-since-version"),
                              "If-Modified-Since-Version")
        if request.method == "GET" and since is not None and lib.version <= since:
            return Response(304, b"", {"Last-Modified-Version": str(lib.version)})
        return None

    def _library(self, request: Request, lib: Library, parts: list[str], raw: list[str],
                 api_key: ApiKey | None) -> Response:
        if not parts:
            raise not_found()
        head, rest = parts[0], parts[1:]
        single = head in ("items", "collections") and len(rest) == 1 and is_valid_key(rest[0])
        if head in ("items", "collections", "tags", "searches") and not single:
            cached = self._not_modified(request, lib)
            if cached is not None:
                return cached
        if head == "items":
            return self._items(request, lib, rest)
        if head == "collections":
            return self._collections(request, lib, rest)
        if head == "tags":
            if not rest:
                return self._tags(request, lib, lib.items.values(), deletable=True)
            _allow(request, "GET")
            name = unquote_plus("/".join(raw[1:]))
            return self.reader.tags(request, self.base_url(request), lib,
                                    list(lib.items.values()), name)
        if head == "deleted" and not rest:
            _allow(request, "GET")
            return self.reader.deleted(request, lib)
        if head == "searches" and not rest:
            _allow(request, "GET")
            return self.reader.collections(request, self.base_url(request), lib, [])
        if head == "groups" and not rest and lib.kind == "user":
            _allow(request, "GET")
            visible = [g for g in self.libraries.values() if g.kind == "group"
                       and (g.public or (api_key is not None and api_key.can_read(g)))]
            return self.reader.groups(request, self.base_url(request), visible)
        if head in ("searches", "settings", "fulltext", "publications"):
            raise ApiError(501, f"'{head}' is not implemented by this emulator")
        raise not_found()

    def _items(self, request: Request, lib: Library, rest: list[str]) -> Response:
        base = self.base_url(request)
        everything = list(lib.items.values())
        scopes = {(): (everything, False), ("top",): (_top(everything), False),
                  ("trash",): ([e for e in everything if e.data.get("deleted")], True)}
        if tuple(rest) in scopes:
            scope, trashed = scopes[tuple(rest)]
            if rest:
                _allow(request, "GET")
            else:
                _allow(request, "GET", "POST", "DELETE")
            if request.method == "POST":
                return self._post(request, lib, "items")
            if request.method == "DELETE":
                return self._delete_keys(request, lib, "items", "itemKey")
            return self.reader.items(request, base, lib, scope, trash_default=trashed)
        if rest[-1:] == ["tags"] and tuple(rest[:-1]) in scopes:
            return self._tags(request, lib, scopes[tuple(rest[:-1])][0])
        key = rest[0]
        if not is_valid_key(key) or (len(rest) > 1 and key not in lib.items):
            raise not_found()
        if rest[1:] == ["children"]:
            _allow(request, "GET")
            return self.reader.items(request, base, lib, lib.children(key))
        if rest[1:] == ["tags"]:
            return self._tags(request, lib, [lib.items[key]])
        if len(rest) > 1:
            raise not_found()
        return self._object(request, lib, "items", key)

    def _collections(self, request: Request, lib: Library, rest: list[str]) -> Response:
        base = self.base_url(request)
        everything = list(lib.collections.values())
        if not rest:
            _allow(request, "GET", "POST", "DELETE")
            if request.method == "POST":
                return self._post(request, lib, "collections")
            if request.method == "DELETE":
                return self._delete_keys(request, lib, "collections", "collectionKey")
            return self.reader.collections(request, base, lib, everything)
        if rest == ["top"]:
            _allow(request, "GET")
            top = [e for e in everything if not e.data.get("parentCollection")]
            return self.reader.collections(request, base, lib, top)
        key = rest[0]
        if not is_valid_key(key) or (len(rest) > 1 and key not in lib.collections):
            raise not_found()
        if len(rest) == 1:
            return self._object(request, lib, "collections", key)
        members = lib.collection_members(key)
        with_children = members + [c for m in members for c in lib.children(m.key)]
        sub = {("collections",): None, ("items",): with_children, ("items", "top"): members,
               ("tags",): members, ("items", "tags"): with_children,
               ("items", "top", "tags"): members}
        tail = tuple(rest[1:])
        if tail not in sub:
            raise not_found()
        if tail == ("collections",):
            _allow(request, "GET")
            return self.reader.collections(request, base, lib, lib.subcollections(key))
        if tail[-1] == "tags":
            return self._tags(request, lib, sub[tail] or [])
        _allow(request, "GET")
        return self.reader.items(request, base, lib, sub[tail] or [])

    def _tags(self, request: Request, lib: Library, scope: Any,
              deletable: bool = False) -> Response:
        _allow(request, "GET", "DELETE") if deletable else _allow(request, "GET")
        if request.method == "DELETE":
            names = [n for expr in request.args("tag") for n in expr.split(" || ") if n]
            header = parse_version(request.header("if-unmodified-since-version"))
            version = self.writer.delete_tags(lib, names, header)
            return Response(204, b"", {"Last-Modified-Version": str(version)})
        return self.reader.tags(request, self.base_url(request), lib, list(scope))

    # -- writes -----------------------------------------------------------------------------

    def _object(self, request: Request, lib: Library, kind: str, key: str) -> Response:
        _allow(request, "GET", "PUT", "PATCH", "DELETE")
        base = self.base_url(request)
        if request.method in LIST_GETS:
            if kind == "items":
                return self.reader.item(base, lib, key)
            return self.reader.collection(base, lib, key)
        header = parse_version(request.header("if-unmodified-since-version"))
        if request.method == "DELETE":
            version = self.writer.delete_one(lib, kind, key, header)
        else:
            version = self.writer.put_one(lib, kind, key, _body(request), header,
                                          request.method)
        return Response(204, b"", {"Last-Modified-Version": str(version)})

    def _post(self, request: Request, lib: Library, kind: str) -> Response:
        body = _body(request)
        header = parse_version(request.header("if-unmodified-since-version"))
        base = self.base_url(request)

        def render(entry: Entry) -> dict[str, Any]:
            if kind == "items":
                return item_json(self.schema, lib, entry, base, in_write_report=True)
            return collection_json(lib, entry, base)

        report = self.writer.post(lib, kind, body, header, render)
        response = Response.json(report)
        response.headers["Last-Modified-Version"] = str(lib.version)
        return response

    def _delete_keys(self, request: Request, lib: Library, kind: str, param: str) -> Response:
        keys = [k for k in (request.arg(param) or "").split(",") if k]
        if not keys:
            raise ApiError(400, f"'{param}' not provided")
        if len(keys) > 50:
            raise ApiError(413, f"Cannot delete more than 50 {kind} at a time")
        check_library_version(lib, parse_version(request.header("if-unmodified-since-version")))
        version = self.writer.delete_many(lib, kind, keys)
        return Response(204, b"", {"Last-Modified-Version": str(version)})


def _top(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if not e.data.get("parentItem")]

