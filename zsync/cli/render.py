"""Terminal rendering: tables and messages with rich; data in, text out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console

from ..core.records import InputProblem, Record
from ..report.render import headline, sorted_works, work_lines

stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)


def print_records(records: Sequence[Record], quiet: bool = False) -> None:
    """One short block per record: where it came from, title, creators, identifiers."""
    if not quiet:
        for record in records:
            _print_record(record)
    stdout.print(f"{len(records)} record(s)", highlight=False)


def _print_record(record: Record) -> None:
    origin = record.origin
    stdout.print(f"[bold]{origin.path}:{origin.line}[/] [dim]({origin.format})[/]", highlight=False)
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
        stdout.print(f"[yellow]note[/]: {notice}", highlight=False)
    for retracted in report["retracted"]:
        stdout.print(f"[bold red]retracted[/]: {retracted['identity']}: {retracted['notice']}")
    for collection in report["collections_created"]:
        stdout.print(f"[green]+ collection[/] {collection['name']}", highlight=False)
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
