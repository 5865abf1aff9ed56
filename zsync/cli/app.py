"""Global options, error handling and command registration."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from zsync import __version__, logs
from zsync.cli import loading
from zsync.cli.coercion import spare_pydantic
from zsync.config.settings import Config, load, migrate_state, plain_http_risks
from zsync.errors import ZsyncError

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_CHANGES = 0, 1, 2, 3


def run_exit_status(*, partial: bool, changes: bool) -> int:
    """A run's exit status: 1 when some inputs or items failed, else 3 when a dry run
    found changes and --detailed-exitcode asked to hear of them, else 0."""
    return EXIT_PARTIAL if partial else EXIT_CHANGES if changes else EXIT_OK


@dataclass(frozen=True)
class LazyCommand:
    """A command known by name before its module (`zsync.cli.<name>`) is imported: that
    module registers it."""

    summary: str  # the first line of its help, for `zsync --help`


# In the order `zsync --help` lists them. A test checks the summaries against the commands,
# and that each command is defined in the module named as it.
LAZY_COMMANDS = {
    "parse": LazyCommand(
        "Read notes and records and show the bibliographic records found in them."),
    "enrich": LazyCommand(
        "Read notes, complete their records from Crossref and PubMed, and show the result."),
    "sync": LazyCommand(
        "Parse, enrich and de-duplicate notes, then create or update their Zotero items."),
    "add": LazyCommand("Add works to Zotero by identifier, enriched and matched like a note's."),
    "refresh": LazyCommand(
        "Complete the library's items from Crossref and PubMed, and watch for retractions."),
    "dedupe": LazyCommand(
        "Find duplicates in notes (PATH...) or in the Zotero library (--library), and merge "
        "the library's duplicates as Zotero does (--merge; dry run unless --apply)."),
    "status": LazyCommand(
        "Show the library zsync syncs to, its last runs and the conflicts left open."),
    "schedule": LazyCommand(
        "Print a systemd service and timer, a crontab line, or a launchd agent for zsync."),
    "runs": LazyCommand("List this library's past runs: when, command, dry run / applied / "
                        "interrupted, outcome, counts and report."),
    "completion": LazyCommand(
        "Print the completion script for bash, zsh or fish (nothing is installed)."),
    "cache": LazyCommand("Show or clear the cached Crossref and PubMed answers."),
    "config": LazyCommand("Show and check settings."),
}


class LazyGroup(TyperGroup):
    """Imports a command's module only when that command is run (or its own help shown);
    `zsync --help` lists the commands from LAZY_COMMANDS without importing any."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(dict.fromkeys([*LAZY_COMMANDS, *self.commands]))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        lazy = LAZY_COMMANDS.get(cmd_name)
        if cmd_name not in self.commands and lazy is not None:
            if self._listing:
                return TyperCommand(name=cmd_name, short_help=lazy.summary, help=lazy.summary)
            with loading():
                import_module(f"{__package__}.{cmd_name}")
            self.commands.update(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
        command = self.commands.get(cmd_name)
        spare_pydantic(command, ctx)
        return command

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # The global options; each command's own are spared when the command is found.
        spare_pydantic(self, ctx, own=True)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        """Run the command; a zsync error it lets through ends as one line and the exit
        status of its branch (zsync.cli.errors), never a traceback."""
        try:
            return super().invoke(ctx)
        except ZsyncError as exc:
            from zsync.cli.errors import said  # not at start-up: it imports pyzotero

            fail(*said(exc))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="zsync",
    cls=LazyGroup,
    rich_markup_mode=None,  # plain help: `zsync --help` does not import rich
    help="Keep a Zotero library in step with the bibliographic notes you keep elsewhere.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,  # `zsync completion SHELL` prints the script; no rc file is edited
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class Globals:
    config_path: Path | None
    verbose: int
    quiet: bool
    log_format: str

    def config(self, offline: bool = False, **overrides: Any) -> Config:
        """Settings from file, environment and flags; a bad setting ends the run with exit 2.
        `offline` is the commands' --offline flag (unset when False)."""
        if offline:
            overrides["network.offline"] = True
        config = load(self.config_path, overrides=overrides)  # a ConfigError ends with exit 2
        logs.register_secret(config.zotero.api_key.reveal())
        logs.register_secret(config.pubmed.api_key.reveal())
        logs.register_secret(config.zotero.local_api_key.reveal())
        log = logging.getLogger("zsync.config.settings")
        for risk in plain_http_risks(config):
            log.warning("%s", risk)
        try:
            moved_from = migrate_state(config)
        except OSError as exc:
            fail(f"could not move the state to {config.state_path().parent}: {exc}")
        if moved_from is not None:
            log.warning("moved the state and kept reports from %s to %s",
                        moved_from, config.state_path().parent)
        return config


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Say what went wrong (and what to do) in one line, and end with exit status `code`."""
    logs.emit("error", "error", message, exit_code=code)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zsync {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Settings file (TOML).", exists=False)
    ] = None,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More detail (-vv: debug).")
    ] = 0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only errors and a summary.")
    ] = False,
    log_format: Annotated[
        str, typer.Option("--log-format", help="Log lines as 'text' or 'json'.")
    ] = "text",
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Keep a Zotero library in step with the bibliographic notes you keep elsewhere."""
    if log_format not in ("text", "json"):
        fail("--log-format must be 'text' or 'json'")
    logs.setup(verbose, quiet, log_format)
    ctx.obj = Globals(config, verbose, quiet, log_format)


def _register() -> None:
    """Import every command module: each registers its commands on `app`. `main` does not
    need this (LazyGroup imports what runs); shell completion lists every command."""
    for name in LAZY_COMMANDS:
        import_module(f"{__package__}.{name}")


def _masked_traceback(kind: type[BaseException], value: BaseException, tb: Any) -> None:
    """An unexpected error's traceback, with secrets masked and control characters escaped."""
    text = "".join(traceback.format_exception(kind, value, tb))
    if logs.json_lines():
        sys.stderr.write(logs.json_line("error", "crash", f"{kind.__name__}: {value}",
                                        traceback=text) + "\n")
    else:
        sys.stderr.write(logs.printable(text))


def main() -> None:
    sys.excepthook = _masked_traceback
    if "_ZSYNC_COMPLETE" in os.environ:  # the shell asks for candidates: offer every command
        _register()
    try:
        app(prog_name="zsync")  # also under `python -m`, so completion finds its variable
    except KeyboardInterrupt:
        typer.echo("zsync: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a full disk or read-only folder in a command without local_errors()
        import sqlite3  # not at start-up: `zsync --version` imports almost nothing

        from zsync.cli.errors import local_failure

        local = isinstance(exc, (OSError, sqlite3.OperationalError))
        said = local_failure(exc) if local else None
        if said is None:
            raise
        logs.emit("error", "error", said[0], exit_code=said[1])
        sys.exit(said[1])
