"""`zsync schedule --print` gives units and lines whose command really runs zsync."""

from __future__ import annotations

import configparser
import plistlib
import shlex
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

Run = Callable[..., Result]
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_the_cron_line_runs_a_quiet_json_logged_sync_of_the_folders(run: Run) -> None:
    result = run("schedule", str(SEEDS), "--print", "cron", "--every", "hourly")
    assert result.exit_code == 0
    fields = result.stdout.split()
    assert fields[:5] == ["0", "*", "*", "*", "*"]
    command = shlex.split(result.stdout.split(" ", 5)[5].split(" 2>>")[0])
    assert command[1:] == ["--quiet", "--log-format", "json", "sync", str(SEEDS.resolve())]
    # The same arguments, as a dry run, are a working zsync invocation.
    dry = run(*command[1:], "--dry-run", "--offline")
    assert dry.exit_code == 0, dry.stderr
    assert "would create 2" in dry.stderr  # --quiet: one summary line on stderr


def test_systemd_gives_a_oneshot_service_and_a_persistent_timer(run: Run, tmp_path: Path) -> None:
    result = run("--config", str(tmp_path / "c.toml"), "schedule", str(SEEDS), "--print", "systemd")
    assert result.exit_code == 0
    service, timer = result.stdout.split("# ~/.config/systemd/user/zsync-sync.timer")
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read_string(service.split("\n", 1)[1])
    assert unit["Service"]["Type"] == "oneshot"
    assert f"--config {tmp_path / 'c.toml'}" in unit["Service"]["ExecStart"]
    schedule = configparser.ConfigParser(strict=False, interpolation=None)
    schedule.read_string(timer)
    assert schedule["Timer"]["OnCalendar"] == "daily"
    assert schedule["Timer"]["Persistent"] == "true"


def test_launchd_gives_a_valid_property_list(run: Run) -> None:
    result = run("schedule", str(SEEDS), "--print", "launchd", "--command", "sync")
    plist = plistlib.loads(result.stdout.encode())
    assert plist["Label"] == "org.zsync.sync"
    assert plist["ProgramArguments"][-1] == str(SEEDS.resolve())
    assert plist["StartInterval"] == 86400


def test_a_scheduled_sync_needs_folders(run: Run) -> None:
    result = run("schedule", "--print", "cron")
    assert result.exit_code == 2
