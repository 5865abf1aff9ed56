"""Which input files changed since the last run, told by a `stat` of each file rather
than by reading it.

Per input file the index keeps the stat that identifies its content (size, modification
and change times in nanoseconds, inode and device), the digest its bytes gave when it was
last read (`filecache.file_digest`) and the code fingerprint that digest was made with.
A file whose stat and fingerprint match its row is not opened again: its digest is the
one kept.

As git does with its index, a row is trusted only when the file's modification time is
safely older than the moment the row was made ("racy" otherwise): a file written within
the timestamp granularity of that moment could have changed again without its stat
moving. Such a file is read every time until its modification time is `RACY_NS` older
than the row, and the run that reads it then keeps it as settled.

Rows live in the `file_stats` table of the cache folder's `parsed.sqlite`, by input
(each file or folder named on the command line) and path, both as the file system's
bytes; a scan of an input drops the rows of that input's files it no longer found, and
the rows of inputs not scanned for `KEEP_SECONDS` are dropped. The table is disposable.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import struct
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

KEEP_SECONDS = 30 * 86400
RACY_NS = 2_000_000_000
# A scanned input's last use is written again only when older than this (a run that
# found nothing changed then writes nothing).
_TOUCH_NS = 86400 * 1_000_000_000


_STAMP = struct.Struct("<qqqQQ")
_FS_ENCODING = (sys.getfilesystemencoding(), sys.getfilesystemencodeerrors())


def stamp_of(info: os.stat_result) -> bytes | str:
    """What a file's stat says of its content: any write, replacement or metadata change
    moves at least one of these (size, modification and change times, inode, device).

    Packed in 40 bytes; as text where a value does not fit. Rows made before stamps were
    packed hold text of the same values, which a packed stamp never equals: such a file
    is read once more."""
    try:
        return _STAMP.pack(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino,
                           info.st_dev)
    except struct.error:
        return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:" \
               f"{info.st_dev}"


def settled(mtime_ns: int, recorded_ns: int) -> bool:
    """Whether a file modified at `mtime_ns` could not have changed unseen since a row
    made at `recorded_ns` (its modification time is not within `RACY_NS` of it)."""
    return mtime_ns < recorded_ns - RACY_NS


class Row(NamedTuple):
    stamp: bytes | str
    fingerprint: bytes
    digest: str
    recorded_ns: int


# A row as read: (path, stamp, whether this code made it, digest, recorded_ns).
_Read = tuple[bytes, bytes | str, int, str, int]


def _key(path: Path | str) -> bytes:
    """`os.fsencode(path)`, without its cost for text."""
    return path.encode(*_FS_ENCODING) if isinstance(path, str) else os.fsencode(path)


class StatIndex:
    """The `file_stats` rows of the inputs being scanned, read once; new rows and the
    rows that vouched for a file are kept until `save`.

    Rows are held by input, then by path, so that a file is looked up with the bytes of
    its path alone; a file that vouches is only marked, and what was not marked is gone
    when the index is saved."""

    def __init__(self, db: sqlite3.Connection, fingerprint: bytes,
                 scopes: Sequence[Path | str]) -> None:
        self.db = db
        self.fingerprint = fingerprint
        self.now_ns = time.time_ns()  # before any file is looked at: see `settled`
        self.scopes = list(dict.fromkeys(_key(s) for s in scopes))
        db.execute("""CREATE TABLE IF NOT EXISTS file_stats (
            scope BLOB NOT NULL, path BLOB NOT NULL, stamp TEXT NOT NULL,
            fingerprint BLOB NOT NULL, digest TEXT NOT NULL, recorded_ns INTEGER NOT NULL,
            PRIMARY KEY (scope, path))""")
        db.execute("""CREATE TABLE IF NOT EXISTS file_stat_scopes (
            scope BLOB PRIMARY KEY, used_ns INTEGER NOT NULL)""")
        self.rows: dict[bytes, dict[bytes, _Read]] = {
            scope: {row[0]: row for row in db.execute(
                "SELECT path, stamp, fingerprint = ?, digest, recorded_ns FROM file_stats "
                "WHERE scope = ?", (fingerprint, scope))}
            for scope in self.scopes}
        self.used: dict[bytes, int] = {}
        if self.scopes:
            marks = ",".join("?" * len(self.scopes))
            self.used = {s: u for s, u in db.execute(
                f"SELECT scope, used_ns FROM file_stat_scopes WHERE scope IN ({marks})",
                self.scopes)}
        # Per input, the paths whose rows vouched for a file, or that are new.
        self.kept: dict[bytes, set[bytes]] = {scope: set() for scope in self.scopes}
        self.new: dict[tuple[bytes, bytes], Row] = {}
        self._inputs: dict[Path | str, tuple[bytes, dict[bytes, _Read], set[bytes]]] = {}

    def digest(self, scope: Path | str, path: Path | str,
               info: os.stat_result) -> str | None:
        """The digest kept for `path` when its row vouches for the file as `info` shows it
        (a regular file, the same stat, the same code, not racy); None: read it."""
        _, rows, kept = self._input(scope)
        key = _key(path)
        row = rows.get(key)
        if (row is None or not stat.S_ISREG(info.st_mode) or row[1] != stamp_of(info)
                or not row[2] or not settled(info.st_mtime_ns, row[4])):
            return None
        kept.add(key)
        return row[3]

    def record(self, scope: Path | str, path: Path | str, info: os.stat_result,
               digest: str) -> None:
        """Keep `digest` as the digest of `path` for as long as its stat stays `info`
        (taken before the file was read, and found again after)."""
        scope_key, _, kept = self._input(scope)
        key = _key(path)
        kept.add(key)
        self.new[scope_key, key] = Row(stamp_of(info), self.fingerprint, digest, self.now_ns)

    def _input(self, scope: Path | str) -> tuple[bytes, dict[bytes, _Read], set[bytes]]:
        """The key of the input `scope`, its rows and the paths kept of it."""
        found = self._inputs.get(scope)
        if found is None:
            key = _key(scope)
            found = self._inputs[scope] = (key, self.rows.get(key, {}),
                                           self.kept.setdefault(key, set()))
        return found

    def save(self) -> None:
        """Write the new rows; drop the rows of the scanned inputs that did not vouch for
        a file (gone, or no longer as recorded) and the rows of inputs not scanned for
        `KEEP_SECONDS`. Nothing is written when nothing changed."""
        gone = [(scope, path) for scope, rows in self.rows.items()
                for path in rows.keys() - self.kept.get(scope, set())]
        stale = [s for s in self.scopes if self.used.get(s, 0) < self.now_ns - _TOUCH_NS]
        if not (self.new or gone or stale):
            return
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO file_stats (scope, path, stamp, fingerprint, digest, "
                "recorded_ns) VALUES (?, ?, ?, ?, ?, ?)",
                [(*key, r.stamp, r.fingerprint, r.digest, r.recorded_ns)
                 for key, r in self.new.items()])
            self.db.executemany("DELETE FROM file_stats WHERE scope = ? AND path = ?", gone)
            self.db.executemany("INSERT OR REPLACE INTO file_stat_scopes (scope, used_ns) "
                                "VALUES (?, ?)", [(s, self.now_ns) for s in stale])
            cutoff = self.now_ns - KEEP_SECONDS * 1_000_000_000
            self.db.execute("DELETE FROM file_stats WHERE scope IN "
                            "(SELECT scope FROM file_stat_scopes WHERE used_ns < ?)", (cutoff,))
            self.db.execute("DELETE FROM file_stat_scopes WHERE used_ns < ?", (cutoff,))
        for (scope, path), r in self.new.items():
            self.rows.setdefault(scope, {})[path] = (path, r.stamp, 1, r.digest, r.recorded_ns)
        for scope, path in gone:
            del self.rows[scope][path]
        self.used.update((s, self.now_ns) for s in stale)
        self.new.clear()
