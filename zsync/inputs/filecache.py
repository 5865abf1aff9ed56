"""Parsed input files and rendered child notes kept between runs, so a run parses and
renders only what changed.

A file's parse result depends on its path, its bytes and the code that parsed it, so the
result is kept under a digest of all three: the file's path and content, zsync's own
source and the versions of the libraries it runs on. A file whose digest is unchanged
gives back exactly what parsing it again would give; any other file is parsed again. The
cache is a disposable SQLite file in the cache folder (`zsync sync --full` ignores it);
rows not used for 30 days are dropped.

The files to parse are parsed in the guard's worker processes (`guard`), which also render
their records' child notes (`render_note`) and send both back; the rendered notes are kept
with the others, so the run finds them made. A sync starts that parse as soon as its walk
has read the changed files (`parse_ahead`): the workers start, load their parsers and read
while the run goes on, and `parse_paths_cached` takes what they read.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, TypeVar, cast

from zsync.inputs.decoding import UnreadableInput
from zsync.inputs.files import (
    InputFile,
    Scan,
    display_name,
    iter_input_files,
    iter_input_paths,
    read_input,
)
from zsync.inputs.filestat import StatIndex, stamp_of
from zsync.inputs.fingerprint import code_fingerprint, remember_fingerprint
from zsync.model.patterns import lazy
from zsync.model.records import FileResult
from zsync.zotero.notehtml import render_note

if TYPE_CHECKING:
    from zsync.inputs.guard import Output, Parsing

PARSED_FILE = "parsed.sqlite"
KEEP_SECONDS = 30 * 86400
log = logging.getLogger("zsync.filecache")
T = TypeVar("T")


def file_digest(path: str | Path, data: bytes) -> str:
    return hashlib.sha256(code_fingerprint() + os.fsencode(path) + b"\0" + data).hexdigest()


def note_digest(markdown: str, source: str) -> str:
    """What a rendered child note is kept under: its Markdown, its source name and zsync's
    code (see `code_fingerprint`)."""
    return hashlib.sha256(code_fingerprint() + source.encode() + b"\0"
                          + markdown.encode("utf-8", "surrogatepass")).hexdigest()


class ParseCache:
    """Parse results by file path, each valid for one digest (see `file_digest`)."""

    def __init__(self, directory: Path, *, threads: bool = False) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / PARSED_FILE
        if not self.path.exists():
            self.path.touch(mode=0o600)
        _only_yours(self.path)
        self.db = sqlite3.connect(self.path, check_same_thread=not threads)
        self.db.execute("""CREATE TABLE IF NOT EXISTS parsed (
            path TEXT PRIMARY KEY, digest TEXT NOT NULL, result BLOB NOT NULL,
            used_at REAL NOT NULL)""")
        _expiry_index(self.db, "parsed")
        self.now = time.time()

    def get(self, path: Path, digest: str) -> FileResult | None:
        row = self.db.execute("SELECT digest, result FROM parsed WHERE path = ?",
                              (display_name(path),)).fetchone()
        if row is None or row[0] != digest:
            return None
        try:
            result = pickle.loads(row[1])
        except Exception:  # written by another zsync: parse again
            return None
        return result if isinstance(result, FileResult) else None

    def has(self, path: Path, digest: str) -> bool:
        """Whether a result is kept for this file at this digest (nothing is unpickled)."""
        row = self.db.execute("SELECT 1 FROM parsed WHERE path = ? AND digest = ?",
                              (display_name(path), digest)).fetchone()
        return row is not None

    def rendered_table(self) -> None:
        self.db.execute("""CREATE TABLE IF NOT EXISTS rendered (
            digest TEXT PRIMARY KEY, html TEXT NOT NULL, used_at REAL NOT NULL)""")
        _expiry_index(self.db, "rendered")

    def put_rendered(self, rows: Iterable[tuple[str, str]]) -> None:
        """Keep child notes rendered elsewhere (in the parse's workers), by `note_digest`."""
        self.rendered_table()
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO rendered (digest, html, used_at) "
                                "VALUES (?, ?, ?)", [(d, h, self.now) for d, h in rows])

    def put_all(self, rows: Iterable[tuple[Path, str, FileResult]], seen: Iterable[Path]) -> None:
        """Keep new results, mark the files seen in this run as used, drop old rows."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO parsed (path, digest, result, used_at) "
                "VALUES (?, ?, ?, ?)",
                [(display_name(p), d, pickle.dumps(r, pickle.HIGHEST_PROTOCOL), self.now)
                 for p, d, r in rows])
            self.db.executemany("UPDATE parsed SET used_at = ? WHERE path = ?",
                                [(self.now, display_name(p)) for p in seen])
            self.db.execute("DELETE FROM parsed WHERE used_at < ?", (self.now - KEEP_SECONDS,))

    def close(self) -> None:
        self.db.close()


def _only_yours(path: Path) -> None:
    """Results are kept with pickle, which runs code when loading: a cache file that
    another user owns or may write to is not used."""
    if not hasattr(os, "getuid"):
        return
    for where in (path, path.parent):
        info = where.stat()
        writable_by_others = info.st_mode & (0o022 if where == path else 0o002)
        if info.st_uid != os.getuid() or writable_by_others:
            raise PermissionError(f"{where} is not yours alone")


class RenderedNotes:
    """notehtml.render_note with its earlier answers kept in the cache's `rendered` table,
    by a digest of the note, its source name and zsync's code (see `code_fingerprint`)."""

    def __init__(self, directory: Path) -> None:
        self.cache = ParseCache(directory)
        self.cache.rendered_table()
        self.new: dict[str, str] = {}
        self.used: list[str] = []

    def __call__(self, markdown: str, source: str) -> str:
        digest = note_digest(markdown, source)
        row = self.cache.db.execute("SELECT html FROM rendered WHERE digest = ?",
                                    (digest,)).fetchone()
        if row is not None:
            self.used.append(digest)
            return str(row[0])
        html = self.new[digest] = render_note(markdown, source)
        return html

    def save(self) -> None:
        """Keep the new answers, mark the used ones, drop those unused for 30 days."""
        now, db = self.cache.now, self.cache.db
        with db:
            db.executemany("INSERT OR REPLACE INTO rendered (digest, html, used_at) "
                           "VALUES (?, ?, ?)", [(d, h, now) for d, h in self.new.items()])
            db.executemany("UPDATE rendered SET used_at = ? WHERE digest = ?",
                           [(now, d) for d in self.used])
            db.execute("DELETE FROM rendered WHERE used_at < ?", (now - KEEP_SECONDS,))

    def close(self) -> None:
        _closed(self.cache)


