"""zsync's local state: a SQLite database next to a lock file.

    store = StateStore.open(config.state_path())
    store.select_library("users/123")          # or ("users/0", server_id) for the local API
    store.mirror.get_item("ABCD2345")
    store.intents.pending()

The parts: `mirror` (items, collections, library version), `intents` (write-ahead log of
batches), `runs`, `written` (what zsync last wrote to each item), `origins` (where each
item came from), `not_duplicates` and `conflicts`. The schema is versioned; see
`state_schema.MIGRATIONS`. `RunLock` keeps two runs from using the same state at once.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from zsync.config.settings import Config
from zsync.errors import UsageError
from zsync.state.db import Db, StateError, connect
from zsync.state.journal import Intent, IntentObject, Intents, Run, Runs
from zsync.state.mirror import Mirror, MirrorCollection, MirrorItem
from zsync.state.records import (
    Conflict,
    Conflicts,
    NotDuplicates,
    Origin,
    Origins,
    Written,
    WrittenLog,
)
from zsync.state.schema import StateSchemaError, current_version

log = logging.getLogger("zsync.state")

__all__ = [
    "Conflict", "Intent", "IntentObject", "LockHeld", "MirrorCollection", "MirrorItem",
    "Origin", "Run", "RunLock", "StateError", "StateSchemaError", "StateStore", "Written",
]


class StateStore:
    """The state database, split into small typed parts sharing one connection."""

    def __init__(self, db: Db) -> None:
        self.db = db
        self.mirror = Mirror(db)
        self.intents = Intents(db)
        self.runs = Runs(db)
        self.written = WrittenLog(db)
        self.origins = Origins(db)
        self.not_duplicates = NotDuplicates(db)
        self.conflicts = Conflicts(db)

    @classmethod
    def open(cls, path: Path) -> StateStore:
        """Open (creating folders and tables as needed) and migrate to the latest schema.

        A state file that is not a readable database, or one a newer zsync wrote, is set
        aside (renamed, never deleted) and a new one started: everything zsync needs to be
        safe is also in the library, and the next sync rebuilds the rest from there."""
        try:
            return cls(Db(connect(path), path))
        except (sqlite3.DatabaseError, StateSchemaError) as exc:
            if not _unusable(exc):
                if isinstance(exc, StateError) or "full" in str(exc).lower():
                    raise  # a failed migration, or a full disk: said as such
                raise _unopenable(path, exc) from exc
            aside = set_aside(path)
            log.warning("the state file %s could not be used (%s); it was set aside as %s "
                        "and zsync starts a new one from the library", path, exc, aside.name)
            return cls(Db(connect(path), path))

    @classmethod
    def from_config(cls, config: Config) -> StateStore:
        return cls.open(config.state_path())

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def schema_version(self) -> int:
        return current_version(self.db.conn)

    def planning_changes(self) -> str:
        """Moves whenever anything the sync planner reads from this file was written (the
        mirror, what zsync wrote, where items came from, kept-apart pairs, conflicts),
        by any writer; never repeats for another state file."""
        return self.db.counter("planning")

    def records_changes(self) -> str:
        """Moves whenever zsync's own records (not the mirror) were written: what it
        wrote, where items came from, kept-apart pairs, conflicts."""
        return self.db.counter("records")

    def select_library(self, library: str, server_id: str = "") -> int:
        """Work on `library` ("users/123", "groups/9"); local-API data is kept per server id."""
        return self.db.select_library(library, server_id)

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """`with store.transaction():` groups several writes into one commit."""
        return self.db.tx()

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class LockHeld(UsageError):
    """Another zsync run holds the lock on this state database."""


class RunLock:
    """An exclusive lock file next to the state database (`<state>.lock`).

    Use as a context manager around a whole run; a second run fails at once with
    `LockHeld` instead of waiting.
    """

    def __init__(self, state_path: Path) -> None:
        state_path.parent.mkdir(parents=True, exist_ok=True)
        self.state_path = state_path
        self.path = state_path.with_name(state_path.name + ".lock")
        self._lock = FileLock(str(self.path), timeout=0)

    def acquire(self) -> RunLock:
        try:
            self._lock.acquire()
        except Timeout:
            raise LockHeld(
                f"another zsync run is using {self.state_path}; wait for it to "
                f"finish (lock file: {self.path})"
            ) from None
        return self

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _unopenable(path: Path, exc: Exception) -> StateError:
    """A state file SQLite cannot open (a folder, unreadable, read-only), named."""
    why = "it is a folder, not a file" if path.is_dir() else str(exc)
    return StateError(f"the state file {path} cannot be opened ({why}): make it and its "
                      "folder readable and writable, or choose another with state.path "
                      "or ZSYNC_STATE")


def _unusable(exc: Exception) -> bool:
    if isinstance(exc, StateSchemaError):
        return "newer" in str(exc)
    text = str(exc).lower()
    return any(w in text for w in ("not a database", "malformed", "file is encrypted",
                                   "database disk image"))


def set_aside(path: Path) -> Path:
    """Rename the state file (and SQLite's companions) out of the way; returns its new path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.unusable-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            companion.replace(Path(f"{aside}{suffix}"))
    return aside
