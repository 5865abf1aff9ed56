"""A sync that takes unchanged notes from the cache of parsed notes plans exactly what a
`--full` sync plans, over random note edits, moves, renames, deletions and additions and
edits of the items in Zotero."""

from __future__ import annotations

import random
import secrets
from pathlib import Path

import pytest

from tests.servers.generate import SyntheticWork
from tests.support import make_stack
from tests.sync.conftest import GENERATED, GENERATED_SEED
from tests.sync.env import SyncEnv
from tests.sync.notes import markdown_note, plain_works
from zsync.enrich.enricher import Enricher
from zsync.sync.plan import Plan
from zsync.sync.run import sync

STEPS = ("thoughts", "status", "rename", "move", "delete", "add", "zotero_tag", "zotero_title")


def dry_plan(world: SyncEnv, notes: Path, *, full: bool,
             monkeypatch: pytest.MonkeyPatch) -> Plan:
    """The plan of a dry run, with new keys drawn the same way for both runs."""
    monkeypatch.setattr(secrets, "choice", random.Random(7).choice)
    config = world.config()
    stack = make_stack(config)
    try:
        return sync(config, [notes], Enricher(stack.crossref(), stack.pubmed()),
                    dry_run=True, full=full).plan
    finally:
        stack.close()


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
        items = [i for i in world.library().works if not i.get("deleted")]
        item = rng.choice(items)
        edit = ({"tags": [*item["tags"], {"tag": f"mine {rng.randint(0, 9)}"}]}
                if step == "zotero_tag" else {"title": f"My title {rng.randint(0, 9)}"})
        world.zotero.app.edit_item(world.ref, item["key"], edit)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_sync_reusing_parsed_notes_plans_what_a_full_sync_plans(
        world: SyncEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    rng = random.Random(seed)
    works = plain_works(12, GENERATED_SEED, GENERATED)
    notes = tmp_path / "notes"
    notes.mkdir()
    for work in works[:5]:
        (notes / f"note-{work.index:06d}.md").write_text(markdown_note(work), encoding="utf-8")
    spare = list(works[5:])
    assert world.run([notes]).failed == 0
    for _ in range(6):
        step = rng.choice(STEPS)
        change(world, notes, step, rng, spare)
        full = dry_plan(world, notes, full=True, monkeypatch=monkeypatch)
        cached = dry_plan(world, notes, full=False, monkeypatch=monkeypatch)
        assert cached == full, step
        monkeypatch.undo()
        assert world.run([notes]).failed == 0, step
