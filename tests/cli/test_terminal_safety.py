"""Escape sequences from notes, file names, library items and server answers reach the
terminal, and the text reports, shown (`\\x1b[2J`), never acted on: no clipboard write
(OSC 52), no cleared screen (ESC[2J), no hidden link (OSC 8), no reversed text."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import Result

from tests.servers.zotero import zotero_server

Run = Callable[..., Result]
REPO = Path(__file__).resolve().parents[2]
OSC52 = "\x1b]52;c;ZXZpbA==\x07"
CLEAR = "\x1b[2J"
OSC8 = "\x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\"
C1_CSI = "\x9b31m"
RTL = "\u202e"
HOSTILE = (OSC52, CLEAR, OSC8, C1_CSI, RTL)
KEY = "T" * 24


def _raw_controls(text: str) -> list[str]:
    """The hostile sequences found raw in `text`."""
    return [s for s in HOSTILE if s in text] + [c for c in ("\x07", "\x9b", RTL) if c in text]


def _notes(folder: Path) -> Path:
    folder.mkdir()
    title = (f"Attack {OSC52} and {CLEAR} then {OSC8} {C1_CSI} {RTL}reversed "
             "<script>alert(1)</script>")
    (folder / f"evil{CLEAR}.bib").write_text(
        "@article{evil,\n"
        f"  title = {{{title}}},\n"
        "  author = {Doe, Jane},\n  year = {2020},\n"
        "  doi = {10.1234/evil.1}\n}\n",
        encoding="utf-8",
    )
    return folder


def _on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """`zsync ARGS` with stdout and stderr on a pseudo-terminal; all it wrote there."""
    leader, follower = pty.openpty()
    child = subprocess.Popen([sys.executable, "-c", "from zsync.cli.app import main; main()",
                              *args], stdin=follower, stdout=follower, stderr=follower,
                             cwd=cwd, env=env)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    child.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ZOTERO_", "ZSYNC_", "NCBI_", "CROSSREF_"))}
    env.update(PYTHONPATH=str(REPO), TERM="xterm-256color", COLUMNS="200",
               ZSYNC_STATE=str(tmp_path / "state.sqlite"), ZSYNC_CACHE_DIR=str(tmp_path / "c"),
               XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    env.pop("NO_COLOR", None)
    return env


@pytest.mark.parametrize("command", [["parse"], ["enrich", "--offline"],
                                     ["sync", "--dry-run", "--offline"]], ids=lambda c: c[0])
def test_a_hostile_note_and_file_name_are_shown_escaped_on_a_terminal(
    tmp_path: Path, command: list[str]
) -> None:
    notes = _notes(tmp_path / "notes")
    shown = _on_a_terminal([*command, str(notes)], tmp_path, _env(tmp_path))
    assert "Attack" in shown, shown
    assert _raw_controls(shown) == []
    if command[0] == "sync":  # values as Zotero will store them: C0 controls removed
        assert "]52;c;ZXZpbA==" in shown and "\\x1b]52" not in shown
    else:
        assert "\\x1b]52;c;ZXZpbA==\\x07" in shown  # the user still sees what the note holds
    assert "\\x9b31m \\u202ereversed" in shown
    assert "evil\\x1b[2J.bib" in shown


def test_reports_escape_controls_and_html(run: Run, tmp_path: Path) -> None:
    notes = _notes(tmp_path / "notes")
    reports = tmp_path / "reports"
    for fmt in ("md", "html", "json"):
        result = run("sync", str(notes), "--dry-run", "--offline",
                     "--report", str(reports / f"plan.{fmt}"), "--format", fmt)
        assert result.exit_code == 0, result.stderr
        text = (reports / f"plan.{fmt}").read_text(encoding="utf-8")
        assert "Attack" in text
        assert _raw_controls(text) == [], fmt
    markdown = (reports / "plan.md").read_text(encoding="utf-8")
    rendered = MarkdownIt("commonmark", {"html": True}).render(markdown)
    assert "<script>" not in rendered  # a viewer that renders raw HTML runs nothing
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<script>" not in (reports / "plan.html").read_text(encoding="utf-8")


def test_escape_sequences_in_the_library_and_in_server_errors_are_shown_escaped(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    with zotero_server(user_id=7, key=KEY) as server:
        for _ in range(2):  # another group member's items, duplicates of each other
            server.app.seed_item({"itemType": "journalArticle", "DOI": "10.1234/dup",
                                  # Zotero strips C0 controls, not C1 ones (CSI)
                                  "title": f"Shared {CLEAR}{OSC52}\x9b2J title"})
        monkeypatch.setenv("ZOTERO_API_URL", server.url)
        monkeypatch.setenv("ZOTERO_LIBRARY_ID", "7")
        monkeypatch.setenv("ZOTERO_API_KEY", KEY)
        monkeypatch.setenv("ZSYNC_MAX_RETRIES", "0")
        listed = run("dedupe", "--library")
        server.fail_next(400, text=f"Invalid request {CLEAR} {OSC8} {KEY}", times=100)
        refused = run("refresh", "--offline")
    assert "\\x9b2J title" in listed.stdout, listed.stdout + listed.stderr
    assert "Invalid request \\x1b[2J" in refused.stderr, refused.stderr
    for result in (listed, refused):
        assert _raw_controls(result.stdout + result.stderr) == []
        assert KEY not in result.stdout + result.stderr
