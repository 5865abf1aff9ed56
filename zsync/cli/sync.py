"""`zsync sync`: bring the Zotero library in step with the notes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from zsync.cli.app import Globals, app, run_exit_status
from zsync.cli.errors import zsync_errors
from zsync.cli.inputs import Exclude, exclude_setting, require_paths
from zsync.cli.output import (
    AsJson,
    DetailedExitcode,
    DryRun,
    Force,
    Format,
    Offline,
    ReportPath,
    ShowUnchanged,
    emit_report,
    report_target,
)
from zsync.cli.progress import RunProgress
from zsync.cli.render import stderr, stdout
from zsync.runtime import enricher
from zsync.sync.run import sync


@app.command("sync")
def sync_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Note files or folders to sync.")],
    dry_run: DryRun = False,
    as_json: AsJson = False,
    report: ReportPath = None,
    fmt: Format = None,
    force: Force = False,
    show_unchanged: ShowUnchanged = False,
    offline: Offline = False,
    detailed_exitcode: DetailedExitcode = False,
    prune: Annotated[bool, typer.Option(
        "--prune", help="Remove what notes gone from these folders gave their items: their "
        "child notes (unless you edited them) and the tags only they gave. Items stay. "
        "Try it with --dry-run first.")] = False,
    link_notes: Annotated[bool, typer.Option(
        "--link-notes", help="After the writes, add to each Markdown/Org note a link to its "
        "Zotero item (only those lines; a note edited meanwhile is left alone). With "
        "--dry-run, show the lines. Default: notes.link_back.")] = False,
    exclude: Exclude = None,
    full: Annotated[bool, typer.Option(
        "--full", help="Parse and plan every note again, also when nothing changed since "
        "the last run.")
    ] = False,
) -> None:
    """Parse, enrich and de-duplicate notes, then create or update their Zotero items.

    Items get the note's tags, a status collection (Status/New, Status/Reading ...) and
    the note as a child note. Safe to run again: what you edited in Zotero is kept.
    Exit status: 0 done (or nothing to do), 1 some items failed, 2 usage or config error,
    3 with --detailed-exitcode when a dry run found changes.
    """
    options: Globals = ctx.obj
    require_paths(paths)
    chosen = report_target(report, fmt, force=force, inputs=paths)
    config = options.config(offline=offline, **exclude_setting(exclude))
    with zsync_errors(config), enricher(config) as source, RunProgress(
            "sync", stderr, show=not options.quiet, dry_run=dry_run) as progress:
        source.progress = progress
        result = sync(config, paths, source, dry_run=dry_run, prune=prune,
                      link=link_notes or config.notes.link_back,
                      on_phase=progress.phase, full=full,
                      # the terminal counts the works left as they were; these list them
                      every_work=as_json or report is not None or show_unchanged)
    emit_report(result.report, as_json=as_json, path=report, fmt=chosen, quiet=options.quiet,
                show_unchanged=show_unchanged)
    if not as_json:
        print_note_links(result.report.get("note_links", []))
    raise typer.Exit(run_exit_status(
        partial=bool(result.failed or result.report["summary"]["input_problems"]),
        changes=detailed_exitcode and dry_run and result.plan.has_changes))


def print_note_links(entries: list[dict[str, Any]]) -> None:
    """What --link-notes added (or would add) to each note, and the notes left alone."""
    for entry in entries:
        if entry["status"] == "left alone":
            stdout.print(f"note left alone: {entry['path']}: {entry['why']}",
                         markup=False, highlight=False)
            continue
        stdout.print(f"note link {entry['status']}: {entry['path']}", markup=False,
                     highlight=False)
        for line in entry["lines"]:
            stdout.print(f"    + {line}", markup=False, highlight=False)
