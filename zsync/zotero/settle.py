"""Acting on a multi-object write report, object by object (reference §8.1-§8.3).

- successful: the mirror takes the object as returned (its own version) and `written`
  records the values zsync sent;
- unchanged: the server already holds those values; `written` records them;
- failed 412 on a create (`version: 0`): the key exists, so an earlier attempt reached the
  server. The object is fetched and confirmed ("existed"); it is never created again;
- failed 412 on an update: the object changed since it was planned. It is fetched; if it
  already holds every value sent (an earlier attempt of this same write landed) it counts as
  updated, otherwise it is returned as "needs_replan" with the current data, untouched;
- failed 404 on an update: the object was deleted in Zotero; "needs_replan", no data;
- any other failure: "failed" with the server's code and message.

Fetching happens first; then one transaction stores every result and marks the intent done.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from zsync.state.store import Intent, IntentObject, StateStore
from zsync.zotero.client import ZoteroApi
from zsync.zotero.mirror import fetch_collection_data, fetch_item_data

Status = Literal["created", "updated", "unchanged", "existed", "needs_replan", "failed"]
_BOOKKEEPING = frozenset({"key", "version", "dateAdded", "dateModified"})


@dataclass(frozen=True)
class ObjectOutcome:
    """What became of one object. `current` is the server's data for "needs_replan"."""

    key: str
    status: Status
    version: int | None = None
    code: int | None = None
    message: str = ""
    ref: str = ""
    current: dict[str, Any] | None = None


@dataclass
class Settled:
    """One object's outcome and what to store for it."""

    outcome: ObjectOutcome
    stored: dict[str, Any] | None = None  # server data for the mirror
    wrote: bool = False  # record the payload in `written`


def settle(api: ZoteroApi, store: StateStore, intent: Intent, report: Mapping[str, Any],
           run_id: int | None) -> list[ObjectOutcome]:
    """Apply `report` (the answer to `intent`) to the state; returns one outcome per object."""
    settled: dict[int, Settled] = {}
    recheck: list[int] = []
    for index, obj in enumerate(intent.objects):
        first = _from_report(intent, index, obj, report)
        if first is None:
            recheck.append(index)
        else:
            settled[index] = first
    current = _fetch(api, intent, [intent.objects[i].data["key"] for i in recheck])
    for index in recheck:
        obj = intent.objects[index]
        settled[index] = _recheck(intent, obj, current.get(obj.data["key"]), report, index)
    store_results(store, intent, settled, run_id)
    return [settled[i].outcome for i in range(len(intent.objects))]


def _from_report(intent: Intent, index: int, obj: IntentObject,
                 report: Mapping[str, Any]) -> Settled | None:
    """The result read straight from the report, or None when the object must be fetched."""
    slot, key = str(index), obj.data["key"]
    successful = report.get("successful") or {}
    if slot in successful:
        full = successful[slot]
        data = dict(full.get("data", full))
        data["version"] = int(full.get("version", data.get("version", 0)))
        status: Status = "created" if intent.kind == "create" else "updated"
        return Settled(ObjectOutcome(key, status, data["version"], ref=obj.ref), data, True)
    if slot in (report.get("unchanged") or {}):
        return Settled(ObjectOutcome(key, "unchanged", ref=obj.ref), None, True)
    failed = (report.get("failed") or {}).get(slot)
    if failed is None:
        # Old-style report ("success" keys only) or an index missing: ask the server.
        return None
    code, message = failed.get("code"), str(failed.get("message", ""))
    if code == 412:
        return None
    if code == 404 and intent.kind == "update":
        return Settled(ObjectOutcome(key, "needs_replan", code=404, ref=obj.ref,
                                      message="deleted in Zotero since it was planned"))
    return Settled(ObjectOutcome(key, "failed", code=code, message=message, ref=obj.ref))


