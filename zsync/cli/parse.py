"""`zsync parse`: show what zsync reads from notes and records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from zsync.cli.app import EXIT_OK, EXIT_PARTIAL, Globals, app
from zsync.cli.errors import require_paths
from zsync.cli.inputs import Exclude, exclude_setting
from zsync.cli.render import echo_json, print_problems, print_records, print_warnings
from zsync.inputs.files import Scan, parse_paths
from zsync.model.records import FileResult
from zsync.model.serialize import file_result_to_json


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
    results = list(parse_paths(paths, exclude=config.notes.exclude, scan=scan))
    if as_json:
        out = [entry for result in results for entry in file_result_to_json(result)]
        echo_json(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print_records([r for result in results for r in result.records], quiet=options.quiet)
    print_warnings([r for result in results for r in result.records])
    print_problems([p for result in results for p in result.problems])
    if scan.summary() and not options.quiet:
        typer.echo(f"zsync: {scan.summary()}", err=True)
    raise typer.Exit(_exit_code(results))


def _exit_code(results: list[FileResult]) -> int:
    return EXIT_PARTIAL if any(r.problems for r in results) else EXIT_OK
