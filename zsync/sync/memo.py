"""What a sync keeps for the next run to read and plan only what changed (`incremental`).

Kept in the cache folder's SQLite file (`parsed.sqlite`), per state file and library (a
slot): one row for the run as a whole, one per input file (its enriched records) and one
per work (the work, its report lines, and its plan rows with what they read). The cache
folder is disposable: anything unreadable here only means a run plans in full.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import pickle
import secrets
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence, Set
from pathlib import Path
from typing import Any, TypeVar

from zsync.config.settings import Config
from zsync.dedupe.blocking import paused_gc
from zsync.dedupe.signature import Sig
from zsync.enrich.enricher import Enricher
from zsync.enrich.merge import Enriched
from zsync.inputs.filecache import ParseCache
from zsync.model.records import InputProblem
from zsync.report.model import Outcome
from zsync.state.db import select_in
from zsync.state.store import StateStore
from zsync.sync.incremental import (
    FileMemo,
    Front,
    GroupMemo,
    KeptPlans,
    RunMemo,
    WorkRow,
    gone_changes,
    kept_run,
    library_changes,
)
from zsync.sync.keptrows import head_of_values, head_values
from zsync.sync.lastrun import Kept, cache_expired_since, cache_settled, slot_of
from zsync.sync.library_state import RunScope
from zsync.sync.plan import Action, Plan, PlanInputs, Work, WorkPlan
from zsync.sync.rowcodec import Flat, each, values_of
from zsync.sync.tracking import Changed, changed_items

log = logging.getLogger("zsync.sync.memo")
T = TypeVar("T")


class WorkMemo:
    """The memo of one slot in the cache folder."""

    def __init__(self, directory: Path, slot: str) -> None:
        self.cache = ParseCache(directory)
        self.slot = slot
        db = self.cache.db
        with db:
            db.execute("DROP TABLE IF EXISTS memo_run")  # an earlier form
            db.execute("""CREATE TABLE IF NOT EXISTS memo_runs (
                slot TEXT PRIMARY KEY, generation TEXT NOT NULL, run BLOB NOT NULL)""")
            db.execute("DROP TABLE IF EXISTS memo_file")  # an earlier form
            db.execute("""CREATE TABLE IF NOT EXISTS memo_files (
                slot TEXT NOT NULL, path TEXT NOT NULL, compared BLOB NOT NULL,
                enriched BLOB NOT NULL, PRIMARY KEY (slot, path))""")
            for earlier in ("memo_work", "memo_works", "memo_kept", "memo_kept_at"):
                db.execute(f"DROP TABLE IF EXISTS {earlier}")  # earlier forms
            # A work's head (`WorkHead`) and report lines as columns, its plan rows and
            # their reads as `keptrows` blobs (NULL: planned again next run); its content
            # apart, read only for works planned again.
            db.execute(f"""CREATE TABLE IF NOT EXISTS memo_rows (
                slot TEXT NOT NULL, id TEXT NOT NULL, {_ROW_TYPES},
                PRIMARY KEY (slot, id))""")
            # What each kept plan read of the library (`Deps`), one row per item key,
            # identifier searched (kind NUL value) or "*" (every item): a run finds the
            # plans an item change touches by looking its keys up (`touched`).
            db.execute("""CREATE TABLE IF NOT EXISTS memo_reads (
                slot TEXT NOT NULL, id TEXT NOT NULL, read TEXT NOT NULL,
                PRIMARY KEY (slot, id, read)) WITHOUT ROWID""")
            db.execute("CREATE INDEX IF NOT EXISTS memo_reads_by_read ON memo_reads (slot, read)")
            db.execute("""CREATE TABLE IF NOT EXISTS memo_bodies (
                slot TEXT NOT NULL, id TEXT NOT NULL, body BLOB NOT NULL,
                PRIMARY KEY (slot, id))""")
            # The rows a kept plan (`lastrun.Kept`) refers to, as they were when it was
            # kept: the memo's own rows until a later run changes them, then copies of
            # them made just before (`_keep_aside`).
            db.execute("""CREATE TABLE IF NOT EXISTS memo_held (
                slot TEXT PRIMARY KEY, generation TEXT NOT NULL)""")
            db.execute(f"""CREATE TABLE IF NOT EXISTS memo_kept_rows (
                slot TEXT NOT NULL, generation TEXT NOT NULL, id TEXT NOT NULL,
                {_ROW_TYPES}, PRIMARY KEY (slot, id))""")

    def run(self) -> RunMemo | None:
        row = self.cache.db.execute("SELECT run FROM memo_runs WHERE slot = ?",
                                    (self.slot,)).fetchone()
        return None if row is None else _run_of(row[0])

    def generation(self) -> str | None:
        """Names the run that saved the rows now kept (a new name at every save)."""
        row = self.cache.db.execute("SELECT generation FROM memo_runs WHERE slot = ?",
                                    (self.slot,)).fetchone()
        return None if row is None else str(row[0])

    def works(self, ids: Sequence[str]) -> dict[str, WorkRow]:
        """The kept rows (heads and plans) of the works of these ids."""
        return _rows(self._select(
            f"SELECT id, {_ROW} FROM memo_rows WHERE {_ROW_READABLE} AND slot = ?", ids))

    def bodies(self, ids: Sequence[str]) -> dict[str, Work]:
        """The kept content of the works of these ids."""
        return _of_kind(self._select_in(
            "SELECT id, body FROM memo_bodies WHERE slot = ? AND id IN", ids), Work)

    def touched(self, changed: Changed) -> set[str] | None:
        """Ids of the works whose kept plan read an item of `changed` (or every item);
        None when the memo cannot be read now."""
        reads = ["*", *(_read(key) for key in changed.keys),
                 *(_read(value, kind) for kind, value in changed.searchable)]
        try:
            return {wid for (wid,) in select_in(
                self.cache.db.execute, "SELECT id FROM memo_reads WHERE slot = ? AND read IN",
                (self.slot,), reads)}
        except sqlite3.Error as exc:
            log.info("what the last run kept cannot be read (%s)", exc)
            return None

    def keep_rows(self, generation: str) -> bool:
        """Hold the rows saved by the run `generation` for the plan it kept
        (`lastrun.Kept`); False when the rows now saved are another run's."""
        db = self.cache.db
        with db:
            if self.generation() != generation:
                return False
            db.execute("DELETE FROM memo_kept_rows WHERE slot = ?", (self.slot,))
            db.execute("INSERT OR REPLACE INTO memo_held (slot, generation) VALUES (?, ?)",
                       (self.slot, generation))
        return True

    def kept_generation(self) -> str | None:
        """The run whose rows `keep_rows` holds."""
        row = self.cache.db.execute("SELECT generation FROM memo_held WHERE slot = ?",
                                    (self.slot,)).fetchone()
        return None if row is None else str(row[0])

    def kept_rows(self, ids: Sequence[str], generation: str) -> dict[str, WorkRow]:
        """The rows of these ids as the run `generation` saved them (`keep_rows`)."""
        if self.kept_generation() != generation:
            return {}
        found = {row[0]: row for row in self._select(
            f"SELECT id, {_ROW} FROM memo_rows WHERE {_ROW_READABLE} AND slot = ?", ids)}
        found.update((row[0], row) for row in self._select(  # the copies made aside first
            f"SELECT id, {_ROW} FROM memo_kept_rows WHERE {_ROW_READABLE} AND slot = ?", ids))
        return _rows(found.values())

    def _keep_aside(self, ids: Sequence[str]) -> None:
        """Before rows of these ids change: copies of them as the held run saved them
        (a copy made earlier stays: it is older)."""
        generation = self.kept_generation()
        if generation is not None and ids:
            list(select_in(self.cache.db.execute,
                           f"INSERT OR IGNORE INTO memo_kept_rows (slot, generation, id, {_ROW}) "
                           f"SELECT slot, ?, id, {_ROW} FROM memo_rows WHERE slot = ? AND id IN",
                           (generation, self.slot), ids))

    def enriched(self, paths: Sequence[str]) -> dict[str, list[Enriched]]:
        """Each file's enriched records."""
        return _of_kind(self._select_in(
            "SELECT path, enriched FROM memo_files WHERE slot = ? AND path IN", paths), list)

    def compared(self, paths: Sequence[str]
                 ) -> dict[str, tuple[tuple[Sig, ...], tuple[str, ...]]]:
        """Each file's records as the duplicate rules compare them: their signatures and
        identities."""
        found = _of_kind(self._select_in(
            "SELECT path, compared FROM memo_files WHERE slot = ? AND path IN", paths), tuple)
        return {path: pair for path, pair in found.items() if len(pair) == 2}

    def _select_in(self, sql: str, keys: Sequence[str]) -> list[Any]:
        """The rows asked for; none when the cache cannot be read now (locked by another
        run, damaged): what was kept is then made again (`KeptWorkMissing`)."""
        try:
            return list(select_in(self.cache.db.execute, sql, (self.slot,), keys))
        except sqlite3.Error as exc:
            log.info("what the last run kept cannot be read (%s)", exc)
            return []

    def _select(self, sql: str, ids: Sequence[str]) -> list[Any]:
        """`_select_in` for rows by work id (`sql` ends with its slot condition): for
        many ids, the slot's rows read in one pass (cheaper than looking each up), those
        asked for kept."""
        if len(ids) <= _LOOKED_UP:
            return self._select_in(f"{sql} AND id IN", ids)
        wanted = set(ids)
        try:
            return [row for row in self.cache.db.execute(sql, (self.slot,))
                    if row[0] in wanted]
        except sqlite3.Error as exc:
            log.info("what the last run kept cannot be read (%s)", exc)
            return []

    def save(self, run: RunMemo, works: Mapping[str, WorkRow], bodies: Mapping[str, Work],
             files: Mapping[str, tuple[object, list[Enriched]]], ids: set[str]) -> str:
        """Keep `run`, the work rows (and the content of works built in this run) and
        files' records that changed; drop the rows of works and files this run no longer
        has (`ids`: the works it has). A row whose content is neither given nor kept is
        not kept (its work is built again next run)."""
        db = self.cache.db
        generation = secrets.token_hex(16)
        with db:
            existing = {w for (w,) in db.execute("SELECT id FROM memo_rows WHERE slot = ?",
                                                 (self.slot,))}
            stale_works = [w for w in existing if w not in ids]
            self._keep_aside([*works, *stale_works])
            db.execute("INSERT OR REPLACE INTO memo_runs (slot, generation, run) VALUES (?, ?, ?)",
                       (self.slot, generation, _run_blob(run)))
            db.executemany(
                f"INSERT OR REPLACE INTO memo_rows (slot, id, {_ROW}) "
                f"VALUES (?, ?, {', '.join('?' * _ROW_COUNT)})",
                [(self.slot, wid, *_row_values(row)) for wid, row in works.items()
                 if wid in bodies])
            db.executemany(
                "INSERT OR REPLACE INTO memo_bodies (slot, id, body) VALUES (?, ?, ?)",
                [(self.slot, wid, _dumped(bodies[wid])) for wid in works if wid in bodies])
            db.executemany(
                f"UPDATE memo_rows SET ({_ROW}) = ({', '.join('?' * _ROW_COUNT)}) "
                "WHERE slot = ? AND id = ?",
                [(*_row_values(row), self.slot, wid)
                 for wid, row in works.items() if wid not in bodies])
            db.executemany("DELETE FROM memo_reads WHERE slot = ? AND id = ?",
                           [(self.slot, w) for w in [*works, *stale_works]])
            db.executemany(
                "INSERT OR IGNORE INTO memo_reads (slot, id, read) VALUES (?, ?, ?)",
                [(self.slot, wid, read) for wid, row in works.items()
                 if wid in bodies or wid in existing for read in _reads_of(row)])
            db.executemany(
                "INSERT OR REPLACE INTO memo_files (slot, path, compared, enriched) "
                "VALUES (?, ?, ?, ?)",
                [(self.slot, path, pickle.dumps(compared, pickle.HIGHEST_PROTOCOL),
                  pickle.dumps(found, pickle.HIGHEST_PROTOCOL))
                 for path, (compared, found) in files.items()])
            for table in ("memo_rows", "memo_bodies"):
                db.executemany(f"DELETE FROM {table} WHERE slot = ? AND id = ?",
                               [(self.slot, w) for w in stale_works])
            stale_files = [p for (p,) in db.execute(
                "SELECT path FROM memo_files WHERE slot = ?", (self.slot,))
                if p not in run.files]
            db.executemany("DELETE FROM memo_files WHERE slot = ? AND path = ?",
                           [(self.slot, p) for p in stale_files])
        return generation

    def forget(self) -> None:
        db = self.cache.db
        with db:
            for table in ("memo_runs", "memo_files", "memo_rows", "memo_reads", "memo_bodies",
                          "memo_kept_rows", "memo_held"):
                db.execute(f"DELETE FROM {table} WHERE slot = ?", (self.slot,))

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.cache.close()


