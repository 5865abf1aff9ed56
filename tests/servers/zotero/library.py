"""State of the emulated Zotero libraries, and API keys with their permissions.

A `Library` holds one version counter, the items and collections as canonical editable JSON
(what `data` looks like in a response, `key` and `version` included), and the deletion log.
Nothing here validates; `validate.py` does that before anything is stored.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from typing import Any

KEY_ALPHABET = "23456789ABCDEFGHIJKLMNPQRSTUVWXYZ"
KEY_RE = re.compile(f"^[{KEY_ALPHABET}]{{8}}$")
DELETED_KINDS = ("collections", "items", "searches", "tags", "settings")


def is_valid_key(key: Any) -> bool:
    return isinstance(key, str) and bool(KEY_RE.match(key))


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass
class Entry:
    """A stored object: its data and a write sequence number (tie-break for dateModified)."""

    data: dict[str, Any]
    seq: int

    @property
    def key(self) -> str:
        return str(self.data["key"])

    @property
    def version(self) -> int:
        return int(self.data["version"])


@dataclass
class Library:
    kind: str  # "user" or "group"
    id: int
    name: str
    slug: str = ""
    public: bool = False
    version: int = 0
    items: dict[str, Entry] = field(default_factory=dict)
    collections: dict[str, Entry] = field(default_factory=dict)
    deleted: dict[str, dict[str, int]] = field(
        default_factory=lambda: {kind: {} for kind in DELETED_KINDS}
    )
    locked: bool = False
    owner: int | None = None
    _seq: int = 0
    _rng: random.Random = field(default_factory=random.Random)
    # Children by parent and items by relation, kept up to date by `put` and `remove` (a
    # library of thousands of items renders each item without a scan of the library).
    _children: dict[str, dict[str, Entry]] = field(default_factory=dict)
    _related: dict[tuple[str, str], dict[str, Entry]] = field(default_factory=dict)
    _indexed: dict[str, Entry] = field(default_factory=dict)
    _place: dict[str, int] = field(default_factory=dict)  # key -> its place in `items`
    _next_place: int = 0

    @property
    def prefix(self) -> str:
        return f"/{self.kind}s/{self.id}"

    @property
    def web_url(self) -> str:
        if self.kind == "group":
            return f"https://www.zotero.org/groups/{self.id}"
        return f"https://www.zotero.org/{self.slug or self.name}"

    def bump(self) -> int:
        self.version += 1
        return self.version

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def store(self, kind: str) -> dict[str, Entry]:
        return self.items if kind == "items" else self.collections

    def new_key(self) -> str:
        while True:
            key = "".join(self._rng.choice(KEY_ALPHABET) for _ in range(8))
            if key not in self.items and key not in self.collections:
                return key

    def put(self, kind: str, data: dict[str, Any]) -> Entry:
        """Store `data` (already canonical) and clear the key from the deletion log."""
        entry = Entry(data, self.next_seq())
        if kind == "items":
            self._unindex(data["key"])
            if data["key"] not in self.items:  # a new key goes last; a stored one stays
                self._place[data["key"]] = self._next_place
                self._next_place += 1
        self.store(kind)[data["key"]] = entry
        self.deleted[kind].pop(data["key"], None)
        if kind == "items":
            self._index(entry)
        return entry

    def remove(self, kind: str, key: str, version: int) -> None:
        self.store(kind).pop(key, None)
        self.deleted[kind][key] = version
        if kind == "items":
            self._unindex(key)
            self._place.pop(key, None)

    # -- relationships --------------------------------------------------------------------

    def _index(self, entry: Entry) -> None:
        self._indexed[entry.key] = entry
        parent = entry.data.get("parentItem")
        if parent:
            self._children.setdefault(str(parent), {})[entry.key] = entry
        for predicate, objects in (entry.data.get("relations") or {}).items():
            for obj in objects if isinstance(objects, list) else [objects]:
                self._related.setdefault((predicate, obj), {})[entry.key] = entry

    def _unindex(self, key: str) -> None:
        entry = self._indexed.pop(key, None)
        if entry is None:
            return
        for holders in (self._children.get(str(entry.data.get("parentItem"))),
                        *(self._related.get((p, o)) for p, objects in
                          (entry.data.get("relations") or {}).items()
                          for o in (objects if isinstance(objects, list) else [objects]))):
            if holders is not None:
                holders.pop(key, None)

    def _in_order(self, found: dict[str, Entry]) -> list[Entry]:
        """`found`, in the order the library holds its items (as a scan gives them)."""
        entries = list(found.values())
        return sorted(entries, key=lambda e: self._place[e.key]) if len(entries) > 1 \
            else entries

    def _current(self) -> None:
        """Index every item again if some were stored other than by `put` and `remove`."""
        if len(self._indexed) != len(self.items) or len(self._place) != len(self.items):
            self._children, self._related, self._indexed = {}, {}, {}
            self._place = {key: n for n, key in enumerate(self.items)}
            self._next_place = len(self._place)
            for entry in self.items.values():
                self._index(entry)

    def holding(self, predicate: str, obj: str) -> list[Entry]:
        """Items whose relations hold (predicate, obj), in store order."""
        self._current()
        return self._in_order(self._related.get((predicate, obj), {}))

    def children(self, key: str) -> list[Entry]:
        self._current()
        return self._in_order(self._children.get(key, {}))

    def subcollections(self, key: str) -> list[Entry]:
        return [e for e in self.collections.values() if e.data.get("parentCollection") == key]

    def descendants(self, key: str) -> list[str]:
        out: list[str] = []
        stack = [key]
        while stack:
            for sub in self.subcollections(stack.pop()):
                out.append(sub.key)
                stack.append(sub.key)
        return out

    def collection_members(self, key: str) -> list[Entry]:
        return [e for e in self.items.values() if key in e.data.get("collections", [])]


@dataclass
class ApiKey:
    """An API key. `groups` maps a group id (or "all") to {"library": bool, "write": bool}."""

    key: str
    user_id: int
    username: str = "testuser"
    library: bool = True
    write: bool = True
    notes: bool = True
    files: bool = True
    groups: dict[str, dict[str, bool]] = field(default_factory=dict)

    def group_access(self, group_id: int) -> dict[str, bool]:
        return self.groups.get(str(group_id)) or self.groups.get("all") or {}

    def can_read(self, library: Library) -> bool:
        if library.kind == "user":
            return library.id == self.user_id and self.library
        return bool(self.group_access(library.id).get("library"))

    def can_write(self, library: Library) -> bool:
        if library.kind == "user":
            return library.id == self.user_id and self.write
        return bool(self.group_access(library.id).get("write"))

    def info(self) -> dict[str, Any]:
        """The body of GET /keys/<key>."""
        access: dict[str, Any] = {"user": {"library": self.library, "files": self.files,
                                           "notes": self.notes, "write": self.write}}
        if self.groups:
            access["groups"] = {gid: dict(perm) for gid, perm in self.groups.items()}
        return {"key": self.key, "userID": self.user_id, "username": self.username,
                "displayName": self.username, "access": access}
