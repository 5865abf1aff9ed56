"""Global options, error handling and command registration."""

from __future__ import annotations

import logging
import sqlite3
import sys
import traceback
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any

import typer

from .. import __version__, logs
from ..config import Config, ConfigError, load, migrate_state, plain_http_risks

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_CHANGES = 0, 1, 2, 3

app = typer.Typer(
    name="zsync",
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
        try:
            config = load(self.config_path, overrides=overrides)
        except ConfigError as exc:
            fail(str(exc))
        logs.register_secret(config["zotero.api_key"].reveal())
        logs.register_secret(config["pubmed.api_key"].reveal())
        logs.register_secret(config["zotero.local_api_key"].reveal())
        log = logging.getLogger("zsync.config")
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


# Command modules, in the order `zsync --help` lists their commands.
COMMAND_MODULES = (
    "parse", "enrich", "sync", "add", "refresh", "dedupe", "status", "configure", "schedule",
    "completion",
)


def _register() -> None:
    """Import the command modules: each registers its commands on `app`."""
    for name in COMMAND_MODULES:
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
    _register()
    try:
        app(prog_name="zsync")  # also under `python -m`, so completion finds its variable
    except KeyboardInterrupt:
        typer.echo("zsync: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except (OSError, sqlite3.OperationalError) as exc:  # a command without local_errors()
        from .errors import local_failure

        said = local_failure(exc)
        if said is None:
            raise
        logs.emit("error", "error", said[0], exit_code=said[1])
        sys.exit(said[1])