def open_work_memo(config: Config) -> WorkMemo | None:
    """The memo of this state file and library (None when the cache folder cannot be
    used: then every run plans in full)."""
    try:
        return WorkMemo(config.cache_dir(), slot_of(config))
    except (OSError, sqlite3.Error) as exc:
        log.info("every run plans in full: the cache folder cannot keep its results (%s)", exc)
        return None


def usable_memo(memo: WorkMemo, context: str, enricher: Enricher) -> RunMemo | None:
    """The last run's memo, when the code, settings, folders, options and the record
    caches' answers it was made with are still those of this run."""
    try:
        run = memo.run()
        if run is None or run.context != context or cache_expired_since(enricher, run.since):
            return None
        return run if cache_settled(enricher, run.since) == run.cache else None
    except sqlite3.Error as exc:
        log.info("planning in full: the results of the last run cannot be read (%s)", exc)
        return None


class MemoRun:
    """One run's use of the memo: which kept plans still hold, and what to keep after."""

    def __init__(self, memo: WorkMemo, kept: RunMemo | None, front: Front, context: str,
                 enricher: Enricher) -> None:
        self.memo, self.kept, self.front = memo, kept, front
        self.context, self.enricher = context, enricher
        self.plans: KeptPlans | None = None
        self.items: dict[str, tuple[int, bool, bool]] = {}
        self.collections: object = None
        self.gone: Mapping[str, frozenset[str]] = {}
        self.generation: str | None = None  # of the rows this run saved

    def planning(self, store: StateStore, inputs: PlanInputs, scope: RunScope) -> KeptPlans:
        """The planner's memory, against the library as refreshed for this run."""
        self.items = store.mirror.states("items")
        self.collections = sorted(store.mirror.states("collections").items())
        self.gone = dict(scope.gone)
        touched: set[str] | None = None  # None: no kept plan holds
        kept = self.kept
        if kept is not None and kept.records == store.records_changes() \
                and kept.collections == self.collections:
            keys = library_changes(kept.items, self.items) | gone_changes(kept.gone, self.gone)
            changed = changed_items(keys, inputs.library)
            touched = self.memo.touched(changed) if changed else set()
        self.plans = KeptPlans(self.front, kept, touched)
        return self.plans

    def done(self, store: StateStore, planned: Plan, outcomes: Sequence[Outcome],
             inputs: PlanInputs) -> None:
        """Keep this run's results for the next (what fails to be kept only costs the
        next run time)."""
        if self.plans is None:
            return
        since = time.time()
        cache = cache_settled(self.enricher, since)
        if cache is None:
            return
        try:
            run, rows, bodies = kept_run(
                self.front, self.plans, since=since, context=self.context,
                records=store.records_changes(), cache=cache, items=self.items,
                collections=self.collections, gone=self.gone,
                unsettled=unsettled(planned, outcomes, inputs, self.plans.reused_rows))
            files = {f.path: ((f.sigs, f.identities), f.enriched) for f in self.front.files
                     if f.records is not None and f.enriched is not None}
            self.generation = self.memo.save(run, rows, bodies, files, set(self.front.rows))
        except (sqlite3.Error, pickle.PicklingError) as exc:
            log.info("the results of this run are not kept for the next (%s)", exc)
            with contextlib.suppress(sqlite3.Error):
                self.memo.forget()


    def keep_rows(self, generation: str) -> bool:
        try:
            return self.memo.keep_rows(generation)
        except sqlite3.Error as exc:
            log.info("the plan of this run is not kept for the next (%s)", exc)
            return False

    def outline(self, planned: Plan) -> Kept | None:
        """`planned` by reference to the rows this run saved (`lastrun.Kept`); None when
        its rows are not all those rows."""
        if self.generation is None:
            return None
        front, rows = self.front, list[WorkPlan]()
        for wid in front.ids:
            plan = front.rows[wid].plan
            if plan is None:
                return None
            rows.extend(plan)
        head = planned.works[:len(rows)]
        if len(head) != len(rows) or any(a is not b for a, b in zip(head, rows, strict=True)):
            return None
        return Kept(self.generation, tuple(front.ids), planned.collections,
                    planned.works[len(rows):], planned.library_empty_because,
                    dict(planned.collection_names))


