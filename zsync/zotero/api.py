"""The Zotero adapter: one import for the client, mirror refresh, writes and key check
(each loaded when first used).

A run uses it in this order, holding `state.RunLock` throughout:

    api = make_api(config)
    store = StateStore.from_config(config)
    executor = WriteExecutor(api, store, run_id)
    executor.resume_pending()          # finish what a killed run left unconfirmed
    refresh_mirror(api, store)         # 1 request when nothing changed
    ...plan against store.mirror / store.written...
    executor.apply(creates, "create"); executor.apply(updates, "update")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zsync.zotero.client import ZoteroApi, ZoteroSetupError, base_url, make_api
    from zsync.zotero.collections import CollectionError, ensure_collections
    from zsync.zotero.keys import KeyCheck, key_check
    from zsync.zotero.mirror import RefreshStats, fetch_items, refresh_mirror
    from zsync.zotero.settle import ObjectOutcome
    from zsync.zotero.writer import (
        KEY_ALPHABET,
        LibraryMoved,
        PendingWritesError,
        PlannedWrite,
        WriteExecutor,
        WriteRejected,
        WriteResult,
        WriteUnconfirmed,
        resume_pending,
    )

# Each name's module, imported when the name is first asked for: a run that only reads
# the library (a sync with nothing to write) never loads the writer, nor pyzotero.
_HOMES = {
    "client": ("ZoteroApi", "ZoteroSetupError", "base_url", "make_api"),
    "collections": ("CollectionError", "ensure_collections"),
    "keys": ("KeyCheck", "key_check"),
    "mirror": ("RefreshStats", "fetch_items", "refresh_mirror"),
    "settle": ("ObjectOutcome",),
    "writer": ("KEY_ALPHABET", "LibraryMoved", "PendingWritesError", "PlannedWrite",
               "WriteExecutor", "WriteRejected", "WriteResult", "WriteUnconfirmed",
               "resume_pending"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__package__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME_OF})


__all__ = [
    "KEY_ALPHABET",
    "CollectionError",
    "KeyCheck",
    "LibraryMoved",
    "ObjectOutcome",
    "PendingWritesError",
    "PlannedWrite",
    "RefreshStats",
    "WriteExecutor",
    "WriteRejected",
    "WriteResult",
    "WriteUnconfirmed",
    "ZoteroApi",
    "ZoteroSetupError",
    "base_url",
    "ensure_collections",
    "fetch_items",
    "key_check",
    "make_api",
    "refresh_mirror",
    "resume_pending",
]
