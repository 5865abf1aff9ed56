"""`--report FILE`: the format comes from the file name; a file that is not an earlier report
(or is a note being read) is never overwritten unless asked."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

Run = Callable[..., Result]
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    shutil.copytree(SEEDS, folder)
    return folder


def test_report_format_follows_the_extension(run: Run, tmp_path: Path) -> None:
    notes = _notes(tmp_path)
    for name, check in (
        ("plan.html", lambda text: text.startswith("<!doctype html>")),
        ("plan.json", lambda text: json.loads(text)["schema"].startswith("zsync.report/")),
        ("plan.md", lambda text: text.startswith("# zsync sync report")),
    ):
        target = tmp_path / "out" / name
        result = run("sync", str(notes), "--dry-run", "--offline", "--report", str(target))
        assert result.exit_code == 0, result.stderr
        assert check(target.read_text(encoding="utf-8")), name


def test_an_earlier_report_is_replaced_but_another_file_is_kept(run: Run,
                                                                 tmp_path: Path) -> None:
    notes = _notes(tmp_path)
    target = tmp_path / "plan.html"
    assert run("sync", str(notes), "--dry-run", "--offline", "--report", str(target)).exit_code == 0
    again = run("sync", str(notes), "--dry-run", "--offline", "--report", str(target))
    assert again.exit_code == 0, again.stderr

    mine = tmp_path / "thesis.md"
    mine.write_text("# My thesis\n", encoding="utf-8")
    refused = run("sync", str(notes), "--dry-run", "--offline", "--report", str(mine))
    assert refused.exit_code == 2
    assert "not an earlier zsync report" in refused.stderr and "--force" in refused.stderr
    assert mine.read_text(encoding="utf-8") == "# My thesis\n"
    assert "Traceback" not in refused.stderr
    forced = run("sync", str(notes), "--dry-run", "--offline", "--report", str(mine), "--force")
    assert forced.exit_code == 0 and mine.read_text(encoding="utf-8").startswith("# zsync")


def test_a_note_being_read_is_never_taken_for_the_report(run: Run, tmp_path: Path) -> None:
    notes = _notes(tmp_path)
    note = next(notes.iterdir())
    before = note.read_bytes()
    result = run("sync", str(notes), "--dry-run", "--offline", "--report", str(note),
                 "--format", "md")
    assert result.exit_code == 2 and "one of the notes being read" in result.stderr
    assert note.read_bytes() == before


def test_format_without_report_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("sync", str(_notes(tmp_path)), "--dry-run", "--offline", "--format", "html")
    assert result.exit_code == 2 and "--report" in result.stderr
    unknown = run("sync", str(_notes(tmp_path / "b")), "--dry-run", "--offline",
                  "--report", str(tmp_path / "plan.txt"))
    assert unknown.exit_code == 2 and ".html" in unknown.stderr


def test_the_terminal_plan_marks_changes_and_counts_what_stays(run: Run,
                                                               tmp_path: Path) -> None:
    result = run("sync", str(_notes(tmp_path)), "--dry-run", "--offline")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    created = [line for line in lines if line.startswith("+ ") and "collection" not in line]
    assert len(created) == 2  # one line per work to create, marked as terraform does
    assert "(new)" in result.stdout  # not a key made up for a dry run
    assert "+ collection Status/New (new)" in result.stdout
