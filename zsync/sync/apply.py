"""Writing a plan while other clients may write to the library too: the one loop that
`sync` and `refresh` share.

A plan is made against the mirror as it was. When another client changed an object
meanwhile, Zotero refuses the write of that object (412: `needs_replan`), or, for writes
guarded by the library version, refuses the whole batch (`LibraryMoved`). The works
concerned are then planned again against what is in the library now and written again, a
few rounds at most, so another client's items and edits are found, not overwritten or
made twice.
"""

from __future__ import annotations

from collections.abc import Callable

from zsync.sync.plan import Action, Plan
from zsync.zotero.api import LibraryMoved, ObjectOutcome

Write = Callable[[Plan], list[ObjectOutcome]]  # sends a plan's writes; what became of each
Replan = Callable[[set[str]], Plan]  # the works of these identities, planned again
# After the library moved on: the mirror brought up to date and the works of these
# identities (None: every work) planned again.
Moved = Callable[[set[str] | None], Plan]
Stale = Callable[[ObjectOutcome], bool]


def needs_replan(outcome: ObjectOutcome) -> bool:
    return outcome.status == "needs_replan"


def write_replanning(planned: Plan, write: Write, replan: Replan, rounds: int, *,
                     moved: Moved | None = None, stale: Stale = needs_replan,
                     identities: set[str] | None = None) -> tuple[Plan, list[ObjectOutcome]]:
    """Write `planned` (the works of `identities`; None: every work); works with a `stale`
    outcome are re-planned and written again, at most `rounds` more times. When a batch is
    refused whole (`LibraryMoved`) the works are all planned again (`moved`; without it the
    refusal goes on). The plan as finally written (re-planned works in place of their
    first plans) and the outcome of every object."""
    try:
        results = write(planned)
    except LibraryMoved:
        if rounds <= 0 or moved is None:
            raise
        return write_replanning(moved(identities), write, replan, rounds - 1, moved=moved,
                                stale=stale, identities=identities)
    again = {o.ref for o in results if stale(o)}
    if not again or rounds <= 0:
        return planned, results
    replanned, retried = write_replanning(replan(again), write, replan, rounds - 1,
                                          moved=moved, stale=stale, identities=again)
    kept = [o for o in results if not (o.ref in again and stale(o))]
    return replace_works(planned, replanned), kept + retried


def replace_works(planned: Plan, replanned: Plan) -> Plan:
    """`planned` with each work planned again in `replanned` in place of its first plan
    (duplicates stay as they were first planned)."""
    newer = {w.identity: w for w in replanned.works if w.action != Action.DUPLICATE}
    works = tuple(newer.get(w.identity, w) if w.action != Action.DUPLICATE else w
                  for w in planned.works)
    return Plan(planned.collections, works, planned.library_empty_because,
                planned.collection_names)


def failures(results: list[ObjectOutcome]) -> dict[str, str]:
    """Identity -> what went wrong, for every work with an object not written."""
    out: dict[str, str] = {}
    for o in results:
        if o.status in ("failed", "needs_replan"):
            message = f"{o.code or ''} {o.message or o.status}".strip()
            out[o.ref] = f"{out[o.ref]}; {message}" if o.ref in out else message
    return out
