"""Bringing the local mirror up to date with the Zotero library (reference §4, §9, §12).

One request when nothing changed: the library's version is read first and compared with the
stored one. Otherwise, following Zotero's sync recipe: the keys and versions of objects
changed since the stored version (`format=versions`), the changed objects themselves by key
in chunks of 50, and the deletion log. The local API has no deletion log, and a library
whose version went backwards was reset; both get a full listing of versions, and whatever
the mirror holds that the listing lacks is marked deleted. The new stored version is the one
read before listing, so a change made while refreshing is fetched again next time rather
than missed.

Zotero desktop 7-9 report the versions of the last sync, which an edit made in the desktop
does not move: there the versions are not trusted, and every run reads the whole library in
one unpaged request and keeps what differs (`_compare_everything`). The local API ignores
`collectionKey=`, so collections are read there once and picked by key.

Hybrid mode (`api.reader` is the desktop, writes go to the web API): the mirror holds the web
API's versions, which are what writes are checked against. Which objects changed comes from
the web API (keys and versions only); their data is read from the desktop when it has caught
up with that version, else from the web API, so the desktop syncing late is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from zsync.state.store import StateStore
from zsync.zotero.client import DESKTOP_OFF, ZoteroApi
from zsync.zotero.library import LibraryCollection, LibraryItem, LibraryView

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
    if not api.trusts_versions:
        return _compare_everything(api, store, stored, latest)
    if known and latest == stored:
        return RefreshStats(stored, stored)
    full = not known or latest < stored or api.local
    if full:
        items, colls, ever_deleted = _full_listing(api)
        gone_items = (set(mirror.item_versions()) | ever_deleted) - set(items)
        gone_colls = set(mirror.collection_versions()) - set(colls)
    else:
        items, colls, gone_items, gone_colls = _changes_since(api, stored)
    # Objects zsync itself wrote are in the mirror at their current version already (a
    # listing of what changed is compared with those objects' versions alone).
    items = _stale(items, mirror.item_versions(None if full else items))
    colls = _stale(colls, mirror.collection_versions(None if full else colls))
    if api.hybrid:
        fetched_colls = _fetch_caught_up(api, store, colls, "collections")
        fetched_items = _fetch_caught_up(api, store, items, "items")
    else:
        fetched_colls = fetch_collections(api, store, sorted(colls))
        fetched_items = fetch_items(api, store, sorted(items))
    with store.transaction():
        deleted_items = mirror.mark_items_deleted(sorted(gone_items))
        deleted_colls = mirror.mark_collections_deleted(sorted(gone_colls))
        mirror.set_library_version(latest)
    return _logged(api, RefreshStats(stored, latest, fetched_items, fetched_colls,
                                     deleted_items, deleted_colls, full))


def _logged(api: ZoteroApi, stats: RefreshStats) -> RefreshStats:
    stored, latest = stats.version_before, stats.version_after
    fetched_items, fetched_colls = stats.items_fetched, stats.collections_fetched
    deleted_items, deleted_colls = stats.items_deleted, stats.collections_deleted
    log.info("mirror of %s: version %d -> %d, %d items and %d collections fetched, "
             "%d and %d deleted", api.library, stored, latest, fetched_items, fetched_colls,
             deleted_items, deleted_colls)
    return stats


def _compare_everything(api: ZoteroApi, store: StateStore, stored: int, latest: int
                        ) -> RefreshStats:
    """Zotero 7-9's local API: read every item and collection (one unpaged request each,
    no rate limit on this computer) and keep what differs from the mirror."""
    zot = api.zot
    items = api.call(lambda: list(zot.everything(zot.items(includeTrashed=1, limit=None))))
    colls = api.call(lambda: list(zot.everything(zot.collections(limit=None))))
    mirror = store.mirror
    changed_items = [o for o in items if _differs(o, mirror.get_item(o["key"]))]
    changed_colls = [o for o in colls if _differs(o, mirror.get_collection(o["key"]))]
    gone_items = set(mirror.item_versions()) - {o["key"] for o in items}
    gone_colls = set(mirror.collection_versions()) - {o["key"] for o in colls}
    with store.transaction():
        fetched_colls = mirror.upsert_collections(changed_colls)
        fetched_items = mirror.upsert_items(changed_items)
        deleted_items = mirror.mark_items_deleted(sorted(gone_items))
        deleted_colls = mirror.mark_collections_deleted(sorted(gone_colls))
        mirror.set_library_version(latest)
    return _logged(api, RefreshStats(stored, latest, fetched_items, fetched_colls,
                                     deleted_items, deleted_colls, True))


def _differs(obj: dict[str, Any], mirrored: Any) -> bool:
    return mirrored is None or mirrored.deleted or mirrored.data != obj.get("data", obj)


def _fetch_caught_up(api: ZoteroApi, store: StateStore, wanted: dict[str, int],
                     object_type: str) -> int:
    """Hybrid mode: objects at the web API's `wanted` versions, from the desktop where it
    holds that version already, the rest from the web API."""
    if not wanted:
        return 0
    read: list[dict[str, Any]] = []
    if not api.reader_answers():
        log.warning("%s: reading the library from the Web API instead", DESKTOP_OFF)
    elif object_type == "items":
        read = _read_items(api, api.reads, sorted(wanted))
    else:
        read = _read_collections(api, api.reads, sorted(wanted))
    caught_up = [o for o in read if wanted.get(o["key"]) == int(o["data"]["version"])]
    missing = sorted(set(wanted) - {o["key"] for o in caught_up})
    if object_type == "items":
        later = _read_items(api, api.zot, missing) if missing else []
        return store.mirror.upsert_items([*caught_up, *later])
    later = _read_collections(api, api.zot, missing) if missing else []
    return store.mirror.upsert_collections([*caught_up, *later])


def _full_listing(api: ZoteroApi) -> tuple[dict[str, int], dict[str, int], set[str]]:
    """Every item and collection, and the keys of items ever deleted: a new mirror (new
    computer, lost state) must still tell "the user deleted zsync's note" from "never
    written"."""
    zot = api.zot  # in hybrid mode the web API: its versions are what writes are checked by
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


