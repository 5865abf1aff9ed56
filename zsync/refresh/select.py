"""Which items a refresh run looks at, and the slices of the state store it plans against.

`select` narrows the due items by `--item-type`, `--tag` and `--collection` (a key, a
name, or a path `Parent/Child`). `view_of` and `written_for` read only the items of
one chunk (with their child notes, trashed ones too) and what zsync wrote to them, so a
chunk costs the same whatever the size of the library.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zsync.errors import UsageError
from zsync.state.mirror import MirrorItem
from zsync.state.refresh import DueItem, RefreshLog
from zsync.state.store import StateStore
from zsync.sync.plan import Written
from zsync.zotero.library import LibraryCollection, LibraryItem, LibraryView

CHUNK = 500
_NOT_FIELDS = frozenset({"tags", "collections", "relations", "key", "version"})


class RefreshSetupError(UsageError):
    """The refresh cannot start: settings are missing or an option names nothing."""


@dataclass(frozen=True)
class RefreshOptions:
    everything: bool = False  # --all
    collection: str | None = None
    tag: str | None = None
    item_type: str | None = None
    limit: int | None = None
    chunk_size: int = CHUNK


def collection_key(store: StateStore, wanted: str) -> str:
    """The key of the collection `wanted` names (key, name or `A/B` path)."""
    found = store.mirror.get_collection(wanted)
    if found is not None and not found.deleted:
        return found.key
    live = [c for c in store.mirror.collections() if not c.trashed]
    view = LibraryView.build([], (LibraryCollection(c.key, c.version, c.name, c.parent_key)
                                  for c in live))
    by_path = view.find_collection(tuple(p.strip() for p in wanted.split("/")))
    if by_path is not None:
        return by_path
    named = [c.key for c in live if c.name.casefold() == wanted.strip().casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        paths = sorted("/".join(view.collection_path(k)) for k in named)
        raise RefreshSetupError(f"several collections are called {wanted!r}: "
                                f"{', '.join(paths)}; give the path or the key")
    raise RefreshSetupError(f"no collection {wanted!r} in the library")


def select(store: StateStore, due: list[DueItem], options: RefreshOptions) -> list[DueItem]:
    items = due
    if options.item_type:
        items = [i for i in items if i.data.get("itemType") == options.item_type]
    if options.tag:
        items = [i for i in items
                 if any(t.get("tag") == options.tag for t in i.data.get("tags") or [])]
    if options.collection:
        key = collection_key(store, options.collection)
        items = [i for i in items if key in (i.data.get("collections") or [])]
    return items


def _library_item(item: MirrorItem) -> LibraryItem:
    return LibraryItem(item.key, item.version,
                       {**item.data, "deleted": item.trashed or item.data.get("deleted")})


def view_of(store: StateStore, keys: Iterable[str]) -> LibraryView:
    """The untrashed items among `keys` and all their children (trashed ones too)."""
    wanted = set(keys)
    rows = RefreshLog(store.db).items_and_children(sorted(wanted))
    live = {r.key for r in rows if r.key in wanted and not r.trashed}
    return LibraryView.build(_library_item(r) for r in rows
                             if r.key in live or r.parent_key in live)


def written_for(store: StateStore, keys: Iterable[str]) -> dict[str, Written]:
    """What zsync last wrote to each of `keys` (field values and tags)."""
    out: dict[str, Written] = {}
    for key in keys:
        row = store.written.get(key)
        if row is None or row.data.get("itemType") == "note":
            continue
        out[key] = Written(
            key, {k: v for k, v in row.data.items() if k not in _NOT_FIELDS},
            tags=tuple(t["tag"] for t in row.data.get("tags", []) if isinstance(t, dict)),
            collections=tuple(row.data.get("collections", [])),
        )
    return out
