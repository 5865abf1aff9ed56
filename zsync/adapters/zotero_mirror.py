"""Bringing the local mirror up to date with the Zotero library (reference §4, §9, §12).

One request when nothing changed: the library's version is read first and compared with the
stored one. Otherwise, following Zotero's sync recipe: the keys and versions of objects
changed since the stored version (`format=versions`), the changed objects themselves by key
in chunks of 50, and the deletion log. The local API has no deletion log, and a library
whose version went backwards was reset; both get a full listing of versions, and whatever
the mirror holds that the listing lacks is marked deleted. The new stored version is the one
read before listing, so a change made while refreshing is fetched again next time rather
than missed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .state import StateStore
from .zotero_client import ZoteroApi

CHUNK = 50
log = logging.getLogger("zsync.zotero")


@dataclass(frozen=True)
class RefreshStats:
    version_before: int
    version_after: int
    items_fetched: int = 0
    collections_fetched: int = 0
    items_deleted: int = 0
    collections_deleted: int = 0
    full: bool = False  # a full listing was used (first run, local API, library reset)

    @property
    def unchanged(self) -> bool:
        return self.version_before == self.version_after and not (
            self.items_fetched or self.collections_fetched or self.items_deleted
            or self.collections_deleted)


def _chunks(keys: list[str], size: int = CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(keys), size):
        yield keys[start:start + size]


def refresh_mirror(api: ZoteroApi, store: StateStore) -> RefreshStats:
    """Update `store`'s mirror of `api.library`; returns what changed."""
    latest = api.library_version()
    api.bind(store)
    mirror = store.mirror
    stored, known = mirror.library_version(), mirror.has_refreshed()
    if known and latest == stored:
        return RefreshStats(stored, stored)
    full = not known or latest < stored or api.local
    if full:
        items, colls, ever_deleted = _full_listing(api)
        gone_items = (set(mirror.item_versions()) | ever_deleted) - set(items)
        gone_colls = set(mirror.collection_versions()) - set(colls)
    else:
        items, colls, gone_items, gone_colls = _changes_since(api, stored)
    # Objects zsync itself wrote are in the mirror at their current version already.
    items = _stale(items, mirror.item_versions())
    colls = _stale(colls, mirror.collection_versions())
    fetched_colls = fetch_collections(api, store, sorted(colls))
    fetched_items = fetch_items(api, store, sorted(items))
    with store.transaction():
        deleted_items = mirror.mark_items_deleted(sorted(gone_items))
        deleted_colls = mirror.mark_collections_deleted(sorted(gone_colls))
        mirror.set_library_version(latest)
    stats = RefreshStats(stored, latest, fetched_items, fetched_colls, deleted_items,
                         deleted_colls, full)
    log.info("mirror of %s: version %d -> %d, %d items and %d collections fetched, "
             "%d and %d deleted", api.library, stored, latest, fetched_items, fetched_colls,
             deleted_items, deleted_colls)
    return stats


def _full_listing(api: ZoteroApi) -> tuple[dict[str, int], dict[str, int], set[str]]:
    """Every item and collection, and the keys of items ever deleted: a new mirror (new
    computer, lost state) must still tell "the user deleted zsync's note" from "never
    written"."""
    zot = api.zot
    items = api.call(lambda: zot.item_versions(includeTrashed=1))
    collections = api.call(lambda: zot.collection_versions())
    deleted: set[str] = set()
    if not api.local:  # the desktop's local API keeps no deletion log
        deleted = set((api.call(lambda: zot.deleted(since=0)) or {}).get("items", []))
    return dict(items or {}), dict(collections or {}), deleted


def _changes_since(api: ZoteroApi, since: int
                   ) -> tuple[dict[str, int], dict[str, int], set[str], set[str]]:
    zot = api.zot
    items = dict(api.call(lambda: zot.item_versions(since=since, includeTrashed=1)) or {})
    collections = dict(api.call(lambda: zot.collection_versions(since=since)) or {})
    deleted = api.call(lambda: zot.deleted(since=since)) or {}
    gone_items = set(deleted.get("items", [])) - set(items)
    gone_colls = set(deleted.get("collections", [])) - set(collections)
    return items, collections, gone_items, gone_colls


def _stale(listed: dict[str, int], mirrored: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in listed.items() if mirrored.get(k) != v}


def _fetch(api: ZoteroApi, keys: list[str],
           read: Callable[[str], list[dict[str, Any]]]) -> Iterator[list[dict[str, Any]]]:
    for chunk in _chunks(keys):
        joined = ",".join(chunk)

        def page(joined: str = joined) -> list[dict[str, Any]]:
            return list(api.zot.everything(read(joined)))

        yield api.call(page)


def fetch_items(api: ZoteroApi, store: StateStore, keys: list[str]) -> int:
    """Fetch items by key (trashed ones too) into the mirror; returns how many came back."""
    count = 0
    zot = api.zot
    for objects in _fetch(api, keys, lambda joined: zot.items(
            itemKey=joined, includeTrashed=1, limit=CHUNK)):
        count += store.mirror.upsert_items(objects)
    return count


def fetch_collections(api: ZoteroApi, store: StateStore, keys: list[str]) -> int:
    count = 0
    zot = api.zot
    for objects in _fetch(api, keys, lambda joined: zot.collections(
            collectionKey=joined, limit=CHUNK)):
        count += store.mirror.upsert_collections(objects)
    return count


def fetch_item_data(api: ZoteroApi, keys: list[str]) -> dict[str, dict[str, Any]]:
    """Current editable JSON of items by key (trashed included); missing keys are absent."""
    found: dict[str, dict[str, Any]] = {}
    zot = api.zot
    for objects in _fetch(api, keys, lambda joined: zot.items(
            itemKey=joined, includeTrashed=1, limit=CHUNK)):
        for obj in objects:
            found[obj["key"]] = obj["data"]
    return found


def fetch_collection_data(api: ZoteroApi, keys: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    zot = api.zot
    for objects in _fetch(api, keys, lambda joined: zot.collections(
            collectionKey=joined, limit=CHUNK)):
        for obj in objects:
            found[obj["key"]] = obj["data"]
    return found
