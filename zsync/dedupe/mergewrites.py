"""The writes that carry out a merge plan, in a safe order: data only, no I/O.

A merge is three steps of versioned updates (never a DELETE):

1. the master: empty fields filled, tags, collections and relations united, `dc:replaces`
   set (`MergePlan.master_payload`, without `dateAdded`, which Zotero keeps as it is);
2. the moves: every note and attachment of the other items gets the master as
   `parentItem`, and items elsewhere in the library that relate to an other item are
   pointed at the master instead;
3. the trash: each other item gets `deleted: 1` (and loses its own `dc:replaces`, which
   the master now carries, as Zotero does).

An interruption between steps leaves extra copies, never lost notes: an other item goes to
the trash only after every move that concerns it was written (see `Write.holds`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zsync.dedupe.mergeplan import REPLACES, MergePlan
from zsync.zotero.library import LibraryView

MASTER, MOVE, RELATION, TRASH = "master", "move", "relation", "trash"
STEPS = (MASTER, MOVE, RELATION, TRASH)
_NOT_SENT = frozenset({"dateAdded", "dateModified"})


@dataclass(frozen=True)
class Write:
    """One versioned update: what is sent, and why."""

    step: str  # MASTER, MOVE, RELATION or TRASH
    key: str
    payload: dict[str, Any]
    summary: str
    holds: tuple[str, ...] = ()  # other items whose trashing waits for this write


def merge_writes(plan: MergePlan, library: LibraryView) -> list[Write]:
    """Every update merging `plan` takes, master first and the trash last (empty when
    the plan was refused)."""
    if plan.refused:
        return []
    writes = [_master(plan)]
    writes += [
        Write(MOVE, c.key, {"key": c.key, "version": c.version, "parentItem": plan.master},
              f"move {c.item_type} {c.key} from {c.from_parent} to {plan.master}",
              (c.from_parent,))
        for c in plan.children
    ]
    writes += _relation_writes(plan, library)
    writes = _one_per_key(writes)
    return writes + [_trash(key, library) for key in plan.trash]


def _one_per_key(writes: list[Write]) -> list[Write]:
    """A child that also relates to an other item is moved and re-pointed in one write
    (two writes of one item at one version would conflict)."""
    by_key: dict[str, Write] = {}
    for w in writes:
        held = by_key.get(w.key)
        if held is None:
            by_key[w.key] = w
            continue
        by_key[w.key] = Write(held.step, w.key, {**held.payload, **w.payload},
                              f"{held.summary}; {w.summary}",
                              tuple(dict.fromkeys(held.holds + w.holds)))
    return list(by_key.values())


def _master(plan: MergePlan) -> Write:
    payload = {k: v for k, v in plan.master_payload.items() if k not in _NOT_SENT}
    parts = [f"{f.field} from {f.source}" for f in plan.fills]
    if plan.tags_added:
        parts.append("tags + " + ", ".join(plan.tags_added))
    if plan.collections_added:
        parts.append("collections + " + ", ".join(plan.collections_added))
    if plan.replaces:
        parts.append(f"{REPLACES} + " + ", ".join(u.rsplit("/", 1)[-1] for u in plan.replaces))
    return Write(MASTER, plan.master, payload,
                 f"update master {plan.master}: " + ("; ".join(parts) or "no change"))


def _relation_writes(plan: MergePlan, library: LibraryView) -> list[Write]:
    by_item: dict[str, list[tuple[str, str, str]]] = {}
    for r in plan.rewrites:
        by_item.setdefault(r.key, []).append((r.predicate, r.old, r.new))
    out = []
    for key, changes in by_item.items():
        item = library.items[key]
        relations = _relations_of(item.data)
        for predicate, old, new in changes:
            objects = [new if o == old else o for o in relations.get(predicate, [])]
            relations[predicate] = list(dict.fromkeys(objects))
        olds = tuple(sorted({old.rsplit("/", 1)[-1] for _, old, _ in changes}))
        payload = {"key": key, "version": item.version, "relations": _compact(relations)}
        summary = f"point the relations of {key} at {plan.master} instead of {', '.join(olds)}"
        out.append(Write(RELATION, key, payload, summary, olds))
    return out


def _trash(key: str, library: LibraryView) -> Write:
    item = library.items[key]
    payload: dict[str, Any] = {"key": key, "version": item.version, "deleted": 1}
    relations = _relations_of(item.data)
    if relations.pop(REPLACES, None):
        payload["relations"] = _compact(relations)
    return Write(TRASH, key, payload, f"move {key} to the trash (deleted: 1)")


def _relations_of(data: Mapping[str, Any]) -> dict[str, list[str]]:
    raw = data.get("relations") or {}
    return {p: [o] if isinstance(o, str) else list(o) for p, o in raw.items()}


def _compact(relations: Mapping[str, list[str]]) -> dict[str, Any]:
    return {p: o[0] if len(o) == 1 else list(o) for p, o in relations.items() if o}
