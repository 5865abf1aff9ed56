"""State and kept reports live in the platform's user state folder; a state file an
earlier version kept in the user data folder is moved there, once, by the next run; the
example config names the folders platformdirs really uses."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from platformdirs import windows
from typer.testing import Result

from tests.support import invoke_cli

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


@pytest.fixture
def xdg(tmp_path: Path) -> dict[str, str]:
    """No ZSYNC_STATE: state goes where the platform says, under this test's folders."""
    return {"XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data"),
            "ZSYNC_CACHE_DIR": str(tmp_path / "cache")}


def _run(tmp_path: Path, env: dict[str, str]) -> Callable[..., Result]:
    return lambda *args: invoke_cli(args, env, tmp_path)


def _old_state(folder: Path) -> Path:
    folder.mkdir(parents=True)
    path = folder / "state.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE marker (what TEXT)")
        db.execute("INSERT INTO marker VALUES ('kept from before')")
    (folder / "reports").mkdir()
    (folder / "reports" / "000001-sync-20250101.json").write_text("{}", encoding="utf-8")
    return path


def test_status_names_the_state_file_in_the_user_state_folder(
    tmp_path: Path, xdg: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in xdg.items():
        monkeypatch.setenv(name, value)
    result = _run(tmp_path, xdg)("status")
    assert result.exit_code == 0, result.stderr
    assert f"state:   {tmp_path / 'state' / 'zsync' / 'state.sqlite'}" in result.stdout


def test_an_old_state_file_is_moved_to_the_state_folder_once(
    tmp_path: Path, xdg: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in xdg.items():
        monkeypatch.setenv(name, value)
    old = _old_state(tmp_path / "data" / "zsync")
    run = _run(tmp_path, xdg)
    first = run("sync", str(SEEDS), "--dry-run", "--offline")
    assert first.exit_code == 0, first.stderr
    assert "moved the state" in first.stderr
    new = tmp_path / "state" / "zsync" / "state.sqlite"
    assert not old.exists()
    with sqlite3.connect(new) as db:
        assert db.execute("SELECT what FROM marker").fetchall() == [("kept from before",)]
    assert (new.parent / "reports" / "000001-sync-20250101.json").exists()
    again = run("sync", str(SEEDS), "--dry-run", "--offline")
    assert "moved the state" not in again.stderr


def test_an_explicit_state_path_is_left_alone(
    tmp_path: Path, xdg: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in xdg.items():
        monkeypatch.setenv(name, value)
    old = _old_state(tmp_path / "data" / "zsync")
    chosen = tmp_path / "mine" / "state.sqlite"
    result = _run(tmp_path, {**xdg, "ZSYNC_STATE": str(chosen)})(
        "sync", str(SEEDS), "--dry-run", "--offline")
    assert result.exit_code == 0, result.stderr
    assert old.exists() and "moved the state" not in result.stderr


def test_the_example_config_names_the_real_windows_config_folder(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    base = r"C:\Users\me\AppData\Local"
    monkeypatch.setattr(windows, "get_win_folder", lambda _which: base)
    folder = windows.Windows("zsync").user_config_dir
    below = re.split(r"[\\/]", folder[len(base):].strip("\\/"))  # the folders zsync adds
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    assert "%LOCALAPPDATA%\\" + "\\".join(below) + "\\config.toml" in text