@contextlib.contextmanager
def rendered_notes(directory: Path) -> Iterator[Callable[[str, str], str]]:
    """A renderer that reuses earlier answers, or render_note itself when the cache cannot
    be used; new answers are kept when the block ends without an error."""
    try:
        memo = RenderedNotes(directory)
    except (OSError, sqlite3.Error) as exc:
        log.warning("rendering every note: the cache of rendered notes cannot be used (%s)", exc)
        yield render_note
        return
    guarded = _Guarded(memo)
    try:
        yield guarded
    finally:
        if not guarded.failed:
            try:
                memo.save()
            except sqlite3.Error as exc:
                log.warning("the cache of rendered notes could not be updated (%s)", exc)
        memo.close()


class _Guarded:
    """Falls back to render_note for good when the cache fails mid-run."""

    def __init__(self, memo: RenderedNotes) -> None:
        self.memo = memo
        self.failed = False

    def __call__(self, markdown: str, source: str) -> str:
        if not self.failed:
            try:
                return self.memo(markdown, source)
            except sqlite3.Error as exc:
                log.warning("rendering every note: the cache of rendered notes failed (%s)",
                            exc)
                self.failed = True
        return render_note(markdown, source)


class MappedRecords:
    """Records mapped from the sources' answers (a PubMed article's XML, a Crossref work),
    kept in the cache's `mapped` table by a digest of the answer's text and zsync's code
    (see `code_fingerprint`), so an answer read again from the record cache is not mapped
    again. Safe to call from the enrichment's worker threads."""

    def __init__(self, directory: Path) -> None:
        self.cache = ParseCache(directory, threads=True)
        self.cache.db.execute("""CREATE TABLE IF NOT EXISTS mapped (
            digest TEXT PRIMARY KEY, record BLOB NOT NULL, used_at REAL NOT NULL)""")
        _expiry_index(self.cache.db, "mapped")
        self.lock = threading.Lock()
        self.new: dict[str, bytes] = {}
        self.used: list[str] = []
        self.failed = False

    def __call__(self, kind: str, text: str, make: Callable[[], T]) -> T:
        digest = hashlib.sha256(code_fingerprint() + kind.encode() + b"\0"
                                + text.encode("utf-8", "surrogatepass")).hexdigest()
        with self.lock:
            row = self._row(digest)
        if row is not None:
            try:
                kept = pickle.loads(row)
            except Exception:  # written by another zsync: map again
                kept = None
            else:
                with self.lock:
                    self.used.append(digest)
                return cast(T, kept)
        made = make()
        with self.lock:
            self.new[digest] = pickle.dumps(made, pickle.HIGHEST_PROTOCOL)
        return made

    def _row(self, digest: str) -> bytes | None:
        if self.failed:
            return None
        try:
            row = self.cache.db.execute("SELECT record FROM mapped WHERE digest = ?",
                                        (digest,)).fetchone()
        except sqlite3.Error as exc:
            log.warning("mapping every answer: the cache of mapped records failed (%s)", exc)
            self.failed = True
            return None
        return None if row is None else bytes(row[0])

    def save(self) -> None:
        """Keep the new records, mark the used ones, drop those unused for 30 days."""
        now, db = self.cache.now, self.cache.db
        with db:
            db.executemany("INSERT OR REPLACE INTO mapped (digest, record, used_at) "
                           "VALUES (?, ?, ?)", [(d, r, now) for d, r in self.new.items()])
            db.executemany("UPDATE mapped SET used_at = ? WHERE digest = ?",
                           [(now, d) for d in self.used])
            db.execute("DELETE FROM mapped WHERE used_at < ?", (now - KEEP_SECONDS,))


