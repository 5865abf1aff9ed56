"""The plan of the last sync that had nothing to write, kept for the next run.

A scheduled sync mostly finds nothing changed. The plan of a sync depends on:

- the notes: every input file's path and content, zsync's code and data, the settings, the
  folders read and the options given;
- the answers of Crossref and PubMed: read from the record cache when they are there and
  fresh, else asked for;
- the library and zsync's records of it: the mirror as refreshed at the start of the run
  (items, collections, deletions), what zsync wrote, where each item came from, the "not
  duplicates" pairs, and which note files named there still exist.

A run that wrote nothing, and asked no source anything (so every answer came from the
record cache), keeps its plan here with a digest of each part. A later run whose parts
have the same digests, and whose record cache has no answer that went stale in between,
gives that plan again without reading, enriching or planning a note: it is the plan a full
run would make. `zsync sync --full` never uses it. The plan is kept in the cache folder
(`parsed.sqlite`, table `kept_run`), one per library and state file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from zsync.config.settings import Config, Secret
from zsync.enrich.enricher import Enricher
from zsync.inputs.filecache import ParseCache, code_fingerprint
from zsync.report.archive import archived
from zsync.sources.cache import RecordCache
from zsync.sources.http import HttpLayer
from zsync.state.store import StateStore
from zsync.sync.plan import Plan
from zsync.sync.plantypes import CollectionCreate, WorkPlan

T = TypeVar("T")
log = logging.getLogger("zsync.sync.lastrun")
_DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Kept:
    """The kept run's plan (its report is kept beside it), by reference: each work's rows
    are those the work memo (`sync.memo`) kept in the same run (`generation`), so the plan
    is not written twice; the plan's own parts are here."""

    generation: str
    ids: tuple[str, ...]  # the works, in the plan's order
    collections: tuple[CollectionCreate, ...]
    tail: tuple[WorkPlan, ...]  # rows of no work (items whose note files are gone)
    library_empty_because: str | None
    collection_names: Mapping[str, str]


@dataclass(frozen=True)
class Digests:
    inputs: str
    cache: str
    library: str = ""


def inputs_digest(config: Config, paths: Sequence[Path], files: Iterable[tuple[str, str]],
                  *, prune: bool, title_search: bool) -> str:
    """The notes' side: code, settings (secrets left out), folders, options and files."""
    digest = hashlib.sha256(code_fingerprint())
    digest.update(_data_digest())
    settings = sorted((k, "" if isinstance(v, Secret) else repr(v))
                      for k, v in config.values.items())
    digest.update(repr((settings, [str(_resolved(p)) for p in paths], prune,
                        title_search)).encode())
    digest.update("".join(f"{path}\0{content}\n" for path, content in files).encode(
        "utf-8", "surrogatepass"))
    return digest.hexdigest()


@cache
def _data_digest() -> bytes:
    """What zsync's data files (the Zotero schema ...) add to `inputs_digest`: read once
    per process, as zsync's source is (`code_fingerprint`)."""
    parts = []
    for data in sorted(_DATA.rglob("*")) if _DATA.is_dir() else ():
        if data.is_file():
            parts.append(data.name.encode() + b"\0" + data.read_bytes())
    return b"".join(parts)


def lookup_layers(enricher: Enricher) -> tuple[list[RecordCache], list[HttpLayer]] | None:
    """The record caches and HTTP layers the enricher reads through (None: unknown, as
    with stand-in clients, and then nothing is kept)."""
    caches: dict[int, RecordCache] = {}
    layers: dict[int, HttpLayer] = {}
    for client in enricher.sources:
        cache, http = getattr(client, "cache", None), getattr(client, "http", None)
        if not isinstance(cache, RecordCache) or not isinstance(http, HttpLayer):
            return None
        caches[id(cache)], layers[id(http)] = cache, http
    return list(caches.values()), list(layers.values())


def asked(enricher: Enricher) -> int | None:
    """Requests the enricher's sources were asked for so far (None: unknown)."""
    found = lookup_layers(enricher)
    return None if found is None else sum(layer.asked for layer in found[1])


