"""`zsync schedule --print` gives units and lines whose command really runs zsync, at a start
minute of the library's own, and a cron line that works on a fresh account."""

from __future__ import annotations

import configparser
import os
import plistlib
import re
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

Run = Callable[..., Result]
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CRON = re.compile(r"^(\d+) (\*|\d+) \* \* \* (.*)$")


def _cron(run: Run, *args: str) -> tuple[int, str, str]:
    result = run("schedule", *args, "--print", "cron")
    assert result.exit_code == 0, result.stderr
    match = CRON.match(result.stdout.strip())
    assert match, result.stdout
    return int(match.group(1)), match.group(2), match.group(3)


def _zsync_args(command_line: str) -> list[str]:
    """The zsync arguments inside a cron command (`mkdir -p ... && zsync ... 2>> log`)."""
    words = shlex.split(command_line)
    start = words.index("&&") + 1
    return words[start + 1:words.index("2>>")]


def test_the_cron_line_runs_a_quiet_json_logged_sync_of_the_folders(run: Run) -> None:
    minute, hour, command = _cron(run, str(SEEDS), "--every", "hourly")
    assert 0 <= minute < 60 and hour == "*"
    args = _zsync_args(command)
    assert args == ["--quiet", "--log-format", "json", "sync", str(SEEDS.resolve())]
    # The same arguments, as a dry run, are a working zsync invocation.
    dry = run(*args, "--dry-run", "--offline")
    assert dry.exit_code == 0, dry.stderr
    assert "would create 2" in dry.stderr  # --quiet: one summary line on stderr


def test_each_library_starts_at_its_own_minute_every_time(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    minutes = {}
    for library in ("1", "2", "3", "4", "5", "6"):
        monkeypatch.setenv("ZOTERO_LIBRARY_ID", library)
        minutes[library] = _cron(run, str(SEEDS))[0]
        assert _cron(run, str(SEEDS))[0] == minutes[library]  # stable from run to run
    assert len(set(minutes.values())) > 1  # not everyone at the same minute


def test_the_printed_cron_command_runs_where_the_log_folder_does_not_exist(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "home" / ".local" / "state" / "zsync"
    monkeypatch.setenv("ZSYNC_STATE", str(state / "state.sqlite"))
    _, _, command = _cron(run, str(SEEDS))
    assert not state.parent.exists()
    # Run it as cron would (/bin/sh), with zsync swapped for a stand-in that fails loudly.
    words = shlex.split(command)
    zsync = words[words.index("&&") + 1]
    fake = tmp_path / "zsync"
    fake.write_text("#!/bin/sh\necho ran \"$@\" >&2\n", encoding="utf-8")
    fake.chmod(0o755)
    done = subprocess.run(["/bin/sh", "-c", command.replace(shlex.quote(zsync), str(fake))],
                          capture_output=True, text=True, env={"PATH": os.defpath}, check=False)
    assert done.returncode == 0, done.stderr
    assert "ran --quiet" in (state / "zsync-sync.log").read_text(encoding="utf-8")


def test_a_scheduled_refresh_prints_a_command_refresh_accepts(run: Run) -> None:
    _, _, command = _cron(run, "--command", "refresh", str(SEEDS))
    args = _zsync_args(command)
    assert args[-1] == "refresh"
    assert str(SEEDS.resolve()) not in args  # refresh takes no folders
    dry = run(*args, "--dry-run", "--offline")
    # No Zotero account here, so it stops at the settings, not at its own arguments.
    assert "Usage:" not in dry.stderr and "extra argument" not in dry.stderr, dry.stderr
    assert "no Zotero account configured" in dry.stderr


def test_systemd_gives_a_oneshot_service_and_a_persistent_spread_timer(
    run: Run, tmp_path: Path
) -> None:
    (tmp_path / "c.toml").write_text("", encoding="utf-8")
    result = run("--config", str(tmp_path / "c.toml"), "schedule", str(SEEDS), "--print", "systemd")
    assert result.exit_code == 0, result.stderr
    service, timer = result.stdout.split("# ~/.config/systemd/user/zsync-sync.timer")
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read_string(service.split("\n", 1)[1])
    assert unit["Service"]["Type"] == "oneshot"
    assert f"--config {tmp_path / 'c.toml'}" in unit["Service"]["ExecStart"]
    schedule = configparser.ConfigParser(strict=False, interpolation=None)
    schedule.read_string(timer)
    minute = _cron(run, str(SEEDS))[0]
    assert schedule["Timer"]["OnCalendar"] == f"*-*-* 06:{minute:02d}:00"
    assert schedule["Timer"]["Persistent"] == "true"
    assert schedule["Timer"]["RandomizedDelaySec"]


def test_launchd_gives_a_valid_property_list_at_the_library_minute(run: Run) -> None:
    result = run("schedule", str(SEEDS), "--print", "launchd", "--command", "sync",
                 "--every", "hourly")
    plist = plistlib.loads(result.stdout.encode())
    assert plist["Label"] == "org.zsync.sync"
    assert plist["ProgramArguments"][-1] == str(SEEDS.resolve())
    assert plist["StartCalendarInterval"] == {"Minute": _cron(run, str(SEEDS))[0]}


def test_a_scheduled_sync_needs_folders(run: Run) -> None:
    result = run("schedule", "--print", "cron")
    assert result.exit_code == 2


def test_a_percent_sign_in_a_path_survives_cron_and_systemd(run: Run, tmp_path: Path) -> None:
    notes = tmp_path / "notes 100%"
    notes.mkdir()
    _, _, command = _cron(run, str(notes))
    assert "notes 100\\%" in command  # cron turns a bare % into a new line
    unit = run("schedule", str(notes), "--print", "systemd").stdout
    assert "notes 100%%" in unit  # systemd reads %% as one %
