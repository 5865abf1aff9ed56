"""An emulator of Zotero desktop's local API (`http://localhost:23119/api/`).

Built from Zotero's chrome/content/zotero/xpcom/server/server_localAPI.js (10.0, and the
read-only version Zotero 7-9 shipped, last changed in 3c6ad491b5) and server.js:

- Paths are the Web API's under `/api/`: `/api/users/0/...` (or the logged-in user's id; any
  other user id is a 400), `/api/groups/<id>/...`; `/api/` answers "Nothing to see here.".
  Other paths: 404 "No endpoint found".
- Every answer carries `Zotero-API-Version: 3` and `Zotero-Schema-Version`; another API
  version (header or `v=`) is a 501 except on `/api/`.
- Reads need no key. Lists have no default or maximum `limit`; `collectionKey=` on collection
  lists is ignored.
- Zotero 7-9 (`zotero_version` < 10) answer only GET (other methods: 400 "Endpoint does not
  support method") and report the versions of the last sync: an edit made in the desktop
  (`edit_locally`) changes data without moving any version.
- Zotero 10 tracks its own versions (a desktop edit moves them), adds `Zotero-Server-ID` to
  every answer (a request that sends a different one gets 412; a write without one 428),
  accepts writes with a local API key (`Zotero-API-Key`, `?key=` or `Authorization: Bearer`;
  none or unknown: 401) and hands out keys at `POST /api/local/authorize {"appName": ...}`
  after the user approves (`approve=False`: 403 `{"denied": true}`; `remember=False`: the key
  works for one write). Writes then behave as the Web API emulator's.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, field
from typing import Any

from tests.servers.base import Request, Response
from tests.servers.zotero.app import ZoteroApp
from tests.servers.zotero.server import make_app

API_VERSION = "3"
INTERNAL_KEY = "localApiInternalKey0000000000000"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
_ALPHABET = string.ascii_letters + string.digits


@dataclass
class LocalKey:
    key: str
    app_name: str
    remember: bool


@dataclass
class LocalApp:
    """The desktop's local API in front of a `ZoteroApp` holding the desktop's libraries."""

    zotero_version: int = 10
    approve: bool = True
    remember: bool = True
    user_id: int = 1
    groups: tuple[int, ...] = ()
    server_id: str = field(default_factory=lambda: _random(12))
    keys: dict[str, LocalKey] = field(default_factory=dict)
    web: ZoteroApp = field(init=False)

    def __post_init__(self) -> None:
        self.web = make_app(self.user_id, INTERNAL_KEY, groups=self.groups)
        self.web.reader.local = True

    # -- App protocol ---------------------------------------------------------------------------

    def endpoint(self, request: Request) -> str:
        path = request.path
        return "local/" + self.web.endpoint(_inner(request, path[4:] if path.startswith("/api")
                                                   else path))

    def handle(self, request: Request) -> Response:
        response = self._answer(request)
        response.headers["Zotero-API-Version"] = API_VERSION
        response.headers["Zotero-Schema-Version"] = str(self.web.schema.version)
        if self.zotero_version >= 10:
            response.headers["Zotero-Server-ID"] = self.server_id
        return response

    # -- requests -----------------------------------------------------------------------------

    def _answer(self, request: Request) -> Response:
        path = request.path
        if path in ("/api", "/api/"):
            if request.method != "GET":
                return _text(400, "Endpoint does not support method\n")
            return _text(200, "Nothing to see here.")
        if not path.startswith("/api/"):
            return _text(404, "No endpoint found\n")
        rest = path[4:]
        if rest.startswith("/local/") and self.zotero_version < 10:
            return _text(404, "No endpoint found\n")
        if request.method in WRITE_METHODS and self.zotero_version < 10:
            return _text(400, "Endpoint does not support method\n")
        if self.zotero_version >= 10:
            refused = self._check_server_id(request)
            if refused is not None:
                return refused
        version = request.header("zotero-api-version") or request.arg("v") or API_VERSION
        if version != API_VERSION:
            return _text(501, f"API version not implemented: {version}")
        if rest == "/local/authorize" and self.zotero_version >= 10:
            return self._authorize(request)
        parts = [p for p in rest.split("/") if p]
        if len(parts) >= 2 and parts[0] == "users":
            if parts[1] not in ("0", str(self.user_id)):
                return _text(400, "Only data for the logged-in user is available locally -- "
                                  f"use userID 0 or {self.user_id}")
            parts[1] = str(self.user_id)
        if request.method in WRITE_METHODS:
            refused = self._authenticate(request)
            if refused is not None:
                return refused
        if request.arg("format") == "atom":
            return _text(501, "Local API does not support Atom output")
        return self.web.handle(_inner(request, "/" + "/".join(parts)))

    def _check_server_id(self, request: Request) -> Response | None:
        given = request.header("zotero-server-id")
        if given is None:
            if request.method in WRITE_METHODS:
                return _text(428, "Zotero-Server-ID not provided")
            return None
        if given != self.server_id:
            return _text(412, "Zotero-Server-ID does not match this server")
        return None

    def _authorize(self, request: Request) -> Response:
        if request.method != "POST":
            return _text(400, "Endpoint does not support method\n")
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        name = body.get("appName") if isinstance(body, dict) else None
        if not isinstance(name, str) or not name.strip():
            return _text(400, "appName is required")
        if not self.approve:
            return Response.json({"denied": True}, 403)
        key = _random(32)
        self.keys[key] = LocalKey(key, name.strip(), self.remember)
        return Response.json({"key": key, "remember": self.remember})

    def _authenticate(self, request: Request) -> Response | None:
        key = request.header("zotero-api-key") or request.arg("key") or ""
        bearer = (request.header("authorization") or "").split()
        if not key and len(bearer) == 2 and bearer[0].lower() == "bearer":
            key = bearer[1]
        if not key:
            return Response(401, b"API key required -- POST /api/local/authorize to obtain one",
                            {"Content-Type": "text/plain",
                             "WWW-Authenticate": 'Zotero-API-Key realm="Zotero Local API"'})
        entry = self.keys.get(key)
        if entry is None:
            return _text(401, "Invalid or expired API key")
        if not entry.remember:
            del self.keys[key]
        return None

    # -- the desktop user's own edits -----------------------------------------------------------

    def edit_locally(self, key: str, changes: dict[str, Any]) -> None:
        """An edit made in Zotero desktop. Zotero 10 moves the item's and library's versions;
        7-9 report the last synced versions, so nothing moves until the next sync."""
        lib = self.web.library()
        if self.zotero_version >= 10:
            self.web.edit_item(None, key, changes)
            return
        with self.web.lock:
            version, library_version = lib.items[key].version, lib.version
            self.web.edit_item(None, key, changes)
            lib.items[key].data["version"] = version
            lib.version = library_version


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def _text(status: int, text: str) -> Response:
    return Response.text(text, status)


def _inner(request: Request, path: str) -> Request:
    """The request as the Web API emulator sees it: library path, internal key."""
    headers = {k: v for k, v in request.headers.items()
               if k not in ("zotero-api-key", "authorization", "zotero-server-id")}
    headers["zotero-api-key"] = INTERNAL_KEY
    query = [(k, v) for k, v in request.query if k != "key"]
    return Request(request.method, path, query, headers, request.body, request.raw_target,
                   request.client)