def unsettled(planned: Plan, outcomes: Sequence[Outcome], inputs: PlanInputs,
              kept_rows: Set[int] = frozenset()) -> set[str]:
    """Identities of works whose plan will not hold next run: they wrote, failed, or were
    linked to their item in this run. `kept_rows`: ids of plan rows kept from an earlier
    run and used as they were (they write and link nothing: a kept plan is used only
    while zsync's records are as when it was made)."""
    out = {o.identity for o in outcomes if not o.applied}
    for row in planned.works:
        if id(row) in kept_rows:
            continue
        writes = row.action in (Action.CREATE, Action.UPDATE) or row.notice is not None \
            or any(n.writes for n in row.notes)
        linked = row.item_key is not None and inputs.links.get(row.identity) != row.item_key
        if writes or linked or row.action == Action.ERROR:
            out.add(row.identity)
    return out


_ROW = "identity, status, error, parts, unenriched, retraction, plan, deps"
_ROW_COUNT = len(_ROW.split(", "))
_ROW_TYPES = ("identity TEXT NOT NULL, status TEXT NOT NULL, error TEXT, parts TEXT NOT NULL, "
              "unenriched TEXT, retraction TEXT, plan BLOB, deps BLOB")
# A row of other types (another zsync's, or damaged) is not read: its work is made again.
_ROW_READABLE = (
    "typeof(identity) = 'text' AND typeof(status) = 'text' AND typeof(parts) = 'text' AND "
    + " AND ".join(f"typeof({c}) IN ('text', 'null')" for c in ("error", "unenriched",
                                                                "retraction"))
    + " AND " + " AND ".join(f"typeof({c}) IN ('blob', 'null')" for c in ("plan", "deps")))
