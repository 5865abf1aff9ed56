"""`zsync enrich` on the terminal: per record what was filled and from where, what was not
enriched and why; and the progress bar on standard error."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from zsync.cli.render import _creators, _identifiers, made, stdout
from zsync.enrich.jsonform import filled_fields, has_temporary_problem, problem_to_json
from zsync.enrich.merge import Enriched
from zsync.logs import json_lines
from zsync.model.records import Record

PROGRESS_MIN_RECORDS = 20  # fewer records are done in a few requests: no bar


def print_enriched(notes: Sequence[Record], results: Sequence[Enriched], quiet: bool) -> None:
    if not quiet:
        for note, enriched in zip(notes, results, strict=True):
            _print_one(note, enriched)
    stdout.print(summary(results), highlight=False)


def summary(results: Sequence[Enriched]) -> str:
    enriched = sum(1 for e in results if e.sources)
    failed = sum(1 for e in results if has_temporary_problem(e))
    text = f"{len(results)} record(s): {enriched} enriched, {len(results) - enriched} not"
    return text + (f" ({failed} to try again: a source could not be asked)" if failed else "")


def _print_one(note: Record, enriched: Enriched) -> None:
    record = enriched.record
    origin = record.origin
    sources = ", ".join(enriched.sources) or "no source"
    stdout.print(f"[bold]{escape(str(origin.path))}:{origin.line}[/] "
                 f"[dim]({origin.format}; {escape(sources)})[/]",
                 highlight=False)
    _plain(f"  {record.title or '(no title)'}")
    facts = [_creators(record), str(record.year or ""), record.item_type or ""]
    _plain("  " + " · ".join(f for f in facts if f))
    ids = _identifiers(record).replace("\n", "  ")
    if ids:
        _plain(f"  {ids}")
    for source, names in filled_fields(note, enriched).items():
        shown = ", ".join(n.removeprefix("fields.").replace("_", " ") for n in names)
        stdout.print(f"  [green]filled from {source}[/]: ", end="", highlight=False)
        _plain(shown)
    for notice in record.notices:
        what = notice.doi or notice.pmid or notice.label or ""
        when = f" {notice.date}" if notice.date else ""
        stdout.print(f"  [bold red]{notice.kind.replace('_', ' ')}[/]: ", end="")
        _plain(f"{what}{when} ({notice.source or 'source'})")
    for disagreement in enriched.disagreements:
        values = " · ".join(f"{source} “{value}”" for source, value in disagreement.values)
        stdout.print(f"  [yellow]differs[/] {disagreement.field}: ", end="", highlight=False)
        _plain(values)
    for problem in enriched.not_enriched:
        parsed = problem_to_json(problem)
        label = "not enriched" if parsed["temporary"] else "not used"
        stdout.print(f"  [red]{label}[/]: ", end="", highlight=False)
        _plain(f"{parsed['source']}: {parsed['reason']}" if parsed["source"] else problem)


def _plain(text: str) -> None:
    stdout.print(text, markup=False, highlight=False)


class RichProgress:
    """An `Enricher` progress sink drawing one bar per lookup task on `console`."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=made(console), transient=True,
        )
        self._tasks: dict[str, TaskID] = {}

    def update(self, task: str, *, done: int = 0, total: int = 0) -> None:
        if task not in self._tasks:
            self._tasks[task] = self._progress.add_task(task, total=0)
        key = self._tasks[task]
        if total:
            current = self._progress.tasks[self._tasks_index(key)].total or 0
            self._progress.update(key, total=current + total)
        if done:
            self._progress.advance(key, done)

    def _tasks_index(self, key: TaskID) -> int:
        return next(i for i, t in enumerate(self._progress.tasks) if t.id == key)

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._progress.stop()


def progress_for(console: Console, records: int, quiet: bool) -> RichProgress | None:
    """A bar on long runs only, and only on a terminal (never with -q or when piped)."""
    if quiet or json_lines() or not console.is_terminal or records < PROGRESS_MIN_RECORDS:
        return None
    return RichProgress(console)
