"""A sync whose notes, settings, answers and library are all as the last run left them
gives that run's report again (`lastrun` keeps it) without reading or planning."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zsync.config.settings import Config
from zsync.enrich.enricher import Enricher, utc_now
from zsync.errors import StateError
from zsync.report.archive import unlisted
from zsync.report.model import RunInfo
from zsync.runs import recorded_run
from zsync.state.store import RunLock, StateStore
from zsync.sync.lastrun import (
    Kept,
    LastRun,
    cache_digest,
    cache_expired_since,
    guarded,
    library_as_kept,
    open_last_run,
)
from zsync.sync.memo import WorkMemo, open_work_memo
from zsync.sync.result import PhaseHook, SyncResult
from zsync.zotero.mirror import refresh_mirror

if TYPE_CHECKING:
    from zsync.sync.plan import Plan

log = logging.getLogger("zsync.sync")


def reuse_last_run(
    memo: LastRun, notes: str, config: Config, enricher: Enricher, *, dry_run: bool,
    api_factory: Callable[[Config], Any], started: str, on_phase: PhaseHook,
    every_work: bool = True,
) -> SyncResult | None:
    """The kept plan's run again, when nothing it depends on changed; else None (and
    nothing done but a refresh of the library mirror). The report is kept as archived
    (`archive.archived`); `every_work` lists the works it counts, from the kept plan."""
    found = guarded(memo.digests)
    if found is None:
        return None
    digests, since = found
    if digests.inputs != notes or cache_digest(enricher) != digests.cache \
            or cache_expired_since(enricher, since):
        return None
    with RunLock(config.state_path()), StateStore.from_config(config) as store:
        api = api_factory(config)
        on_phase("library", 0)
        refresh_mirror(api, store)
        if store.intents.pending():
            return None  # a killed run's writes: the full path finishes them first
        kept = guarded(memo.report) if library_as_kept(store, digests.library) else None
        if kept is None or not _plan_readable(memo, config):
            return None
        if every_work and unlisted(kept):
            kept = _every_work_of(kept, config)
            if kept is None:
                return None
        log.info("nothing changed since the last run: its plan is used again (--full plans "
                 "everything anew)")
        return _replayed(kept, store, api, config, dry_run=dry_run, started=started)


def _replayed(kept: dict[str, Any], store: StateStore, api: Any, config: Config, *,
              dry_run: bool, started: str) -> SyncResult:
    """A run with the kept plan: what a run that planned it would record and report. The
    plan has nothing to write, and zsync's records are as that run left them (the state's
    change counter says so), so writing it would change nothing: it is not written."""
    mode = "dry-run" if dry_run else "apply"
    with recorded_run(config, store, api, "sync", mode) as run:
        report = {**kept, "mode": mode, "library": run.library, "started": started,
                  "finished": utc_now(), "notices": []}
        run.finish(report, "ok")
        return SyncResult(report, lambda: _kept_plan(config))


def _every_work_of(kept: dict[str, Any], config: Config) -> dict[str, Any] | None:
    """The kept report listing every work of the kept plan (None: it cannot be read)."""
    from zsync.sync.report import build_report  # only when a whole report is asked for

    try:
        plan = _kept_plan(config)
    except StateError as exc:
        log.info("planning anew: %s", exc)
        return None
    # The entries' only part not in the plan: why a work was not enriched, which the
    # kept report lists (such a work has something to tell).
    not_enriched = {w["identity"]: w["not_enriched"] for w in kept.get("works", ())
                    if isinstance(w, dict) and w.get("not_enriched")}
    info = RunInfo("sync", str(kept.get("mode")), None, "", not_enriched=not_enriched)
    listed = {**kept, "works": build_report(info, plan)["works"]}
    listed.pop("works_not_listed", None)
    return listed


def _plan_readable(memo: LastRun, config: Config) -> bool:
    """Whether the work memo still holds the rows the kept plan refers to."""
    kept = guarded(memo.kept)
    works = open_work_memo(config) if kept is not None else None
    if kept is None or works is None:
        return False
    try:
        return works.kept_generation() == kept.generation
    except sqlite3.Error:
        return False
    finally:
        works.close()


def _kept_plan(config: Config) -> Plan:
    """The plan of the kept run, read from the cache folder when asked for."""
    memo, works = open_last_run(config), open_work_memo(config)
    try:
        kept = None if memo is None else guarded(memo.kept)
        plan = None if kept is None or works is None else _plan_of(kept, works)
    except sqlite3.Error:
        plan = None
    finally:
        for opened in (memo, works):
            if opened is not None:
                opened.close()
    if plan is None:
        raise StateError("the plan kept from the last run could not be read again")
    return plan


def _plan_of(kept: Kept, works: WorkMemo) -> Plan | None:
    from zsync.sync.plan import Plan  # only when the kept plan is asked for

    rows = works.kept_rows(kept.ids, kept.generation)
    planned = [rows[wid].plan if wid in rows else None for wid in kept.ids]
    if any(p is None for p in planned):
        return None
    return Plan(kept.collections, (*(r for p in planned if p for r in p), *kept.tail),
                kept.library_empty_because, kept.collection_names)
