"""The write-ahead intent log and the run history.

An intent is one write batch exactly as it will be sent (client-assigned keys, versions),
recorded and committed before the request goes out and marked done only once every object
in the server's answer has been applied to the mirror. A run killed at any point therefore
leaves either nothing sent, or a pending intent that can be re-sent safely: creates carry
`version: 0` (a second create of the same key fails 412) and updates carry the version they
were planned against.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from zsync.state.db import Db, dumps, loads

WriteKind = Literal["create", "update"]
ObjectType = Literal["items", "collections"]
IntentState = Literal["pending", "done", "failed"]


@dataclass(frozen=True)
class IntentObject:
    """One object of a batch: the payload sent, and what the caller attached to it.

    `remember` replaces payload values in what is recorded as written by zsync: Zotero
    replaces whole tag and collection lists, so an update sends the user's own tags and
    collections along, but they must not count as zsync's (it would remove them later).
    """

    data: dict[str, Any]
    fingerprint: str = ""
    ref: str = ""
    remember: dict[str, Any] | None = None

    @property
    def written(self) -> dict[str, Any]:
        """The values zsync counts as its own once this object is written."""
        return {**self.data, **(self.remember or {})}

    def to_json(self) -> dict[str, Any]:
        out = {"data": self.data, "fingerprint": self.fingerprint, "ref": self.ref}
        if self.remember is not None:
            out["remember"] = self.remember
        return out

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> IntentObject:
        remember = raw.get("remember")
        return cls(dict(raw["data"]), str(raw.get("fingerprint", "")), str(raw.get("ref", "")),
                   dict(remember) if isinstance(remember, Mapping) else None)


@dataclass(frozen=True)
class Intent:
    batch_id: str
    kind: WriteKind
    object_type: ObjectType
    objects: tuple[IntentObject, ...]
    state: IntentState
    run_id: int | None
    attempts: int
    created_at: str
    base_version: int = 0


@dataclass(frozen=True)
class Run:
    id: int
    started: str
    ended: str | None
    outcome: str | None
    counts: dict[str, Any]
    report_path: str | None
    command: str | None = None
    mode: str | None = None  # "dry-run" or "apply"
    library: str | None = None  # "users/123", "groups/456"


def _intent(row: Any) -> Intent:
    objects = tuple(IntentObject.from_json(o) for o in loads(row["objects"]))
    return Intent(row["batch_id"], row["kind"], row["object_type"], objects, row["state"],
                  row["run_id"], row["attempts"], row["created_at"], row["base_version"])


class Intents:
    """Pending writes of the selected library."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def record(self, kind: WriteKind, object_type: ObjectType,
               objects: list[IntentObject], run_id: int | None = None,
               base_version: int = 0) -> Intent:
        """Record (and commit) a batch about to be sent, planned at library `base_version`."""
        batch_id = uuid.uuid4().hex
        stamp = self.db.stamp()
        with self.db.tx():
            self.db.execute(
                "INSERT INTO pending_writes (batch_id, library_id, kind, object_type, objects,"
                " state, run_id, created_at, updated_at, base_version) VALUES (?, ?, ?, ?, ?,"
                " 'pending', ?, ?, ?, ?)",
                (batch_id, self.db.library_id, kind, object_type,
                 dumps([o.to_json() for o in objects]), run_id, stamp, stamp, base_version),
            )
        return Intent(batch_id, kind, object_type, tuple(objects), "pending", run_id, 0, stamp,
                      base_version)

    def pending(self) -> list[Intent]:
        rows = self.db.execute(
            "SELECT * FROM pending_writes WHERE library_id = ? AND state = 'pending'"
            " ORDER BY created_at, rowid", (self.db.library_id,))
        return [_intent(r) for r in rows]

    def get(self, batch_id: str) -> Intent | None:
        row = self.db.execute("SELECT * FROM pending_writes WHERE batch_id = ?",
                              (batch_id,)).fetchone()
        return _intent(row) if row else None

    def mark(self, batch_id: str, state: IntentState) -> None:
        with self.db.tx():
            self.db.execute(
                "UPDATE pending_writes SET state = ?, updated_at = ? WHERE batch_id = ?",
                (state, self.db.stamp(), batch_id))

    def count_attempt(self, batch_id: str) -> None:
        """Note (and commit) that the batch is about to be sent once more."""
        with self.db.tx():
            self.db.execute(
                "UPDATE pending_writes SET attempts = attempts + 1, updated_at = ?"
                " WHERE batch_id = ?", (self.db.stamp(), batch_id))

    def prune(self, keep: int = 1000) -> int:
        """Forget all but the newest `keep` finished intents."""
        with self.db.tx():
            cur = self.db.execute(
                "DELETE FROM pending_writes WHERE state != 'pending' AND rowid NOT IN ("
                " SELECT rowid FROM pending_writes WHERE state != 'pending'"
                " ORDER BY rowid DESC LIMIT ?)", (keep,))
        return cur.rowcount


def _run(row: Any) -> Run:
    return Run(row["id"], row["started"], row["ended"], row["outcome"], loads(row["counts"]),
               row["report_path"], row["command"], row["mode"], row["library"])


class Runs:
    """History of zsync runs (global, not per library)."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def start(self, command: str | None = None, mode: str | None = None,
              library: str | None = None) -> int:
        with self.db.tx():
            cur = self.db.execute(
                "INSERT INTO runs (started, command, mode, library) VALUES (?, ?, ?, ?)",
                (self.db.stamp(), command, mode, library))
        return int(cur.lastrowid or 0)

    def finish(self, run_id: int, outcome: str, counts: Mapping[str, Any] | None = None,
               report_path: str | None = None) -> None:
        with self.db.tx():
            self.db.execute(
                "UPDATE runs SET ended = ?, outcome = ?, counts = ?, report_path = ?"
                " WHERE id = ?",
                (self.db.stamp(), outcome, dumps(dict(counts or {})), report_path, run_id))

    def get(self, run_id: int) -> Run | None:
        row = self.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return _run(row) if row else None

    def recent(self, limit: int = 20) -> list[Run]:
        rows = self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))
        return [_run(r) for r in rows]
