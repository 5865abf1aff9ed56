"""`zsync parse`: show what zsync reads from notes and records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zsync.cli.app import EXIT_OK, EXIT_PARTIAL, Globals, app
from zsync.cli.inputs import Exclude, exclude_setting, require_paths
from zsync.cli.render import (
    echo_json,
    print_problems,
    print_record_warnings,
    print_records,
    print_warnings,
)
from zsync.inputs.files import Scan, parse_paths, parse_paths_json, records_and_problems


@app.command()
def parse(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to read.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    exclude: Exclude = None,
) -> None:
    """Read notes and records and show the bibliographic records found in them.

    The format of each file is told from its content; files that are not notes (PDFs,
    images, canvases, office documents, archives) are skipped and counted. Exit status:
    0 all inputs parsed, 1 some inputs could not be used (each is named), 2 usage or
    config error.
    """
    options: Globals = ctx.obj
    require_paths(paths)
    config = options.config(**exclude_setting(exclude))
    scan = Scan()
    if as_json:
        # Each worker writes the JSON of the records it parsed: only text comes back.
        printed = list(parse_paths_json(paths, exclude=config.notes.exclude, scan=scan))
        echo_json(json_array([entry for result in printed for entry in result.entries()]))
        print_record_warnings(w for result in printed for w in result.warnings)
        problems = [problem for result in printed for problem in result.problems]
    else:
        results = list(parse_paths(paths, exclude=config.notes.exclude, scan=scan))
        records, problems = records_and_problems(results)
        print_records(records, quiet=options.quiet)
        print_warnings(records)
    print_problems(problems)
    if scan.summary() and not options.quiet:
        typer.echo(f"zsync: {scan.summary()}", err=True)
    raise typer.Exit(EXIT_PARTIAL if problems else EXIT_OK)


def json_array(entries: list[str]) -> str:
    """A JSON array of elements already serialised (`serialize.json_text`), one a line:
    `json` indents in pure Python, which for a large export took longer than reading it."""
    if not entries:
        return "[]"
    return "[\n" + ",\n".join(entries) + "\n]"
