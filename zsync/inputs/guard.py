"""Parsing files in worker processes that bound the time and memory each file may take.

A hostile or broken file (an alias bomb in front matter, a line a parser is slow on, a
nesting that exhausts the stack) must not take the run down or hang it. Each worker

* stops a file that takes more than `file_seconds` of processor time (a timer inside the
  worker: processor time, so a busy machine does not stop a file that is merely waiting
  for its turn), and
* may use `MEMORY_BUDGET / workers` of memory beyond what it started with (an address
  space limit, where the platform has one), so zsync as a whole stays near the budget;

the file is then named with the reason and the worker goes on with the next. Should a
worker die or stop answering anyway (a crash inside a C library), the files it held are
parsed again one by one in fresh workers, so only the culprit is reported.

Files go to workers in small batches (`BATCH_FILES`, `BATCH_BYTES`): one message per
file would cost more than parsing a typical note.
"""

from __future__ import annotations

import contextlib
import os
import pkgutil
import signal
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from importlib import import_module
from pathlib import Path
from types import FrameType

from pebble import ProcessPool

from zsync.inputs.files import InputFile, failed, parse_file
from zsync.model.records import FileResult

MAX_WORKERS = 4
MEMORY_BUDGET = 1024 * 1024 * 1024  # for zsync and its workers together
MIN_WORKER_MEMORY = 192 * 1024 * 1024
BASE_SECONDS = 3.0  # any file may take this much processor time ...
# ... and this much more for each megabyte it holds: a large export is many records, and
# the slowest parser (BibTeX) needs up to ~25 s a megabyte.
SECONDS_PER_MB = 30.0
MAX_SECONDS = 300.0
BATCH_FILES = 32
BATCH_BYTES = 1024 * 1024
# A worker that does not stop itself within this much wall time (ten times its processor
# time, for a busy machine, plus a grace) is stopped from outside: a last resort for a
# parser stuck where no timer reaches it.
_WALL_FACTOR = 10.0
_GRACE = 10.0


class FileTooSlow(BaseException):
    """Raised inside a worker when a file overruns its time (a BaseException, so that no
    parser's `except Exception` can swallow it)."""


def file_seconds(size: int) -> float:
    """How long a file of `size` bytes may take to read and parse."""
    return min(BASE_SECONDS + SECONDS_PER_MB * size / (1024 * 1024), MAX_SECONDS)


def parse_guarded(inputs: Sequence[InputFile], workers: int | None = None) -> Iterator[FileResult]:
    """One result per input, in order, each file parsed under the time and memory guard."""
    batches = _batches(inputs)
    wanted = [b for b in batches if not _walk_problem(b)]
    count = min(workers or os.cpu_count() or 1, MAX_WORKERS, max(len(wanted), 1))
    if not wanted:
        for batch in batches:
            yield from (failed(i.name, i.problem or "") for i in batch)
        return
    load_parsers()
    allowance = max(MIN_WORKER_MEMORY, (MEMORY_BUDGET - _own_memory()) // count)
    pool = ProcessPool(max_workers=count, initializer=_start_worker, initargs=(allowance,))
    try:
        futures = [None if _walk_problem(b) else _submit(pool, b) for b in batches]
        for batch, future in zip(batches, futures, strict=True):
            if future is None:
                yield from (failed(i.name, i.problem or "") for i in batch)
            else:
                yield from _collect(pool, batch, future)
    finally:
        pool.stop()
        pool.join()

PARSER_PACKAGES = ("zsync.inputs.notes", "zsync.inputs.exports", "zsync.inputs.vufind")


def load_parsers() -> None:
    """Import every parser (and so everything parsers use) now: an import cut short by a
    file's timer would leave a half-made module behind for every later file."""
    import_module("zsync.inputs.registry")
    for package in PARSER_PACKAGES:
        path = import_module(package).__path__
        for module in pkgutil.walk_packages(path, package + "."):
            import_module(module.name)


def _batches(inputs: Sequence[InputFile]) -> list[list[InputFile]]:
    """Consecutive files grouped up to `BATCH_FILES` and `BATCH_BYTES`; each walk problem
    alone."""
    batches: list[list[InputFile]] = []
    current: list[InputFile] = []
    size = 0
    for item in inputs:
        if item.problem is not None:
            batches.extend([current, [item]] if current else [[item]])
            current, size = [], 0
            continue
        item_size = _size(item.path)
        if current and (len(current) >= BATCH_FILES or size + item_size > BATCH_BYTES):
            batches.append(current)
            current, size = [], 0
        current.append(item)
        size += item_size
    if current:
        batches.append(current)
    return batches


def _walk_problem(batch: list[InputFile]) -> bool:
    return batch[0].problem is not None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _timeout(batch: Sequence[InputFile]) -> float:
    return _WALL_FACTOR * max(file_seconds(_size(i.path)) for i in batch) + _GRACE


def _submit(pool: ProcessPool, batch: Sequence[InputFile]) -> Future[list[FileResult]]:
    paths = [i.path for i in batch]
    return pool.schedule(_parse_batch, args=(paths,), timeout=_timeout(batch))


def _collect(pool: ProcessPool, batch: list[InputFile],
             future: Future[list[FileResult]]) -> Iterator[FileResult]:
    try:
        yield from future.result()
        return
    except Exception as exc:  # the worker died or overran: find the culprit alone
        if len(batch) == 1:
            yield failed(batch[0].name, _failure(exc, batch[0]))
            return
    retries = [(item, _submit(pool, [item])) for item in batch]
    for item, retry in retries:
        try:
            yield from retry.result()
        except Exception as exc:
            yield failed(item.name, _failure(exc, item))


def _failure(exc: BaseException, item: InputFile) -> str:
    if isinstance(exc, TimeoutError):
        return (f"took longer than {_timeout([item]):.0f} s to read: "
                "stopped (a bug in zsync; the other files were read)")
    return (f"reading it stopped the process parsing it ({type(exc).__name__}: "
            f"{exc}): not read (a bug in zsync; the other files were read)")


# Inside the worker processes.


def _start_worker(allowance: int) -> None:
    """Leave Ctrl-C to the main process; load every parser before any file's time runs
    (where workers are not forked from a process that has); bound this worker's memory."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    load_parsers()
    _limit_memory(allowance)


def _limit_memory(allowance: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the time guard still holds
        return
    limit = _address_space() + allowance
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    """This process's virtual memory size in bytes (0 where /proc is not available)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _own_memory() -> int:
    """The resident memory of this (the main) process in bytes, 0 where unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _parse_batch(paths: list[Path]) -> list[FileResult]:
    return [_parse_timed(path) for path in paths]


def _parse_timed(path: Path) -> FileResult:
    if not hasattr(signal, "ITIMER_PROF"):  # no timer here: the pool's own timeout holds
        return parse_file(path)
    seconds = file_seconds(_size(path))
    previous = signal.signal(signal.SIGPROF, _too_slow)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        return parse_file(path)
    except FileTooSlow:
        return failed(_name(path), f"took longer than {seconds:.0f} s of processor time to "
                                   "read: stopped (a bug in zsync; the other files were read)")
    except MemoryError:
        return failed(_name(path), "needs more memory to read than zsync allows for one "
                                   "file: not read")
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _too_slow(signum: int, frame: FrameType | None) -> None:
    raise FileTooSlow


def _name(path: Path) -> str:
    return InputFile(path).name
