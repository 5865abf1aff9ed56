"""`zsync --version` and `zsync --help` answer at once: they import none of the libraries
the commands need, and the help still lists every command with its own summary."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import pytest
import typer.main

from zsync import __version__
from zsync.cli import asks_version, loading
from zsync.cli.app import LAZY_COMMANDS, _register, app

HEAVY = ("pyzotero", "habanero", "lxml", "rich", "rapidfuzz", "bibtexparser", "nh3",
         "markdown_it", "requests", "requests_cache", "httpx2", "sqlite3")

PROBE = """
import json, sys
sys.argv = ["zsync", *sys.argv[1:]]
from zsync.cli import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def zsync_imports(*args: str) -> tuple[str, set[str]]:
    """What `zsync ARGS` prints, and the modules it imported."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          timeout=60, check=True)
    return done.stdout, set(json.loads(done.stderr.strip().splitlines()[-1]))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_version_imports_nothing_heavy_and_not_even_typer() -> None:
    out, modules = zsync_imports("--version")
    assert out == f"zsync {__version__}\n"
    assert heavy_in(modules) == []
    assert "typer" not in modules and not any(m.startswith("zsync.cli.") for m in modules)


def test_help_lists_every_command_without_importing_their_modules() -> None:
    out, modules = zsync_imports("--help")
    assert heavy_in(modules) == []
    shell = ("zsync.cli.app", "zsync.cli.coercion")  # the application, not its commands
    assert not [m for m in modules if m.startswith("zsync.cli.") and m not in shell]
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines() if
              line.startswith("  ") and not line.startswith("   ")]
    assert listed == list(LAZY_COMMANDS)


def test_a_command_imports_what_it_uses_and_runs() -> None:
    out, modules = zsync_imports("sync", "--help")
    assert "--prune" in out
    assert "zsync.sync.run" in modules and "zsync.cli.dedupe" not in modules


def test_every_command_and_subcommand_is_reachable_from_the_real_entry_point() -> None:
    _register()
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        out, _ = zsync_imports(name, "--help")
        assert f"zsync {name}" in out, name
        for sub in getattr(command, "commands", {}):
            out, _ = zsync_imports(name, sub, "--help")
            assert f"zsync {name} {sub}" in out, (name, sub)


def test_each_command_lives_in_the_module_named_as_it() -> None:
    _register()
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", {})
        callbacks = [c.callback for c in subcommands.values()] or [command.callback]
        assert {f.__module__ for f in callbacks} == {f"zsync.cli.{name}"}, name


def _first_paragraph(text: str) -> str:
    return " ".join(text.split("\n\n")[0].split())


def test_the_help_summaries_are_the_commands_own() -> None:
    _register()
    group = typer.main.get_command(app)
    real = {name: _first_paragraph(cmd.help or "")
            for name, cmd in group.commands.items()}  # type: ignore[attr-defined]
    assert real == {name: lazy.summary for name, lazy in LAZY_COMMANDS.items()}


@pytest.mark.parametrize(("args", "expected"), [
    (["--version"], True),
    (["-v", "--config", "settings.toml", "--version"], True),
    (["--log-format", "json", "-q", "--version"], True),
    (["--config", "--version"], False),  # the option's value, not the flag
    (["sync", "--version"], False),
    (["--help", "--version"], False),
    ([], False),
])
def test_version_is_recognised_only_among_the_global_options(args: list[str],
                                                             expected: bool) -> None:
    assert asks_version(args) is expected


@pytest.mark.parametrize("collecting", [True, False])
def test_loading_a_command_leaves_the_collector_as_it_found_it(collecting: bool) -> None:
    """Imports run without collections, and what they made is set apart for good; the
    collector is then on again, or still off when it was off before."""
    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    try:
        frozen = gc.get_freeze_count()
        with loading():
            assert not gc.isenabled()
            made: list[list[int]] = [[] for _ in range(10)]  # what an import makes
        assert gc.isenabled() is collecting
        assert gc.get_freeze_count() >= frozen + len(made)
    finally:
        gc.unfreeze()
        (gc.enable if was else gc.disable)()
