"""A failure of the state store, or any zsync error, ends in one line and the exit status
of its branch, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

Run = Callable[..., Result]
REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
KEY = "K" * 24


def _with_account(monkeypatch: pytest.MonkeyPatch, state: Path) -> None:
    monkeypatch.setenv("ZSYNC_STATE", str(state))
    monkeypatch.setenv("ZOTERO_LIBRARY_ID", "7")
    monkeypatch.setenv("ZOTERO_API_KEY", KEY)
    monkeypatch.setenv("ZOTERO_API_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("ZSYNC_MAX_RETRIES", "0")


def _one_line(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


@pytest.mark.parametrize("command", [
    ("status",), ("runs",), ("sync", str(SEEDS), "--offline", "--dry-run"),
    ("refresh", "--offline", "--dry-run"), ("dedupe", "--library"),
])
def test_a_state_file_that_is_a_folder_is_one_line_and_exit_1(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    folder = tmp_path / "state-is-a-folder"
    folder.mkdir()
    _with_account(monkeypatch, folder)
    result = run(*command)
    assert result.exit_code == 1, result.stdout + result.stderr
    line = _one_line(result)
    assert str(folder) in line and "folder" in line and KEY not in line


def test_an_unreadable_state_file_is_one_line_and_exit_1(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state.sqlite"
    state.write_bytes(b"")
    _with_account(monkeypatch, state)

    def refuse(*args: object, **kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(sqlite3, "connect", refuse)  # as SQLite says of a file it may not read
    result = run("status")
    assert result.exit_code == 1, result.stdout + result.stderr
    line = _one_line(result)
    assert str(state) in line and "unable to open database file" in line


def test_the_installed_command_says_a_state_failure_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ZOTERO_", "ZSYNC_", "NCBI_", "CROSSREF_"))}
    env.update(PYTHONPATH=str(REPO), ZSYNC_STATE=str(folder), ZOTERO_LIBRARY_ID="7",
               ZOTERO_API_KEY=KEY, XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    done = subprocess.run([sys.executable, "-c", "from zsync.cli.app import main; main()",
                           "runs"], env=env, capture_output=True, timeout=120)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert str(folder) in err


def test_a_bad_setting_is_one_line_and_exit_2(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZSYNC_TIMEOUT", "soon")
    result = run("status")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "$ZSYNC_TIMEOUT: expected a number" in _one_line(result)
