"""`zsync config check`: is the API key valid, and may it read and write this library?

The key is sent in the Authorization header to `/keys/current` (never in the URL, where
pyzotero's `key_info()` would put it and its error messages would show it).

On Zotero desktop: does it answer, which kind of desktop is it (Zotero 10 names itself with
a `Zotero-Server-ID` and accepts writes; 7-9 only read), and is zsync's local key still
approved (an empty write, which changes nothing, is refused with 401 otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2

from zsync.logs import redact
from zsync.zotero.client import (
    DESKTOP_OFF,
    DESKTOP_READ_ONLY,
    NO_LOCAL_KEY,
    DesktopUnavailable,
    ZoteroApi,
    transport_failure,
)

DESKTOP_WRITES = "Zotero 10 or newer: reads and, with an approved key, writes"
DESKTOP_READS = "Zotero 7-9: reads only"


@dataclass(frozen=True)
class KeyCheck:
    reachable: bool
    key_valid: bool
    can_read: bool
    can_write: bool
    user_id: int | None = None
    username: str = ""
    message: str = ""
    desktop: str = ""  # what the desktop's local API turned out to be, when it was asked

    @property
    def ok(self) -> bool:
        return self.reachable and self.key_valid and self.can_read and self.can_write


def key_check(api: ZoteroApi) -> KeyCheck:
    """Ask Zotero what the configured key may do with the configured library."""
    if api.local:
        return _local_check(api)
    return _web_check(api)  # in hybrid mode the desktop is checked by `desktop_check`


def _web_check(api: ZoteroApi) -> KeyCheck:
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


def desktop_check(api: ZoteroApi) -> KeyCheck:
    """Hybrid mode: whether the desktop the mirror is read from answers."""
    return _desktop_silent(api.reader_version) or KeyCheck(True, True, True, True)


def _desktop_silent(ask: Callable[[], object]) -> KeyCheck | None:
    """Why Zotero desktop did not answer `ask`, or None when it did."""
    try:
        ask()
    except DesktopUnavailable:
        return KeyCheck(False, False, False, False, message=DESKTOP_OFF)
    except Exception as exc:
        return KeyCheck(False, False, False, False,
                        message=f"Zotero desktop did not answer as expected: {_short(exc)}")
    return None


def _local_check(api: ZoteroApi) -> KeyCheck:
    silent = _desktop_silent(api.library_version)
    if silent is not None:
        return silent
    if not api.desktop_writes:
        return KeyCheck(True, True, True, False, message=DESKTOP_READ_ONLY,
                        desktop=DESKTOP_READS)
    if not api.zot.local_api_key:
        return KeyCheck(True, False, True, False, message=NO_LOCAL_KEY, desktop=DESKTOP_WRITES)
    status = _empty_write(api)
    if status == 401:
        return KeyCheck(True, False, True, False, desktop=DESKTOP_WRITES,
                        message="Zotero does not accept zsync's local API key (removed in "
                                "Zotero, or given by another Zotero): run `zsync config "
                                "local-auth` again")
    if status is None or not 200 <= status < 300:
        return KeyCheck(True, True, True, False, desktop=DESKTOP_WRITES,
                        message=f"a test write (of nothing) was answered with HTTP {status}")
    return KeyCheck(True, True, True, True, desktop=DESKTOP_WRITES)


def _empty_write(api: ZoteroApi) -> int | None:
    """Send a write of no objects: Zotero checks the key and writes nothing."""
    zot = api.zot
    if zot.client is None:  # pragma: no cover - make_api always gives one
        return None
    headers = {**zot.default_headers(), "Zotero-Server-ID": api.server_id,
               "Zotero-API-Key": str(zot.local_api_key), "Content-Type": "application/json"}
    try:
        response = zot.client.request("POST", f"{api.endpoint.rstrip('/')}/{api.library}/items",
                                      headers=headers, content=b"[]")
    except httpx2.HTTPError:
        return None
    return int(response.status_code)


def _short(exc: BaseException) -> str:
    return " ".join(redact(str(exc)).split())[:200] or type(exc).__name__