_LOOKED_UP = 500  # more ids than this are read by a pass over the slot's rows


# The run as a whole, its files and groups as plain tuples (`rowcodec`).
_RUN = Flat(RunMemo, files=values_of(Flat(FileMemo, problems=each(Flat(InputProblem)))),
            groups=each(Flat(GroupMemo)))
# The memo's tables as this zsync keeps them: a run kept with other tables (a plan's
# reads kept another way, or not at all) is not used, so no kept plan is trusted
# without its reads. Change it with the tables' forms.
_TABLES = "memo_rows memo_reads memo_bodies memo_kept_rows/1"
_RUN_LAYOUT = hashlib.sha256(f"{_RUN.layout}\0{_TABLES}".encode()).hexdigest()[:16]


def _run_blob(run: RunMemo) -> bytes:
    return pickle.dumps((_RUN_LAYOUT, _RUN.encode(run)), pickle.HIGHEST_PROTOCOL)


def _run_of(blob: bytes) -> RunMemo | None:
    """The run kept in `blob`; None when it cannot be read (damaged, another zsync's)."""
    try:
        with paused_gc():
            layout, values = pickle.loads(blob)
            return _RUN.decode(values) if layout == _RUN_LAYOUT else None
    except Exception:  # damaged, or written by another zsync: planned anew
        return None


