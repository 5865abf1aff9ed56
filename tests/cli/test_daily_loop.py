"""The everyday loop as a user sees it: progress on a terminal only, a run stopped by Ctrl-C
or SIGTERM that says where it stopped and is recorded as interrupted, JSON log lines,
runs that name their command, mode and library, and a silent Zotero that times out."""

from __future__ import annotations

import errno
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.servers.base import Fault, Request, Response
from tests.servers.zotero import ZoteroServer, zotero_server

Run = Callable[..., Result]
REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
KEY = "P" * 24


def _notes(folder: Path) -> Path:
    shutil.copytree(SEEDS, folder)
    return folder


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ZOTERO_", "ZSYNC_", "NCBI_", "CROSSREF_"))}
    env.update(PYTHONPATH=str(REPO), TERM="xterm-256color", COLUMNS="120",
               ZSYNC_STATE=str(tmp_path / "state.sqlite"), ZSYNC_CACHE_DIR=str(tmp_path / "c"),
               XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    env.update(extra)
    env.pop("NO_COLOR", None)
    return env


def _command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from zsync.cli.app import main; main()", *args]


def _on_a_terminal(args: list[str], env: dict[str, str], *, stderr_piped: bool = False
                   ) -> tuple[str, str]:
    """`zsync ARGS` on a pseudo-terminal: what the terminal showed, and (with
    `stderr_piped`) what went to a piped stderr instead."""
    leader, follower = pty.openpty()
    child = subprocess.Popen(_command(*args), stdin=follower, stdout=follower,
                             stderr=subprocess.PIPE if stderr_piped else follower, env=env)
    os.close(follower)
    chunks = []
    while select.select([leader], [], [], 60)[0]:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, err = child.communicate(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace"), (err or b"").decode()


def _wait_for_a_request(server: ZoteroServer, limit: float = 60.0) -> None:
    """Until zsync has asked Zotero something (it is then past reading the notes)."""
    ends = time.monotonic() + limit
    while not server.log and time.monotonic() < ends:
        time.sleep(0.1)
    time.sleep(0.5)


def _progress_drawn(text: str) -> bool:
    """A transient bar: rich draws it, then erases its lines (ESC[2K)."""
    return "━" in text and "\x1b[2K" in text


def test_progress_shows_on_a_terminal_and_nowhere_else(tmp_path: Path) -> None:
    notes = _notes(tmp_path / "notes")
    env = _env(tmp_path)
    shown, _ = _on_a_terminal(["sync", str(notes), "--dry-run", "--offline"], env)
    assert _progress_drawn(shown) and "enrich" in shown, shown
    assert "would create 2" in shown  # the report follows, once the bar is gone
    quiet, _ = _on_a_terminal(["--quiet", "sync", str(notes), "--dry-run", "--offline"], env)
    assert not _progress_drawn(quiet) and "would create 2" in quiet
    _, piped = _on_a_terminal(["sync", str(notes), "--dry-run", "--offline"], env,
                              stderr_piped=True)
    assert "━" not in piped and "\x1b" not in piped


def test_sigterm_stops_a_run_in_one_line_and_records_it_interrupted(tmp_path: Path) -> None:
    notes = _notes(tmp_path / "notes")
    with zotero_server(user_id=7, key=KEY) as server:
        server.slow_next(20.0, times=10)  # Zotero hangs while the library is read
        env = _env(tmp_path, ZOTERO_API_URL=server.url, ZOTERO_LIBRARY_ID="7",
                   ZOTERO_API_KEY=KEY, ZSYNC_MAX_RETRIES="0")
        child = subprocess.Popen(_command("sync", str(notes), "--offline"), env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _wait_for_a_request(server)
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=30)
    message = err.decode()
    assert child.returncode == 143, message
    assert "Traceback" not in message
    lines = [line for line in message.splitlines() if line.strip()]
    assert len(lines) == 1, message
    assert "stopped (SIGTERM)" in lines[0] and "phase 'library'" in lines[0]
    assert "nothing was written" in lines[0]
    status = subprocess.run(_command("status", "--json"), env=env, capture_output=True,
                            check=True)
    (run,) = json.loads(status.stdout)["runs"]
    assert (run["command"], run["mode"], run["outcome"], run["library"]) == \
        ("sync", "apply", "interrupted", "users/7")
    text = subprocess.run(_command("status"), env=env, capture_output=True, check=True)
    assert "sync  interrupted" in text.stdout.decode()


def test_ctrl_c_on_a_dry_run_says_it_wrote_nothing(tmp_path: Path) -> None:
    notes = _notes(tmp_path / "notes")
    with zotero_server(user_id=7, key=KEY) as server:
        server.slow_next(20.0, times=10)
        env = _env(tmp_path, ZOTERO_API_URL=server.url, ZOTERO_LIBRARY_ID="7",
                   ZOTERO_API_KEY=KEY, ZSYNC_MAX_RETRIES="0")
        child = subprocess.Popen(_command("sync", str(notes), "--offline", "--dry-run"),
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _wait_for_a_request(server)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
    assert child.returncode == 130
    assert "interrupted while in phase" in err.decode()
    assert "a dry run writes nothing" in err.decode()


def test_json_logs_make_every_stderr_line_an_object(run: Run, tmp_path: Path) -> None:
    notes = _notes(tmp_path / "notes")
    (notes / "todo.txt").write_text("buy milk\nnothing to cite here\n", encoding="utf-8")
    result = run("--log-format", "json", "sync", str(notes), "--dry-run", "--offline")
    assert result.exit_code == 1
    events = [json.loads(line) for line in result.stderr.splitlines()]
    kinds = [e["event"] for e in events]
    assert "input_problem" in kinds and kinds[-1] == "summary"
    problem = events[kinds.index("input_problem")]
    assert problem["path"].endswith("todo.txt") and problem["level"] == "error"
    summary = events[-1]
    assert summary["counts"]["create"] == 2 and summary["counts"]["input_problems"] == 1
    assert summary["mode"] == "dry-run" and summary["command"] == "sync"

    as_json = run("--log-format", "json", "sync", str(notes), "--dry-run", "--offline",
                  "--json")
    assert json.loads(as_json.stdout)["summary"]["create"] == 2
    assert json.loads(as_json.stderr.splitlines()[-1])["event"] == "summary"

    missing = run("--log-format", "json", "sync", str(tmp_path / "nowhere"))
    (error,) = [json.loads(line) for line in missing.stderr.splitlines()]
    assert missing.exit_code == 2 and error["exit_code"] == 2 and "nowhere" in error["message"]


def test_quiet_json_logs_give_the_summary_as_an_object(run: Run, tmp_path: Path) -> None:
    notes = _notes(tmp_path / "notes")
    result = run("--quiet", "--log-format", "json", "sync", str(notes), "--dry-run",
                 "--offline")
    (summary,) = [json.loads(line) for line in result.stderr.splitlines()]
    assert summary["event"] == "summary" and "would create 2" in summary["message"]


def test_status_lists_each_run_with_command_mode_and_library(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = _notes(tmp_path / "notes")
    with zotero_server(user_id=7, key=KEY) as server:
        monkeypatch.setenv("ZOTERO_API_URL", server.url)
        monkeypatch.setenv("ZOTERO_LIBRARY_ID", "7")
        monkeypatch.setenv("ZOTERO_API_KEY", KEY)
        assert run("sync", str(notes), "--offline", "--dry-run").exit_code == 0
        assert run("sync", str(notes), "--offline").exit_code == 0
        shown = run("status")
        history = run("runs")
        data = json.loads(run("status", "--json").stdout)
        monkeypatch.setenv("ZOTERO_LIBRARY_ID", "8")  # another library: its own history
        other = json.loads(run("status", "--json").stdout)
    applied, dry = data["runs"]
    assert (applied["command"], applied["mode"], applied["outcome"]) == ("sync", "apply", "ok")
    assert (dry["mode"], applied["library"]) == ("dry-run", "users/7")
    assert "sync  applied  ok (create 2)" in shown.stdout
    assert "sync  dry run  ok (create 2)" in shown.stdout
    first, second = history.stdout.splitlines()
    assert "sync  applied  ok (create 2)" in first and "sync  dry run" in second
    assert other["runs"] == []


def test_config_show_and_check_speak_json(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    with zotero_server(user_id=7, key=KEY) as server:
        monkeypatch.setenv("ZOTERO_API_URL", server.url)
        monkeypatch.setenv("ZOTERO_LIBRARY_ID", "7")
        monkeypatch.setenv("ZOTERO_API_KEY", KEY)
        shown = run("config", "show", "--json")
        checked = run("config", "check", "--json")
    settings = {s["name"]: s for s in json.loads(shown.stdout)}
    assert settings["zotero.library_id"]["from"] != "default"
    assert KEY not in shown.stdout and settings["zotero.api_key"]["value"] != KEY
    report = json.loads(checked.stdout)
    assert checked.exit_code == 0 and report["ok"] and report["library"] == "users/7"
    assert all(c["ok"] for c in report["checks"])


def test_a_silent_zotero_times_out_as_configured(run: Run, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    notes = _notes(tmp_path / "notes")
    with zotero_server(user_id=7, key=KEY) as server:
        server.slow_next(30.0, times=10)
        monkeypatch.setenv("ZOTERO_API_URL", server.url)
        monkeypatch.setenv("ZOTERO_LIBRARY_ID", "7")
        monkeypatch.setenv("ZOTERO_API_KEY", KEY)
        monkeypatch.setenv("ZSYNC_MAX_RETRIES", "0")
        monkeypatch.setenv("ZSYNC_TIMEOUT", "1")
        began = time.monotonic()
        result = run("sync", str(notes), "--offline", "--dry-run")
        took = time.monotonic() - began
    assert took < 15, took
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize("command", [("sync", "--offline", "--dry-run"), ("refresh",),
                                     ("dedupe", "--library")], ids=lambda c: c[0])
def test_a_group_id_given_as_a_user_library_says_what_to_set(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    notes = _notes(tmp_path / "notes")
    with zotero_server(user_id=7, key=KEY, groups=[555]) as server:
        monkeypatch.setenv("ZOTERO_API_URL", server.url)
        monkeypatch.setenv("ZOTERO_LIBRARY_ID", "555")
        monkeypatch.setenv("ZOTERO_API_KEY", KEY)
        monkeypatch.setenv("ZSYNC_MAX_RETRIES", "0")
        args = [*command[:1], str(notes), *command[1:]] if command[0] == "sync" else command
        result = run(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert "this key belongs to user 7, not 555" in line
    assert "555 is one of your groups: set library_type = group" in line


def _garble(request: Request, answer: Response) -> Response:
    answer.body = answer.body[: len(answer.body) // 2] or b"{"
    return answer


def test_a_garbled_answer_from_zotero_is_one_line_not_a_traceback(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = _notes(tmp_path / "notes")
    with zotero_server(user_id=7, key=KEY) as server:
        server.app.seed_item({"itemType": "journalArticle", "title": "Already there"})
        server.inject(Fault("rewrite", lambda r: "/items" in r.path, times=100,
                            rewrite=_garble))
        monkeypatch.setenv("ZOTERO_API_URL", server.url)
        monkeypatch.setenv("ZOTERO_LIBRARY_ID", "7")
        monkeypatch.setenv("ZOTERO_API_KEY", KEY)
        monkeypatch.setenv("ZSYNC_MAX_RETRIES", "0")
        result = run("sync", str(notes), "--offline", "--dry-run")
    assert result.exit_code == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not valid JSON" in lines[0], result.stderr


@pytest.mark.parametrize(("code", "exit_code", "said"), [
    (errno.ENOSPC, 1, "the disk is full"),
    (errno.EROFS, 2, "zsync may not write"),
])
def test_a_full_disk_or_read_only_folder_is_one_line(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, exit_code: int,
    said: str
) -> None:
    notes = _notes(tmp_path / "notes")

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)  # the cache and state folders are made first
    result = run("sync", str(notes), "--offline", "--dry-run")
    assert result.exit_code == exit_code, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_a_state_folder_that_cannot_be_made_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    env = _env(tmp_path, ZSYNC_STATE=str(blocker / "state" / "state.sqlite"),
               ZOTERO_LIBRARY_ID="7", ZOTERO_API_KEY=KEY, ZOTERO_API_URL="http://127.0.0.1:9")
    done = subprocess.run(_command("sync", str(_notes(tmp_path / "notes")), "--offline"),
                          env=env, capture_output=True, timeout=120)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "a-file" in err


def test_the_plan_wraps_within_the_terminal_with_hanging_indents(tmp_path: Path) -> None:
    notes = _notes(tmp_path / "notes")
    env = _env(tmp_path, COLUMNS="60")
    shown, _ = _on_a_terminal(["sync", str(notes), "--dry-run", "--offline"], env,
                              stderr_piped=True)
    lines = [re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line) for line in shown.splitlines()]
    plan = [line for line in lines if line and not line.startswith("sync (dry-run)")]
    long_words = [line for line in plan if len(line) > 60 and " " in line.strip()]
    assert not long_words, long_words
    heads = [i for i, line in enumerate(plan) if line.startswith("+ ") and "collection" not in line]
    assert len(heads) == 2
    for i in heads:  # a title too long for one line continues under itself, indented
        assert plan[i + 1].startswith("      ") and not plan[i + 1].startswith("+")


def test_the_local_api_not_answering_asks_whether_zotero_is_running(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZOTERO_LOCAL", "true")
    monkeypatch.setenv("ZOTERO_LIBRARY_ID", "7")
    monkeypatch.setenv("ZOTERO_API_URL", "http://127.0.0.1:9/api")  # nothing listens
    monkeypatch.setenv("ZSYNC_MAX_RETRIES", "0")
    result = run("dedupe", "--library")
    assert result.exit_code == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is Zotero running" in lines[0], result.stderr
