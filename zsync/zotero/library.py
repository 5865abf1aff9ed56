"""A read-only view of the Zotero library mirror, indexed for finding a work's copy.

Zotero keeps a DOI in the `DOI` field where the item type has one, else in `extra` as a
`DOI: ...` line, and people paste DOIs into `url`; PMIDs and PMCIDs sit in their own
fields on journal articles of newer schemas and in `extra` lines elsewhere. The index
reads all of these, so a work is found wherever its identifier was stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from zsync.model import identifiers as ids
from zsync.zotero.extra import extra_fields
from zsync.zotero.memory import Memory, decode

_NON_WORK_TYPES = frozenset({"note", "attachment", "annotation"})


class MirrorRow(Protocol):
    """An item as the state store's mirror keeps it (`state.mirror.MirrorItem`)."""

    @property
    def key(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def trashed(self) -> bool: ...
    @property
    def data(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True, slots=True)
class LibraryItem:
    key: str
    version: int
    data: Mapping[str, Any]

    @classmethod
    def from_mirror(cls, row: MirrorRow) -> LibraryItem:
        """The mirrored item, in the trash when the mirror says so or its data does."""
        return cls(row.key, row.version,
                   {**row.data, "deleted": row.trashed or row.data.get("deleted")})

    @property
    def item_type(self) -> str:
        return str(self.data.get("itemType", ""))

    @property
    def parent(self) -> str | None:
        parent = self.data.get("parentItem")
        return str(parent) if parent else None

    @property
    def trashed(self) -> bool:
        return bool(self.data.get("deleted"))


@dataclass(frozen=True, slots=True)
class LibraryCollection:
    key: str
    version: int
    name: str
    parent: str | None
    trashed: bool = False


def item_identifiers(data: Mapping[str, Any]) -> dict[str, set[str]]:
    """Every identifier an item holds, wherever Zotero or the user put it."""
    extra = extra_fields(data.get("extra"))
    found: dict[str, set[str]] = {"doi": set(), "pmid": set(), "pmcid": set(), "isbn": set(),
                                  "arxiv": set()}
    for raw in (data.get("DOI"), extra.get("doi"), data.get("url")):
        doi = ids.normalize_doi(str(raw)) if raw else None
        if doi:
            found["doi"].add(doi)
    for raw in (data.get("PMID"), extra.get("pmid")):
        pmid = ids.normalize_pmid(str(raw)) if raw else None
        if pmid:
            found["pmid"].add(pmid)
    for raw in (data.get("PMCID"), extra.get("pmcid")):
        pmcid = ids.normalize_pmcid(str(raw)) if raw else None
        if pmcid:
            found["pmcid"].add(pmcid)
    found["isbn"].update(ids.find_isbns(str(data.get("ISBN") or "")))
    for raw in (data.get("url"), extra.get("arxiv"), data.get("archiveID"), data.get("DOI")):
        arxiv = ids.normalize_arxiv(str(raw)) if raw else None
        if arxiv:
            found["arxiv"].add(arxiv)
    return found


class ItemTable(dict[str, LibraryItem]):
    """Items by key that count their changes, so an index built over them knows when it is
    stale (a dedupe run patches the view's items as it merges)."""

    changes = 0

    def __setitem__(self, key: str, value: LibraryItem) -> None:
        self.changes += 1
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.changes += 1
        super().__delitem__(key)

    def pop(self, key: str, *default: Any) -> Any:
        self.changes += 1
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, LibraryItem]:
        self.changes += 1
        return super().popitem()

    def setdefault(self, key: str, default: Any = None) -> Any:
        self.changes += 1
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.changes += 1
        super().update(*args, **kwargs)

    def clear(self) -> None:
        self.changes += 1
        super().clear()


def item_citekeys(data: Mapping[str, Any]) -> set[str]:
    """Citation keys an item holds: its `citationKey` field and a `Citation Key:` line
    in `extra`, as Better BibTeX wrote it."""
    raw = (data.get("citationKey"), extra_fields(data.get("extra")).get("citation key"))
    return {key for value in raw if (key := ids.normalize_citekey(str(value or "")))}


