"""The report formats every reporting command writes (sync, add and refresh: a run report;
dedupe: a duplicates report), for `--report FILE` and `--format`.

A format is a name (what `--format` takes), the file extensions that choose it, and a
renderer for each kind of report it can show. A new format is one module with its
renderers and one line in `FORMATS`. The terminal view is not here: the command line draws
it (it alone may use rich).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zsync.report import dedupe, render

RUN, DEDUPE = "run", "dedupe"  # the kinds of report
Renderer = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class ReportFormat:
    name: str
    extensions: tuple[str, ...]  # lower case, with the dot; the first is the one suggested
    renderers: Mapping[str, Renderer]  # report kind -> text

    def render(self, report: dict[str, Any]) -> str:
        return self.renderers[kind_of(report)](report)


FORMATS = (
    ReportFormat("md", (".md", ".markdown"), {RUN: render.to_markdown,
                                               DEDUPE: dedupe.to_markdown}),
    ReportFormat("json", (".json",), {RUN: render.to_json, DEDUPE: dedupe.to_json}),
    ReportFormat("html", (".html", ".htm"), {RUN: render.to_html}),
)
DEFAULT = "md"  # for a file whose name does not tell


def kind_of(report: dict[str, Any]) -> str:
    return DEDUPE if report.get("command") == "dedupe" else RUN


def formats(kind: str) -> tuple[ReportFormat, ...]:
    """The formats that can show a report of this kind, in the order help lists them."""
    return tuple(f for f in FORMATS if kind in f.renderers)


def named(name: str) -> ReportFormat:
    """The format `--format NAME` asks for (NAME is one of `formats(kind)`)."""
    return next(f for f in FORMATS if f.name == name)


def for_path(path: Path, kind: str) -> ReportFormat | None:
    """The format a file's extension asks for, when it can show this kind of report."""
    suffix = path.suffix.lower()
    return next((f for f in formats(kind) if suffix in f.extensions), None)
