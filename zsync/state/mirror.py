"""The local mirror of the selected Zotero library: items, collections and its version.

Rows keep the editable JSON as last seen from Zotero. Objects deleted on the server stay as
tombstones (`deleted = 1`) so that the planner can tell "the user deleted it" from "never
existed" and does not create it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from zsync.state.db import Db, dumps, loads, select_in


@dataclass(frozen=True)
class MirrorItem:
    key: str
    version: int
    item_type: str
    parent_key: str | None
    trashed: bool
    deleted: bool
    data: dict[str, Any]


@dataclass(frozen=True)
class MirrorCollection:
    key: str
    version: int
    name: str
    parent_key: str | None
    trashed: bool
    deleted: bool
    data: dict[str, Any]


def _editable(obj: dict[str, Any]) -> dict[str, Any]:
    """The editable JSON of a full API object, or `obj` itself when it already is one."""
    data = obj.get("data")
    return data if isinstance(data, dict) else obj


def _item(row: Any) -> MirrorItem:
    return MirrorItem(row["key"], row["version"], row["item_type"], row["parent_key"],
                      bool(row["trashed"]), bool(row["deleted"]), loads(row["data"]))


def _collection(row: Any) -> MirrorCollection:
    return MirrorCollection(row["key"], row["version"], row["name"], row["parent_key"],
                            bool(row["trashed"]), bool(row["deleted"]), loads(row["data"]))


class Mirror:
    """Read and update the mirror of the selected library."""

    def __init__(self, db: Db) -> None:
        self.db = db
        # The last `states` read of each table, with the change counter it was read at.
        self._states: dict[str, tuple[tuple[Any, ...], dict[str, tuple[int, bool, bool]]]] = {}

    # -- library version ---------------------------------------------------------------

    def library_version(self) -> int:
        row = self.db.execute("SELECT version FROM libraries WHERE id = ?",
                              (self.db.library_id,)).fetchone()
        return int(row["version"])

    def has_refreshed(self) -> bool:
        """Whether the mirror was ever brought up to date (version 0 is a valid version)."""
        row = self.db.execute("SELECT refreshed_at FROM libraries WHERE id = ?",
                              (self.db.library_id,)).fetchone()
        return row["refreshed_at"] is not None

    def set_library_version(self, version: int) -> None:
        with self.db.tx():
            self.db.execute("UPDATE libraries SET version = ?, refreshed_at = ? WHERE id = ?",
                            (version, self.db.stamp(), self.db.library_id))

    # -- items -------------------------------------------------------------------------

    def upsert_items(self, objects: Iterable[dict[str, Any]]) -> int:
        """Store items' editable JSON (`data` of an API object, or a full object)."""
        count = 0
        with self.db.tx():
            for obj in objects:
                data = _editable(obj)
                self.db.execute(
                    "INSERT OR REPLACE INTO items (library_id, key, version, item_type,"
                    " parent_key, trashed, deleted, data) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                    (self.db.library_id, data["key"], int(data["version"]), data["itemType"],
                     data.get("parentItem") or None, int(bool(data.get("deleted"))),
                     dumps(data)),
                )
                count += 1
        return count

    def get_item(self, key: str) -> MirrorItem | None:
        row = self.db.execute("SELECT * FROM items WHERE library_id = ? AND key = ?",
                              (self.db.library_id, key)).fetchone()
        return _item(row) if row else None

    def items(self, include_deleted: bool = False) -> list[MirrorItem]:
        sql = "SELECT * FROM items WHERE library_id = ?"
        if not include_deleted:
            sql += " AND deleted = 0"
        return [_item(r) for r in self.db.execute(sql + " ORDER BY key", (self.db.library_id,))]

    def children(self, parent_key: str) -> list[MirrorItem]:
        # Sorted here, not in SQL: an ORDER BY key makes SQLite walk the primary key over
        # the whole library instead of using the parent index.
        rows = self.db.execute(
            "SELECT * FROM items WHERE library_id = ? AND parent_key = ? AND deleted = 0",
            (self.db.library_id, parent_key))
        return sorted((_item(r) for r in rows), key=lambda item: item.key)

    def item_versions(self, keys: Iterable[str] | None = None) -> dict[str, int]:
        """Key → version of every item not deleted on the server (of those among `keys`,
        when given)."""
        return self._versions("items", keys)

    def _versions(self, table: str, keys: Iterable[str] | None) -> dict[str, int]:
        sql = f"SELECT key, version FROM {table} WHERE deleted = 0 AND library_id = ?"
        rows = self.db.execute(sql, (self.db.library_id,)) if keys is None else \
            select_in(self.db.execute, f"{sql} AND key IN", (self.db.library_id,), keys)
        return {r[0]: r[1] for r in rows}

    def states(self, table: str = "items") -> dict[str, tuple[int, bool, bool]]:
        """Key -> (version, trashed, deleted) of every item (or collection) mirrored: what
        tells one state of the mirror from another, without reading the data."""
        if table not in ("items", "collections"):
            raise ValueError(table)
        stamp = (self.db.library_id, self.db.counter("planning"))
        kept = self._states.get(table)
        if kept is not None and kept[0] == stamp:
            return dict(kept[1])
        rows = self.db.execute(f"SELECT key, version, trashed, deleted FROM {table} "
                               "WHERE library_id = ?", (self.db.library_id,))
        found = {r[0]: (int(r[1]), bool(r[2]), bool(r[3])) for r in rows}
        self._states[table] = (stamp, found)
        return dict(found)

    # -- the lookup index (zotero.indexed keeps it) --------------------------------------

    def unindexed(self) -> tuple[dict[str, tuple[int, bool, bool]], list[str], list[str]]:
        """The items whose state differs from the one they were indexed at (or that were
        never indexed), with their state now; the keys indexed but no longer mirrored; and
        the keys looked at: only the items written since `reindex` last saw them (the
        schema's triggers note each in `lookup_unseen`)."""
        unseen = [r[0] for r in self.db.execute(
            "SELECT key FROM lookup_unseen WHERE library_id = ?", (self.db.library_id,))]
        now = self._states_of("items", unseen)
        indexed = self._states_of("lookup_indexed", unseen)
        stale = {k: state for k, state in now.items() if indexed.get(k) != state}
        return stale, [k for k in unseen if k in indexed and k not in now], unseen

    def _states_of(self, table: str, keys: list[str]) -> dict[str, tuple[int, bool, bool]]:
        rows = select_in(self.db.execute, f"SELECT key, version, trashed, deleted FROM {table}"
                         " WHERE library_id = ? AND key IN", (self.db.library_id,), keys)
        return {r[0]: (int(r[1]), bool(r[2]), bool(r[3])) for r in rows}

    def reindex(self, indexed: Iterable[tuple[str, tuple[int, bool, bool],
                                              Iterable[tuple[str, str]]]],
                dropped: Iterable[str], seen: Iterable[str] = ()) -> None:
        """Replace the lookup entries of each (key, state, entries); forget `dropped`; the
        items `seen` (by `unindexed`) are no longer unseen."""
        library = self.db.library_id
        with self.db.tx():
            self.db.conn.executemany("DELETE FROM lookup_unseen WHERE library_id = ? AND key = ?",
                                     [(library, key) for key in seen])
            for key in dropped:
                self.db.execute("DELETE FROM lookup WHERE library_id = ? AND key = ?",
                                (library, key))
                self.db.execute("DELETE FROM lookup_indexed WHERE library_id = ? AND key = ?",
                                (library, key))
            for key, (version, trashed, deleted), entries in indexed:
                self.db.execute("DELETE FROM lookup WHERE library_id = ? AND key = ?",
                                (library, key))
                self.db.conn.executemany(
                    "INSERT INTO lookup (library_id, kind, value, key) VALUES (?, ?, ?, ?)",
                    [(library, kind, value, key) for kind, value in entries])
                self.db.execute(
                    "INSERT OR REPLACE INTO lookup_indexed (library_id, key, version, trashed,"
                    " deleted) VALUES (?, ?, ?, ?, ?)",
                    (library, key, version, int(trashed), int(deleted)))

    def lookup(self, kind: str, value: str) -> list[str]:
        """Keys indexed under (kind, value), in key order."""
        rows = self.db.execute("SELECT DISTINCT key FROM lookup WHERE library_id = ? AND "
                               "kind = ? AND value = ? ORDER BY key",
                               (self.db.library_id, kind, value))
        return [r[0] for r in rows]

    def items_by_key(self, keys: Iterable[str]) -> list[MirrorItem]:
        """The mirrored items among `keys` (deleted ones too)."""
        return [_item(r) for r in select_in(
            self.db.execute, "SELECT * FROM items WHERE library_id = ? AND key IN",
            (self.db.library_id,), keys)]

    def mark_items_deleted(self, keys: Iterable[str]) -> int:
        return self._mark_deleted("items", keys)

    # -- collections ----------------------------------------------------------------------

    def upsert_collections(self, objects: Iterable[dict[str, Any]]) -> int:
        count = 0
        with self.db.tx():
            for obj in objects:
                data = _editable(obj)
                self.db.execute(
                    "INSERT OR REPLACE INTO collections (library_id, key, version, name,"
                    " parent_key, trashed, deleted, data) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                    (self.db.library_id, data["key"], int(data["version"]), data["name"],
                     data.get("parentCollection") or None, int(bool(data.get("deleted"))),
                     dumps(data)),
                )
                count += 1
        return count

    def get_collection(self, key: str) -> MirrorCollection | None:
        row = self.db.execute("SELECT * FROM collections WHERE library_id = ? AND key = ?",
                              (self.db.library_id, key)).fetchone()
        return _collection(row) if row else None

    def collections(self) -> list[MirrorCollection]:
        rows = self.db.execute("SELECT * FROM collections WHERE library_id = ? AND deleted = 0"
                               " ORDER BY name, key", (self.db.library_id,))
        return [_collection(r) for r in rows]

    def find_collection(self, name: str, parent_key: str | None) -> MirrorCollection | None:
        """A live collection called `name` under `parent_key` (None = top level)."""
        rows = self.db.execute(
            "SELECT * FROM collections WHERE library_id = ? AND name = ? AND deleted = 0"
            " AND trashed = 0 AND parent_key IS ? ORDER BY version, key",
            (self.db.library_id, name, parent_key))
        row = rows.fetchone()
        return _collection(row) if row else None

    def collection_versions(self, keys: Iterable[str] | None = None) -> dict[str, int]:
        return self._versions("collections", keys)

    def mark_collections_deleted(self, keys: Iterable[str]) -> int:
        return self._mark_deleted("collections", keys)

    # -- shared ----------------------------------------------------------------------------

    def key_in_use(self, key: str) -> bool:
        """Whether `key` names any item or collection ever seen in this library."""
        for table in ("items", "collections"):
            row = self.db.execute(f"SELECT 1 FROM {table} WHERE library_id = ? AND key = ?",
                                  (self.db.library_id, key)).fetchone()
            if row:
                return True
        return False

    def _mark_deleted(self, table: str, keys: Iterable[str]) -> int:
        """Mark `keys` deleted on the server; an item never seen gets a tombstone row."""
        count = 0
        with self.db.tx():
            for key in keys:
                cur = self.db.execute(
                    f"UPDATE {table} SET deleted = 1 WHERE library_id = ? AND key = ?",
                    (self.db.library_id, key))
                count += cur.rowcount
                if cur.rowcount == 0 and table == "items":
                    self.db.execute(
                        "INSERT INTO items (library_id, key, version, item_type, parent_key,"
                        " trashed, deleted, data) VALUES (?, ?, 0, '', NULL, 0, 1, '{}')",
                        (self.db.library_id, key))
        return count

    def deleted_item_keys(self) -> set[str]:
        """Keys of items deleted on the server (emptied from the trash, or deleted)."""
        rows = self.db.execute("SELECT key FROM items WHERE library_id = ? AND deleted = 1",
                               (self.db.library_id,))
        return {r["key"] for r in rows}
