"""A sync or refresh run's plan and outcomes as the report dictionary every renderer
reads (see `zsync.report`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from zsync.model.records import Origin
from zsync.report.archive import DETAILS, SYNCED_EARLIER, not_listed
from zsync.report.model import SCHEMA, Outcome, RunInfo
from zsync.sync.plan import Action, Plan, WorkPlan


def build_report(info: RunInfo, plan: Plan, outcomes: Sequence[Outcome] = (), *,
                 every_work: bool = True) -> dict[str, Any]:
    """The report of `plan` and its `outcomes`. Unless `every_work`, it lists only the works
    with something to tell and counts the others (`works_not_listed`), as archived reports
    do: what a scheduled run with a summary for output needs of a large vault."""
    by_identity = {o.identity: o for o in outcomes}
    works = [_work(w, by_identity.get(w.identity), info) for w in plan.works
             if every_work or _tells(w, by_identity, info)]
    report = {
        "schema": SCHEMA,
        "command": info.command,
        "mode": info.mode,
        "library": info.library,
        "started": info.started,
        "finished": info.finished,
        "notices": list(info.notices),
        "summary": _summary(plan, outcomes, info),
        "collection_names": dict(plan.collection_names),
        "collections_created": [
            {"key": c.key, "name": c.name, "parent": c.parent} for c in plan.collections
        ],
        "retracted": [{"identity": k, "notice": v} for k, v in info.retracted.items()],
        "works": works,
        "input_problems": [
            {"path": p.path, "line": p.line, "format": p.format, "error": p.message}
            for p in info.input_problems
        ],
    }
    if len(works) < len(plan.works):
        report["works_not_listed"] = not_listed(len(plan.works) - len(works))
    return report


# The entry's details (`archive.DETAILS`) taken as they are from the plan row; the others
# come from the run: "create" (only ever for a created work), "not_enriched", "result".
_ROW_DETAILS = tuple(d for d in DETAILS if d in {f.name for f in fields(WorkPlan)})


def _tells(work: WorkPlan, outcomes: dict[str, Outcome], info: RunInfo) -> bool:
    """Whether `work`'s entry has something to tell (`archive.archived`), asked of the
    plan row it is made from."""
    if work.action is not Action.UNCHANGED or work.identity in outcomes \
            or info.not_enriched.get(work.identity):
        return True
    for name in _ROW_DETAILS:
        if getattr(work, name):
            return True
    if work.item_key and not (work.matched_by or "").startswith(SYNCED_EARLIER):
        return True
    return any(note.action != "unchanged" for note in work.notes)


def _summary(plan: Plan, outcomes: Sequence[Outcome], info: RunInfo) -> dict[str, int]:
    by_action = Counter(w.action for w in plan.works)  # one pass over a large vault's works
    counts = {action.value: by_action[action] for action in Action}
    counts["failed"] = sum(1 for o in outcomes if not o.applied)
    counts["input_problems"] = len(info.input_problems)
    counts["not_enriched"] = len(info.not_enriched)
    return counts


def _origin(origin: Origin) -> dict[str, Any]:
    return {"path": origin.path, "line": origin.line, "format": origin.format}


def _work(work: WorkPlan, outcome: Outcome | None, info: RunInfo) -> dict[str, Any]:
    return {
        "identity": work.identity,
        "action": work.action.value,
        "title": work.title,
        "sources": [_origin(o) for o in work.origins],
        "item_key": work.item_key,
        "matched_by": work.matched_by,
        "duplicate_of": work.duplicate_of,
        "changes": [
            {"field": c.field, "old": c.old, "new": c.new, "source": c.source} for c in work.changes
        ],
        "conflicts": [
            {"field": c.field, "zsync": c.ours, "library": c.theirs, "kind": c.kind}
            for c in work.conflicts
        ],
        "tags_added": list(work.tags_added),
        "tags_removed": list(work.tags_removed),
        "collections_added": list(work.collections_added),
        "collections_removed": list(work.collections_removed),
        "note": None if work.note is None else {"action": work.note.action, "key": work.note.key},
        "notes": [{"action": n.action, "key": n.key, "from": n.contributor} for n in work.notes],
        "remarks": list(work.remarks),
        "create": dict(work.payload) if work.action == Action.CREATE and work.payload else None,
        "not_enriched": info.not_enriched.get(work.identity),
        "message": work.message,
        "result": None
        if outcome is None
        else {
            "applied": outcome.applied,
            "message": outcome.message,
        },
    }
