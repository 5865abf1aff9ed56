"""The Zotero adapter: one import for the client, mirror refresh, writes and key check.

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