def _read(value: str, kind: str = "") -> str:
    """One read of the library as `memo_reads` keeps it: an item key, or a search."""
    return f"{kind}\0{value}"


def _reads_of(row: WorkRow) -> list[str]:
    """What the row's plan read (`memo_reads`); none when it keeps no plan."""
    deps = row.deps if row.planned else None
    if deps is None:
        return []
    return [*(["*"] if deps.everything else []), *map(_read, deps.keys),
            *(_read(value, kind) for kind, value in deps.searched)]


def _row_values(row: WorkRow) -> tuple[Any, ...]:
    """A row as the memo's columns (`_ROW`)."""
    return (*head_values(row.head), *row.notes, *row.blobs())


def _rows(found: Iterable[Sequence[Any]]) -> dict[str, WorkRow]:
    """The kept rows of these (id, `_ROW` ...) rows, of the types `_ROW_READABLE` asks."""
    with paused_gc():
        return {wid: WorkRow(head_of_values(identity, status, error, parts),
                             (unenriched, retraction), plan, deps)
                for wid, identity, status, error, parts, unenriched, retraction, plan, deps
                in found}


def _of_kind(rows: Iterable[tuple[Any, bytes]], kind: type[T]) -> dict[str, T]:
    """The kept values of these (key, pickle) rows that are a `kind` (another zsync's, or a
    damaged one, is left out: it is made again)."""
    with paused_gc():
        found = {str(key): _unpickled(blob) for key, blob in rows}
    return {key: value for key, value in found.items() if isinstance(value, kind)}


def _dumped(value: object) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _unpickled(blob: bytes) -> object:
    try:
        return pickle.loads(blob)
    except Exception:  # written by another zsync: planned anew
        return None
