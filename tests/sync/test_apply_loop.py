"""The write-and-re-plan loop sync and refresh share: an object another client changed is
planned again and written again, a bounded number of times, and a batch refused whole has
the same works planned again against the library as it is now."""

from __future__ import annotations

import pytest

from zsync.sync.apply import write_replanning
from zsync.sync.plan import Action, Plan, WorkPlan
from zsync.zotero.api import LibraryMoved, ObjectOutcome


def work(identity: str, version: int) -> WorkPlan:
    return WorkPlan(identity, Action.UPDATE, f"Title of {identity}", (), item_key=identity,
                    version=version)


def plan_of(*works: WorkPlan) -> Plan:
    return Plan((), works)


class Library:
    """Zotero as the loop sees it: `stale_for` writes of an item are refused (412) as made
    against an old version; `moved_for` batches are refused whole."""

    def __init__(self, stale_for: dict[str, int] | None = None, moved_for: int = 0) -> None:
        self.stale_for = dict(stale_for or {})
        self.moved_for = moved_for
        self.sent: list[list[tuple[str, int | None]]] = []
        self.version = 1

    def write(self, planned: Plan) -> list[ObjectOutcome]:
        self.sent.append([(w.identity, w.version) for w in planned.works])
        if self.moved_for:
            self.moved_for -= 1
            raise LibraryMoved("the library moved on")
        out = []
        for w in planned.works:
            if self.stale_for.get(w.identity, 0) > 0:
                self.stale_for[w.identity] -= 1
                out.append(ObjectOutcome(w.identity, "needs_replan", code=412, ref=w.identity))
            else:
                out.append(ObjectOutcome(w.identity, "updated", ref=w.identity))
        return out

    def replan(self, identities: set[str]) -> Plan:
        self.version += 1
        return plan_of(*(work(i, self.version) for i in sorted(identities)))


def test_an_item_changed_meanwhile_is_planned_again_and_written_once_more() -> None:
    library = Library(stale_for={"b": 1})
    planned, results = write_replanning(plan_of(work("a", 1), work("b", 1)), library.write,
                                        library.replan, rounds=3)
    assert library.sent == [[("a", 1), ("b", 1)], [("b", 2)]]
    assert [(w.identity, w.version) for w in planned.works] == [("a", 1), ("b", 2)]
    assert sorted((o.ref, o.status) for o in results) == [("a", "updated"), ("b", "updated")]


def test_re_planning_stops_after_the_rounds_allowed_and_says_the_item_was_not_written() -> None:
    library = Library(stale_for={"b": 10})
    _, results = write_replanning(plan_of(work("a", 1), work("b", 1)), library.write,
                                  library.replan, rounds=2)
    assert len(library.sent) == 3  # the first write and two more
    assert [o.status for o in results if o.ref == "b"] == ["needs_replan"]


def test_a_batch_refused_whole_has_the_same_works_planned_again() -> None:
    library = Library(moved_for=1)
    moved: list[set[str] | None] = []

    def after_move(identities: set[str] | None) -> Plan:
        moved.append(identities)
        return library.replan({"a", "b"} if identities is None else identities)

    planned, results = write_replanning(plan_of(work("a", 1), work("b", 1)), library.write,
                                        library.replan, rounds=3, moved=after_move)
    assert moved == [None]  # every work, the first time round
    assert [(w.identity, w.version) for w in planned.works] == [("a", 2), ("b", 2)]
    assert all(o.status == "updated" for o in results)


def test_a_batch_refused_whole_without_a_way_to_re_plan_stops_the_run() -> None:
    library = Library(moved_for=1)
    with pytest.raises(LibraryMoved):
        write_replanning(plan_of(work("a", 1)), library.write, library.replan, rounds=3)