def cache_digest(enricher: Enricher) -> str | None:
    found = lookup_layers(enricher)
    return None if found is None else "|".join(c.state() for c in found[0])


def cache_settled(enricher: Enricher, since: float) -> str | None:
    """The record caches' answers stored at or before `since` (`RecordCache.settled`)."""
    found = lookup_layers(enricher)
    return None if found is None else "|".join(c.settled(since) for c in found[0])


def cache_expired_since(enricher: Enricher, since: float) -> bool:
    found = lookup_layers(enricher)
    return found is None or any(c.expired_since(since) for c in found[0])


def library_digest(store: StateStore) -> str:
    """The library's side, as the planner reads it from the state store (its change
    counter: `StateStore.planning_changes`), plus whether each note file named in it still
    exists (notes gone from their folders are planned for)."""
    counter = store.planning_changes()
    digest = hashlib.sha256(f"{store.db.library_id}\0{counter}\n".encode())
    paths = sorted({str(row[0]) for row in store.db.execute(
        "SELECT DISTINCT path FROM origins WHERE library_id = ?", (store.db.library_id,))})
    exists = _Existing()
    digest.update("".join(f"{path}\0{exists(path)}\n" for path in paths).encode(
        "utf-8", "surrogatepass"))
    return f"{counter}/{digest.hexdigest()}"


def library_as_kept(store: StateStore, kept: str) -> bool:
    """Whether `library_digest` is still `kept`; the state file's change counter, which
    is part of it, is compared first (a library that changed is told without reading
    where each item came from)."""
    if counter_of(kept) != store.planning_changes():
        return False
    return library_digest(store) == kept


def counter_of(digest: str) -> str:
    """The state file's change counter a `library_digest` was taken at."""
    return digest.rpartition("/")[0]


class _Existing:
    """`os.path.lexists`, answered for many files of one folder by listing the folder:
    once a file there was found by `lexists` (so the folder may be searched), a name its
    listing holds exists; any other is asked of `lexists` itself."""

    def __init__(self) -> None:
        self.listed: dict[str, frozenset[str]] = {}

    def __call__(self, path: str) -> bool:
        folder, name = _split(path)
        listing = self.listed.get(folder)
        if name and listing is not None and name in listing:
            return True
        found = os.path.lexists(path)
        if found and name and listing is None:
            try:
                self.listed[folder] = frozenset(os.listdir(folder or "."))
            except (OSError, ValueError):
                self.listed[folder] = frozenset()
        return found


def _split_posix(path: str) -> tuple[str, str]:
    """(the folder `path` names a file in, the file's name): `os.path.split` without its
    cost, the folder's text as `path` has it."""
    folder, separator, name = path.rpartition("/")
    return folder or separator, name


_split = _split_posix if os.sep == "/" and os.altsep is None else os.path.split


class LastRun:
    """The kept plan in the cache folder's `kept_run` table, one row per state file and
    library: its digests, its report (JSON, all a run that reuses it reads) and the plan
    (read only when a caller asks for it)."""

    def __init__(self, directory: Path, slot: str) -> None:
        self.cache = ParseCache(directory)
        self.slot = slot
        with self.cache.db:
            self.cache.db.execute("DROP TABLE IF EXISTS last_run")  # an older form
            self.cache.db.execute("""CREATE TABLE IF NOT EXISTS kept_run (
                slot TEXT PRIMARY KEY, inputs TEXT NOT NULL, cache TEXT NOT NULL,
                library TEXT NOT NULL, since REAL NOT NULL, report BLOB NOT NULL,
                kept BLOB NOT NULL)""")

    def digests(self) -> tuple[Digests, float] | None:
        """The digests of the kept plan, and when its run began enriching."""
        row = self.cache.db.execute(
            "SELECT inputs, cache, library, since FROM kept_run WHERE slot = ?",
            (self.slot,)).fetchone()
        return None if row is None else (Digests(row[0], row[1], row[2]), float(row[3]))

    def report(self) -> dict[str, Any] | None:
        """The kept run's report, as its run gave it."""
        row = self.cache.db.execute("SELECT report FROM kept_run WHERE slot = ?",
                                    (self.slot,)).fetchone()
        try:
            report = json.loads(row[0]) if row is not None else None
        except ValueError:
            return None
        return report if isinstance(report, dict) else None

    def kept(self) -> Kept | None:
        row = self.cache.db.execute("SELECT kept FROM kept_run WHERE slot = ?",
                                    (self.slot,)).fetchone()
        try:
            kept = pickle.loads(row[0]) if row is not None else None
        except Exception:  # written by another zsync
            return None
        return kept if isinstance(kept, Kept) else None  # (an older form is not)

    def keep(self, digests: Digests, since: float, kept: Kept,
             report: dict[str, Any]) -> None:
        with self.cache.db:
            self.cache.db.execute(
                "INSERT OR REPLACE INTO kept_run (slot, inputs, cache, library, since, report, "
                "kept) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self.slot, digests.inputs, digests.cache, digests.library, since,
                 json.dumps(report, ensure_ascii=False, separators=(",", ":")).encode(
                     "utf-8", "surrogatepass"),
                 pickle.dumps(kept, pickle.HIGHEST_PROTOCOL)))

    def forget(self) -> None:
        with self.cache.db:
            self.cache.db.execute("DELETE FROM kept_run WHERE slot = ?", (self.slot,))

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.cache.close()


