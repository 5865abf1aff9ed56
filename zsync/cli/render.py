"""Terminal rendering: tables and messages with rich; data in, text out."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

import typer

from zsync.logs import emit, json_lines, printable, printable_json
from zsync.model.records import InputProblem, Record
from zsync.model.serialize import RecordWarning
from zsync.report.archive import unlisted
from zsync.report.render import (
    headline,
    item_label,
    retraction_lines,
    sorted_works,
    sources_text,
    work_lines,
)

if TYPE_CHECKING:
    from zsync.cli.console import SafeConsole


class DeferredConsole:
    """A `SafeConsole` made when first used, so a run that prints nothing through it (a
    scheduled `--quiet --log-format json` sync) never loads rich."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: SafeConsole | None = None

    @property
    def made(self) -> SafeConsole:
        """The console itself (made now if it was not yet)."""
        if self._console is None:
            from zsync.cli.console import SafeConsole

            self._console = SafeConsole(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.made, name)

    def __enter__(self) -> Any:
        return self.made.__enter__()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.made.__exit__(kind, error, trace)


def made(console: Any) -> Any:
    """The console itself behind a `DeferredConsole` (any other console as it is)."""
    return console.made if isinstance(console, DeferredConsole) else console


stdout = cast("SafeConsole", DeferredConsole(soft_wrap=True))
stderr = cast("SafeConsole", DeferredConsole(stderr=True, soft_wrap=True))


def escape(text: str) -> str:
    """`text` with rich markup escaped."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


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
        if json_lines():
            emit("error", "input_problem", str(problem), path=problem.path,
                 line=problem.line, format=problem.format, error=problem.message)
            continue
        stderr.print("[bold red]error[/]: ", end="")
        stderr.print(str(problem), markup=False, highlight=False)


def print_warnings(records: Sequence[Record]) -> None:
    print_record_warnings(RecordWarning(record.origin.path, record.origin.line, warning)
                          for record in records for warning in record.warnings)


def print_record_warnings(warnings: Iterable[RecordWarning]) -> None:
    for warning in warnings:
        where = f"{warning.path}:{warning.line}"
        warn(f"{where}: {warning.message}", path=warning.path, line=warning.line)


def warn(text: str, **fields: Any) -> None:
    """A warning on stderr (a JSON object under --log-format json)."""
    if json_lines():
        emit("warning", "warning", text, **fields)
        return
    stderr.print("[yellow]warning[/]: ", end="")
    stderr.print(text, markup=False, highlight=False)


def print_summary(text: str, counts: dict[str, Any] | None = None, **fields: Any) -> None:
    """The one-line summary on stderr (--quiet, and always under --log-format json)."""
    if json_lines():
        emit("info", "summary", text, counts=counts or {}, **fields)
    else:
        echo(text, err=True)  # plain text: a scheduled --quiet run never loads rich


# What each action looks like in a plan, as `terraform plan` shows it.
_ACTION_MARK = {
    "create": ("+", "green"),
    "update": ("~", "blue"),
    "conflict": ("!", "yellow"),
    "error": ("x", "red"),
    "duplicate": ("=", "dim"),
    "unchanged": (" ", "dim"),
}
_INDENT = "    "


def _width() -> int:
    return max(40, stdout.width)


def _wrapped(text: str, indent: str, hang: str = "  ") -> str:
    """`text` wrapped to the terminal, each continuation indented `hang` deeper."""
    return textwrap.fill(printable(text, newlines=False), width=_width(), initial_indent=indent,
                         subsequent_indent=indent + hang, break_on_hyphens=False,
                         break_long_words=False)


def print_report(report: dict[str, Any], quiet: bool = False,
                 show_unchanged: bool = False) -> None:
    """The run report on the terminal: changes first, one block per work with a symbol
    (+ create, ~ update, ! conflict, x error, = duplicate), then the works left as they are
    counted (listed with `show_unchanged`), then the headline."""
    summary = {"command": report["command"], "mode": report["mode"],
               "library": report["library"]}
    if quiet:
        print_problems(_problems(report))
        print_summary(headline(report), report["summary"], **summary)
        return
    for notice in report["notices"]:
        stdout.print("[yellow]note[/]: ", end="")
        stdout.print(_wrapped(notice, "", _INDENT).lstrip(), markup=False, highlight=False)
    for flagged in retraction_lines(report):
        stdout.print(f"[bold red]{flagged['label']}[/]: ", end="")
        stdout.print(_wrapped(flagged["text"], "", _INDENT).lstrip(), markup=False,
                     highlight=False)
    names = report.get("collection_names") or {}
    for collection in report["collections_created"]:
        path = names.get(collection["key"], collection["name"])
        stdout.print(f"[green]+[/] collection {escape(path)} (new)", highlight=False)
    unchanged = []
    for work in sorted_works(report):
        if work["action"] == "unchanged":
            unchanged.append(work)
            if not show_unchanged:
                continue
        _print_work(work, report.get("collection_names"))
    left = len(unchanged) + unlisted(report)  # a report may count them rather than list
    if left and not show_unchanged:
        stdout.print(f"[dim]{left} work(s) unchanged (--show-unchanged lists them)[/]",
                     highlight=False)
    print_problems(_problems(report))
    stdout.print(headline(report), markup=False, highlight=False)
    if json_lines():
        print_summary(headline(report), report["summary"], **summary)


def _problems(report: dict[str, Any]) -> list[InputProblem]:
    return [InputProblem(p["path"], p["error"], p["line"], p["format"])
            for p in report.get("input_problems", [])]


def _print_work(work: dict[str, Any], names: dict[str, str] | None) -> None:
    mark, style = _ACTION_MARK[work["action"]]
    where = item_label(work)
    stdout.print(f"[{style}]{mark}[/] ", end="")
    heading = f"{work['title'] or work['identity']}  " + (
        where if where == "(new)" or work["action"] == "duplicate" else f"item {where}")
    stdout.print(_wrapped(heading, "  ", _INDENT).lstrip(), markup=False, highlight=False)
    for line in [f"from {sources_text(work)}", *work_lines(work, names)]:
        stdout.print(_wrapped(line, _INDENT), markup=False, highlight=False)
