"""A report may count the works left exactly as they were instead of listing them (what
`zsync sync` does unless asked for every work, and what the archive keeps): it tells the
same as the report that lists them."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from zsync.cli import render
from zsync.model.records import Origin
from zsync.report.archive import DETAILS, SYNCED_EARLIER, archived
from zsync.report.model import Outcome, RunInfo
from zsync.sync.plan import Action, NoteChange, Plan, WorkPlan
from zsync.sync.report import build_report
from zsync.sync.threeway import Conflict, FieldChange

ORIGIN = Origin("notes/a.md", 1, 5, "markdown")


@st.composite
def works(draw: st.DrawFn, index: int) -> tuple[WorkPlan, bool, bool]:
    """A work of any kind, whether it was not enriched, whether it has an outcome."""
    rare = st.integers(0, 5).map(lambda n: n == 0)
    action = draw(st.sampled_from(list(Action)) if draw(rare) else st.just(Action.UNCHANGED))
    note = NoteChange(draw(st.sampled_from(["unchanged", "unchanged", "kept", "update"])),
                      f"NOTE{index:04d}", "<p>x</p>", f"ITEM{index:04d}", "a.md")
    work = WorkPlan(
        f"doi:10.1/{index}", action, f"Work {index}", (ORIGIN,),
        item_key=draw(st.sampled_from([f"ITEM{index:04d}", None])),
        matched_by=draw(st.sampled_from([SYNCED_EARLIER, f"{SYNCED_EARLIER} (3 runs)",
                                         "doi", None])),
        changes=(FieldChange("volume", "1", "2", "crossref"),) if draw(rare) else (),
        conflicts=(Conflict("title", "a", "b", "edited"),) if draw(rare) else (),
        tags_added=("t",) if draw(rare) else (),
        tags_removed=("u",) if draw(rare) else (),
        collections_added=("C1",) if draw(rare) else (),
        collections_removed=("C2",) if draw(rare) else (),
        notes=(note,) if draw(st.booleans()) else (),
        duplicate_of="doi:10.1/0" if draw(rare) else None,
        message="why" if draw(rare) else None,
        remarks=("kept your edit",) if draw(rare) else (),
    )
    return work, draw(rare), draw(rare)


@st.composite
def runs(draw: st.DrawFn) -> tuple[RunInfo, Plan, list[Outcome]]:
    drawn = [draw(works(i)) for i in range(draw(st.integers(0, 12)))]
    info = RunInfo("sync", "apply", "users/1", "2026-12-08T00:00:00Z",
                   not_enriched={w.identity: "crossref: no answer" for w, n, _ in drawn if n})
    outcomes = [Outcome(w.identity, True) for w, _, o in drawn if o]
    return info, Plan((), tuple(w for w, _, _ in drawn)), outcomes


@settings(max_examples=150, deadline=None)
@given(runs())
def test_a_counting_report_is_the_whole_report_as_archived(
        run: tuple[RunInfo, Plan, list[Outcome]]) -> None:
    info, plan, outcomes = run
    whole = build_report(info, plan, outcomes)
    counted = build_report(info, plan, outcomes, every_work=False)
    assert counted == archived(whole)
    assert archived(counted) == counted  # archiving it again changes nothing
    listed = len(counted["works"]) + counted.get("works_not_listed", {}).get("unchanged", 0)
    assert listed == len(plan.works)


@settings(max_examples=40, deadline=None)
@given(runs())
def test_the_terminal_shows_the_same_for_both(run: tuple[RunInfo, Plan, list[Outcome]]
                                               ) -> None:
    info, plan, outcomes = run
    assert shown(build_report(info, plan, outcomes)) == shown(
        build_report(info, plan, outcomes, every_work=False))


def shown(report: dict[str, Any]) -> str:
    with render.stdout.capture() as captured:
        render.print_report(report)
    return captured.get()


def test_every_detail_of_an_entry_is_asked_of_the_plan_row_or_of_the_run() -> None:
    """A detail added to entries (`archive.DETAILS`) must be one the counting report can
    ask of the plan row, or one it takes from the run, else works would go uncounted."""
    row_fields = {f.name for f in fields(WorkPlan)}
    from_the_run = {"create", "not_enriched", "result"}
    assert set(DETAILS) <= row_fields | from_the_run
