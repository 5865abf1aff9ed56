"""Where `zsync refresh` stands in the selected library (state schema 3).

`refreshed` keeps, per item, the version the item had when refresh last looked at it
(after refresh's own write to it, if any): the item is due again once its version differs,
that is once someone changed it. `refresh_marks` keeps the watermark, a library version at
or below which every regular item has been looked at, so the usual run only reads the
items above it; and the run that started an unfinished `refresh --all` pass, so such a
pass resumes where it stopped instead of starting over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from zsync.state.db import Db, loads
from zsync.state.mirror import MirrorItem

_REGULAR = ("i.library_id = ? AND i.deleted = 0 AND i.trashed = 0 AND i.parent_key IS NULL"
            " AND i.item_type NOT IN ('note', 'attachment', 'annotation')")
_JOIN = ("FROM items i LEFT JOIN refreshed r ON r.library_id = i.library_id"
         " AND r.item_key = i.key")
_CHANGED = "(r.version IS NULL OR r.version != i.version)"


@dataclass(frozen=True)
class DueItem:
    key: str
    version: int
    data: dict[str, Any]


class RefreshLog:
    def __init__(self, db: Db) -> None:
        self.db = db

    # -- marks ------------------------------------------------------------------------------

    def _marks(self) -> Any:
        return self.db.execute("SELECT * FROM refresh_marks WHERE library_id = ?",
                               (self.db.library_id,)).fetchone()

    def watermark(self) -> int:
        row = self._marks()
        return int(row["watermark"]) if row else 0

    def full_pass(self) -> int | None:
        row = self._marks()
        return int(row["full_pass"]) if row and row["full_pass"] is not None else None

    def _set(self, column: str, value: int | None) -> None:
        with self.db.tx():
            self.db.execute(
                "INSERT OR IGNORE INTO refresh_marks (library_id, updated_at) VALUES (?, ?)",
                (self.db.library_id, self.db.stamp()))
            self.db.execute(f"UPDATE refresh_marks SET {column} = ?, updated_at = ?"
                            " WHERE library_id = ?", (value, self.db.stamp(), self.db.library_id))

    def start_full_pass(self, run_id: int) -> int:
        """The run id of the `--all` pass in progress, starting one if there is none."""
        current = self.full_pass()
        if current is None:
            self._set("full_pass", run_id)
            return run_id
        return current

    def end_full_pass(self) -> None:
        self._set("full_pass", None)

    # -- items ------------------------------------------------------------------------------

    def due(self, full_pass: int | None = None) -> list[DueItem]:
        """Regular items to look at, oldest version first: changed since refresh last saw
        them (above the watermark), or in a full pass not yet seen by it."""
        if full_pass is None:
            where, params = f"i.version > ? AND {_CHANGED}", (self.watermark(),)
        else:
            where, params = f"({_CHANGED} OR r.run_id < ?)", (full_pass,)
        rows = self.db.execute(
            f"SELECT i.key, i.version, i.data {_JOIN} WHERE {_REGULAR} AND {where}"
            " ORDER BY i.version, i.key", (self.db.library_id, *params))
        return [DueItem(r["key"], int(r["version"]), loads(r["data"])) for r in rows]

    def mark(self, keys: Iterable[str], run_id: int | None) -> int:
        """Record the mirror's current version of each item as seen; returns how many."""
        keys = list(keys)
        count = 0
        with self.db.tx():
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                count += self.db.execute(
                    "INSERT OR REPLACE INTO refreshed (library_id, item_key, version, run_id,"
                    " refreshed_at) SELECT library_id, key, version, ?, ? FROM items"
                    f" WHERE library_id = ? AND key IN ({marks})",
                    (run_id, self.db.stamp(), self.db.library_id, *chunk)).rowcount
        return count

    def advance_watermark(self, library_version: int) -> int:
        """Move the watermark to just below the oldest item still due (or to the library
        version when none is); a library reset below it starts it over."""
        row = self.db.execute(f"SELECT MIN(i.version) AS v {_JOIN} WHERE {_REGULAR}"
                              f" AND {_CHANGED}", (self.db.library_id,)).fetchone()
        oldest = row["v"]
        mark = library_version if oldest is None else min(int(oldest) - 1, library_version)
        self._set("watermark", max(mark, 0))
        return max(mark, 0)

    def check_watermark(self, library_version: int) -> None:
        """A library whose version went below the watermark was reset: start over."""
        if self.watermark() > library_version:
            self._set("watermark", 0)

    def items_and_children(self, keys: list[str]) -> list[MirrorItem]:
        """The mirror's rows for `keys` and for their children (not deleted), in two
        indexed queries per 500 keys (`Mirror.children` is one scan per parent)."""
        out: list[MirrorItem] = []
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for column, index in (("key", "sqlite_autoindex_items_1"),
                                  ("parent_key", "items_parent")):
                rows = self.db.execute(
                    f"SELECT * FROM items INDEXED BY {index} WHERE library_id = ?"
                    f" AND {column} IN ({marks}) AND deleted = 0",
                    (self.db.library_id, *chunk))
                out += [MirrorItem(r["key"], r["version"], r["item_type"], r["parent_key"],
                                   bool(r["trashed"]), bool(r["deleted"]), loads(r["data"]))
                        for r in rows]
        return out

