"""The state database's schema, as an ordered list of recorded migrations.

Each migration is a list of SQL statements applied in one transaction together with its row
in `schema_migrations`; a database is brought up to date by applying, in order, every
migration whose number is not recorded yet. Migrations are never edited once released: a
change to the schema is a new entry at the end of `MIGRATIONS`.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from zsync.errors import StateError


class StateSchemaError(StateError):
    """The state database was written by a newer zsync, or a migration failed."""


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    steps: tuple[str, ...]


_V1 = (
    """CREATE TABLE libraries (
        id INTEGER PRIMARY KEY,
        library TEXT NOT NULL,            -- "users/123" or "groups/9"
        server_id TEXT NOT NULL DEFAULT '',  -- Zotero-Server-ID of the local API; '' = web
        version INTEGER NOT NULL DEFAULT 0,  -- library version the mirror is complete up to
        refreshed_at TEXT,
        UNIQUE (library, server_id))""",
    """CREATE TABLE items (
        library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        item_type TEXT NOT NULL,
        parent_key TEXT,
        trashed INTEGER NOT NULL DEFAULT 0,   -- in the Zotero trash (data.deleted)
        deleted INTEGER NOT NULL DEFAULT 0,   -- gone from the server (tombstone)
        data TEXT NOT NULL,                   -- editable JSON as last seen
        PRIMARY KEY (library_id, key))""",
    "CREATE INDEX items_parent ON items (library_id, parent_key)",
    """CREATE TABLE collections (
        library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        name TEXT NOT NULL,
        parent_key TEXT,
        trashed INTEGER NOT NULL DEFAULT 0,
        deleted INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL,
        PRIMARY KEY (library_id, key))""",
    """CREATE TABLE written (
        library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        item_key TEXT NOT NULL,
        data TEXT NOT NULL,           -- fields/tags/collections/note zsync last wrote
        fingerprint TEXT NOT NULL DEFAULT '',  -- of the input those values came from
        run_id INTEGER,
        written_at TEXT NOT NULL,
        PRIMARY KEY (library_id, item_key))""",
    """CREATE TABLE origins (
        library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        item_key TEXT NOT NULL,
        path TEXT NOT NULL,
        line INTEGER NOT NULL DEFAULT 0,
        format TEXT NOT NULL DEFAULT '',
        identifiers TEXT NOT NULL DEFAULT '{}',
        seen_at TEXT NOT NULL,
        PRIMARY KEY (library_id, item_key, path, line))""",
    """CREATE TABLE pending_writes (
        batch_id TEXT PRIMARY KEY,
        library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('create', 'update')),
        object_type TEXT NOT NULL CHECK (object_type IN ('items', 'collections')),
        objects TEXT NOT NULL,        -- JSON list of {data, fingerprint, ref}
        state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
        run_id INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started TEXT NOT NULL,
        ended TEXT,
        outcome TEXT,
        counts TEXT NOT NULL DEFAULT '{}',
        report_path TEXT)""",
    """CREATE TABLE not_duplicates (
        library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        key_a TEXT NOT NULL,
        key_b TEXT NOT NULL,          -- key_a < key_b
        created_at TEXT NOT NULL,
        PRIMARY KEY (library_id, key_a, key_b))""",
    """CREATE TABLE conflicts (
        library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        item_key TEXT NOT NULL,
        field TEXT NOT NULL,
        zsync_value TEXT NOT NULL,    -- JSON
        user_value TEXT NOT NULL,     -- JSON
        run_id INTEGER,
        created_at TEXT NOT NULL,
        PRIMARY KEY (library_id, item_key, field))""",
)

_V2 = (
    "CREATE INDEX origins_path ON origins (library_id, path)",
    "CREATE INDEX pending_state ON pending_writes (library_id, state, created_at)",
    "ALTER TABLE pending_writes ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
    # The mirror's library version when the batch was planned: on resume, deletions since
    # then tell "the user deleted what an earlier attempt created" from "never arrived".
    "ALTER TABLE pending_writes ADD COLUMN base_version INTEGER NOT NULL DEFAULT 0",
)

_V3 = (
    # `zsync refresh`: the version each item had when refresh last looked at it (after its
    # own write), and per library the watermark below which every item has been looked at.
    """CREATE TABLE refreshed (
        library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        item_key TEXT NOT NULL,
        version INTEGER NOT NULL,
        run_id INTEGER,
        refreshed_at TEXT NOT NULL,
        PRIMARY KEY (library_id, item_key))""",
    """CREATE TABLE refresh_marks (
        library_id INTEGER PRIMARY KEY REFERENCES libraries(id) ON DELETE CASCADE,
        watermark INTEGER NOT NULL DEFAULT 0,  -- items at or below it were all refreshed
        full_pass INTEGER,            -- run that started an unfinished `refresh --all`
        updated_at TEXT NOT NULL)""",
)

_V4 = (
    # The run history names what ran, how, and on which library ("users/123").
    "ALTER TABLE runs ADD COLUMN command TEXT",
    "ALTER TABLE runs ADD COLUMN mode TEXT",  # "dry-run" or "apply"
    "ALTER TABLE runs ADD COLUMN library TEXT",
)

# What the sync planner reads from the state file (the mirror and zsync's records) gets a
# change counter: any write to those tables moves it, whoever writes (any zsync version),
# so "nothing changed since" is one read instead of a digest of every row. `instance` is
# drawn once per database, so a state file deleted and made again never repeats a count.
# A second counter, 'records', moves with zsync's own records alone (not the mirror).
_MIRROR_TABLES = ("items", "collections")
_RECORD_TABLES = ("written", "origins", "not_duplicates", "conflicts")


def _counted(table: str, counters: tuple[str, ...]) -> tuple[str, ...]:
    names = ", ".join(f"'{c}'" for c in counters)
    bump = f"BEGIN UPDATE changes SET counter = counter + 1 WHERE name IN ({names}); END"
    return tuple(f"CREATE TRIGGER {table}_{event.lower()}_counted AFTER {event} ON {table} "
                 f"{bump}" for event in ("INSERT", "UPDATE", "DELETE"))


_V5 = (
    """CREATE TABLE changes (
        name TEXT PRIMARY KEY,
        counter INTEGER NOT NULL DEFAULT 0,
        instance TEXT NOT NULL)""",
    "INSERT INTO changes (name, counter, instance) SELECT name, 0, "
    "lower(hex(randomblob(16))) FROM (SELECT 'planning' AS name UNION SELECT 'records')",
    *(step for table in _MIRROR_TABLES for step in _counted(table, ("planning",))),
    *(step for table in _RECORD_TABLES for step in _counted(table, ("planning", "records"))),
    "CREATE TRIGGER libraries_version_counted AFTER UPDATE OF version ON libraries "
    "BEGIN UPDATE changes SET counter = counter + 1 WHERE name = 'planning'; END",
)

_V6 = (
    # Where each mirrored item is found by identifier (what `LibraryView.find` reads),
    # kept up to date item by item: each item's row says which state of it was indexed.
    # Derived from the mirror (no change counter): rebuilt for any item whose state moved.
    """CREATE TABLE lookup_indexed (
        library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        trashed INTEGER NOT NULL,
        deleted INTEGER NOT NULL,
        PRIMARY KEY (library_id, key))""",
    """CREATE TABLE lookup (
        library_id INTEGER NOT NULL REFERENCES libraries(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        key TEXT NOT NULL)""",
    "CREATE INDEX lookup_by_value ON lookup (library_id, kind, value)",
    "CREATE INDEX lookup_by_key ON lookup (library_id, key)",
)

_V7 = (
    # zsync's records of the notes it wrote under an item, found by the item's key without
    # reading every record (`WrittenLog.notes_under` asks with this same expression); a
    # record that is not valid JSON is indexed under no parent instead of failing a write.
    "CREATE INDEX written_parent ON written (library_id, CASE WHEN json_valid(data) "
    "THEN json_extract(data, '$.parentItem') END)",
    # The places a work came from, found by its identity (`Origins.of_identity` asks with
    # this same expression).
    "CREATE INDEX origins_identity ON origins (library_id, CASE WHEN json_valid(identifiers) "
    "THEN json_extract(identifiers, '$.identity') END)",
    # Each mirrored item's state (what `Mirror.states` reads) without reading its data.
    "CREATE INDEX items_states ON items (library_id, key, version, trashed, deleted)",
    # The mirrored items written since the lookup index last looked at them, whoever wrote
    # them: the index is brought up to date by looking at these alone. At first, all. (No
    # foreign key: the rows an item's deletion adds must not stop a library's deletion.)
    """CREATE TABLE lookup_unseen (
        library_id INTEGER NOT NULL,
        key TEXT NOT NULL,
        PRIMARY KEY (library_id, key))""",
    "INSERT OR IGNORE INTO lookup_unseen (library_id, key) SELECT library_id, key FROM items "
    "UNION SELECT library_id, key FROM lookup_indexed",
    *(f"CREATE TRIGGER items_{event.lower()}_unseen AFTER {event} ON items BEGIN "
      f"INSERT OR IGNORE INTO lookup_unseen (library_id, key) VALUES ({row}.library_id, "
      f"{row}.key); END" for event, row in (("INSERT", "NEW"), ("DELETE", "OLD"))),
    "CREATE TRIGGER items_update_unseen AFTER UPDATE ON items BEGIN "
    "INSERT OR IGNORE INTO lookup_unseen (library_id, key) VALUES (OLD.library_id, OLD.key), "
    "(NEW.library_id, NEW.key); END",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial tables", _V1),
    Migration(2, "indexes on origins and pending writes; attempts, base version", _V2),
    Migration(3, "refresh: per-item refreshed versions and the library watermark", _V3),
    Migration(4, "runs: command, mode and library", _V4),
    Migration(5, "a change counter over what the sync planner reads", _V5),
    Migration(6, "an index of the mirror's items by identifier", _V6),
    Migration(7, "zsync's records of notes by their item, where works came from by their "
                 "identity; the mirror's item states; items the lookup index has not seen",
              _V7),
)
LATEST = MIGRATIONS[-1].number


def now() -> str:
    """UTC time as ISO 8601 text, to the second."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    row = conn.execute("SELECT MAX(number) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, upto: int = LATEST) -> list[int]:
    """Apply every missing migration up to `upto`; returns the numbers applied.

    `conn` must be in autocommit mode (isolation_level=None): each migration runs in its own
    BEGIN IMMEDIATE transaction, so a failure leaves the database at the previous version.
    """
    done = current_version(conn)
    if done > LATEST:
        raise StateSchemaError(
            f"the state database is at schema version {done}, newer than this zsync knows "
            f"({LATEST}); upgrade zsync or point state.path elsewhere"
        )
    applied: list[int] = []
    for migration in MIGRATIONS:
        if migration.number <= done or migration.number > upto:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for step in migration.steps:
                conn.execute(step)
            conn.execute(
                "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
                (migration.number, migration.name, now()),
            )
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StateSchemaError(
                f"migration {migration.number} ({migration.name}) failed: {exc}"
            ) from exc
        conn.execute("COMMIT")
        applied.append(migration.number)
    return applied
