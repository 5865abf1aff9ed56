"""`zsync schedule --print`: the unit, timer or line that runs zsync unattended."""

from __future__ import annotations

import shutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from zsync.cli.app import Globals, app, fail
from zsync.cli.render import echo, warn
from zsync.schedule import RENDERERS, Job


class Scheduler(StrEnum):
    systemd = "systemd"
    cron = "cron"
    launchd = "launchd"


class Every(StrEnum):
    hourly = "hourly"
    daily = "daily"


def _executable() -> Path:
    found = shutil.which("zsync")
    return Path(found) if found else Path(sys.executable).with_name("zsync")


@app.command()
def schedule(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Note folders the scheduled sync reads.")
    ] = None,
    print_for: Annotated[
        Scheduler, typer.Option("--print", help="Print the unit or line for this scheduler.")
    ] = Scheduler.systemd,
    command: Annotated[str, typer.Option(help="What to run: 'sync' or 'refresh'.")] = "sync",
    every: Annotated[Every, typer.Option(help="How often.")] = Every.daily,
    report_dir: Annotated[
        Path | None, typer.Option(help="Keep each run's HTML report in this folder.")
    ] = None,
) -> None:
    """Print a systemd service and timer, a crontab line, or a launchd agent for zsync.

    Nothing is installed: copy the text where the comment says. See docs/scheduling.md.
    """
    options: Globals = ctx.obj
    if command not in ("sync", "refresh"):
        fail("--command must be 'sync' or 'refresh'")
    if command == "sync" and not paths:
        fail("name the note folders the scheduled sync reads")
    if command == "refresh" and paths:
        warn("refresh works on the whole library; the folders named are not part of the "
             "scheduled command")
    settings = options.config()
    resolved = tuple(p.expanduser().resolve() for p in paths or ())
    config = options.config_path.expanduser().resolve() if options.config_path else None
    library = (f"{settings.zotero.library_type}s/{settings.zotero.library_id}"
               if settings.zotero.library_id else "")
    log_dir = (Path.home() / "Library" / "Logs" if print_for is Scheduler.launchd
               else settings.state_path().parent)
    job = Job(_executable(), command, resolved, config, every.value,
              report_dir.expanduser().resolve() if report_dir else None, library,
              log_dir.expanduser().absolute())
    echo(RENDERERS[print_for.value](job), nl=False)
