"""A sync that takes unchanged notes from the cache of parsed notes, or the plan of the
last run when nothing changed, plans and reports exactly what a `--full` sync does, over
random note edits, moves, renames, deletions and additions and edits, tag removals and
deletions of the items in Zotero."""

from __future__ import annotations

import logging
import os
import random
import secrets
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

from tests.servers.generate import SyntheticWork
from tests.support import make_stack
from tests.sync.conftest import GENERATED, GENERATED_SEED
from tests.sync.env import SyncEnv
from tests.sync.notes import markdown_note, plain_works
from zsync.enrich.enricher import Enricher
from zsync.report.archive import archived
from zsync.sync import plan as plan_module
from zsync.sync.memo import WorkMemo
from zsync.sync.run import SyncResult, sync

STEPS = ("thoughts", "status", "rename", "move", "delete", "add", "zotero_tag", "zotero_title")
ZOTERO_STEPS = ("zotero_tag", "zotero_title", "zotero_untag", "zotero_trash", "zotero_delete")
REUSED = "nothing changed since the last run"

# CI runs two fixed sequences; set ZSYNC_INCREMENTAL_EXAMPLES higher for a long, random run.
EXAMPLES = int(os.environ.get("ZSYNC_INCREMENTAL_EXAMPLES", "2"))


def change(world: SyncEnv, notes: Path, step: str, rng: random.Random,
           spare: list[SyntheticWork]) -> None:
    files = sorted(p for p in notes.rglob("*.md"))
    path = rng.choice(files)
    work = next(w for w in plain_works(12, GENERATED_SEED, GENERATED)
                if f"{w.index:06d}" in path.name)
    if step == "thoughts":
        path.write_text(markdown_note(work, thoughts=f"seen {rng.random()}"), encoding="utf-8")
    elif step == "status":
        path.write_text(markdown_note(work, status=rng.choice(["Reading", "Done"])),
                        encoding="utf-8")
    elif step == "rename":
        path.rename(path.with_name(f"renamed-{path.name}"))
    elif step == "move":
        (notes / "moved").mkdir(exist_ok=True)
        if not (notes / "moved" / path.name).exists():
            path.rename(notes / "moved" / path.name)
    elif step == "delete" and len(files) > 1:
        path.unlink()
    elif step == "add" and spare:
        new = spare.pop()
        (notes / f"note-{new.index:06d}.md").write_text(markdown_note(new), encoding="utf-8")
    elif step.startswith("zotero_"):
        edit_in_zotero(world, step, rng)


