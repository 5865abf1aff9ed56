"""`zsync runs`: this library's past runs, as the state store recorded them."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from zsync.cli.app import EXIT_OK, app
from zsync.cli.render import echo_json, stdout
from zsync.cli.status import run_line, status_data


@app.command()
def runs(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List this library's past runs: when, command, dry run / applied / interrupted,
    outcome, counts and report."""
    data = status_data(ctx.obj.config())["runs"]
    if as_json:
        echo_json(json.dumps(data, ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    if not data:
        stdout.print("no runs yet")
    for run in data:
        report = f"  {run['report']}" if run["report"] else ""
        stdout.print(run_line(run) + report, markup=False, highlight=False)
