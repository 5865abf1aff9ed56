"""Items whose notes are all gone from the folders a run read. Pure.

By default nothing is removed: the report names the gone notes. With `--prune`, what each
gone note contributed (its child note, unless the user edited it, and the tags only it
gave) is removed, and the item stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from zsync.model.records import Origin
from zsync.sync.legacy import remembered
from zsync.sync.plan_notes import NotePlan, prune_note
from zsync.sync.plantypes import Action, PlanInputs, WorkPlan
from zsync.zotero.memory import Memory, contributor_hash, join_extra, split_extra, tag_hash


def gone_remark(names: Iterable[str]) -> str:
    listed = ", ".join(sorted(names))
    return (f"gone from the folder: {listed}; what it gave the item is kept "
            "(sync --prune removes it)")


def plan_gone(inputs: PlanInputs, planned: set[str]) -> list[WorkPlan]:
    """Plans for items not otherwise in this run whose contributors' files are gone."""
    out: list[WorkPlan] = []
    for key, gone in sorted(inputs.gone.items()):
        item = inputs.library.items.get(key)
        if key in planned or not gone or item is None or item.trashed:
            continue
        memory = remembered(item, inputs.legacy)
        title = str(item.data.get("title") or "") or None
        origin = (Origin(f"zotero:{key}", format="zotero"),)
        if not inputs.prune or memory is None:
            out.append(WorkPlan(f"zotero:{key}", Action.UNCHANGED, title, origin, item_key=key,
                                version=item.version, remarks=(gone_remark(gone),)))
            continue
        out.append(_prune(key, item.version, item.data, memory, gone, inputs, title, origin))
    return out


def _prune(key: str, version: int, data: Mapping[str, Any], memory: Memory, gone: frozenset[str],
           inputs: PlanInputs, title: str | None, origin: tuple[Origin, ...]) -> WorkPlan:
    notes = NotePlan()
    for cid in sorted(gone):
        prune_note(notes, cid, memory.contributors, inputs, key)
    hashed = {contributor_hash(cid) for cid in gone}
    staying = [c for cid, c in memory.contributors.items() if cid not in hashed]
    given_by_gone = {h for cid in hashed if cid in memory.contributors
                     for h in memory.contributors[cid].tags}
    still_given = {h for c in staying for h in c.tags}
    drop = {t["tag"] for t in data.get("tags", [])
            if tag_hash(t["tag"]) in given_by_gone - still_given
            and tag_hash(t["tag"]) in memory.tags}
    kept_memory = Memory(memory.fields, memory.tags - {tag_hash(t) for t in drop},
                         memory.collection,
                         {cid: c for cid, c in memory.contributors.items()
                          if cid not in hashed},
                         memory.work, memory.noticed, memory.apart)
    rest = split_extra(data.get("extra"))[0]
    payload = {"key": key, "version": version, "extra": join_extra(rest, kept_memory)}
    if drop:
        payload["tags"] = [t for t in data.get("tags", []) if t["tag"] not in drop]
    return WorkPlan(f"zotero:{key}", Action.UPDATE, title, origin, item_key=key,
                    version=version, tags_removed=tuple(sorted(drop)),
                    notes=tuple(notes.changes), payload=payload,
                    remarks=(f"pruned what {', '.join(sorted(gone))} gave the item",
                             *notes.remarks))
