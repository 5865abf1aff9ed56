"""A sync or refresh run's plan and outcomes as the report dictionary every renderer
reads (see `zsync.report`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zsync.model.records import Origin
from zsync.report.model import SCHEMA, Outcome, RunInfo
from zsync.sync.plan import Action, Plan, WorkPlan


def build_report(info: RunInfo, plan: Plan, outcomes: Sequence[Outcome] = ()) -> dict[str, Any]:
    by_identity = {o.identity: o for o in outcomes}
    works = [_work(w, by_identity.get(w.identity), info) for w in plan.works]
    return {
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


def _summary(plan: Plan, outcomes: Sequence[Outcome], info: RunInfo) -> dict[str, int]:
    counts = {action.value: plan.count(action) for action in Action}
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
