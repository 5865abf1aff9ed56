"""One run of a command that works on the Zotero library (sync, refresh, dedupe).

    with library_run(config, "sync", "apply", make_api) as run:
        ...                                  # run.store, run.api, run.executor, run.id
        run.finish(report, "ok")             # archives the report, records the outcome

A run holds the `RunLock` (a second run fails at once), opens the state store, makes the
Zotero API and starts a row in the run history (`zsync status`). Whatever ends the run
early, an error, Ctrl-C or SIGTERM (raised as `Terminated`, a `KeyboardInterrupt`, so it
stops the run exactly as Ctrl-C does), the row is finished before the exception goes on:
"interrupted" or "failed", with the error's text redacted of secrets. A run that ends
normally archives its report under the state folder for `reports.keep_days`.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from zsync.config.settings import Config
from zsync.logs import redact
from zsync.report.archive import archive_report
from zsync.state.store import RunLock, StateStore

if TYPE_CHECKING:
    from zsync.zotero.writer import WriteExecutor

ERROR_CHARS = 300  # of an error's text kept in the run history


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the run is so that it stops as after Ctrl-C: journalled,
    recorded as interrupted."""


def raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """SIGTERM raises `Terminated` inside the block (on the main thread; elsewhere Python
    cannot take signals, and nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def failure_text(exc: BaseException) -> str:
    """What the run history keeps of the error that stopped a run: no secret, bounded."""
    return redact(f"{type(exc).__name__}: {exc}")[:ERROR_CHARS]


def stopped_outcome(exc: BaseException) -> str:
    return "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"


class LibraryRun:
    """The state store, Zotero API and write executor of one recorded run."""

    def __init__(self, config: Config, store: StateStore, api: Any, run_id: int,
                 command: str) -> None:
        self.config, self.store, self.api, self.id = config, store, api, run_id
        self.command = command
        self._executor: WriteExecutor | None = None
        api.bind(store)  # the library this run works on, selected in the state store
        self.finished = False

    @property
    def executor(self) -> WriteExecutor:
        """The run's writer, made when first asked for (a run that writes nothing never
        loads it)."""
        if self._executor is None:
            from zsync.zotero.writer import WriteExecutor

            self._executor = WriteExecutor(self.api, self.store, self.id)
        return self._executor

    @property
    def library(self) -> str:
        return str(self.api.library)

    def finish(self, report: dict[str, Any], outcome: str,
               counts: dict[str, Any] | None = None) -> Path:
        """Archive `report` and record the run's `outcome` with `counts` (by default the
        report's summary); the archived report's path."""
        kept = archive_report(report, self.config.state_path().parent / "reports", self.id,
                              float(self.config.reports.keep_days))
        self.store.runs.finish(self.id, outcome,
                               report["summary"] if counts is None else counts, str(kept))
        self.finished = True
        return kept



@contextmanager
def library_run(config: Config, command: str, mode: str,
                api_factory: Callable[[Config], Any]) -> Iterator[LibraryRun]:
    """A recorded run of `command` in `mode` ("apply", "dry-run", "report"); see the module
    docstring. The body calls `finish`; a body that returns without it is recorded as
    failed."""
    with sigterm_interrupts(), RunLock(config.state_path()), \
            StateStore.from_config(config) as store, \
            recorded_run(config, store, api_factory(config), command, mode) as run:
        yield run


@contextmanager
def recorded_run(config: Config, store: StateStore, api: Any, command: str,
                 mode: str) -> Iterator[LibraryRun]:
    """The recorded part of `library_run`, for a caller that already holds the lock, the
    store and the API (and may have decided not to run at all)."""
    with sigterm_interrupts():
        run_id = store.runs.start(command, mode, api.library)
        run: LibraryRun | None = None
        try:
            run = LibraryRun(config, store, api, run_id, command)
            yield run
            if not run.finished:
                raise RuntimeError(f"{command} ended without recording its outcome")
        except BaseException as exc:  # the run history says why the run stopped
            if run is None or not run.finished:
                store.runs.finish(run_id, stopped_outcome(exc), {"error": failure_text(exc)})
            raise
