"""Record-level cache: one row per (source, id kind, id), never per request batch.

`records.sqlite` under the cache dir holds each answer a source gave for one identifier:
the raw payload text (a Crossref work as JSON, a PubmedArticle as XML, ...), when it was
fetched, and whether the answer was "not found". Found rows live `ttl_days`, not-found rows
`not_found_ttl_days` (a DOI registered tomorrow should not stay unknown for a month).
Because rows are per id, a second run over the same input asks nothing, and one new DOI
among a thousand cached ones costs one request per service. Offline runs also read stale
rows. Payloads pass through `zsync.logs.redact`, so a registered key never lands on disk.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zsync.config.settings import Config
from zsync.logs import redact
from zsync.sources.http_stacks import HTTP_CACHE_FILE

log = logging.getLogger("zsync.cache")

RECORDS_FILE = "records.sqlite"
DAY = 86400.0
_CHUNK = 500
_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    source TEXT NOT NULL,
    id_kind TEXT NOT NULL,
    id TEXT NOT NULL,
    payload TEXT,
    fetched_at REAL NOT NULL,
    not_found INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, id_kind, id)
);
-- Answers by when they were fetched, for what `settled` and `expired_since` read (the
-- payloads, stored before `fetched_at` in each row, are then not read).
CREATE INDEX IF NOT EXISTS records_fetched ON records (fetched_at, not_found);
-- A counter every write to `records` moves, whoever writes, so that `state` is one read;
-- `instance` is drawn once per file, so a file made again never repeats a count.
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    counter INTEGER NOT NULL,
    instance TEXT NOT NULL
);
INSERT OR IGNORE INTO changes (id, counter, instance)
    VALUES (1, 0, lower(hex(randomblob(16))));
"""
_TRIGGERS = {f"records_{event.lower()}_counted": event for event in ("INSERT", "UPDATE", "DELETE")}
_SCHEMA += "".join(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON records BEGIN "
                   "UPDATE changes SET counter = counter + 1; END;\n"
                   for name, event in _TRIGGERS.items())


@dataclass(frozen=True)
class Entry:
    payload: str | None
    fetched_at: float
    not_found: bool


@dataclass(frozen=True)
class CacheInfo:
    path: Path
    size_bytes: int
    counts: dict[str, dict[str, int]]  # source -> {"found": n, "not_found": n}
    http_cache_path: Path
    http_cache_bytes: int


