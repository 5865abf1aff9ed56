"""`zsync config check`: is the API key valid, and may it read and write this library?

The key is sent in the Authorization header to `/keys/current` (never in the URL, where
pyzotero's `key_info()` would put it and its error messages would show it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx2

from .zotero_client import ZoteroApi, transport_failure


@dataclass(frozen=True)
class KeyCheck:
    reachable: bool
    key_valid: bool
    can_read: bool
    can_write: bool
    user_id: int | None = None
    username: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.reachable and self.key_valid and self.can_read and self.can_write


def key_check(api: ZoteroApi) -> KeyCheck:
    """Ask Zotero what the configured key may do with the configured library."""
    if api.local:
        return _local_check(api)
    zot = api.zot
    if zot.client is None:  # pragma: no cover - make_api always gives one
        raise RuntimeError("pyzotero has no HTTP client")
    try:
        response = zot.client.request("GET", f"{api.endpoint.rstrip('/')}/keys/current",
                                      headers=zot.default_headers())
    except httpx2.HTTPError as exc:
        reason = (transport_failure(exc) or (type(exc).__name__, True))[0]
        return KeyCheck(False, False, False, False, message=reason)
    if response.status_code in (401, 403, 404):
        return KeyCheck(True, False, False, False, message="Zotero does not know this API key")
    if response.status_code != 200:
        return KeyCheck(True, False, False, False,
                        message=f"Zotero answered HTTP {response.status_code}")
    return _judge(api.library, response.json())


def _judge(library: str, info: dict[str, Any]) -> KeyCheck:
    kind, _, ident = library.partition("/")
    access = info.get("access") or {}
    user_id = info.get("userID")
    username = str(info.get("username", ""))
    if kind == "users":
        perms = access.get("user") or {}
        if str(user_id) != ident:
            hint = (f"; {ident} is one of your groups: set library_type = group"
                    if ident in (access.get("groups") or {}) else
                    f": set library_id = {user_id}" if user_id is not None else "")
            return KeyCheck(True, True, False, False, user_id, username,
                            f"this key belongs to user {user_id}, not {ident}{hint}")
    else:
        groups = access.get("groups") or {}
        perms = groups.get(ident) or groups.get("all") or {}
    can_read, can_write = bool(perms.get("library")), bool(perms.get("write"))
    message = "" if can_read and can_write else (
        f"the key may {'read but not write' if can_read else 'not read'} {library}")
    return KeyCheck(True, True, can_read, can_write, user_id, username, message)


def _local_check(api: ZoteroApi) -> KeyCheck:
    try:
        api.library_version()
    except Exception as exc:  # any failure means "not reachable"
        return KeyCheck(False, False, False, False, message=f"local API: {type(exc).__name__}")
    can_write = bool(api.zot.local_api_key)
    return KeyCheck(True, True, True, can_write,
                    message="" if can_write else "local API: no local key for writes")