@contextlib.contextmanager
def mapped_records(directory: Path) -> Iterator[MappedRecords | None]:
    """A `MappedRecords` over the cache folder (None when it cannot be used); what it
    mapped is kept when the block ends without an error."""
    try:
        memo = MappedRecords(directory)
    except (OSError, sqlite3.Error) as exc:
        log.warning("mapping every answer: the cache of mapped records cannot be used (%s)",
                    exc)
        yield None
        return
    try:
        yield memo
        if not memo.failed:
            try:
                memo.save()
            except sqlite3.Error as exc:
                log.warning("the cache of mapped records could not be updated (%s)", exc)
    finally:
        _closed(memo.cache)


def _expiry_index(db: sqlite3.Connection, table: str) -> None:
    """An index on when each row was last used: dropping the rows unused for a while then
    reads only those, not every row of a large vault's cache at every run."""
    db.execute(f"CREATE INDEX IF NOT EXISTS {table}_used_at ON {table} (used_at)")


def open_cache(directory: Path) -> ParseCache | None:
    """The cache in `directory`, or None (and parse everything) when it cannot be opened."""
    try:
        return ParseCache(directory)
    except (OSError, sqlite3.Error) as exc:
        log.warning("parsing every note: the cache of parsed notes cannot be used (%s)", exc)
        return None


def input_digests(paths: Iterable[str | Path], exclude: Sequence[str] = (), *,
                  cache_dir: Path | None = None,
                  read_out: list[str] | None = None) -> list[tuple[str, str]]:
    """Each input file `parse_paths` would read, found the same way, with the digest of
    its path and content (see `file_digest`), or why it cannot be read.

    With `cache_dir`, a file whose stat has not moved since an earlier run had it read
    is not opened: its digest is taken from the stat index there (`filestat`); the
    answer is the same. `read_out` receives the paths of the files that had to be read
    (special and unreadable files are tried again on every run)."""
    roots = list(paths)
    scan = Scan()
    inputs = [(str(root), where, problem) for root in roots
              for where, problem in iter_input_paths([root], exclude, scan)]
    index = _stat_index(cache_dir, roots)
    digests = _Digests(None if index is None else index.index)
    entries = [digests.entry_at(scope, where, problem)[0] for scope, where, problem in inputs]
    if index is not None:
        index.save()
    if read_out is not None:
        read_out.extend(digests.read)
    return entries


