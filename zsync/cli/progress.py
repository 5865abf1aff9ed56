"""Progress of a long command, and what an interruption leaves behind.

`RunProgress` follows a run through its phases (read, enrich, library, plan, write; refresh
and dedupe name their own) with counts. On a terminal it draws them on stderr, transient
(gone when the run ends); with --quiet, under --log-format json, or when stderr is not a
terminal it draws nothing. Ctrl-C and SIGTERM end the run with one line saying which phase
it was in and what the next run will finish; the services record the run as interrupted.
"""

from __future__ import annotations

import signal
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

import typer

from zsync.cli.render import made
from zsync.logs import emit, json_lines
from zsync.runs import Terminated, raise_terminated

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


# What the next run does after a stop in each phase: (command, phase) or phase alone.
_BEFORE_WRITING = "nothing was written to Zotero; the next run starts again (answers " \
                  "already fetched are cached)"
_AFTER_STOP = {
    "write": "writes already sent are journalled: the next {command} finishes them first, "
             "without making a second copy",
    "merge": "merges already sent are journalled: the next {command} finishes them first",
    "refresh": "items refreshed so far are recorded: the next {command} continues with "
               "the rest",
}


_READ_ONLY = {"enrich": "nothing is written; answers already fetched are cached, so the "
                       "next run asks only for the rest"}


class RunProgress:
    """Phases and counts of one run, drawn on `console` when `show` is true."""

    def __init__(self, command: str, console: Console, *, show: bool,
                 dry_run: bool = False) -> None:
        self.command = command
        self.dry_run = dry_run
        self.phase_name = "start"
        self._bar: Progress | None = None
        if show and console.is_terminal and not json_lines():
            from rich.progress import (  # drawn on a terminal only: not for a scheduled run
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                SpinnerColumn(), TextColumn("{task.description:<24}"), BarColumn(),
                MofNCompleteColumn(), TimeElapsedColumn(), console=made(console),
                transient=True)
        self._tasks: dict[str, TaskID] = {}
        self._previous: Any = None

    # --- what the services call ------------------------------------------------------

    def phase(self, name: str, total: int = 0) -> None:
        """A new phase begins (the one before it is done); `total` is how many things it
        goes through (0: unknown)."""
        self._finish(self.phase_name)
        self.phase_name = name
        self.update(name, total=total)

    def _finish(self, task: str) -> None:
        if self._bar is None or task not in self._tasks:
            return
        whole = self._bar.tasks[self._index(task)].total or 1
        self._bar.update(self._tasks[task], total=whole, completed=whole)

    def update(self, task: str, *, done: int = 0, total: int = 0) -> None:
        """Also the `Enricher`'s progress sink: `done` and `total` are increments."""
        if self._bar is None:
            return
        if task not in self._tasks:
            self._tasks[task] = self._bar.add_task(task, total=total or None)
        elif total:
            current = self._bar.tasks[self._index(task)].total or 0
            self._bar.update(self._tasks[task], total=current + total)
        if done:
            self._bar.advance(self._tasks[task], done)

    def chunk(self, number: int, items: int) -> None:
        """`refresh`'s hook: one more chunk of items looked at."""
        self.phase_name = "refresh"
        self.update("refresh", done=items)

    def _index(self, task: str) -> int:
        key = self._tasks[task]
        return next(i for i, t in enumerate(self._bar.tasks) if t.id == key) if self._bar else 0

    # --- the run as a context --------------------------------------------------------

    def __enter__(self) -> RunProgress:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGTERM, raise_terminated)
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()
        if self._previous is not None:
            signal.signal(signal.SIGTERM, self._previous)
        if isinstance(error, KeyboardInterrupt):
            self._say_interrupted(error)
            raise typer.Exit(EXIT_TERMINATED if isinstance(error, Terminated)
                             else EXIT_INTERRUPTED) from None

    def _say_interrupted(self, error: KeyboardInterrupt) -> None:
        how = "stopped (SIGTERM)" if isinstance(error, Terminated) else "interrupted"
        next_run = f"zsync {self.command}"
        if self.command in _READ_ONLY:
            after = _READ_ONLY[self.command]
        elif self.dry_run:
            after = "a dry run writes nothing; run it again"
        else:
            after = _AFTER_STOP.get(self.phase_name, _BEFORE_WRITING).format(command=next_run)
        emit("warning", "interrupted",
             f"{how} while in phase '{self.phase_name}'; {after}"
             + ("" if self.command in _READ_ONLY else "; recorded as interrupted (zsync status)"),
             phase=self.phase_name, command=self.command)

