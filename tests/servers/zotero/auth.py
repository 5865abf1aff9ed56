"""API keys (three equivalent forms), library permissions and Zotero-Write-Token replay."""

from __future__ import annotations

import time
from typing import Any

from tests.servers.base import Request
from tests.servers.zotero.errors import ApiError
from tests.servers.zotero.library import ApiKey, Library

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
TOKEN_TTL = 12 * 3600.0


def request_key(request: Request) -> str | None:
    """The key from `Zotero-API-Key`, `Authorization: Bearer` or `?key=` (400 if they differ)."""
    header = request.header("zotero-api-key")
    auth = request.header("authorization")
    if auth is not None:
        scheme, _, value = auth.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise ApiError(400, "Invalid Authorization header format")
        if header is not None and header != value.strip():
            raise ApiError(400, "Zotero-API-Key header and Authorization header differ")
        header = value.strip()
    param = request.arg("key")
    if header is not None and param is not None and header != param:
        raise ApiError(400, "Zotero-API-Key header and 'key' parameter differ")
    return header if header is not None else param


def authenticate(request: Request, keys: dict[str, ApiKey]) -> ApiKey | None:
    raw = request_key(request)
    if raw is None:
        return None
    key = keys.get(raw)
    if key is None:
        raise ApiError(403, "Invalid key")
    return key


def key_info(request: Request, keys: dict[str, ApiKey], which: str) -> dict[str, Any]:
    """GET /keys/<key> or /keys/current (the key of the request)."""
    if which == "current":
        api_key = authenticate(request, keys)
        if api_key is None:
            raise ApiError(403, "Forbidden")
        return api_key.info()
    if which not in keys:
        raise ApiError(404, "Key not found")
    return keys[which].info()


def authorize(request: Request, key: ApiKey | None, lib: Library) -> None:
    if request.method in WRITE_METHODS:
        if key is None:
            raise ApiError(403, "An API key is required for write requests.")
        if not key.can_write(lib):
            raise ApiError(403, "Write access denied")
        if lib.locked:
            raise ApiError(409, "The target library is locked")
    elif not lib.public and (key is None or not key.can_read(lib)):
        raise ApiError(403, "Forbidden")


class WriteTokens:
    """Tokens remembered per API key once a request that carried them succeeded."""

    def __init__(self, ttl: float = TOKEN_TTL) -> None:
        self.ttl = ttl
        self._seen: dict[tuple[str, str], float] = {}

    def check(self, request: Request, key: ApiKey | None) -> str | None:
        token = request.header("zotero-write-token")
        if token is None or request.method not in WRITE_METHODS:
            return None
        if not 5 <= len(token) <= 32:
            raise ApiError(400, "Write token must be 5-32 characters in length")
        if key is None:
            raise ApiError(400, "Write token cannot be used without an API key")
        expiry = self._seen.get((key.key, token))
        if expiry is not None and expiry > time.monotonic():
            raise ApiError(412, "Write token already used")
        return token

    def remember(self, key: ApiKey, token: str) -> None:
        self._seen[(key.key, token)] = time.monotonic() + self.ttl

    def clear(self) -> None:
        self._seen.clear()
