"""`zsync refresh`: bring the items already in the library up to date from Crossref/PubMed.

    refresh(config, enricher, dry_run=False, options=RefreshOptions(limit=100))

A run holds the `RunLock`, finishes writes a killed run left unconfirmed, refreshes the
mirror (one request when nothing changed), then walks the regular items that changed
since refresh last saw them (all of them on the first run, or with `--all`), oldest
version first, in chunks of `chunk_size`. Each chunk is enriched in batches (`Enricher`),
planned by the sync planner against what zsync wrote earlier (`refresh.work`: fill
empty fields, update zsync's own values, report every other difference; MeSH tags and
retraction watch), written (`refresh_apply`), and then marked as seen in the state store
(`state.refresh`), the watermark advancing with it. A run stopped at any point
resumes with the first chunk it did not finish. Items a source could not be asked about
stay due and are retried by the next run. A dry run does all of this but write and mark.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from zsync.config.settings import Config
from zsync.enrich.enricher import Enricher, utc_now
from zsync.enrich.merge import Enriched
from zsync.refresh.apply import apply_chunk, outcomes
from zsync.refresh.select import RefreshOptions, RefreshSetupError, select, view_of, written_for
from zsync.refresh.work import identity, refresh_work
from zsync.report.model import Outcome, RunInfo
from zsync.runs import library_run
from zsync.state.refresh import DueItem, RefreshLog
from zsync.state.store import Conflict as StoredConflict
from zsync.state.store import StateStore
from zsync.sync import retraction
from zsync.sync.apply import failures
from zsync.sync.legacy import legacy_memories
from zsync.sync.library_state import noticed
from zsync.sync.plan import Action, Plan, PlanInputs, WorkPlan, plan
from zsync.sync.report import build_report
from zsync.zotero.api import ObjectOutcome, WriteExecutor, make_api, refresh_mirror
from zsync.zotero.from_item import item_to_record
from zsync.zotero.schema import ZoteroSchema

__all__ = ["RefreshOptions", "RefreshResult", "RefreshSetupError", "refresh"]

log = logging.getLogger("zsync.refresh")
NOT_ENRICHED = "not enriched: "
OFFLINE = "offline"
# Item types worth a Crossref title search when they carry no identifier.
SEARCHABLE = frozenset({"journalArticle", "conferencePaper", "bookSection", "book", "preprint",
                        "report", "thesis", "dataset", "standard", "magazineArticle"})
LOOKAHEAD = 2  # chunks looked up ahead of the one being written
ChunkHook = Callable[[int, int], None]  # (chunk number from 1, items in it), after marking


@dataclass
class RefreshResult:
    report: dict[str, Any]
    plan: Plan
    failed: int = 0  # items whose write failed
    unavailable: int = 0  # items a source could not be asked about (retried next run)
    items: int = 0  # items looked at
    remaining: int = 0  # items still due after this run (--limit, failures)


@dataclass
class _Totals:
    works: list[WorkPlan] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    not_enriched: dict[str, str] = field(default_factory=dict)
    retracted: dict[str, str] = field(default_factory=dict)
    failed: int = 0
    unavailable: int = 0


def refresh(
    config: Config, enricher: Enricher, *, dry_run: bool,
    options: RefreshOptions | None = None,
    api_factory: Callable[[Config], Any] = make_api,
    on_chunk: ChunkHook | None = None,
    on_phase: Callable[[str, int], None] | None = None,
) -> RefreshResult:
    started = utc_now()
    if not config.has_zotero_account():
        raise RefreshSetupError(
            "no Zotero account configured: set zotero.library_id and zotero.api_key "
            "(or ZOTERO_LIBRARY_ID / ZOTERO_API_KEY); refresh works on the library itself")
    mode = "dry-run" if dry_run else "apply"
    with library_run(config, "refresh", mode, api_factory) as lib:
        run = _Run(lib.store, lib.executor, lib.id, enricher, dry_run,
                   options or RefreshOptions(), on_chunk)
        if not dry_run:
            run.executor.resume_pending()
        if on_phase is not None:
            on_phase("library", 0)
        refresh_mirror(lib.api, lib.store)
        if on_phase is not None:
            on_phase("refresh", 0)
        result = run.go()
        info = RunInfo("refresh", mode, lib.library, started, utc_now(),
                       tuple(run.notices(result)), run.totals.not_enriched, (),
                       run.totals.retracted)
        result.report = _report(info, result, run.totals)
        lib.finish(result.report,
                   "failed" if result.failed else "partial" if result.unavailable else "ok")
        return result


def _report(info: RunInfo, result: RefreshResult, totals: _Totals) -> dict[str, Any]:
    report = build_report(info, result.plan, totals.outcomes)
    report["works"] = [{**w, "matched_by": None} for w in report["works"]
                       if w["action"] != "unchanged" or w["conflicts"] or w["not_enriched"]]
    report["refresh"] = {"items": result.items, "remaining": result.remaining,
                         "unavailable": result.unavailable}
    return report


def _remember_conflicts(store: StateStore, planned: Plan, failed: dict[str, str]) -> None:
    """Open conflicts for values the user changed after zsync wrote them; close those of
    fields just written. (Differences in fields zsync never wrote are only reported.)"""
    with store.transaction():
        for w in planned.works:
            if w.item_key is None or w.identity in failed:
                continue
            for change in w.changes:
                store.conflicts.resolve(w.item_key, change.field)
            for c in w.conflicts:
                if c.kind == "edited":
                    store.conflicts.add(StoredConflict(w.item_key, c.field, c.ours, c.theirs))


def _transient(enriched: Enriched) -> list[str]:
    return [p for p in enriched.not_enriched if p.startswith(NOT_ENRICHED)]


class _Run:
    def __init__(self, store: StateStore, executor: WriteExecutor, run_id: int,
                 enricher: Enricher, dry_run: bool, options: RefreshOptions,
                 on_chunk: ChunkHook | None) -> None:
        self.store, self.executor, self.run_id = store, executor, run_id
        self.enricher, self.dry_run, self.options = enricher, dry_run, options
        self.on_chunk = on_chunk
        self.log = RefreshLog(store.db)
        self.schema = ZoteroSchema.load_default()
        self.totals = _Totals()
        self.noticed: dict[str, frozenset[str]] = {}

    def go(self) -> RefreshResult:
        self.log.check_watermark(self.store.mirror.library_version())
        full_pass = None
        if self.options.everything:
            full_pass = self.run_id if self.dry_run else self.log.start_full_pass(self.run_id)
        due = self.log.due(full_pass)
        selected = select(self.store, due, self.options)
        limit = self.options.limit
        chosen = selected if limit is None else selected[:max(0, limit)]
        self.noticed = noticed(self.store) if chosen else {}
        size = max(1, self.options.chunk_size)
        chunks = [chosen[start:start + size] for start in range(0, len(chosen), size)]
        # The next chunk's lookups run while this one is planned and written, so the
        # sources' rate limits, not the writes, set the pace. The lookup thread touches
        # only the sources and the record cache; the state store stays on this thread.
        lookups = ThreadPoolExecutor(1, thread_name_prefix="zsync-lookups")
        ahead = deque(lookups.submit(self._lookup, c) for c in chunks[:LOOKAHEAD])
        try:
            for number, chunk in enumerate(chunks, 1):
                enriched = ahead.popleft().result()
                if number + LOOKAHEAD <= len(chunks):
                    ahead.append(lookups.submit(self._lookup, chunks[number + LOOKAHEAD - 1]))
                self._chunk(chunk, enriched)
                if self.on_chunk is not None:
                    self.on_chunk(number, len(chunk))
        finally:
            lookups.shutdown(wait=True, cancel_futures=True)
        if self.dry_run:
            remaining = len(due) - len(chosen)
        else:
            after = {d.key for d in self.log.due(full_pass)}
            remaining = len(after)
            finished = len(chosen) == len(selected) and not any(c.key in after for c in chosen)
            if full_pass is not None and finished:
                self.log.end_full_pass()
        plan_ = Plan((), tuple(self.totals.works))
        return RefreshResult({}, plan_, self.totals.failed, self.totals.unavailable,
                             len(chosen), remaining)

    def notices(self, result: RefreshResult) -> list[str]:
        out = []
        if result.unavailable:
            out.append(f"{result.unavailable} items could not be enriched (a source was "
                       "unavailable); they stay due and the next run tries them again")
        if result.remaining and not result.unavailable:
            out.append(f"{result.remaining} more items are due; the next run continues")
        if not result.items:
            out.append("nothing changed in the library since the last refresh")
        return out

    # -- one chunk -----------------------------------------------------------------------------

    def _record_for(self, item: DueItem) -> Any:
        record = item_to_record(item.data, self.schema, key=item.key)
        if record.ids.is_empty() and record.item_type not in SEARCHABLE:
            record = replace(record, title=None)  # no title search for web pages and such
        return record

    def _lookup(self, items: list[DueItem]) -> list[Enriched]:
        clock = time.perf_counter()
        enriched = self.enricher.enrich([self._record_for(i) for i in items])
        log.debug("refresh: lookups for %d items took %.1f s", len(items),
                  time.perf_counter() - clock)
        return enriched

    def _chunk(self, items: list[DueItem], enriched: list[Enriched]) -> None:
        by_key = dict(zip((i.key for i in items), enriched, strict=True))
        looked_up = time.perf_counter()
        planned = self._plan(set(by_key), by_key)
        planned_at = time.perf_counter()
        results: list[ObjectOutcome] = []
        if not self.dry_run:
            planned, results = apply_chunk(
                self.executor, planned,
                lambda stale: self._plan({s.split(":", 1)[1] for s in stale}, by_key))
            failed = failures(results)
            done = [k for k, e in by_key.items()
                    if identity(k) not in failed and not _transient(e)]
            _remember_conflicts(self.store, planned, failed)
            self.log.mark(done, self.run_id)
            self.log.advance_watermark(self.store.mirror.library_version())
            self.totals.failed += len(failed)
        self._collect(planned, results, by_key)
        log.info("refresh: %d items, %d to update; plan %.1f s, writes %.1f s", len(items),
                 planned.count(Action.UPDATE), planned_at - looked_up,
                 time.perf_counter() - planned_at)

    def _plan(self, keys: set[str], by_key: dict[str, Enriched]) -> Plan:
        view = view_of(self.store, sorted(keys))
        written = written_for(self.store, keys)
        works = [refresh_work(view.items[k], by_key[k], written.get(k), self.schema)
                 for k in by_key if k in keys and k in view.items]
        inputs = PlanInputs(
            view, written, links={w.identity: w.identity.split(":", 1)[1] for w in works},
            status_parent="", new_key=self.executor.new_key,
            noticed={k: self.noticed[k] for k in keys if k in self.noticed},
            legacy=legacy_memories(written, set()))
        return plan(works, inputs)

    def _collect(self, planned: Plan, results: list[ObjectOutcome],
                 by_key: dict[str, Enriched]) -> None:
        self.totals.works.extend(planned.works)
        self.totals.outcomes.extend(outcomes(planned.works, results))
        notes = {w.identity: w.notice for w in planned.works}
        for key, e in by_key.items():
            name = identity(key)
            if e.not_enriched:
                reasons = (p.removeprefix(NOT_ENRICHED) for p in e.not_enriched)
                self.totals.not_enriched[name] = "; ".join(dict.fromkeys(reasons))
            transient = _transient(e)
            if transient and not all(OFFLINE in p for p in transient):
                self.totals.unavailable += 1
            said = retraction.summary(e.record.notices)
            if said:
                note = ("note to add" if self.dry_run else "note added") if notes.get(name) \
                    else "noted before"
                self.totals.retracted[name] = f"{said} ({note})"
