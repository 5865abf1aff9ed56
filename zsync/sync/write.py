"""Writing a sync plan to Zotero: collections, then items, then child notes; objects another
client changed meanwhile are planned again and retried (`sync.apply`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from zsync.report.model import Outcome
from zsync.state.store import StateStore
from zsync.sync.apply import failures, write_replanning
from zsync.sync.library_state import RunScope, plan_inputs, remember_all
from zsync.sync.plan import Action, Plan, PlanInputs, Work, WorkPlan, plan
from zsync.sync.plantypes import heads_of, works_at
from zsync.zotero.api import ObjectOutcome, PlannedWrite, WriteExecutor, refresh_mirror


def _item_writes(planned: Plan) -> tuple[list[PlannedWrite], list[PlannedWrite]]:
    creates: list[PlannedWrite] = []
    updates: list[PlannedWrite] = []
    for work in planned.works:
        if work.payload is not None and work.action == Action.CREATE:
            creates.append(PlannedWrite(dict(work.payload), ref=work.identity))
        elif work.payload is not None:
            owned = dict(work.owned) if work.owned else None
            updates.append(PlannedWrite(dict(work.payload), ref=work.identity, remember=owned))
        for note in (*work.notes, work.notice):
            if note is None or not note.writes:
                continue
            data: dict[str, Any] = {"key": note.key, "note": note.html}
            if note.action == "trash":
                data = {"key": note.key, "deleted": 1}
                updates.append(PlannedWrite(data, ref=work.identity))
                continue
            if note.action == "create":
                data.update({"itemType": "note", "parentItem": note.parent, "tags": [],
                             "collections": [], "relations": {}})
                creates.append(PlannedWrite(data, ref=work.identity))
            else:
                updates.append(PlannedWrite(data, ref=work.identity))
    return creates, updates


def _collection_writes(planned: Plan) -> list[PlannedWrite]:
    return [
        PlannedWrite({"key": c.key, "name": c.name, "parentCollection": c.parent or False},
                     ref=f"collection:{c.name}")
        for c in planned.collections
    ]


def apply_plan(
    executor: WriteExecutor, store: StateStore, works: Sequence[Work], planned: Plan,
    status_parent: str, replans: int = 3, scope: RunScope | None = None, api: Any = None,
    planner: Callable[[Sequence[Work], PlanInputs], Plan] = plan,
    settled: frozenset[str] = frozenset(),
) -> tuple[Plan, list[Outcome]]:
    """Write the plan; objects another client changed meanwhile are re-planned and retried.

    Creates carry the library version they were planned against: when another computer
    wrote to the library since, Zotero refuses them whole (412) and the works are planned
    again against what it wrote, so its items and collections are found, not made twice.
    `settled`: identities of works whose plan was kept from an earlier run that recorded
    them (`sync.incremental`): nothing about them is recorded again.
    """

    kept = {w.identity: w for w in planned.works}

    def wanted(identity: str, row: WorkPlan) -> bool:
        return identity not in settled or row is not kept.get(identity)

    def write(todo: Plan) -> list[ObjectOutcome]:
        results: list[ObjectOutcome] = []
        collections = _collection_writes(todo)
        if collections:
            results += executor.apply(collections, "create", "collections",
                                      guard=True).outcomes
        creates, updates = _item_writes(todo)
        if creates:
            results += executor.apply(creates, "create", guard=True).outcomes
        if updates:
            results += executor.apply(updates, "update").outcomes
        remember_all(store, _applied_pairs(works, todo, results, wanted))
        return results

    def replan(identities: set[str]) -> Plan:
        again = works_at(works, [i for i, head in enumerate(heads_of(works))
                                 if head.identity in identities])
        return planner(again, plan_inputs(store, status_parent, executor.new_key, scope))

    def moved(identities: set[str] | None) -> Plan:
        refresh_mirror(api, store)
        return replan(identities) if identities is not None else \
            planner(works, plan_inputs(store, status_parent, executor.new_key, scope))

    planned, results = write_replanning(planned, write, replan, replans,
                                        moved=moved if api is not None else None)
    return planned, _outcomes(planned, results)


def _outcomes(planned: Plan, results: list[ObjectOutcome]) -> list[Outcome]:
    failed = failures(results)
    touched = {o.ref for o in results}
    return [
        Outcome(w.identity, w.identity not in failed, failed.get(w.identity), w.item_key)
        for w in planned.works
        if w.action != Action.DUPLICATE and (w.identity in touched or w.identity in failed)
    ]


def _applied_pairs(
    works: Sequence[Work], planned: Plan, results: list[ObjectOutcome],
    wanted: Callable[[str, WorkPlan], bool],
) -> list[tuple[Work, WorkPlan]]:
    """Each written work with its plan row, of those `wanted` (works not loaded yet are
    read only when wanted)."""
    failed = failures(results)
    by_identity = {w.identity: w for w in planned.works if w.action != Action.DUPLICATE}
    places: list[int] = []
    rows: list[WorkPlan] = []
    for place, head in enumerate(heads_of(works)):
        row = by_identity.get(head.identity)
        if row is not None and head.identity not in failed and row.action != Action.ERROR \
                and wanted(head.identity, row):
            places.append(place)
            rows.append(row)
    return list(zip(works_at(works, places), rows, strict=True))
