"""Resuming a create batch that a killed run left unconfirmed.

Re-sending it blindly would be safe against duplicates (`version: 0`), but not against one
lost edit: if an earlier attempt created an item and the user deleted it since, a create of
the same key would bring it back. So before re-sending, the batch's keys are looked up:
objects that exist are confirmed as they are; objects in the deletion log since the batch
was planned stay deleted; only objects Zotero never received are sent. (The local API has
no deletion log; there, only the lookup is done.)
"""

from __future__ import annotations

from dataclasses import replace

from zsync.state.store import Intent, StateStore
from zsync.zotero.client import ZoteroApi
from zsync.zotero.mirror import fetch_collection_data, fetch_item_data
from zsync.zotero.settle import ObjectOutcome, Settled, same_kind, store_results


def precheck_creates(api: ZoteroApi, store: StateStore, intent: Intent,
                     run_id: int | None) -> tuple[list[ObjectOutcome], Intent]:
    """Settle what Zotero already knows of `intent`; returns those outcomes and the intent
    narrowed to the objects still to send (marked done when none are left)."""
    keys = [o.data["key"] for o in intent.objects]
    fetch = fetch_item_data if intent.object_type == "items" else fetch_collection_data
    current = fetch(api, keys)
    deleted = set() if api.local else _deleted_since(api, intent)
    settled: dict[int, Settled] = {}
    for index, obj in enumerate(intent.objects):
        key, ref = obj.data["key"], obj.ref
        found = current.get(key)
        if found is not None and same_kind(obj.data, found):
            settled[index] = Settled(ObjectOutcome(
                key, "existed", int(found.get("version", 0)), ref=ref,
                message="created by an earlier attempt"), found, True)
        elif found is not None:
            settled[index] = Settled(ObjectOutcome(
                key, "failed", code=412, ref=ref,
                message="the key is already used by a different object; nothing was created"))
        elif key in deleted:
            settled[index] = Settled(ObjectOutcome(
                key, "needs_replan", code=404, ref=ref,
                message="created by an earlier attempt, then deleted in Zotero; not re-created"),
                None, True)
    remaining = tuple(o for i, o in enumerate(intent.objects) if i not in settled)
    store_results(store, intent, settled, run_id, finish=not remaining)
    return [settled[i].outcome for i in sorted(settled)], replace(intent, objects=remaining)


def _deleted_since(api: ZoteroApi, intent: Intent) -> set[str]:
    zot = api.zot
    log = api.call(lambda: zot.deleted(since=intent.base_version)) or {}
    return set(log.get(intent.object_type, []))
