"""Where a report goes: the terminal, stdout as JSON, or a file in a chosen format."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from ..report.render import to_html, to_json, to_markdown
from .render import print_report


class ReportFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"


_RENDER = {ReportFormat.md: to_markdown, ReportFormat.json: to_json, ReportFormat.html: to_html}


def emit_report(
    report: dict[str, Any], *, as_json: bool, path: Path | None, fmt: ReportFormat, quiet: bool
) -> None:
    if as_json:
        typer.echo(to_json(report))
    else:
        print_report(report, quiet=quiet)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_RENDER[fmt](report), encoding="utf-8")
