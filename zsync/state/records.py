"""What zsync wrote, where each item came from, "not duplicates" pairs and open conflicts.

All of these are per library: item keys are unique within one library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from zsync.state.db import Db, dumps, loads, select_in

# Payload members that are bookkeeping, not values zsync wrote.
_NOT_VALUES = frozenset({"key", "version", "dateAdded", "dateModified"})


@dataclass(frozen=True)
class Written:
    """The fields, tags, collections and note html zsync last wrote to one item."""

    item_key: str
    data: dict[str, Any]
    fingerprint: str
    run_id: int | None
    written_at: str


@dataclass(frozen=True)
class Origin:
    """One place in the user's input that an item came from."""

    item_key: str
    path: str
    line: int = 0
    format: str = ""
    identifiers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Conflict:
    """A field both zsync and the user changed to different values."""

    item_key: str
    field: str
    zsync_value: Any
    user_value: Any
    run_id: int | None = None


# The parent item of a record, as the schema's `written_parent` index holds it (the same
# expression, or SQLite does not use the index).
_PARENT = "CASE WHEN json_valid(data) THEN json_extract(data, '$.parentItem') END"
# A work's identity, as the schema's `origins_identity` index holds it.
_IDENTITY = "CASE WHEN json_valid(identifiers) THEN json_extract(identifiers, '$.identity') END"


def _written(row: Any) -> Written:
    return Written(row["item_key"], loads(row["data"]), row["fingerprint"], row["run_id"],
                   row["written_at"])


class WrittenLog:
    def __init__(self, db: Db) -> None:
        self.db = db

    def get(self, item_key: str) -> Written | None:
        row = self.db.execute("SELECT * FROM written WHERE library_id = ? AND item_key = ?",
                              (self.db.library_id, item_key)).fetchone()
        return None if row is None else _written(row)

    def all(self) -> list[Written]:
        """Every record, by item key."""
        rows = self.db.execute("SELECT * FROM written WHERE library_id = ? ORDER BY item_key",
                               (self.db.library_id,))
        return [_written(r) for r in rows]

    def notes_under(self, parent_key: str) -> list[Written]:
        """The records of the notes zsync wrote under item `parent_key`, by item key (the
        order of `all`), read through the `written_parent` index."""
        # Sorted here, not in SQL: an ORDER BY makes SQLite walk every record in key order.
        rows = self.db.execute(f"SELECT * FROM written WHERE library_id = ? AND {_PARENT} = ?",
                               (self.db.library_id, parent_key))
        found = (_written(r) for r in rows)
        return sorted((w for w in found if w.data.get("itemType") == "note"
                       and w.data.get("parentItem") and str(w.data["parentItem"]) == parent_key),
                      key=lambda w: w.item_key)

    def record(self, item_key: str, payload: Mapping[str, Any], fingerprint: str = "",
               run_id: int | None = None) -> Written:
        """Merge the values of `payload` into what zsync wrote to `item_key`.

        Updates are partial (PATCH semantics), so earlier values of fields not in this
        payload still stand. An empty `fingerprint` keeps the previous one.
        """
        previous = self.get(item_key)
        data = dict(previous.data) if previous else {}
        data.update({k: v for k, v in payload.items() if k not in _NOT_VALUES})
        fingerprint = fingerprint or (previous.fingerprint if previous else "")
        stamp = self.db.stamp()
        with self.db.tx():
            self.db.execute(
                "INSERT OR REPLACE INTO written (library_id, item_key, data, fingerprint,"
                " run_id, written_at) VALUES (?, ?, ?, ?, ?, ?)",
                (self.db.library_id, item_key, dumps(data), fingerprint, run_id, stamp))
        return Written(item_key, data, fingerprint, run_id, stamp)


class Origins:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, origin: Origin) -> None:
        with self.db.tx():
            self.db.execute(
                "INSERT OR REPLACE INTO origins (library_id, item_key, path, line, format,"
                " identifiers, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self.db.library_id, origin.item_key, origin.path, origin.line, origin.format,
                 dumps(origin.identifiers), self.db.stamp()))

    def known(self, keys: Iterable[str] | None = None) -> set[tuple[str, str, int, str, str]]:
        """Every origin as stored (of the items `keys` only, when given): item key, path,
        line, format, identifiers (JSON text)."""
        sql = ("SELECT item_key, path, line, format, identifiers FROM origins"
               " WHERE library_id = ?")
        return {(r[0], r[1], r[2], r[3], r[4]) for r in _for_keys(self.db, sql, keys)}

    def of_identity(self, identity: str) -> list[tuple[str, int, int, str]]:
        """(path, line, row id, item key) of each place the work `identity` came from, read
        through the `origins_identity` index."""
        rows = self.db.execute(
            f"SELECT path, line, rowid, item_key FROM origins WHERE library_id = ? AND "
            f"{_IDENTITY} = ?", (self.db.library_id, identity))
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def forget(self, item_key: str, path: str) -> None:
        with self.db.tx():
            self.db.execute("DELETE FROM origins WHERE library_id = ? AND item_key = ?"
                            " AND path = ?", (self.db.library_id, item_key, path))

    def all(self) -> list[Origin]:
        rows = self.db.execute(
            "SELECT * FROM origins WHERE library_id = ? ORDER BY path, line", (self.db.library_id,)
        )
        return [Origin(r["item_key"], r["path"], r["line"], r["format"],
                       loads(r["identifiers"])) for r in rows]

    def move(self, old_key: str, new_key: str) -> int:
        """Point the origins of item `old_key` at `new_key` (after a merge); returns how
        many moved. A place already recorded for `new_key` is kept once."""
        with self.db.tx():
            return self.db.execute(
                "UPDATE OR REPLACE origins SET item_key = ? WHERE library_id = ? AND"
                " item_key = ?", (new_key, self.db.library_id, old_key)).rowcount

    def for_item(self, item_key: str) -> list[Origin]:
        return self._select("item_key = ?", item_key)

    def _select(self, where: str, value: str) -> list[Origin]:
        rows = self.db.execute(
            f"SELECT * FROM origins WHERE library_id = ? AND {where} ORDER BY path, line",
            (self.db.library_id, value))
        return [Origin(r["item_key"], r["path"], r["line"], r["format"],
                       loads(r["identifiers"])) for r in rows]