def of_type(children: Iterable[LibraryItem], item_type: str,
            trashed: bool = False) -> list[LibraryItem]:
    """The children of one type; trashed ones only with `trashed`."""
    return [i for i in children if i.item_type == item_type and (trashed or not i.trashed)]


def index_entries(item: LibraryItem) -> tuple[list[tuple[str, str]], Memory | None]:
    """What `LibraryView.find` finds `item` under, and what zsync remembers in it (a live
    top-level work's `extra` line; None otherwise)."""
    if item.item_type in _NON_WORK_TYPES:
        return [], None
    if item.trashed:
        gone = decode(item.data.get("extra"))
        return ([("trashed-work", gone.work)] if gone is not None and gone.work else []), None
    entries = [(kind, value) for kind, values in item_identifiers(item.data).items()
               for value in values]
    entries += [("citekey", citekey) for citekey in item_citekeys(item.data)]
    memory = decode(item.data.get("extra"))
    if memory is not None and memory.work:
        entries.append(("work", memory.work))
    return entries, memory


@dataclass
class LibraryView:
    """The mirror's items and collections, with identifier indexes over top-level items."""

    items: dict[str, LibraryItem] = field(default_factory=ItemTable)
    collections: dict[str, LibraryCollection] = field(default_factory=dict)
    _index: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    deleted: frozenset[str] = frozenset()  # keys of items deleted on the server
    _memories: dict[str, Memory] = field(default_factory=dict)
    # Children by parent key, and the (table, change count) it was built from.
    _children: dict[str, list[LibraryItem]] = field(default_factory=dict)
    _children_of_table: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.items, ItemTable):
            self.items = ItemTable(self.items)

    @classmethod
    def build(
        cls, items: Iterable[LibraryItem], collections: Iterable[LibraryCollection] = (),
        deleted: Iterable[str] = (),
    ) -> LibraryView:
        view = cls({i.key: i for i in items}, {c.key: c for c in collections},
                   deleted=frozenset(deleted))
        for item in view.items.values():
            entries, memory = index_entries(item)
            for entry in entries:
                view._index.setdefault(entry, []).append(item.key)
            if memory is not None:
                view._memories[item.key] = memory
        return view

    def memory(self, key: str) -> Memory | None:
        """What zsync remembers in a live top-level item's `extra` (zotero.memory)."""
        return self._memories.get(key)

    def kept_apart(self) -> set[frozenset[str]]:
        """The pairs of items the user said are not duplicates, as the items remember them."""
        return {frozenset((key, other)) for key, memory in self._memories.items()
                for other in memory.apart if other != key}

    def find(self, kind: str, value: str | None) -> list[str]:
        """Keys of live top-level items holding identifier `value` of `kind`."""
        return list(self._index.get((kind, value), [])) if value else []

    def children(self, key: str, item_type: str = "note", *,
                 trashed: bool = False) -> list[LibraryItem]:
        """Child items of `key` of one type; trashed ones only with `trashed`."""
        return of_type(self.all_children(key), item_type, trashed)

    def all_children(self, key: str) -> list[LibraryItem]:
        """Every child of `key` (any type, trashed ones included), in the items' order."""
        table = self.items
        built_from = (id(table), getattr(table, "changes", -1))
        if self._children_of_table != built_from:
            children: dict[str, list[LibraryItem]] = {}
            for item in table.values():
                parent = item.parent
                if parent:
                    children.setdefault(parent, []).append(item)
            self._children, self._children_of_table = children, built_from
        return list(self._children.get(key, ()))

    def collection_path(self, key: str) -> tuple[str, ...]:
        """Names from the top collection down to `key`."""
        path: list[str] = []
        seen: set[str] = set()
        current: str | None = key
        while current and current in self.collections and current not in seen:
            seen.add(current)
            collection = self.collections[current]
            path.append(collection.name)
            current = collection.parent
        return tuple(reversed(path))

    def find_collection(self, path: tuple[str, ...], *, trashed: bool = False) -> str | None:
        """The key of the live collection at `path` (with `trashed`, of a trashed one)."""
        for key, collection in self.collections.items():
            if collection.trashed == trashed and self.collection_path(key) == path:
                return key
        return None
