"""Validation of collection JSON (reference §8.8), with the dataserver's messages."""

from __future__ import annotations

from typing import Any

from tests.servers.zotero.cleaning import collection_name
from tests.servers.zotero.library import Library, is_valid_key
from tests.servers.zotero.validate import MAX_NAME_CHARS, reject

COLLECTION_PROPS = {"key", "version", "name", "parentCollection", "relations", "deleted"}


def merge_collection(lib: Library, key: str, incoming: dict[str, Any],
                     stored: dict[str, Any] | None, replace: bool = False) -> dict[str, Any]:
    for prop in incoming:
        if prop not in COLLECTION_PROPS:
            raise reject(f"Invalid property '{prop}'")
    if (stored is None or replace) and "name" not in incoming:
        raise reject("'name' property not provided")
    base = stored if stored is not None and not replace else {}
    state: dict[str, Any] = {"name": "", "parentCollection": False, "relations": {}, **base,
                             "key": key, "version": (stored or {}).get("version", 0)}
    if "name" in incoming:
        name = incoming["name"]
        if not isinstance(name, str) or not name.strip():
            raise reject("Collection name cannot be empty")
        if len(name) > MAX_NAME_CHARS:
            raise reject(f"Collection name '{name[:50]}…' too long", 413,
                         {"value": f"{name[:50]}…"})
        state["name"] = collection_name(name)
    if "parentCollection" in incoming:
        parent = incoming["parentCollection"]
        if parent in (False, None, ""):
            state["parentCollection"] = False
        elif not is_valid_key(parent):
            raise reject(f"'{parent}' is not a valid collection key")
        elif parent == key:
            raise reject(f"Collection {key} cannot be a child of itself")
        elif parent not in lib.collections:
            raise reject(f"Parent collection {parent} not found", 409)
        else:
            state["parentCollection"] = parent
    if "relations" in incoming:
        if not isinstance(incoming["relations"], dict):
            raise reject("'relations' property must be an object")
        state["relations"] = dict(incoming["relations"])
    if "deleted" in incoming:
        if incoming["deleted"] not in (True, False, 0, 1):
            raise reject("'deleted' must be a boolean", 500)
        state["deleted"] = bool(incoming["deleted"])
    out = {k: state[k] for k in ("key", "version", "name", "parentCollection", "relations")}
    if state.get("deleted"):
        out["deleted"] = True
    return out
