"""Where a report goes: the terminal, stdout as JSON, or a file in a chosen format."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..report.render import to_html, to_json, to_markdown
from .render import echo_json, print_report


class ReportFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"


# Options every reporting command (sync, refresh) takes, declared once.
DryRun = Annotated[bool, typer.Option("--dry-run", "-n", help="Plan and report; write nothing.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]
ReportPath = Annotated[
    Path | None, typer.Option("--report", help="Also write the report to this file.")
]
Format = Annotated[ReportFormat, typer.Option("--format", help="Format of --report.")]
Offline = Annotated[
    bool, typer.Option("--offline", help="Use cached Crossref and PubMed answers only.")
]
DetailedExitcode = Annotated[
    bool, typer.Option("--detailed-exitcode", help="Exit 3 when a dry run found changes.")
]

_RENDER = {ReportFormat.md: to_markdown, ReportFormat.json: to_json, ReportFormat.html: to_html}


def emit_report(
    report: dict[str, Any], *, as_json: bool, path: Path | None, fmt: ReportFormat, quiet: bool
) -> None:
    if as_json:
        echo_json(to_json(report))
    else:
        print_report(report, quiet=quiet)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_RENDER[fmt](report), encoding="utf-8")
