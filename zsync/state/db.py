"""The state database connection shared by the state store's parts.

`Db` owns the SQLite connection (autocommit mode, WAL, synchronous=FULL), the transaction
helper and the library the store is working on. Every write goes through `tx()`, which
commits before returning: a write that protects an HTTP request is on disk before the
request is sent.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from zsync.errors import StateError
from zsync.state.schema import migrate, now


def dumps(value: Any) -> str:
    """Stable JSON text for storage."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def select_in(execute: Callable[[str, tuple[Any, ...]], Iterable[Any]], sql: str,
              params: tuple[Any, ...], keys: Iterable[str], chunk: int = 500) -> Iterator[Any]:
    """The rows of `sql` (ending in `... IN`) for `keys`, asked in chunks SQLite's
    parameter limit allows; `params` come before the keys."""
    wanted = list(dict.fromkeys(keys))
    for start in range(0, len(wanted), chunk):
        part = wanted[start:start + chunk]
        yield from execute(f"{sql} ({','.join('?' * len(part))})", (*params, *part))


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating parent folders) and bring the schema up to date."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=10.0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(conn)
    return conn


class Db:
    """A connection, nested-safe transactions and the selected library's row id."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._depth = 0
        self._library_id: int | None = None

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One transaction; nested uses join the outermost one, which commits on exit."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0
        self.conn.execute("COMMIT")

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    @property
    def library_id(self) -> int:
        if self._library_id is None:
            raise StateError("no library selected in the state store (call select_library)")
        return self._library_id

    def select_library(self, library: str, server_id: str = "") -> int:
        """Use `library` ("users/123", "groups/9") as seen through `server_id` ('' = web)."""
        with self.tx():
            self.execute(
                "INSERT OR IGNORE INTO libraries (library, server_id) VALUES (?, ?)",
                (library, server_id),
            )
            row = self.execute(
                "SELECT id FROM libraries WHERE library = ? AND server_id = ?",
                (library, server_id),
            ).fetchone()
        self._library_id = int(row["id"])
        return self._library_id

    def counter(self, name: str) -> str:
        """A change counter the schema's triggers move ("planning", "records"), with the
        database's own instance, so that two databases never give the same value."""
        row = self.execute("SELECT instance, counter FROM changes WHERE name = ?",
                           (name,)).fetchone()
        return f"{row[0]}:{row[1]}"

    def stamp(self) -> str:
        return now()