def _fetch(api: ZoteroApi, intent: Intent, keys: list[str]) -> dict[str, dict[str, Any]]:
    if not keys:
        return {}
    if intent.object_type == "items":
        return fetch_item_data(api, keys)
    return fetch_collection_data(api, keys)


def _recheck(intent: Intent, obj: IntentObject, current: dict[str, Any] | None,
             report: Mapping[str, Any], index: int) -> Settled:
    key, ref = obj.data["key"], obj.ref
    reported = (report.get("failed") or {}).get(str(index))
    if current is None:
        message = "not found in Zotero after the write" if reported is None else (
            f"{reported.get('message', '')} (and the object could not be read back)")
        return Settled(ObjectOutcome(key, "failed", code=412 if reported else None,
                                      message=message, ref=ref))
    version = int(current.get("version", 0))
    if reported is None:  # listed as a success without the object: fetched instead
        status: Status = "created" if intent.kind == "create" else "updated"
        return Settled(ObjectOutcome(key, status, version, ref=ref), current, True)
    if intent.kind == "create":
        if not same_kind(obj.data, current):
            return Settled(ObjectOutcome(
                key, "failed", code=412, ref=ref,
                message="the key is already used by a different object; nothing was created"))
        return Settled(ObjectOutcome(key, "existed", version, code=412, ref=ref,
                                      message="created by an earlier attempt"), current, True)
    if holds(current, obj.data):
        return Settled(ObjectOutcome(key, "updated", version, code=412, ref=ref,
                                      message="already applied by an earlier attempt"),
                        current, True)
    return Settled(ObjectOutcome(key, "needs_replan", version, code=412, ref=ref,
                                  message=str(reported.get("message", "")), current=current),
                    current, False)


def same_kind(payload: Mapping[str, Any], current: Mapping[str, Any]) -> bool:
    if "itemType" in payload:
        return bool(payload["itemType"] == current.get("itemType"))
    return "name" in current


def _norm(field: str, value: Any) -> Any:
    if field == "tags" and isinstance(value, list):
        return sorted((t.get("tag"), int(t.get("type", 0) or 0)) for t in value)
    if field == "collections" and isinstance(value, list):
        return sorted(value)
    if field in ("parentItem", "parentCollection") and not value:
        return False
    if field == "deleted":
        return bool(value)
    return value


def holds(current: Mapping[str, Any], payload: Mapping[str, Any]) -> bool:
    """Whether the server's data already has every value in `payload`."""
    return all(_norm(f, current.get(f)) == _norm(f, v)
               for f, v in payload.items() if f not in _BOOKKEEPING)


def store_results(store: StateStore, intent: Intent, settled: dict[int, Settled],
                  run_id: int | None, finish: bool = True) -> None:
    """One transaction: mirror, `written`, and (if `finish`) the intent marked done."""
    with store.transaction():
        for index, result in sorted(settled.items()):
            obj = intent.objects[index]
            if result.outcome.status == "needs_replan" and result.outcome.code == 404:
                _mark_deleted(store, intent, obj.data["key"])
            if result.stored is not None:
                if intent.object_type == "items":
                    store.mirror.upsert_items([result.stored])
                else:
                    store.mirror.upsert_collections([result.stored])
            if result.wrote and intent.object_type == "items":
                store.written.record(obj.data["key"], obj.written, obj.fingerprint, run_id)
        if finish:
            store.intents.mark(intent.batch_id, "done")


def _mark_deleted(store: StateStore, intent: Intent, key: str) -> None:
    obj = next((o for o in intent.objects if o.data["key"] == key), None)
    if obj is not None and intent.kind == "create":  # never mirrored: keep a tombstone
        if intent.object_type == "items":
            store.mirror.upsert_items([obj.data])
        else:
            store.mirror.upsert_collections([obj.data])
    if intent.object_type == "items":
        store.mirror.mark_items_deleted([key])
    else:
        store.mirror.mark_collections_deleted([key])
