"""Item relations as dataserver keeps them (`Zotero_DataObject::setRelations`,
`Zotero_Item::loadRelations`).

An item stores its own (predicate, object) pairs. `dc:relation` is two-way: an item also shows
`dc:relation` to every item that relates to it, without that pair being stored on it. In JSON a
predicate with one object is a string, with several a list.
"""

from __future__ import annotations

from typing import Any

from tests.servers.zotero.library import Library

RELATED = "dc:relation"
Pair = tuple[str, str]


def pairs(relations: dict[str, Any] | None) -> list[Pair]:
    out: list[Pair] = []
    for predicate, objects in (relations or {}).items():
        for obj in objects if isinstance(objects, list) else [objects]:
            if (predicate, obj) not in out:
                out.append((predicate, obj))
    return out


def as_json(flat: list[Pair]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for predicate, obj in flat:
        if predicate not in out:
            out[predicate] = obj
        elif isinstance(out[predicate], list):
            out[predicate].append(obj)
        else:
            out[predicate] = [out[predicate], obj]
    return out


def item_uri(lib: Library, key: str) -> str:
    return f"http://zotero.org/{lib.kind}s/{lib.id}/items/{key}"


def key_of(lib: Library, uri: str) -> str | None:
    prefix = f"http://zotero.org/{lib.kind}s/{lib.id}/items/"
    return uri[len(prefix):] if uri.startswith(prefix) else None


def visible(lib: Library, key: str, own: dict[str, Any] | None) -> list[Pair]:
    """The item's own pairs, then `dc:relation` to each item that relates to it."""
    flat = pairs(own)
    uri = item_uri(lib, key)
    for other in lib.holding(RELATED, uri):
        if other.key == key:
            continue
        reverse = (RELATED, item_uri(lib, other.key))
        if reverse not in flat:
            flat.append(reverse)
    return flat


def merge(lib: Library, key: str, stored: dict[str, Any] | None,
          incoming: dict[str, Any]) -> dict[str, Any]:
    """The item's own relations after a write of `incoming`: pairs no longer sent are removed
    (a reverse pair cannot be removed from this side), new pairs are added."""
    own = pairs(stored)
    before = visible(lib, key, stored)
    sent = pairs(incoming)
    if set(sent) == set(before):
        return as_json(own)
    kept = [p for p in own if p in sent]
    return as_json(kept + [p for p in sent if p not in before])


def added_related(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[str]:
    """Objects of `dc:relation` pairs that `new` has and `old` had not."""
    before = set(pairs(old))
    return [obj for pred, obj in pairs(new) if pred == RELATED and (pred, obj) not in before]
