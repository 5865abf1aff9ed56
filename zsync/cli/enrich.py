"""`zsync enrich`: show what Crossref and PubMed add to the records in notes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from zsync.cli.app import EXIT_OK, EXIT_PARTIAL, Globals, app
from zsync.cli.enrich_view import print_enriched, progress_for
from zsync.cli.inputs import Exclude, exclude_setting, require_paths
from zsync.cli.progress import RunProgress
from zsync.cli.render import echo_json, print_problems, print_warnings, stderr
from zsync.enrich.jsonform import enriched_to_json, has_temporary_problem
from zsync.inputs.files import parse_paths, records_and_problems
from zsync.model.serialize import problem_to_json
from zsync.runtime import enricher


@app.command()
def enrich(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to read.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON array with per-field provenance.")
    ] = False,
    offline: Annotated[
        bool, typer.Option("--offline", help="Use cached Crossref and PubMed answers only.")
    ] = False,
    exclude: Exclude = None,
) -> None:
    """Read notes, complete their records from Crossref and PubMed, and show the result.

    For each record: the fields each source filled, retractions and corrections, where a
    source disagrees with the note, and what could not be enriched and why. Answers are
    cached, so running it again asks the services nothing. Exit status: 0 done, 1 some
    inputs could not be used or some records could not be enriched because a source was
    down, rate limiting or (with --offline) not cached, 2 usage or config error.
    """
    options: Globals = ctx.obj
    require_paths(paths)
    config = options.config(offline=offline, **exclude_setting(exclude))
    notes, problems = records_and_problems(parse_paths(paths, exclude=config.notes.exclude))
    show = progress_for(stderr, len(notes), options.quiet) is not None
    with enricher(config) as source, RunProgress("enrich", stderr, show=show) as progress:
        progress.phase("enrich", len(notes))
        source.progress = progress
        enriched = source.enrich(notes)
    if as_json:
        out = [enriched_to_json(e) for e in enriched] + [problem_to_json(p) for p in problems]
        echo_json(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print_enriched(notes, enriched, quiet=options.quiet)
    print_warnings(notes)
    print_problems(problems)
    partial = problems or any(has_temporary_problem(e) for e in enriched)
    raise typer.Exit(EXIT_PARTIAL if partial else EXIT_OK)
