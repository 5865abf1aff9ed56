"""`zsync sync`: bring the Zotero library in step with the notes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..adapters.retry import Exhausted
from ..adapters.state import LockHeld
from ..adapters.zotero import (
    PendingWritesError,
    WriteRejected,
    WriteUnconfirmed,
    ZoteroSetupError,
)
from ..logs import redact
from ..runtime import enricher
from ..sync import SyncSetupError, sync
from .app import EXIT_CHANGES, EXIT_OK, EXIT_PARTIAL, Globals, app, fail
from .output import (
    AsJson,
    DetailedExitcode,
    DryRun,
    Format,
    Offline,
    ReportFormat,
    ReportPath,
    emit_report,
)


@app.command("sync")
def sync_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Note files or folders to sync.")],
    dry_run: DryRun = False,
    as_json: AsJson = False,
    report: ReportPath = None,
    fmt: Format = ReportFormat.md,
    offline: Offline = False,
    detailed_exitcode: DetailedExitcode = False,
) -> None:
    """Parse, enrich and de-duplicate notes, then create or update their Zotero items.

    Items get the note's tags, a status collection (Status/New, Status/Reading ...) and
    the note as a child note. Safe to run again: what you edited in Zotero is kept.
    Exit status: 0 done (or nothing to do), 1 some items failed, 2 usage or config error,
    3 with --detailed-exitcode when a dry run found changes.
    """
    options: Globals = ctx.obj
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(missing)}")
    config = options.config(**{"network.offline": True if offline else None})
    try:
        with enricher(config) as source:
            result = sync(config, paths, source, dry_run=dry_run)
    except (SyncSetupError, ZoteroSetupError, LockHeld) as exc:
        fail(str(exc))
    except (WriteUnconfirmed, PendingWritesError) as exc:
        # Nothing is lost: the journalled writes are finished by the next run.
        fail(redact(str(exc)), EXIT_PARTIAL)
    except (WriteRejected, Exhausted) as exc:
        fail(f"Zotero: {redact(str(exc))}", EXIT_PARTIAL)
    emit_report(result.report, as_json=as_json, path=report, fmt=fmt, quiet=options.quiet)
    if result.failed or result.report["summary"]["input_problems"]:
        raise typer.Exit(EXIT_PARTIAL)
    if detailed_exitcode and dry_run and result.plan.has_changes:
        raise typer.Exit(EXIT_CHANGES)
    raise typer.Exit(EXIT_OK)