def _read_items(api: ZoteroApi, zot: Any, keys: list[str]) -> list[dict[str, Any]]:
    """Items (trashed too) by key through `zot`, in chunks of 50."""
    found: list[dict[str, Any]] = []
    for chunk in _chunks(keys):
        joined = ",".join(chunk)

        def page(joined: str = joined) -> list[dict[str, Any]]:
            return list(zot.everything(zot.items(itemKey=joined, includeTrashed=1,
                                                 limit=CHUNK)))

        found += api.call(page)
    return found


def _read_collections(api: ZoteroApi, zot: Any, keys: list[str]) -> list[dict[str, Any]]:
    """Collections by key through `zot`. The local API ignores `collectionKey=` and answers
    every collection, so there they are read once, unpaged, and picked by key."""
    if getattr(zot, "local", False):
        wanted = set(keys)
        every = api.call(lambda: list(zot.everything(zot.collections(limit=None))))
        return [o for o in every if o["key"] in wanted]
    found: list[dict[str, Any]] = []
    for chunk in _chunks(keys):
        joined = ",".join(chunk)

        def page(joined: str = joined) -> list[dict[str, Any]]:
            return list(zot.everything(zot.collections(collectionKey=joined, limit=CHUNK)))

        found += api.call(page)
    return found


def fetch_items(api: ZoteroApi, store: StateStore, keys: list[str]) -> int:
    """Fetch items by key (trashed ones too) into the mirror; returns how many came back."""
    return store.mirror.upsert_items(_read_items(api, api.zot, keys)) if keys else 0


def fetch_collections(api: ZoteroApi, store: StateStore, keys: list[str]) -> int:
    if not keys:
        return 0
    return store.mirror.upsert_collections(_read_collections(api, api.zot, keys))


def fetch_item_data(api: ZoteroApi, keys: list[str]) -> dict[str, dict[str, Any]]:
    """Current editable JSON of items by key (trashed included) where writes go; missing
    keys are absent."""
    return {o["key"]: o["data"] for o in _read_items(api, api.zot, keys)}


def fetch_collection_data(api: ZoteroApi, keys: list[str]) -> dict[str, dict[str, Any]]:
    if not keys:
        return {}
    return {o["key"]: o["data"] for o in _read_collections(api, api.zot, keys)}


def library_view(store: StateStore) -> LibraryView:
    """The mirrored library as the planners see it: trashed items marked deleted."""
    items = (LibraryItem.from_mirror(i) for i in store.mirror.items())
    collections = (
        LibraryCollection(c.key, c.version, c.name, c.parent_key, bool(c.trashed))
        for c in store.mirror.collections()
    )
    return LibraryView.build(items, collections, store.mirror.deleted_item_keys())