def edit_in_zotero(world: SyncEnv, step: str, rng: random.Random) -> None:
    """What a user does to one item in Zotero: tag it, retitle it, remove one of its tags,
    move it to the trash, or delete it for good."""
    items = [i for i in world.library().works if not i.get("deleted")]
    if not items:
        return
    item = rng.choice(items)
    if step == "zotero_delete":
        world.zotero.app.delete_remotely(world.ref, item["key"])
        return
    edits: dict[str, dict[str, Any]] = {
        "zotero_tag": {"tags": [*item["tags"], {"tag": f"mine {rng.randint(0, 9)}"}]},
        "zotero_title": {"title": f"My title {rng.randint(0, 9)}"},
        "zotero_untag": {"tags": item["tags"][1:]},
        "zotero_trash": {"deleted": 1},
    }
    world.zotero.app.edit_item(world.ref, item["key"], edits[step])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_sync_reusing_parsed_notes_plans_what_a_full_sync_plans(
        world: SyncEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    rng = random.Random(seed)
    works = plain_works(12, GENERATED_SEED, GENERATED)
    notes = vault(tmp_path / "notes", works[:5])
    spare = list(works[5:])
    assert world.run([notes]).failed == 0
    for _ in range(6):
        step = rng.choice(STEPS)
        change(world, notes, step, rng, spare)
        # The incremental run first: against what the last sync kept, not a full run.
        cached = seeded_sync(world, notes, full=False, dry_run=True, monkeypatch=monkeypatch)
        full = seeded_sync(world, notes, full=True, dry_run=True, monkeypatch=monkeypatch)
        assert cached.plan == full.plan, step
        assert world.run([notes]).failed == 0, step


def vault(notes: Path, works: list[SyntheticWork]) -> Path:
    """A folder with one Markdown note per work."""
    notes.mkdir()
    for work in works:
        (notes / f"note-{work.index:06d}.md").write_text(markdown_note(work), encoding="utf-8")
    return notes


def seeded_sync(world: SyncEnv, notes: Path, *, full: bool, dry_run: bool,
                monkeypatch: pytest.MonkeyPatch, every_work: bool = True) -> SyncResult:
    """One sync, with new keys drawn the same way for every run."""
    monkeypatch.setattr(secrets, "choice", random.Random(7).choice)
    config = world.config()
    stack = make_stack(config)
    try:
        return sync(config, [notes], Enricher(stack.crossref(), stack.pubmed()),
                    dry_run=dry_run, full=full, every_work=every_work)
    finally:
        stack.close()
        monkeypatch.undo()


def told(report: dict[str, Any]) -> dict[str, Any]:
    """A report without the times of its run."""
    return {k: v for k, v in report.items() if k not in ("started", "finished")}


def test_after_one_note_changed_only_its_work_is_planned_again(
        world: SyncEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    works = plain_works(6, GENERATED_SEED, GENERATED)
    notes = vault(tmp_path / "notes", works)
    assert world.run([notes]).failed == 0
    assert world.run([notes]).failed == 0  # what the first run wrote is planned again
    planned: list[str] = []
    original = plan_module._plan_work

    def counted(work: Any, *args: Any) -> Any:
        planned.append(work.identity)
        return original(work, *args)

    path = notes / f"note-{works[2].index:06d}.md"
    path.write_text(markdown_note(works[2], status="Done"), encoding="utf-8")
    with monkeypatch.context() as patched:
        patched.setattr(plan_module, "_plan_work", counted)
        changed = seeded_sync(world, notes, full=False, dry_run=True, monkeypatch=monkeypatch)
    assert len(planned) == 1 and changed.plan.has_changes
    full = seeded_sync(world, notes, full=True, dry_run=True, monkeypatch=monkeypatch)
    assert changed.plan == full.plan and told(changed.report) == told(full.report)


def test_a_sync_with_nothing_changed_reuses_the_last_plan_and_says_so(
        world: SyncEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    works = plain_works(4, GENERATED_SEED, GENERATED)
    notes = vault(tmp_path / "notes", works)
    assert world.run([notes]).failed == 0
    caplog.set_level(logging.INFO, logger="zsync")
    first = seeded_sync(world, notes, full=False, dry_run=False, monkeypatch=monkeypatch)
    assert REUSED not in caplog.text  # it planned: the plan kept is of a run that wrote
    again = seeded_sync(world, notes, full=False, dry_run=False, monkeypatch=monkeypatch)
    assert REUSED in caplog.text
    assert again.plan == first.plan and not again.plan.has_changes
    assert told(again.report) == told(first.report)  # every work listed, from the kept plan
    caplog.clear()
    counted = seeded_sync(world, notes, full=False, dry_run=False, monkeypatch=monkeypatch,
                          every_work=False)  # `zsync sync` with a summary for output
    assert REUSED in caplog.text
    assert counted.report["works"] == [] and counted.report["works_not_listed"] == {
        "unchanged": len(works)}
    assert told(counted.report) == told(archived(first.report))
    caplog.clear()
    full = seeded_sync(world, notes, full=True, dry_run=True, monkeypatch=monkeypatch)
    assert REUSED not in caplog.text
    assert full.plan == again.plan
    path = notes / f"note-{works[0].index:06d}.md"
    path.write_text(markdown_note(works[0], status="Done"), encoding="utf-8")
    changed = seeded_sync(world, notes, full=False, dry_run=True, monkeypatch=monkeypatch)
    assert REUSED not in caplog.text and changed.plan.has_changes


@pytest.mark.parametrize("seed", [11, 12])
def test_incremental_syncs_plan_and_report_what_full_syncs_do(
        world: SyncEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture, seed: int) -> None:
    """Random runs of note and library changes, dry and applied syncs and syncs with
    nothing changed: before every sync, a `--full` dry run plans what it must plan."""
    works = plain_works(12, GENERATED_SEED, GENERATED)
    notes = vault(tmp_path / "notes", works[:5])
    assert world.run([notes]).failed == 0
    spare = list(works[5:])
    caplog.set_level(logging.INFO, logger="zsync")
    reused: list[bool] = []

    class Vault(RuleBasedStateMachine):
        @rule(step=st.sampled_from(STEPS[:6]), draw=st.integers(0, 2**16))
        def change_a_note(self, step: str, draw: int) -> None:
            change(world, notes, step, random.Random(draw), spare)

        @rule(step=st.sampled_from(ZOTERO_STEPS), draw=st.integers(0, 2**16))
        def change_the_library(self, step: str, draw: int) -> None:
            edit_in_zotero(world, step, random.Random(draw))

        @rule(dry_run=st.booleans(), twice=st.booleans(), every_work=st.booleans())
        def sync(self, dry_run: bool, twice: bool, every_work: bool = True) -> None:
            for _ in range(2 if twice else 1):
                # First against what the last sync kept, before any other run.
                done = seeded_sync(world, notes, full=False, dry_run=True,
                                   monkeypatch=monkeypatch, every_work=every_work)
                reused.append(REUSED in caplog.text)
                caplog.clear()
                full = seeded_sync(world, notes, full=True, dry_run=True,
                                   monkeypatch=monkeypatch)
                assert done.plan == full.plan
                # A report that counts the works with nothing to tell is the whole one as
                # archived; one that lists every work is the whole one.
                assert told(done.report) == told(
                    full.report if every_work else archived(full.report))
                if not dry_run:
                    applied = seeded_sync(world, notes, full=False, dry_run=False,
                                          monkeypatch=monkeypatch)
                    assert applied.plan == full.plan
                caplog.clear()

        def teardown(self) -> None:
            # Every example ends with syncs compared, the last ones with nothing changed.
            self.sync(dry_run=False, twice=True)
            self.sync(dry_run=True, twice=False)

    run_state_machine_as_test(Vault, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=8, deadline=None, derandomize=EXAMPLES <= 2,
        database=None, suppress_health_check=list(HealthCheck)))
    assert any(reused) and not all(reused), reused  # both kinds of run were compared


def test_a_run_reads_only_the_works_it_plans_again(
        world: SyncEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A vault of thousands of works costs little when one changed: the others' content
    stays where the last run kept it (`Works`)."""
    works = plain_works(6, GENERATED_SEED, GENERATED)
    notes = vault(tmp_path / "notes", works)
    assert world.run([notes]).failed == 0
    assert world.run([notes]).failed == 0
    loaded: list[str] = []
    original = WorkMemo.bodies

    def counted(memo: WorkMemo, ids: Any) -> Any:
        loaded.extend(ids)
        return original(memo, ids)

    path = notes / f"note-{works[1].index:06d}.md"
    path.write_text(markdown_note(works[1], thoughts="read again"), encoding="utf-8")
    with monkeypatch.context() as patched:
        patched.setattr(WorkMemo, "bodies", counted)
        edited = seeded_sync(world, notes, full=False, dry_run=False, monkeypatch=monkeypatch)
    assert edited.plan.has_changes and loaded == []  # the edited work is built anew
    assert world.run([notes]).failed == 0  # what it wrote is planned again, once

    loaded.clear()
    item = next(i for i in world.library().works if not i.get("deleted"))
    world.zotero.app.edit_item(world.ref, item["key"], {"title": "My own title"})
    with monkeypatch.context() as patched:
        patched.setattr(WorkMemo, "bodies", counted)
        retitled = seeded_sync(world, notes, full=False, dry_run=True, monkeypatch=monkeypatch)
    assert len(loaded) == 1  # the work of the item edited in Zotero, planned again
    full = seeded_sync(world, notes, full=True, dry_run=True, monkeypatch=monkeypatch)
    assert retitled.plan == full.plan and told(retitled.report) == told(full.report)


def test_the_plan_of_a_reused_run_can_be_read_after_later_runs(
        world: SyncEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """The plan a no-op run gives refers to rows the work memo holds aside, so runs after
    it (which keep rows of their own) leave it as it was."""
    works = plain_works(4, GENERATED_SEED, GENERATED)
    notes = vault(tmp_path / "notes", works)
    assert world.run([notes]).failed == 0
    caplog.set_level(logging.INFO, logger="zsync")
    planned = seeded_sync(world, notes, full=False, dry_run=False, monkeypatch=monkeypatch)
    expected = planned.plan
    reused = seeded_sync(world, notes, full=False, dry_run=False, monkeypatch=monkeypatch)
    assert REUSED in caplog.text
    for index, status in enumerate(("Done", "Reading")):
        path = notes / f"note-{works[index].index:06d}.md"
        path.write_text(markdown_note(works[index], status=status), encoding="utf-8")
        assert seeded_sync(world, notes, full=False, dry_run=True,
                           monkeypatch=monkeypatch).plan.has_changes
    assert reused.plan == expected


def test_a_run_whose_kept_works_are_damaged_plans_every_work_anew(
        world: SyncEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """The cache folder is disposable: kept works that cannot be read again (a damaged
    file, a disk that lost pages) cost a full plan, never a wrong one or a crash."""
    works = plain_works(4, GENERATED_SEED, GENERATED)
    notes = vault(tmp_path / "notes", works)
    assert world.run([notes]).failed == 0
    assert world.run([notes]).failed == 0
    with sqlite3.connect(world.config().cache_dir() / "parsed.sqlite") as db:
        db.execute("UPDATE memo_bodies SET body = x'00'")
        db.execute("UPDATE memo_files SET enriched = x'00'")
    item = next(i for i in world.library().works if not i.get("deleted"))
    world.zotero.app.edit_item(world.ref, item["key"], {"title": "My own title"})
    caplog.set_level(logging.INFO, logger="zsync")
    done = seeded_sync(world, notes, full=False, dry_run=True, monkeypatch=monkeypatch)
    assert "planning every work anew" in caplog.text
    full = seeded_sync(world, notes, full=True, dry_run=True, monkeypatch=monkeypatch)
    assert done.plan == full.plan and told(done.report) == told(full.report)
