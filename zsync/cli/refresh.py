"""`zsync refresh`: bring the items already in the library up to date."""

from __future__ import annotations

from typing import Annotated

import typer

from zsync.cli.app import Globals, app, run_exit_status
from zsync.cli.errors import zsync_errors
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
from zsync.cli.render import stderr
from zsync.refresh.run import RefreshOptions, refresh
from zsync.refresh.select import CHUNK
from zsync.runtime import enricher


@app.command("refresh")
def refresh_command(
    ctx: typer.Context,
    everything: Annotated[
        bool, typer.Option("--all", help="Look at every item, not only those changed since "
                                         "the last refresh.")
    ] = False,
    collection: Annotated[
        str | None, typer.Option("--collection", help="Only items in this collection "
                                                      "(name, Parent/Child path, or key).")
    ] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only items with this tag.")] = None,
    item_type: Annotated[
        str | None, typer.Option("--item-type", help="Only items of this Zotero item type, "
                                                     "e.g. journalArticle.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=0, help="At most this many items; the next "
                                                        "run continues with the rest.")
    ] = None,
    dry_run: DryRun = False,
    as_json: AsJson = False,
    report: ReportPath = None,
    fmt: Format = None,
    force: Force = False,
    show_unchanged: ShowUnchanged = False,
    offline: Offline = False,
    detailed_exitcode: DetailedExitcode = False,
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, hidden=True)] = CHUNK,
) -> None:
    """Complete the library's items from Crossref and PubMed, and watch for retractions.

    Fills empty fields (DOI found by title, abstract, PMID/PMCID, journal abbreviation,
    ISSN, volume/issue/pages, language), adds MeSH terms as automatic tags, and tags a
    retracted or corrected work (with one note saying what, when and where). Values you
    entered are never overwritten: differences are reported. Only items changed since the
    last refresh are looked at; an interrupted run continues where it stopped.
    Exit status: 0 done, 1 some items failed or a source was unavailable, 2 usage or
    config error, 3 with --detailed-exitcode when a dry run found changes.
    """
    options: Globals = ctx.obj
    chosen = report_target(report, fmt, force=force)
    config = options.config(offline=offline)
    wanted = RefreshOptions(everything, collection, tag, item_type, limit, chunk_size)
    with zsync_errors(config), enricher(config) as source, RunProgress(
            "refresh", stderr, show=not options.quiet, dry_run=dry_run) as progress:
        source.progress = progress
        result = refresh(config, source, dry_run=dry_run, options=wanted,
                         on_chunk=progress.chunk, on_phase=progress.phase)
    emit_report(result.report, as_json=as_json, path=report, fmt=chosen, quiet=options.quiet,
                show_unchanged=show_unchanged)
    raise typer.Exit(run_exit_status(
        partial=bool(result.failed or result.unavailable),
        changes=detailed_exitcode and dry_run and result.plan.has_changes))