class RecordCache:
    def __init__(
        self,
        directory: Path,
        ttl_days: float = 30,
        not_found_ttl_days: float = 7,
        clock: Callable[[], float] = time.time,
    ) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.path = directory / RECORDS_FILE
        self.ttl = ttl_days * DAY
        self.not_found_ttl = not_found_ttl_days * DAY
        self.clock = clock
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        if not self._has_schema():
            try:
                self._db.executescript(f"BEGIN IMMEDIATE;\n{_SCHEMA}COMMIT;")
            except sqlite3.Error:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _has_schema(self) -> bool:
        """Whether the file holds all of `_SCHEMA` already (then opening it writes nothing)."""
        made = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master")}
        if not made >= {"records", "records_fetched", "changes", *_TRIGGERS}:
            return False
        return self._db.execute("SELECT 1 FROM changes WHERE id = 1").fetchone() is not None

    @classmethod
    def from_config(cls, config: Config) -> RecordCache:
        return cls(
            config.cache_dir(), config.cache.ttl_days, config.cache.not_found_ttl_days
        )

    def get_many(
        self, source: str, id_kind: str, ids: Iterable[str], *, allow_stale: bool = False
    ) -> dict[str, Entry]:
        """The cached entries among `ids` (fresh ones only unless `allow_stale`)."""
        found: dict[str, Entry] = {}
        for key, payload, fetched_at, not_found in self._rows(
            "id, payload, fetched_at, not_found", source, id_kind, ids
        ):
            entry = Entry(payload, fetched_at, bool(not_found))
            if allow_stale or self._fresh(entry):
                found[key] = entry
        return found

    def fetched_times(self, source: str, id_kind: str, ids: Iterable[str]) -> dict[str, float]:
        """When each cached answer among `ids` was fetched (epoch seconds), payloads unread."""
        return dict(self._rows("id, fetched_at", source, id_kind, ids))

    def _rows(
        self, columns: str, source: str, id_kind: str, ids: Iterable[str]
    ) -> Iterator[tuple[Any, ...]]:
        """`columns` of the rows for `ids`, asked in chunks SQLite's parameter limit allows."""
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = (f"SELECT {columns} FROM records "
                   f"WHERE source = ? AND id_kind = ? AND id IN ({marks})")
            with self._lock:
                rows = self._db.execute(sql, (source, id_kind, *chunk)).fetchall()
            yield from rows

    def get(
        self, source: str, id_kind: str, key: str, *, allow_stale: bool = False
    ) -> Entry | None:
        return self.get_many(source, id_kind, [key], allow_stale=allow_stale).get(key)

    def _fresh(self, entry: Entry) -> bool:
        ttl = self.not_found_ttl if entry.not_found else self.ttl
        return self.clock() - entry.fetched_at < ttl

    def state(self) -> str:
        """What changes whenever an answer is stored, replaced or deleted (for
        `sync.lastrun`): the file's change counter, one row read."""
        with self._lock:
            row = self._db.execute("SELECT instance, counter FROM changes").fetchone()
        return f"{row[0]}:{row[1]}"

    def settled(self, since: float) -> str:
        """The answers stored at or before `since`, as a digest: it changes when one of
        them is replaced or deleted, not when new ones are stored."""
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*), TOTAL(fetched_at), TOTAL(not_found) FROM records "
                "WHERE fetched_at <= ?", (since,)).fetchone()
        return repr(tuple(row))

    def expired_since(self, since: float) -> bool:
        """Has an answer that was fresh at `since` (epoch seconds) become stale by now?"""
        now = self.clock()
        return any(self._expired(not_found, ttl, since, now)
                   for not_found, ttl in ((0, self.ttl), (1, self.not_found_ttl)))

    def _expired(self, not_found: int, ttl: float, since: float, now: float) -> bool:
        """Whether an answer of that kind went stale between `since` and `now`; only the
        answers fetched about `ttl` before are read (the index's range holds a second more
        on each side, so rounding never leaves one out)."""
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM records WHERE fetched_at > ? AND fetched_at <= ? AND "
                "not_found = ? AND fetched_at + ? > ? AND fetched_at + ? <= ? LIMIT 1",
                (since - ttl - 1, now - ttl + 1, not_found, ttl, since, ttl, now)).fetchone()
        return row is not None

    def put_many(self, source: str, id_kind: str, items: Mapping[str, str | None]) -> None:
        """Store answers; a value of None records "not found"."""
        now = self.clock()
        rows = [(source, id_kind, key, _clean(payload), now, int(payload is None))
                for key, payload in items.items()]
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)", rows
            )
            self._db.execute("COMMIT")

    def put(self, source: str, id_kind: str, key: str, payload: str | None) -> None:
        self.put_many(source, id_kind, {key: payload})

    def info(self) -> CacheInfo:
        counts: dict[str, dict[str, int]] = {}
        with self._lock:
            rows = self._db.execute(
                "SELECT source, not_found, COUNT(*) FROM records GROUP BY source, not_found"
            ).fetchall()
        for source, not_found, count in rows:
            counts.setdefault(source, {"found": 0, "not_found": 0})
            counts[source]["not_found" if not_found else "found"] += count
        http_path = self.directory / HTTP_CACHE_FILE
        return CacheInfo(self.path, _size(self.path), counts, http_path, _size(http_path))

    def clear(self, source: str | None = None) -> int:
        """Delete rows (of one source, or all plus the HTTP cache); returns rows deleted."""
        with self._lock:
            if source is None:
                deleted = self._db.execute("DELETE FROM records").rowcount
            else:
                deleted = self._db.execute(
                    "DELETE FROM records WHERE source = ?", (source,)
                ).rowcount
            self._db.execute("VACUUM")
        if source is None:
            self.clear_http()
        return int(deleted)

    def clear_http(self) -> None:
        """Delete the requests-cache HTTP cache file (responses behind the record cache)."""
        for suffix in ("", "-wal", "-shm"):
            (self.directory / (HTTP_CACHE_FILE + suffix)).unlink(missing_ok=True)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _clean(payload: str | None) -> str | None:
    if payload is None:
        return None
    cleaned = redact(payload)
    if cleaned != payload:
        log.warning("a secret was masked in a payload before caching it")
    return cleaned


def _size(path: Path) -> int:
    total = 0
    for suffix in ("", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        total += candidate.stat().st_size if candidate.exists() else 0
    return total
