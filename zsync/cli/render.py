"""Terminal rendering: tables and messages with rich; data in, text out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from ..core.records import InputProblem, Record
from ..logs import printable, printable_json
from ..report.render import headline, sorted_works, work_lines


class SafeConsole(Console):
    """A rich console through which no secret and no raw control character passes: every
    text given to `print` goes through `printable` (styles rich adds are not touched)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(printable(o) if isinstance(o, str) else o for o in objects), **kwargs)


stdout = SafeConsole(soft_wrap=True)
stderr = SafeConsole(stderr=True, soft_wrap=True)


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Plain text to stdout (or stderr), secrets masked and control characters escaped."""
    typer.echo(printable(text), err=err, nl=nl)


def echo_json(text: str, *, nl: bool = True) -> None:
    """Serialised JSON to stdout, secrets masked, still valid JSON, safe for a terminal."""
    typer.echo(printable_json(text), nl=nl)


def print_records(records: Sequence[Record], quiet: bool = False) -> None:
    """One short block per record: where it came from, title, creators, identifiers."""
    if not quiet:
        for record in records:
            _print_record(record)
    stdout.print(f"{len(records)} record(s)", highlight=False)


def _print_record(record: Record) -> None:
    origin = record.origin
    stdout.print(f"[bold]{escape(str(origin.path))}:{origin.line}[/] [dim]({origin.format})[/]",
                 highlight=False)
    stdout.print(f"  {record.title or '(no title)'}", markup=False, highlight=False)
    facts = [
        _creators(record),
        str(record.year or ""),
        f"status {record.status}" if record.status else "",
        record.item_type or "",
    ]
    stdout.print("  " + " · ".join(f for f in facts if f), markup=False, highlight=False)
    ids = _identifiers(record).replace("\n", "  ")
    if ids:
        stdout.print(f"  {ids}", markup=False, highlight=False)


def _identifiers(record: Record) -> str:
    ids = record.ids
    parts = [
        f"doi:{ids.doi}" if ids.doi else "",
        f"pmid:{ids.pmid}" if ids.pmid else "",
        ids.pmcid or "",
        f"arXiv:{ids.arxiv}" if ids.arxiv else "",
        *(f"isbn:{i}" for i in ids.isbn),
    ]
    return "\n".join(p for p in parts if p)


def _creators(record: Record) -> str:
    names = [c.display() for c in record.creators]
    return "; ".join(names[:3]) + (f" (+{len(names) - 3})" if len(names) > 3 else "")


def print_problems(problems: Sequence[InputProblem]) -> None:
    for problem in problems:
        stderr.print("[bold red]error[/]: ", end="")
        stderr.print(str(problem), markup=False, highlight=False)


def print_warnings(records: Sequence[Record]) -> None:
    for record in records:
        for warning in record.warnings:
            stderr.print("[yellow]warning[/]: ", end="")
            where = f"{record.origin.path}:{record.origin.line}"
            stderr.print(f"{where}: {warning}", markup=False, highlight=False)


_ACTION_STYLE = {
    "create": "green",
    "update": "blue",
    "conflict": "yellow",
    "error": "red",
    "duplicate": "dim",
    "unchanged": "dim",
}


def print_report(report: dict[str, Any], quiet: bool = False) -> None:
    """The run report on the terminal: a headline, then one block per work that matters."""
    if quiet:
        stderr.print(headline(report), markup=False, highlight=False)
        return
    for notice in report["notices"]:
        stdout.print(f"[yellow]note[/]: {escape(notice)}", highlight=False)
    for retracted in report["retracted"]:
        stdout.print(f"[bold red]retracted[/]: {escape(retracted['identity'])}: "
                     f"{escape(retracted['notice'])}", highlight=False)
    for collection in report["collections_created"]:
        stdout.print(f"[green]+ collection[/] {escape(collection['name'])}", highlight=False)
    for work in sorted_works(report):
        if work["action"] == "unchanged":
            continue
        style = _ACTION_STYLE[work["action"]]
        stdout.print(f"[{style}]{work['action']:>9}[/] ", end="")
        stdout.print(work["title"] or work["identity"], markup=False, highlight=False)
        for line in work_lines(work, report.get("collection_names")):
            stdout.print(f"           {line}", markup=False, highlight=False)
    print_problems([
        InputProblem(p["path"], p["error"], p["line"], p["format"])
        for p in report.get("input_problems", [])
    ])
    stdout.print(headline(report), markup=False, highlight=False)