def _scoped_inputs(roots: Sequence[str | Path], exclude: Sequence[str],
                   scan: Scan) -> list[tuple[str, InputFile]]:
    """`iter_input_files` of `roots`, each file with the root it was found under."""
    return [(str(root), item) for root in roots
            for item in iter_input_files([root], exclude, scan)]


def _digest_entry(item: InputFile) -> tuple[tuple[str, str], bytes | None]:
    """(path, digest or why there is none), and the file's content when it was read."""
    return _digest_at(str(item.path), item.problem)


def _digest_at(where: str, problem: str | None) -> tuple[tuple[str, str], bytes | None]:
    """`_digest_entry` of the file at `where` (the text of its path)."""
    if problem is not None:
        return (where, f"problem: {problem}"), None
    try:
        data = read_input(where)
    except (OSError, UnreadableInput) as exc:
        return (where, f"unreadable: {type(exc).__name__} {exc}"), None
    return (where, file_digest(where, data)), data


class _Digests:
    """`_digest_entry` of each file, taken from the stat index when it vouches for the
    file; a file read whose stat did not move while it was read is kept in the index."""

    def __init__(self, index: StatIndex | None) -> None:
        self.index = index
        self.read: list[str] = []

    def entry(self, scope: str, item: InputFile) -> tuple[tuple[str, str], bool]:
        """(path, digest or why there is none), and whether it is a digest of content."""
        return self.entry_at(scope, str(item.path), item.problem)

    def entry_at(self, scope: str, where: str,
                 problem: str | None) -> tuple[tuple[str, str], bool]:
        """`entry` of the file at `where` (the text of its path)."""
        if problem is not None:
            return _digest_at(where, problem)[0], False
        before = _stat(where) if self.index is not None else None
        if self.index is not None and before is not None:
            known = self.index.digest(scope, where, before)
            if known is not None:
                return (where, known), True
        self.read.append(where)
        entry, data = _digest_at(where, None)
        if self.index is not None and before is not None and data is not None:
            after = _stat(where)
            if after is not None and stamp_of(after) == stamp_of(before):
                self.index.record(scope, where, before, entry[1])
        return entry, data is not None


