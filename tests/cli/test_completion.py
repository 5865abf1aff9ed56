"""`zsync completion bash|zsh|fish` prints a script that completes zsync's commands, and
nothing edits the user's shell start-up files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

Run = Callable[..., Result]
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_script_completes_commands_in_a_real_bash(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    zsync = bin_dir / "zsync"
    zsync.write_text(f"#!/bin/sh\nexec {sys.executable} -c "
                     f"'from zsync.cli.app import main; main()' \"$@\"\n", encoding="utf-8")
    zsync.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.defpath}", "HOME": str(home),
           "PYTHONPATH": str(REPO)}
    script = ('eval "$(zsync completion bash)"; COMP_WORDS=(zsync sch); COMP_CWORD=1; '
              '_zsync_completion zsync; printf "%s\\n" "${COMPREPLY[@]}"')
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["schedule"]
    assert list(home.iterdir()) == []  # no ~/.bashrc written, nothing else either


@pytest.mark.parametrize(("shell", "hook"), [("bash", "complete -o default -F"),
                                             ("zsh", "compdef"), ("fish", "complete --command zsync")])
def test_each_shell_gets_its_script_and_how_to_load_it(run: Run, shell: str, hook: str) -> None:
    result = run("completion", shell)
    assert result.exit_code == 0, result.stderr
    assert hook in result.stdout and "_ZSYNC_COMPLETE" in result.stdout
    assert result.stdout.startswith("# ")  # the first line says where it goes


def test_no_command_installs_completion_by_editing_rc_files(run: Run) -> None:
    assert "--install-completion" not in run("--help").stdout
    assert run("completion", "powershell").exit_code == 2
