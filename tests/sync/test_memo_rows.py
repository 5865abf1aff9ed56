"""The work memo keeps each work's head, report lines, plan rows and what they read, and
gives them back as they were saved: to a run (by the works it asks for, few or many) and
to a kept plan (as the run that kept it saved them, whatever later runs saved)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from zsync.model.records import InputProblem, Origin
from zsync.sync.incremental import FileMemo, GroupMemo, RunMemo, WorkRow
from zsync.sync.memo import WorkMemo
from zsync.sync.plantypes import Action, NoteChange, Work, WorkHead, WorkPlan
from zsync.sync.tracking import Changed, Deps

SLOT = "state.sqlite user 1"


def run_memo() -> RunMemo:
    return RunMemo("context", "0", "cache", 0.0, {}, None, None, {}, {}, ())


def work(n: int) -> Work:
    return Work(f"doi:10.1/{n}", f"Title {n}", {"title": f"Title {n}"}, "Reading",
                (Origin(f"notes/{n}.md"),))


def row(n: int, status: str = "Reading", *, planned: bool = True) -> WorkRow:
    head = WorkHead(f"doi:10.1/{n}", status, None, (f"{n}.md",))
    if not planned:
        return WorkRow(head, (None, f"retracted {n}"))
    plan = (WorkPlan(head.identity, Action.UNCHANGED, f"Title {n}", (Origin(f"notes/{n}.md"),),
                     item_key=f"ITEM{n}", version=n,
                     notes=(NoteChange("unchanged", f"NOTE{n}", f"<p>{status}</p>",
                                       f"ITEM{n}", f"{n}.md"),)),)
    return WorkRow(head, (f"not enriched {n}", None), plan,
                   Deps(frozenset({f"ITEM{n}"}), frozenset({("doi", f"10.1/{n}")})))


def saved(memo: WorkMemo, rows: dict[str, WorkRow], *, ids: set[str] | None = None,
          with_bodies: bool = True) -> str:
    bodies = {wid: work(int(wid[1:])) for wid in rows} if with_bodies else {}
    return memo.save(run_memo(), rows, bodies, {}, set(rows) if ids is None else ids)


def same(a: WorkRow, b: WorkRow) -> bool:
    return (a.head, a.notes, a.plan, a.deps) == (b.head, b.notes, b.plan, b.deps)


@pytest.mark.parametrize("count", [3, 700])  # looked up by id, or read in one pass
def test_the_rows_asked_for_come_back_as_saved(tmp_path: Path, count: int) -> None:
    memo = WorkMemo(tmp_path, SLOT)
    rows = {f"w{n}": row(n, planned=n % 3 != 0) for n in range(count)}
    saved(memo, rows)
    asked = [f"w{n}" for n in range(0, count, 2)] + ["unknown"]
    found = WorkMemo(tmp_path, SLOT).works(asked)
    assert set(found) == {w for w in asked if w in rows}
    assert all(same(found[w], rows[w]) for w in found)
    assert found["w0"].plan is None and found["w2"].plan == rows["w2"].plan
    assert WorkMemo(tmp_path, "another slot").works(asked) == {}


def test_a_row_without_its_content_is_not_kept(tmp_path: Path) -> None:
    memo = WorkMemo(tmp_path, SLOT)
    saved(memo, {"w1": row(1)}, with_bodies=False)
    assert memo.works(["w1"]) == {}
    saved(memo, {"w1": row(1)})
    saved(memo, {"w1": row(1, "Done", planned=False)}, with_bodies=False)  # replanned
    again = memo.works(["w1"])["w1"]
    assert again.head.status == "Done" and again.plan is None and again.deps is None
    assert memo.bodies(["w1"]) == {"w1": work(1)}


def test_rows_of_works_gone_are_dropped(tmp_path: Path) -> None:
    memo = WorkMemo(tmp_path, SLOT)
    saved(memo, {"w1": row(1), "w2": row(2)})
    saved(memo, {}, ids={"w2"})
    assert set(memo.works(["w1", "w2"])) == {"w2"} and set(memo.bodies(["w1", "w2"])) == {"w2"}


def test_damaged_parts_read_as_missing(tmp_path: Path) -> None:
    """A damaged plan is planned again; a row that is not a row is built again."""
    memo = WorkMemo(tmp_path, SLOT)
    saved(memo, {f"w{n}": row(n) for n in range(3)})
    with sqlite3.connect(tmp_path / "parsed.sqlite") as db:
        db.execute("UPDATE memo_rows SET plan = x'00', deps = x'01' WHERE id = 'w0'")
        db.execute("UPDATE memo_rows SET status = x'07' WHERE id = 'w1'")
    found = WorkMemo(tmp_path, SLOT).works(["w0", "w1", "w2"])
    assert set(found) == {"w0", "w2"}
    assert found["w0"].plan is None and found["w0"].deps is None
    assert found["w0"].head == row(0).head and same(found["w2"], row(2))


def test_a_kept_plan_reads_its_rows_as_they_were(tmp_path: Path) -> None:
    """Rows changed or dropped by later runs are read as the run that kept the plan saved
    them (their copies made aside), the others from the memo itself."""
    memo = WorkMemo(tmp_path, SLOT)
    first = {f"w{n}": row(n) for n in range(4)}
    generation = saved(memo, first)
    assert memo.keep_rows(generation)
    saved(memo, {"w0": row(0, "Done"), "w1": row(1, planned=False)}, ids={"w0", "w1", "w2"})
    saved(memo, {"w0": row(0, "Read")}, ids={"w0", "w1", "w2"})
    kept = memo.kept_rows(list(first), generation)
    assert set(kept) == set(first)  # w3, gone since, read from its copy
    assert all(same(kept[w], first[w]) for w in first)
    assert memo.works(["w0"])["w0"].head.status == "Read"
    assert memo.kept_rows(list(first), "another run") == {}
    assert not memo.keep_rows("another run")


def test_the_run_comes_back_as_saved(tmp_path: Path) -> None:
    memo = WorkMemo(tmp_path, SLOT)
    run = RunMemo(
        "context", "12", "cache", 1.5, {"ITEM1": (3, False, True)}, [("k", "Status")],
        ((("New", "K1"),), ["K1"], ()), {"ITEM1": frozenset({"a.md"})},
        {"a.md": FileMemo("d1", (InputProblem("a.md", "unreadable", 3, "markdown"),), True),
         "b.md": FileMemo("d2", (), False)},
        (GroupMemo((("a.md", 0), ("b.md", 1)), ((1, "same DOI"),), "w1"),
         GroupMemo((("b.md", 0),), (), "w2")))
    memo.save(run, {}, {}, {}, set())
    assert WorkMemo(tmp_path, SLOT).run() == run
    with sqlite3.connect(tmp_path / "parsed.sqlite") as db:
        db.execute("UPDATE memo_runs SET run = x'00'")
    assert WorkMemo(tmp_path, SLOT).run() is None


def test_the_plans_an_item_change_touches_are_found_by_what_they_read(tmp_path: Path) -> None:
    memo = WorkMemo(tmp_path, SLOT)
    rows = {f"w{n}": row(n) for n in range(1, 5)}
    rows["w4"] = WorkRow(rows["w4"].head, rows["w4"].notes, rows["w4"].plan, Deps(everything=True))
    saved(memo, rows)
    assert memo.touched(Changed(frozenset({"ITEM1"}))) == {"w1", "w4"}
    assert memo.touched(Changed(searchable=frozenset({("doi", "10.1/2")}))) == {"w2", "w4"}
    assert memo.touched(Changed(frozenset({"ITEM9"}), frozenset({("pmid", "10.1/2")}))) == {"w4"}
    # w1 planned again without a plan kept, w2 gone, w3 planned again reading another item
    w3 = WorkRow(rows["w3"].head, rows["w3"].notes, rows["w3"].plan, Deps(frozenset({"ITEM1"})))
    saved(memo, {"w1": row(1, planned=False), "w3": w3}, ids={"w1", "w3", "w4"},
          with_bodies=False)
    assert memo.touched(Changed(frozenset({"ITEM1", "ITEM2", "ITEM3"}))) == {"w3", "w4"}
    saved(memo, {}, ids=set())
    assert memo.touched(Changed(frozenset({"ITEM1"}))) == set()


def test_a_run_kept_with_other_tables_is_not_used(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A memo another zsync kept with its tables in another form (a plan's reads kept
    elsewhere, or not at all) plans in full: no kept plan is used without its reads."""
    from zsync.sync import memo as memo_module

    monkeypatch.setattr(memo_module, "_RUN_LAYOUT", "another form of the tables")
    WorkMemo(tmp_path, SLOT).save(run_memo(), {}, {}, {}, set())
    monkeypatch.undo()
    assert WorkMemo(tmp_path, SLOT).run() is None
    WorkMemo(tmp_path, SLOT).save(run_memo(), {}, {}, {}, set())
    assert WorkMemo(tmp_path, SLOT).run() == run_memo()