def _stat(path: str | Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None


class _OpenIndex:
    """A `StatIndex` and the cache connection it lives in; `save` writes it and closes
    the connection, and turns a failure into a warning."""

    def __init__(self, store: ParseCache, index: StatIndex) -> None:
        self.store, self.index = store, index

    def save(self) -> None:
        try:
            self.index.save()
        except sqlite3.Error as exc:
            _warn_once(f"the index of file stats could not be updated ({exc})")
        _closed(self.store)


def _stat_index(cache_dir: Path | None, roots: Sequence[str | Path]) -> _OpenIndex | None:
    """The stat index in `cache_dir`, or None (and every file is read) when there is no
    cache folder or it cannot be used."""
    if cache_dir is None:
        return None
    try:
        store = ParseCache(cache_dir)
    except (OSError, sqlite3.Error) as exc:
        _warn_once(f"reading every note: the cache folder's index of file stats cannot be "
                   f"used ({exc})")
        return None
    index = _index_in(store, roots)
    if index is None:
        _closed(store)
        return None
    return _OpenIndex(store, index)


def _index_in(store: ParseCache, roots: Sequence[str | Path]) -> StatIndex | None:
    remember_fingerprint(store.db)
    try:
        return StatIndex(store.db, code_fingerprint(), [str(r) for r in roots])
    except sqlite3.Error as exc:
        _warn_once(f"reading every note: the cache folder's index of file stats cannot be "
                   f"used ({exc})")
        return None


_WARNED: set[str] = set()


def _warn_once(message: str) -> None:
    """A warning about the stat index, once per process (a run) however often the index
    is opened."""
    if message not in _WARNED:
        _WARNED.add(message)
        log.warning("%s", message)


def parse_paths_cached(paths: Iterable[str | Path], directory: Path,
                       workers: int | None = None, exclude: Sequence[str] = (),
                       digests_out: list[tuple[str, str]] | None = None,
                       read_out: list[str] | None = None,
                       ahead: ParsedAhead | None = None,
                       ) -> Iterator[FileResult]:
    """What `files.parse_paths` gives, in the same order, parsing only the files whose
    digest changed since a result was kept for them. Files are found and read as
    `parse_paths` finds and reads them (excludes, special files never opened), and the
    ones to parse go through the same time and memory guard; a file whose stat has not
    moved since it was read is not read again to find its digest (see `input_digests`).
    A file that changed while it was parsed is not kept. `digests_out` receives what
    `input_digests` gives, for the contents the results come from; `read_out` what it
    gives as the files read to find their digests; `ahead`: files whose parse was started
    earlier (`parse_ahead`), taken from there when their digest is still the same.

    The notes of the records parsed are rendered in the same workers and kept with the
    rendered child notes (`rendered_notes` then finds them)."""
    roots = list(paths)
    scan = Scan()
    scoped = _scoped_inputs(roots, exclude, scan)
    inputs = [item for _, item in scoped]
    if scan.summary():
        log.info("%s", scan.summary())
    store = open_cache(directory)
    stats = None if store is None else _index_in(store, roots)
    reader = _Digests(stats)
    results: list[FileResult | None] = [None] * len(inputs)
    digests: dict[int, str] = {}
    entries = [reader.entry(scope, item) for scope, item in scoped]
    if read_out is not None:
        read_out.extend(reader.read)
    for index, item in enumerate(inputs):
        if not entries[index][1]:
            continue  # the guarded parse reports it
        digests[index] = digest = entries[index][0][1]
        if store is not None:
            try:
                results[index] = store.get(item.path, digest)
            except sqlite3.Error as exc:
                log.warning("parsing every note: the cache of parsed notes failed (%s)", exc)
                _closed(store)
                store, stats = None, None
    missing = [i for i, r in enumerate(results) if r is None]
    parsed = _parsed(inputs, missing, digests, ahead, workers)
    for index, done in zip(missing, parsed, strict=True):
        results[index] = done.result
        if index in digests and _digest_entry(inputs[index])[0][1] != digests[index]:
            del digests[index]  # changed while it was parsed: what was parsed is unknown
            entries[index] = ((str(inputs[index].path), "changed while read"), False)
    if digests_out is not None:
        digests_out.extend(entry for entry, _ in entries)
    if store is not None:
        _keep(store, stats, [(inputs[i].path, digests[i], p.result)
                             for i, p in zip(missing, parsed, strict=True) if i in digests],
              [inputs[i].path for i in digests if results[i] is not None])
        _keep_rendered(store, parsed)
        _closed(store)
    yield from (r for r in results if r is not None)


def _parsed(inputs: list[InputFile], missing: list[int], digests: dict[int, str],
            ahead: ParsedAhead | None, workers: int | None) -> list[Parsed]:
    """The `missing` inputs parsed: taken from `ahead` where it parsed them at the same
    digest, the others parsed now."""
    early = {} if ahead is None else {
        i: found for i in missing if i in digests
        and (found := ahead.take(str(inputs[i].path), digests[i])) is not None}
    late = [i for i in missing if i not in early]
    if ahead is not None and late:
        ahead.close()  # its workers are done with what is left: not two pools at once
    now = dict(zip(late, parse_missing([inputs[i] for i in late], workers), strict=True)) \
        if late else {}
    return [early[i] if i in early else now[i] for i in missing]


def _keep(store: ParseCache, stats: StatIndex | None,
          rows: list[tuple[Path, str, FileResult]], seen: list[Path]) -> None:
    """Keep the new parse results and the stat index; a failure is only a warning."""
    try:
        store.put_all(rows, seen)
    except sqlite3.Error as exc:
        log.warning("the cache of parsed notes could not be updated (%s)", exc)
    if stats is not None:
        try:
            stats.save()
        except sqlite3.Error as exc:
            _warn_once(f"the index of file stats could not be updated ({exc})")


def _keep_rendered(store: ParseCache, parsed: list[Parsed]) -> None:
    rows = [(note_digest(record.note, note_source_name(record.origin.path)), html)
            for done in parsed if done.notes is not None
            for record, html in zip(done.result.records, done.notes, strict=True)
            if html is not None]
    if rows:
        try:
            store.put_rendered(rows)
        except sqlite3.Error as exc:
            log.warning("the cache of rendered notes could not be updated (%s)", exc)


@dataclass(frozen=True)
class Parsed:
    """A file's parse result and, for each of its records, its note as `render_note`
    renders it for the file (None: no note; `notes` None: none rendered)."""

    result: FileResult
    notes: tuple[str | None, ...] | None = None


def note_source_name(origin_path: str) -> str:
    """The source name a note's child note gives (its file's name), as
    `sync.works.contributor_ids` names a file whose name no other file of its work shares."""
    return PurePath(origin_path).name or origin_path


def parse_missing(inputs: Sequence[InputFile], workers: int | None) -> list[Parsed]:
    """Parse the files the cache has no result for, under the guard (`guard`), and render
    their notes."""
    from zsync.inputs.guard import parse_guarded_as

    return list(parse_guarded_as(inputs, _rendering(), workers))


@cache
def _rendering() -> Output[Parsed]:
    """What the guard's workers send back for a file: its `Parsed`."""
    from zsync.inputs.guard import Output

    return Output(_parse_and_render, _merged)


def _parse_and_render(result: FileResult) -> Parsed:
    """In a worker: the file's notes rendered after it was parsed. Rendering is only a
    head start for the run, so a note the renderer fails on, or takes the rest of the file's
    time on, leaves the notes to be rendered later; the parse result stands."""
    from zsync.inputs.guard import FileTooSlow

    try:
        notes = tuple(render_note(r.note, note_source_name(r.origin.path))
                      if r.note.strip() else None for r in result.records)
    except (Exception, FileTooSlow):
        return Parsed(result)
    return Parsed(result, notes)


def _merged(path: str, parts: list[Parsed]) -> Parsed | None:
    """A file read in shares (see `guard`), its shares' notes in the same order."""
    from zsync.inputs.registry import merge_parts

    result = merge_parts(path, [p.result for p in parts])
    if result is None:
        return None
    notes = [p.notes for p in parts]
    return Parsed(result, None if any(n is None for n in notes)
                  else tuple(h for n in notes if n is not None for h in n))


class ParsedAhead:
    """Files being parsed (and their notes rendered) ahead of `parse_paths_cached`, which
    takes them when it finds the same digest; `close` stops the workers (call it in any
    case, when the run is done with it)."""

    def __init__(self, digests: dict[str, str], parsing: Parsing[Parsed]) -> None:
        self.digests = digests
        self.parsing = parsing
        self.done: dict[str, Parsed] | None = None

    def take(self, path: str, digest: str) -> Parsed | None:
        """The file's result when it was parsed ahead at `digest` (waiting for the parse)."""
        if self.digests.get(path) != digest:
            return None
        if self.done is None:
            self.done = dict(zip(self.digests, self.parsing.results(), strict=True))
            self.parsing.close()
        return self.done.get(path)

    def close(self) -> None:
        self.parsing.close()


_DIGEST = lazy(r"[0-9a-f]{64}")


def parse_ahead(digests: Iterable[tuple[str, str]], read: Iterable[str], directory: Path,
                workers: int | None = None) -> ParsedAhead | None:
    """Start parsing, in the guard's workers, the files the walk had to read (`read`:
    `input_digests`'s `read_out`, with `digests` its answer) whose digest the cache in
    `directory` has no result for; None when there is none, or the cache cannot be used.
    The workers start and import their parsers while the caller goes on."""
    wanted = set(read)
    todo = {path: digest for path, digest in digests
            if path in wanted and _DIGEST.fullmatch(digest)}
    if not todo:
        return None
    try:
        store = ParseCache(directory)
    except (OSError, sqlite3.Error):
        return None  # parse_paths_cached says so
    try:
        todo = {p: d for p, d in todo.items() if not store.has(Path(p), d)}
    except sqlite3.Error:
        return None
    finally:
        _closed(store)
    if not todo:
        return None
    from zsync.inputs.guard import Parsing

    return ParsedAhead(todo, Parsing([InputFile(Path(p)) for p in todo], _rendering(), workers))


def _closed(store: ParseCache) -> None:
    with contextlib.suppress(sqlite3.Error):
        store.close()
