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
file would cost more than parsing a typical note. A large file (`SHARE_BYTES`) is read by
every worker at once, each parsing its share of the records (formats that allow it, see
`parse_text`), under the same guard; should any share fail, the file is read whole.
"""

from __future__ import annotations

import contextlib
import os
import pkgutil
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import FrameType
from typing import Generic, TypeVar

from pebble import ProcessPool

from zsync.inputs.files import InputFile, failed, parse_file
from zsync.inputs.registry import merge_parts
from zsync.model.records import FileResult
from zsync.model.serialize import FileJson, file_json, merge_json_parts

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
SHARE_BYTES = 512 * 1024
# A worker that does not stop itself within this much wall time (ten times its processor
# time, for a busy machine, plus a grace) is stopped from outside: a last resort for a
# parser stuck where no timer reaches it.
_WALL_FACTOR = 10.0
_GRACE = 10.0
_IMPORT_WAIT = 0.05  # processor time after which a timer that fell in an import looks again


_R = TypeVar("_R")


@dataclass(frozen=True)
class Output(Generic[_R]):
    """What a worker sends back for each file: `made` from its `FileResult` in the worker,
    `merged` (None: read it whole) when a file was read in shares."""

    made: Callable[[FileResult], _R]
    merged: Callable[[str, list[_R]], _R | None]


def _as_parsed(result: FileResult) -> FileResult:
    return result


RECORDS: Output[FileResult] = Output(_as_parsed, merge_parts)
# `zsync parse --json`: the JSON text is made in the workers, no record is sent back.
JSON: Output[FileJson] = Output(file_json, merge_json_parts)


class FileTooSlow(BaseException):
    """Raised inside a worker when a file overruns its time (a BaseException, so that no
    parser's `except Exception` can swallow it)."""


def file_seconds(size: int) -> float:
    """How long a file of `size` bytes may take to read and parse."""
    return min(BASE_SECONDS + SECONDS_PER_MB * size / (1024 * 1024), MAX_SECONDS)


def parse_guarded(inputs: Sequence[InputFile], workers: int | None = None) -> Iterator[FileResult]:
    """One result per input, in order, each file parsed under the time and memory guard."""
    return parse_guarded_as(inputs, RECORDS, workers)


def parse_guarded_as(inputs: Sequence[InputFile], output: Output[_R],
                     workers: int | None = None) -> Iterator[_R]:
    """`parse_guarded`, each result sent back as `output` makes it."""
    parsing = Parsing(inputs, output, workers)
    try:
        yield from parsing.results()
    finally:
        parsing.close()


class Parsing(Generic[_R]):
    """A guarded parse under way: its workers start and take the files at once, so the
    caller may go on with other work; `results` gives one result per input, in order, and
    `close` stops the workers (call it in any case)."""

    def __init__(self, inputs: Sequence[InputFile], output: Output[_R],
                 workers: int | None = None) -> None:
        self.output = output
        self.batches = _batches(inputs)
        self.pool: ProcessPool | None = None  # None: no file to parse
        self.closed = False
        self.futures: list[list[Future[list[_R]]]] = [[] for _ in self.batches]
        wanted = [b for b in self.batches if not _walk_problem(b)]
        if not wanted:
            return
        cpus = min(workers or os.cpu_count() or 1, MAX_WORKERS)
        count = min(cpus, max(sum(_shares(b, cpus) for b in wanted), 1))
        allowance = max(MIN_WORKER_MEMORY, (MEMORY_BUDGET - _own_memory()) // count)
        self.pool = ProcessPool(max_workers=count, initializer=_start_worker,
                                initargs=(allowance,))
        try:
            self.futures = [[] if _walk_problem(b) else
                            _submit_shares(self.pool, b, _shares(b, count), output)
                            for b in self.batches]
        except BaseException:
            self.close()  # the caller gets no handle to close
            raise

    def results(self) -> Iterator[_R]:
        output, pool = self.output, self.pool
        for batch, shares in zip(self.batches, self.futures, strict=True):
            if pool is None or not shares:
                yield from (output.made(failed(i.name, i.problem or "")) for i in batch)
            elif len(shares) == 1:
                yield from _collect(pool, batch, shares[0], output)
            else:
                yield _collect_shares(pool, batch[0], shares, output)

    def close(self) -> None:
        """Stop the workers. Their pool's threads notice within a tenth of a second; they
        are joined in the background rather than waited for here."""
        if self.pool is not None and not self.closed:
            self.closed = True
            self.pool.stop()
            threading.Thread(target=self.pool.join, name="zsync-parse-stop").start()


PARSER_PACKAGES = ("zsync.inputs.notes", "zsync.inputs.exports", "zsync.inputs.vufind")


def load_parsers() -> None:
    """Import every parser (and so everything parsers use) now, for a process that times
    inputs without the guard's care for imports under way (see `_Deadline`)."""
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


def _submit(pool: ProcessPool, batch: Sequence[InputFile],
            output: Output[_R]) -> Future[list[_R]]:
    paths = [i.path for i in batch]
    return pool.schedule(_parse_batch, args=(paths, output.made), timeout=_timeout(batch))


def _shares(batch: Sequence[InputFile], workers: int) -> int:
    """In how many shares the batch is parsed: a large file alone, by every worker."""
    return workers if len(batch) == 1 and _size(batch[0].path) >= SHARE_BYTES else 1


def _submit_shares(pool: ProcessPool, batch: Sequence[InputFile], count: int,
                   output: Output[_R]) -> list[Future[list[_R]]]:
    if count == 1:
        return [_submit(pool, batch, output)]
    path, timeout = batch[0].path, _timeout(batch)
    return [pool.schedule(_parse_share, args=(path, (index, count), output.made),
                          timeout=timeout)
            for index in range(count)]


def _collect_shares(pool: ProcessPool, item: InputFile, shares: list[Future[list[_R]]],
                    output: Output[_R]) -> _R:
    """One file read in shares, merged; read whole when a share failed or none gave a
    record (so that it fails, or is named, as a whole)."""
    try:
        merged = output.merged(item.name,
                               [result for share in shares for result in share.result()])
    except Exception:
        for share in shares:
            share.cancel()
        merged = None
    if merged is not None:
        return merged
    return next(iter(_collect(pool, [item], _submit(pool, [item], output), output)))


def _collect(pool: ProcessPool, batch: list[InputFile], future: Future[list[_R]],
             output: Output[_R]) -> Iterator[_R]:
    try:
        yield from future.result()
        return
    except Exception as exc:  # the worker died or overran: find the culprit alone
        if len(batch) == 1:
            yield output.made(failed(batch[0].name, _failure(exc, batch[0])))
            return
    retries = [(item, _submit(pool, [item], output)) for item in batch]
    for item, retry in retries:
        try:
            yield from retry.result()
        except Exception as exc:
            yield output.made(failed(item.name, _failure(exc, item)))


def _failure(exc: BaseException, item: InputFile) -> str:
    if isinstance(exc, TimeoutError):
        return (f"took longer than {_timeout([item]):.0f} s to read: "
                "stopped (a bug in zsync; the other files were read)")
    return (f"reading it stopped the process parsing it ({type(exc).__name__}: "
            f"{exc}): not read (a bug in zsync; the other files were read)")


# Inside the worker processes.


def _start_worker(allowance: int) -> None:
    """Leave Ctrl-C to the main process; bound this worker's memory. Parsers are imported
    when a file first needs them (see `_Deadline`), so a worker reading BibTeX loads no
    Markdown parser."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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


def _parse_batch(paths: list[Path], made: Callable[[FileResult], _R]) -> list[_R]:
    return [_parse_timed(path, made) for path in paths]


def _parse_share(path: Path, part: tuple[int, int],
                 made: Callable[[FileResult], _R]) -> list[_R]:
    return [_parse_timed(path, made, part)]


def _parse_timed(path: Path, made: Callable[[FileResult], _R],
                 part: tuple[int, int] | None = None) -> _R:
    """The file parsed and its result made under the file's time guard."""
    if not hasattr(signal, "ITIMER_PROF"):  # no timer here: the pool's own timeout holds
        return made(parse_file(path, part))
    seconds = file_seconds(_size(path))
    previous = signal.signal(signal.SIGPROF, _Deadline(seconds))
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        return made(parse_file(path, part))
    except FileTooSlow:
        return made(failed(_name(path), f"took longer than {seconds:.0f} s of processor "
                           "time to read: stopped (a bug in zsync; the other files were read)"))
    except MemoryError:
        return made(failed(_name(path), "needs more memory to read than zsync allows for "
                           "one file: not read"))
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


class _Deadline:
    """What a file's timer does when the file's `seconds` have run out: stop the file,
    unless a module is being imported (a parser, on a worker's first file that needs it).
    An import cut short would leave a half-made module behind for every later file, so it
    is let finish; the first time, the file then gets its `seconds` again (the import was
    not its doing), after that it is stopped as soon as the import is done."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.waited = self.extended = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if _importing(frame):
            self.waited = True
            signal.setitimer(signal.ITIMER_PROF, _IMPORT_WAIT)
            return
        if self.waited and not self.extended:
            self.extended = True
            signal.setitimer(signal.ITIMER_PROF, self.seconds)
            return
        raise FileTooSlow


def _importing(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _name(path: Path) -> str:
    return InputFile(path).name