class NotDuplicates:
    """Pairs of items the user said are different works."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, key_a: str, key_b: str) -> None:
        a, b = sorted((key_a, key_b))
        with self.db.tx():
            self.db.execute(
                "INSERT OR IGNORE INTO not_duplicates (library_id, key_a, key_b, created_at)"
                " VALUES (?, ?, ?, ?)", (self.db.library_id, a, b, self.db.stamp()))

    def contains(self, key_a: str, key_b: str) -> bool:
        a, b = sorted((key_a, key_b))
        row = self.db.execute(
            "SELECT 1 FROM not_duplicates WHERE library_id = ? AND key_a = ? AND key_b = ?",
            (self.db.library_id, a, b)).fetchone()
        return row is not None

    def remove(self, key_a: str, key_b: str) -> bool:
        """Take a pair off the list; False when it was not on it."""
        a, b = sorted((key_a, key_b))
        with self.db.tx():
            return self.db.execute(
                "DELETE FROM not_duplicates WHERE library_id = ? AND key_a = ? AND key_b = ?",
                (self.db.library_id, a, b)).rowcount > 0

    def pairs(self) -> set[frozenset[str]]:
        rows = self.db.execute("SELECT key_a, key_b FROM not_duplicates WHERE library_id = ?",
                               (self.db.library_id,))
        return {frozenset((r["key_a"], r["key_b"])) for r in rows}


class Conflicts:
    """Open conflicts; one per item and field (a newer one replaces the older)."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, conflict: Conflict) -> None:
        with self.db.tx():
            self.db.execute(
                "INSERT OR REPLACE INTO conflicts (library_id, item_key, field, zsync_value,"
                " user_value, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self.db.library_id, conflict.item_key, conflict.field,
                 dumps(conflict.zsync_value), dumps(conflict.user_value), conflict.run_id,
                 self.db.stamp()))

    def open(self, item_key: str | None = None) -> list[Conflict]:
        sql = "SELECT * FROM conflicts WHERE library_id = ?"
        params: tuple[Any, ...] = (self.db.library_id,)
        if item_key is not None:
            sql, params = sql + " AND item_key = ?", (*params, item_key)
        rows = self.db.execute(sql + " ORDER BY item_key, field", params)
        return [Conflict(r["item_key"], r["field"], loads(r["zsync_value"]),
                         loads(r["user_value"]), r["run_id"]) for r in rows]

    def known(self, keys: Iterable[str] | None = None
              ) -> dict[str, dict[str, tuple[str, str, int | None]]]:
        """Item key -> field -> the open conflict's values as stored (JSON text), run (of
        the items `keys` only, when given)."""
        out: dict[str, dict[str, tuple[str, str, int | None]]] = {}
        sql = ("SELECT item_key, field, zsync_value, user_value, run_id FROM conflicts"
               " WHERE library_id = ?")
        for r in _for_keys(self.db, sql, keys):
            out.setdefault(r[0], {})[r[1]] = (r[2], r[3], r[4])
        return out

    def resolve(self, item_key: str, field_name: str | None = None) -> int:
        """Close the conflicts of one item (or one field of it)."""
        sql = "DELETE FROM conflicts WHERE library_id = ? AND item_key = ?"
        params: tuple[Any, ...] = (self.db.library_id, item_key)
        if field_name is not None:
            sql, params = sql + " AND field = ?", (*params, field_name)
        with self.db.tx():
            return self.db.execute(sql, params).rowcount


def _for_keys(db: Db, sql: str, keys: Iterable[str] | None) -> Iterator[Any]:
    """The rows of `sql` (filtered by library), of the items `keys` only when given."""
    if keys is None:
        yield from db.execute(sql, (db.library_id,))
        return
    yield from select_in(db.execute, f"{sql} AND item_key IN", (db.library_id,), keys)
