"""Writing one refresh chunk: retraction notes, then item updates; stale items re-planned.

Everything goes through `WriteExecutor` (batches of 50 recorded before they are sent,
client keys on notes, the planned version on every update), so a killed run leaves
nothing that the next run's `resume_pending` cannot finish without duplicates. Notes go
first: an item re-planned after a 412 then sees its new note in the mirror and gets no
second one. Refresh never creates items; a plan that would is refused here as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from zsync.report.model import Outcome
from zsync.sync.plan import Action, NoteChange, Plan, WorkPlan
from zsync.zotero.api import ObjectOutcome, PlannedWrite, WriteExecutor

Replan = Callable[[set[str]], Plan]


def note_write(note: NoteChange, ref: str) -> PlannedWrite:
    data = {"key": note.key, "itemType": "note", "parentItem": note.parent, "note": note.html,
            "tags": [], "collections": [], "relations": {}}
    return PlannedWrite(data, ref=ref)


def no_creates(planned: Plan) -> Plan:
    """The plan with any item creation turned into an error (refresh only updates)."""
    works = tuple(
        replace(w, action=Action.ERROR, payload=None, notes=(), notice=None,
                message="refresh does not create items")
        if w.action == Action.CREATE else w
        for w in planned.works
    )
    return Plan((), works, planned.library_empty_because)


def apply_chunk(executor: WriteExecutor, planned: Plan, replan: Replan, rounds: int = 2
                ) -> tuple[Plan, list[ObjectOutcome]]:
    """Write `planned`; items another client changed meanwhile are re-planned (`replan`
    with their identities) and written again, at most `rounds` more times."""
    planned = no_creates(planned)
    notes = [note_write(w.notice, w.identity) for w in planned.works if w.notice is not None]
    # `owned`: only the tags zsync added count as its own, not the user's sent along.
    updates = [PlannedWrite(dict(w.payload), ref=w.identity,
                            remember=dict(w.owned) if w.owned else None)
               for w in planned.works if w.payload is not None]
    results: list[ObjectOutcome] = []
    if notes:
        results += executor.apply(notes, "create").outcomes
    if updates:
        results += executor.apply(updates, "update").outcomes
    stale = {o.ref for o in results if o.status == "needs_replan" and o.code == 412}
    if not stale or rounds <= 0:
        return planned, results
    again, retried = apply_chunk(executor, replan(stale), replan, rounds - 1)
    newer = {w.identity: w for w in again.works}
    works = tuple(newer.get(w.identity, w) for w in planned.works)
    kept = [o for o in results if not (o.ref in stale and o.status == "needs_replan")]
    return Plan((), works), kept + retried


def failures(results: list[ObjectOutcome]) -> dict[str, str]:
    """Identity -> what went wrong, for every work with an object not written."""
    out: dict[str, str] = {}
    for o in results:
        if o.status in ("failed", "needs_replan"):
            message = f"{o.code or ''} {o.message or o.status}".strip()
            out[o.ref] = f"{out[o.ref]}; {message}" if o.ref in out else message
    return out


def outcomes(works: tuple[WorkPlan, ...], results: list[ObjectOutcome]) -> list[Outcome]:
    failed = failures(results)
    touched = {o.ref for o in results}
    return [Outcome(w.identity, w.identity not in failed, failed.get(w.identity), w.item_key)
            for w in works if w.identity in touched]
