"""The library mirror as the sync planner reads it, without loading every item.

`LibraryView` holds every mirrored item and indexes them all on each run. A sync that
plans only a few works needs only the items those works name: `indexed_view` answers the
same questions (items by key, items by identifier, children, collections) from the state
file, through an index by identifier kept up to date item by item (each indexed row says
which version of the item it was made from; items whose version, trash or deletion state
moved since are indexed again at the start of the run).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import cast

from zsync.state.store import StateStore
from zsync.zotero.library import (
    LibraryCollection,
    LibraryItem,
    LibraryView,
    index_entries,
    of_type,
)
from zsync.zotero.memory import Memory


def refresh_index(store: StateStore) -> None:
    """Index again every item whose state moved since it was indexed (looking only at
    the items written since the last time: `Mirror.unindexed`)."""
    mirror = store.mirror
    with store.transaction():  # no write between what is read and what is marked seen
        stale, dropped, seen = mirror.unindexed()
        if not seen:
            return
        rows = []
        for row in mirror.items_by_key(stale):
            state = stale[row.key]
            entries: list[tuple[str, str]] = []
            if not row.deleted:  # LibraryView holds only items not deleted on the server
                entries, _ = index_entries(LibraryItem.from_mirror(row))
            rows.append((row.key, state, entries))
        mirror.reindex(rows, dropped, seen)


class _Items(Mapping[str, LibraryItem]):
    """Mirrored items not deleted on the server, read by key when first asked for."""

    def __init__(self, store: StateStore) -> None:
        self._store = store
        self._read: dict[str, LibraryItem | None] = {}
        self._all: dict[str, LibraryItem] | None = None

    def _one(self, key: str) -> LibraryItem | None:
        if self._all is not None:
            return self._all.get(key)
        if key not in self._read:
            row = self._store.mirror.get_item(key)
            self._read[key] = None if row is None or row.deleted else \
                LibraryItem.from_mirror(row)
        return self._read[key]

    def __getitem__(self, key: str) -> LibraryItem:
        item = self._one(key)
        if item is None:
            raise KeyError(key)
        return item

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._one(key) is not None

    def everything(self) -> dict[str, LibraryItem]:
        if self._all is None:
            self._all = {r.key: LibraryItem.from_mirror(r) for r in self._store.mirror.items()}
        return self._all

    def __iter__(self) -> Iterator[str]:
        return iter(self.everything())

    def __len__(self) -> int:
        return len(self.everything())


class IndexedView:
    """Answers as `LibraryView.build` over the mirror would, reading only what is asked."""

    def __init__(self, store: StateStore) -> None:
        self._store = store
        self._items = _Items(store)
        self.collections: dict[str, LibraryCollection] = {
            c.key: LibraryCollection(c.key, c.version, c.name, c.parent_key, bool(c.trashed))
            for c in store.mirror.collections()}
        self._shape = LibraryView.build([], self.collections.values())
        self._deleted: frozenset[str] | None = None
        self._full: LibraryView | None = None

    @property
    def items(self) -> Mapping[str, LibraryItem]:
        return self._items

    @property
    def deleted(self) -> frozenset[str]:
        if self._deleted is None:
            self._deleted = frozenset(self._store.mirror.deleted_item_keys())
        return self._deleted

    def find(self, kind: str, value: str | None) -> list[str]:
        return self._store.mirror.lookup(kind, value) if value else []

    def memory(self, key: str) -> Memory | None:
        item = self._items.get(key)
        return None if item is None else index_entries(item)[1]

    def kept_apart(self) -> set[frozenset[str]]:
        return self.everything().kept_apart()

    def children(self, key: str, item_type: str = "note", *,
                 trashed: bool = False) -> list[LibraryItem]:
        return of_type(self.all_children(key), item_type, trashed)

    def all_children(self, key: str) -> list[LibraryItem]:
        return [LibraryItem.from_mirror(r) for r in self._store.mirror.children(key)]

    def collection_path(self, key: str) -> tuple[str, ...]:
        return self._shape.collection_path(key)

    def find_collection(self, path: tuple[str, ...], *, trashed: bool = False) -> str | None:
        return self._shape.find_collection(path, trashed=trashed)

    def everything(self) -> LibraryView:
        """The whole library as a `LibraryView` (for what reads every item: the fuzzy
        rules, the kept-apart pairs)."""
        if self._full is None:
            self._full = LibraryView.build(self._items.everything().values(),
                                           self.collections.values(), self.deleted)
        return self._full


def indexed_view(store: StateStore) -> LibraryView:
    """The planner's view of the mirror, read as needed (see the module docstring)."""
    refresh_index(store)
    return cast(LibraryView, IndexedView(store))
