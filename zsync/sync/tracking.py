"""What a work's plan read from the library, so a later run knows whether it still holds.

The planner reads the library through `LibraryView`: items by key, items found by an
identifier, an item's children, collections. Planning one work through a `TrackedView`
records every item key it looked at and every (kind, value) it searched for. The plan
stays right as long as none of those items changed and no changed item now holds one of
those identifiers; a work that fell back on the fuzzy rules depends on every item (the
work memo keeps the reads by item key and search, to find the plans a change touches:
`sync.memo.WorkMemo.touched`). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from zsync.zotero.library import (
    LibraryCollection,
    LibraryItem,
    LibraryView,
    index_entries,
    of_type,
)


@dataclass
class Reads:
    """The item keys and identifier searches one work's plan read."""

    keys: set[str] = field(default_factory=set)
    searched: set[tuple[str, str]] = field(default_factory=set)
    everything: bool = False  # it read every item (the fuzzy rules)

    def frozen(self) -> Deps:
        return Deps(frozenset(self.keys), frozenset(self.searched), self.everything)


@dataclass(frozen=True)
class Deps:
    keys: frozenset[str] = frozenset()
    searched: frozenset[tuple[str, str]] = frozenset()
    everything: bool = False


@dataclass(frozen=True)
class Changed:
    """Library items that changed between two runs: their keys (and their parents' keys,
    for child notes) and every identifier they hold now."""

    keys: frozenset[str] = frozenset()
    searchable: frozenset[tuple[str, str]] = frozenset()

    def __bool__(self) -> bool:
        """Whether any item changed."""
        return bool(self.keys or self.searchable)


def changed_items(keys: Iterable[str], view: LibraryView) -> Changed:
    """`keys` (items added, edited, trashed or deleted since) as a `Changed`."""
    out: set[str] = set()
    searchable: set[tuple[str, str]] = set()
    for key in keys:
        out.add(key)
        item = view.items.get(key)
        if item is None:
            continue
        if item.parent:
            out.add(item.parent)
        searchable.update(index_entries(item)[0])  # found under these now
    return Changed(frozenset(out), frozenset(searchable))


class _TrackedItems(Mapping[str, LibraryItem]):
    def __init__(self, items: Mapping[str, LibraryItem], reads: Reads) -> None:
        self._items, self._reads = items, reads

    def __getitem__(self, key: str) -> LibraryItem:
        self._reads.keys.add(key)
        return self._items[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self._reads.keys.add(key)
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        self._reads.everything = True
        return iter(self._items)

    def __len__(self) -> int:
        self._reads.everything = True
        return len(self._items)


class _TrackedKeys:
    """A set of item keys whose membership tests are recorded."""

    def __init__(self, keys: frozenset[str], reads: Reads) -> None:
        self._keys, self._reads = keys, reads

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self._reads.keys.add(key)
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        self._reads.everything = True
        return iter(self._keys)

    def __len__(self) -> int:
        self._reads.everything = True
        return len(self._keys)


class TrackedView:
    """Stands in for a `LibraryView` (`tracked`), recording what is read of it in
    `reads`."""

    def __init__(self, view: LibraryView, reads: Reads) -> None:
        self._view, self._reads = view, reads
        self.collections: dict[str, LibraryCollection] = view.collections

    @property
    def items(self) -> Mapping[str, LibraryItem]:
        return _TrackedItems(self._view.items, self._reads)

    @property
    def deleted(self) -> _TrackedKeys:
        return _TrackedKeys(self._view.deleted, self._reads)

    def find(self, kind: str, value: str | None) -> list[str]:
        found = self._view.find(kind, value)
        if value:
            self._reads.searched.add((kind, value))
        self._reads.keys.update(found)
        return found

    def memory(self, key: str) -> Any:
        self._reads.keys.add(key)
        return self._view.memory(key)

    def kept_apart(self) -> set[frozenset[str]]:
        self._reads.everything = True
        return self._view.kept_apart()

    def children(self, key: str, item_type: str = "note", *,
                 trashed: bool = False) -> list[LibraryItem]:
        return of_type(self.all_children(key), item_type, trashed)

    def all_children(self, key: str) -> list[LibraryItem]:
        self._reads.keys.add(key)
        children = self._view.all_children(key)
        self._reads.keys.update(c.key for c in children)
        return children

    def collection_path(self, key: str) -> tuple[str, ...]:
        return self._view.collection_path(key)

    def find_collection(self, path: tuple[str, ...], *, trashed: bool = False) -> str | None:
        return self._view.find_collection(path, trashed=trashed)


def tracked(view: LibraryView, reads: Reads) -> LibraryView:
    """`view`, its reads recorded in `reads` (a `TrackedView` answers as the view does)."""
    return cast(LibraryView, TrackedView(view, reads))
