"""A scheduled sync with nothing changed tells so by a stat of each note: it opens none
of them, and after an edit it reads only the note edited."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from unittest import mock

import pytest

from tests.sync.conftest import GENERATED, GENERATED_SEED
from tests.sync.env import SyncEnv
from tests.sync.notes import markdown_note, plain_works
from zsync.inputs import filecache

REUSED = "nothing changed since the last run"
HOUR_NS = 3600 * 10**9


def test_a_sync_with_nothing_changed_opens_no_note(
        world: SyncEnv, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    works = plain_works(4, GENERATED_SEED, GENERATED)
    past = os.stat(tmp_path).st_mtime_ns - HOUR_NS  # written well before the runs
    for work in works:
        path = notes / f"note-{work.index:06d}.md"
        path.write_text(markdown_note(work), encoding="utf-8")
        os.utime(path, ns=(past, past))
    assert world.run([notes]).failed == 0
    assert world.run([notes]).failed == 0  # nothing to write: its plan is kept
    caplog.set_level(logging.INFO, logger="zsync")
    with mock.patch.object(filecache, "read_input", wraps=filecache.read_input) as opened:
        again = world.run([notes])
    assert REUSED in caplog.text and not again.plan.has_changes
    assert opened.call_count == 0
    edited = notes / f"note-{works[0].index:06d}.md"
    edited.write_text(markdown_note(works[0], status="Done"), encoding="utf-8")
    os.utime(edited, ns=(past + 1, past + 1))
    caplog.clear()
    with mock.patch.object(filecache, "read_input", wraps=filecache.read_input) as opened:
        changed = world.run([notes], dry_run=True)
    assert REUSED not in caplog.text and changed.plan.has_changes
    assert {os.fspath(call.args[0]) for call in opened.call_args_list} == {str(edited)}