def slot_of(config: Config) -> str:
    """Names the state file and library a kept result belongs to."""
    zot = config.zotero
    return f"{_resolved(config.state_path())}\0{zot.library_type}\0{zot.library_id}" \
           f"\0{zot.local}\0{zot.hybrid}"


def open_last_run(config: Config) -> LastRun | None:
    """The kept plan's table for this state file and library (None when the cache folder
    cannot be used: then every run is a full one)."""
    try:
        return LastRun(config.cache_dir(), slot_of(config))
    except (OSError, sqlite3.Error) as exc:
        log.info("every run plans in full: the cache folder cannot keep a plan (%s)", exc)
        return None


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except OSError:
        return path.absolute()


class Keeper:
    """Gathers the digests of a run as it goes, and keeps its plan when it had nothing to
    write and asked no source anything."""

    def __init__(self, memo: LastRun, enricher: Enricher,
                 notes_digest: Callable[[list[tuple[str, str]]], str]) -> None:
        self.memo, self.enricher, self.notes_digest = memo, enricher, notes_digest
        self.notes = ""
        self.asked: int | None = None
        self.since = 0.0
        self.cache: str | None = None
        self.library: str | None = None

    def before_enriching(self, files: list[tuple[str, str]]) -> None:
        """`files`: the digest of each input file as it was parsed."""
        self.notes = self.notes_digest(files)
        self.asked, self.since = asked(self.enricher), time.time()

    def after_enriching(self) -> None:
        if self.asked is None or asked(self.enricher) != self.asked:
            self.asked = None  # some answer did not come from the record cache
            return
        self.cache = cache_digest(self.enricher)

    def planning(self, store: StateStore) -> None:
        if self.cache is not None:
            self.library = guarded(lambda: library_digest(store))

    def done(self, store: StateStore, planned: Plan, report: dict[str, Any],
             kept: Kept | None, keep_rows: Callable[[str], bool]) -> None:
        """Keep the plan (`kept`: by reference to the work memo's rows, which `keep_rows`
        copies aside; None: it cannot be) and the run's report when it wrote nothing and
        the library is still as planned on."""
        if self.cache is None or self.library is None or kept is None or planned.has_changes:
            return
        library = self.library
        # Nothing the planner reads changed during the run when the counter did not move
        # (a note file named in the library and deleted meanwhile is found by the next
        # run, whose own digest then differs).
        if guarded(lambda: store.planning_changes()) != counter_of(library):
            return
        if not keep_rows(kept.generation):
            return
        guarded(lambda: self.memo.keep(Digests(self.notes, self.cache or "", library),
                                       self.since, kept, archived(report)))


def guarded(call: Callable[[], T]) -> T | None:
    try:
        return call()
    except sqlite3.Error as exc:
        log.info("the plan of this run is not kept for the next (%s)", exc)
        return None
