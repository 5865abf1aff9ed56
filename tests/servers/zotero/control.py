"""Test-side control of the emulator: set-up, inspection, another client's edits, switches.

Everything here takes the app lock, so it is safe to call while the server is running.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from tests.servers.base import RateLimiter
from tests.servers.zotero.cleaning import clean_strings
from tests.servers.zotero.errors import ObjectError
from tests.servers.zotero.library import ApiKey, Library
from tests.servers.zotero.writes import Writer

LibraryRef = Library | str | tuple[str, int] | int | None


class ObjectRejected(ValueError):
    """A seeded or edited object failed validation (carries the Zotero error)."""

    def __init__(self, error: ObjectError) -> None:
        super().__init__(f"{error.code} {error.message}")
        self.error = error


class Control:
    lock: threading.RLock
    libraries: dict[tuple[str, int], Library]
    keys: dict[str, ApiKey]
    writer: Writer
    backoff: tuple[str, int] | None
    after_commit: list[tuple[int, str | None]]
    rate_limiter: RateLimiter | None
    rate_retry_after: str | None

    # -- set-up -----------------------------------------------------------------------------

    def add_user(self, user_id: int, username: str = "testuser", public: bool = False) -> Library:
        with self.lock:
            lib = Library("user", user_id, username, slug=username, public=public,
                          owner=user_id)
            self.libraries[("user", user_id)] = lib
            return lib

    def add_group(self, group_id: int, name: str = "", owner: int | None = None,
                  public: bool = False) -> Library:
        with self.lock:
            lib = Library("group", group_id, name or f"Group {group_id}", public=public,
                          owner=owner)
            self.libraries[("group", group_id)] = lib
            return lib

    def add_key(self, key: str, user_id: int, *, write: bool = True, library: bool = True,
                groups: dict[str, dict[str, bool]] | None = None,
                username: str | None = None) -> ApiKey:
        with self.lock:
            owner = self.libraries.get(("user", user_id))
            api_key = ApiKey(key, user_id, username or (owner.name if owner else "testuser"),
                             library=library, write=write, groups=dict(groups or {}))
            self.keys[key] = api_key
            return api_key

    def library(self, ref: LibraryRef = None) -> Library:
        """None: the first user library; "users/1", "groups/5", ("group", 5), 1 (a user id)."""
        with self.lock:
            if isinstance(ref, Library):
                return ref
            if ref is None:
                return next(lib for (kind, _), lib in self.libraries.items() if kind == "user")
            if isinstance(ref, int):
                return self.libraries[("user", ref)]
            if isinstance(ref, str):
                kind, _, ident = ref.strip("/").partition("/")
                return self.libraries[(kind.rstrip("s"), int(ident))]
            return self.libraries[(ref[0].rstrip("s"), int(ref[1]))]

    # -- inspection (deep copies) -----------------------------------------------------------

    def version(self, ref: LibraryRef = None) -> int:
        with self.lock:
            return self.library(ref).version

    def items(self, ref: LibraryRef = None) -> dict[str, dict[str, Any]]:
        """Every stored item (trashed ones too) by key, as editable JSON."""
        with self.lock:
            return {k: copy.deepcopy(e.data) for k, e in self.library(ref).items.items()}

    def item(self, key: str, ref: LibraryRef = None) -> dict[str, Any]:
        """One stored item (KeyError if there is none)."""
        with self.lock:
            return copy.deepcopy(self.library(ref).items[key].data)

    def collections(self, ref: LibraryRef = None) -> dict[str, dict[str, Any]]:
        with self.lock:
            return {k: copy.deepcopy(e.data) for k, e in self.library(ref).collections.items()}

    def deleted_log(self, ref: LibraryRef = None) -> dict[str, dict[str, int]]:
        """{"items": {key: version deleted}, "collections": ..., "tags": {name: version}}."""
        with self.lock:
            return copy.deepcopy(self.library(ref).deleted)

    # -- another client's writes ------------------------------------------------------------

    def _write(self, ref: LibraryRef, kind: str, key: str | None, data: dict[str, Any]) -> str:
        with self.lock:
            lib = self.library(ref)
            key = key or data.get("key") or lib.new_key()
            stored = lib.store(kind).get(key)
            try:
                new = self.writer.merge(lib, kind, key, clean_strings({**data, "key": key}),
                                        stored)
            except ObjectError as err:
                raise ObjectRejected(err) from None
            self.writer.commit(lib, kind, new, stored, lib.bump())
            return key

    def seed_item(self, data: dict[str, Any], ref: LibraryRef = None) -> str:
        """Create (or overwrite) an item as another client would; returns its key."""
        return self._write(ref, "items", None, data)

    def seed_collection(self, name: str, parent: str | None = None,
                        ref: LibraryRef = None, key: str | None = None) -> str:
        return self._write(ref, "collections", key,
                           {"name": name, "parentCollection": parent or False})

    def edit_item(self, library: LibraryRef, key: str, changes: dict[str, Any]) -> int:
        """Apply `changes` (PATCH semantics) as another client; returns the new version."""
        with self.lock:
            if key not in self.library(library).items:
                raise KeyError(key)
            self._write(library, "items", key, changes)
            return self.library(library).version

    def edit_collection(self, library: LibraryRef, key: str, changes: dict[str, Any]) -> int:
        with self.lock:
            if key not in self.library(library).collections:
                raise KeyError(key)
            self._write(library, "collections", key, changes)
            return self.library(library).version

    def delete_remotely(self, library: LibraryRef, key: str, kind: str = "items") -> int:
        """Delete an object as another client (logged in /deleted); returns the new version."""
        with self.lock:
            return self.writer.delete_many(self.library(library), kind, [key])

    # -- switches -----------------------------------------------------------------------------

    def set_backoff(self, seconds: float | str, times: int = 1) -> None:
        """Send `Backoff: <seconds>` on the next `times` successful responses."""
        with self.lock:
            self.backoff = (str(seconds), times)

    def fail_after_commit(self, status: int = 502, times: int = 1,
                          retry_after: str | None = None) -> None:
        """The next `times` successful writes are applied, then answered with `status`."""
        with self.lock:
            self.after_commit.extend([(status, retry_after)] * times)

    def set_rate_limit(self, limit: int | None, interval: float = 1.0,
                       retry_after: str | None = "10") -> None:
        """Answer 429 beyond `limit` requests per `interval` s (None: no limit)."""
        with self.lock:
            self.rate_limiter = RateLimiter(limit, interval) if limit else None
            self.rate_retry_after = retry_after

    def lock_library(self, ref: LibraryRef = None, locked: bool = True) -> None:
        """While locked, writes to the library get 409."""
        with self.lock:
            self.library(ref).locked = locked

    def set_version_mode(self, mode: str) -> None:
        """"per_object" (current dataserver) or "per_request" (the documented behaviour)."""
        with self.lock:
            self.writer = Writer(self.writer.schema, mode)
