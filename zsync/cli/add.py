"""`zsync add ID...`: add works by DOI, PMID, PMCID, arXiv id or ISBN."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zsync.cli.app import Globals, app, fail, run_exit_status
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
from zsync.inputs.idlist import Wanted, entries
from zsync.runtime import enricher
from zsync.sync.add import add


def _given(identifiers: list[str], from_file: Path | None) -> list[str]:
    """The identifiers: arguments, then a file's lines (`-` or none given: standard input)."""
    given = [e for arg in identifiers for e in entries(arg)]
    if from_file is not None:
        try:
            text = sys.stdin.read() if str(from_file) == "-" else from_file.read_text(
                encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"could not read {from_file}: {exc}")
        given += entries(text)
    elif not identifiers and not sys.stdin.isatty():
        given += entries(sys.stdin.read())
    if not given:
        fail("no identifier given: name DOIs, PMIDs, PMCIDs, arXiv ids or ISBNs, "
             "or --from FILE (- for standard input)")
    return given


@app.command("add")
def add_command(
    ctx: typer.Context,
    identifiers: Annotated[list[str] | None, typer.Argument(
        help="DOIs (bare or URL), PMIDs, PMCIDs, arXiv ids or ISBNs.", show_default=False)
    ] = None,
    from_file: Annotated[Path | None, typer.Option(
        "--from", "-f", help="A file of identifiers, one or more a line ('-': standard "
        "input; read too when no identifier is given and input is not a terminal).")] = None,
    collection: Annotated[str | None, typer.Option(
        "--collection", help="Also file the items in this collection (A/B for a "
        "subcollection); made when missing.")] = None,
    tag: Annotated[list[str] | None, typer.Option(
        "--tag", "-t", help="A tag for every item (repeat for more).")] = None,
    status: Annotated[str | None, typer.Option(
        "--status", help="Reading status, as a note would state it (default: "
        "sync.default_status).")] = None,
    dry_run: DryRun = False,
    as_json: AsJson = False,
    report: ReportPath = None,
    fmt: Format = None,
    force: Force = False,
    show_unchanged: ShowUnchanged = False,
    offline: Offline = False,
    detailed_exitcode: DetailedExitcode = False,
) -> None:
    """Add works to Zotero by identifier, enriched and matched like a note's.

    A work already in the library is found (by identifier, or as `zsync sync` would) and not
    added again. An identifier no source knows is named with the reason, and not added;
    ISBNs (and arXiv ids no source knows) make items from the identifier alone.
    Exit status as for `zsync sync`.
    """
    options: Globals = ctx.obj
    given = _given(identifiers or [], from_file)
    chosen = report_target(report, fmt, force=force,
                           inputs=[from_file] if from_file and str(from_file) != "-" else [])
    config = options.config(offline=offline)
    wanted = Wanted(tuple(t.strip() for t in tag or [] if t.strip()), status)
    with zsync_errors(config), enricher(config) as source:
        result = add(config, given, source, dry_run=dry_run, wanted=wanted,
                     collection=collection)
    emit_report(result.report, as_json=as_json, path=report, fmt=chosen, quiet=options.quiet,
                show_unchanged=show_unchanged)
    raise typer.Exit(run_exit_status(
        partial=bool(result.failed or result.report["summary"]["input_problems"]),
        changes=detailed_exitcode and dry_run and result.plan.has_changes))
