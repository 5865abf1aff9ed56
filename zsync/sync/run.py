"""`zsync sync`: parse, enrich, de-duplicate, plan, and (unless a dry run) apply.

The dry run and the real run go through the same steps up to and including the plan; a
real run then hands the plan to the Zotero writer. Without a Zotero account a dry run plans
against an empty library and says so.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from zsync.config.settings import Config
from zsync.dedupe.rules import Settings
from zsync.enrich.enricher import Enricher, utc_now
from zsync.enrich.merge import Enriched
from zsync.errors import UsageError
from zsync.inputs.filecache import (
    input_digests,
    mapped_records,
    parse_paths_cached,
    rendered_notes,
)
from zsync.inputs.files import parse_paths, records_and_problems
from zsync.model.records import InputProblem, Record
from zsync.report.model import Outcome, RunInfo
from zsync.runs import library_run, recorded_run
from zsync.state.store import RunLock, StateStore
from zsync.sync.lastrun import (
    Keeper,
    Kept,
    LastRun,
    cache_digest,
    cache_expired_since,
    guarded,
    inputs_digest,
    library_digest,
    open_last_run,
)
from zsync.sync.library_state import (
    RunScope,
    forget_gone,
    gone_contributors,
    plan_inputs,
)
from zsync.sync.notelink_files import link_notes, snapshot
from zsync.sync.plan import Action, Plan, PlanInputs, Work, plan
from zsync.sync.report import build_report
from zsync.sync.works import WorkSettings, build_works
from zsync.sync.write import apply_plan
from zsync.zotero.api import (
    KEY_ALPHABET,
    make_api,
    refresh_mirror,
)
from zsync.zotero.library import LibraryView
from zsync.zotero.schema import ZoteroSchema

log = logging.getLogger("zsync.sync")
T = TypeVar("T")
NO_ACCOUNT = "no Zotero account configured: planned against an empty library"


@dataclass
class SyncResult:
    report: dict[str, Any]
    plan: Plan
    failed: int = 0
    works: list[Work] = field(default_factory=list)


def read_inputs(
    paths: Sequence[Path], exclude: Sequence[str] = (), parsed_cache: Path | None = None,
    digests_out: list[tuple[str, str]] | None = None,
) -> tuple[list[Record], list[InputProblem]]:
    """Every record and problem in the input files; with `parsed_cache` (a folder), files
    unchanged since an earlier run are not parsed again (inputs.filecache), and
    `digests_out` receives the digest of each file's content as read."""
    results = parse_paths(paths, exclude=exclude) if parsed_cache is None else \
        parse_paths_cached(paths, parsed_cache, exclude=exclude, digests_out=digests_out)
    return records_and_problems(results)


def duplicate_rules(config: Config) -> Settings:
    return Settings.of(config.sync.merge_preprints)


def settings_for(config: Config, schema: ZoteroSchema | None = None) -> WorkSettings:
    return WorkSettings(
        schema=schema or ZoteroSchema.load_default(),
        status_map=config.status_map(),
        default_status=config.sync.default_status,
        child_note=config.sync.child_note,
        duplicates=duplicate_rules(config),
    )


def random_key() -> str:
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(8))


PhaseHook = Callable[[str, int], None]  # (phase, how many things it goes through; 0: unknown)


def _no_phase(name: str, total: int = 0) -> None:
    """The phase hook when nobody follows the run's progress."""


def _info(
    config: Config, mode: str, library: str | None, enriched: list[Enriched],
    works: list[Work], problems: list[InputProblem], started: str, notices: tuple[str, ...],
) -> RunInfo:
    not_enriched, retracted = _enrichment_notes(enriched, works)
    return RunInfo("sync", mode, library, started, utc_now(), notices, not_enriched,
                   tuple(problems), retracted)


def _enrichment_notes(enriched: list[Enriched],
                      works: list[Work]) -> tuple[dict[str, str], dict[str, str]]:
    """Work identity -> why it was not enriched; -> its retraction and correction notices."""
    by_origin = {(e.record.origin.path, e.record.origin.position): e for e in enriched}
    not_enriched: dict[str, str] = {}
    retracted: dict[str, str] = {}
    for work in works:
        members = [m for o in work.origins if (m := by_origin.get((o.path, o.position)))]
        reasons = [p.removeprefix("not enriched: ") for m in members for p in m.not_enriched]
        if reasons:
            not_enriched[work.identity] = "; ".join(dict.fromkeys(reasons))
        flagged = {
            (n.kind, n.doi, n.pmid): n for m in members for n in m.record.notices
            if n.kind in ("retraction", "correction", "expression_of_concern")
        }
        if flagged:
            retracted[work.identity] = "; ".join(
                f"{n.kind.replace('_', ' ')} {n.doi or n.pmid or ''} {n.date or ''}".strip()
                for n in flagged.values()
            )
    return not_enriched, retracted


def sync(
    config: Config,
    paths: Sequence[Path],
    enricher: Enricher,
    *,
    dry_run: bool,
    prune: bool = False,
    full: bool = False,
    api_factory: Callable[[Config], Any] = make_api,
    link: bool = False,
    on_phase: PhaseHook = _no_phase,
) -> SyncResult:
    """`full`: parse and render every note again, even those unchanged since the last
    run, and plan in full (`lastrun`); `link`: add to each note a link to its item
    (`notelinks`), after the writes."""
    started = utc_now()
    memo = None if full or link or not config.has_zotero_account() else open_last_run(config)
    try:
        if memo is not None and guarded(memo.digests) is not None:
            files = input_digests(paths, config.notes.exclude, cache_dir=config.cache_dir())
            notes = inputs_digest(config, paths, files, prune=prune,
                                  title_search=enricher.title_search)
            reused = _reuse_last_run(memo, notes, config, paths, enricher, dry_run=dry_run,
                                     prune=prune, api_factory=api_factory, started=started,
                                     on_phase=on_phase)
            if reused is not None:
                return reused
        keeper = None if memo is None else Keeper(memo, enricher, lambda files: inputs_digest(
            config, paths, files, prune=prune, title_search=enricher.title_search))
        return _sync(config, paths, enricher, dry_run=dry_run, prune=prune, full=full,
                     api_factory=api_factory, link=link, on_phase=on_phase, started=started,
                     keeper=keeper)
    finally:
        if memo is not None:
            memo.close()


def _sync(
    config: Config, paths: Sequence[Path], enricher: Enricher, *, dry_run: bool, prune: bool,
    full: bool, api_factory: Callable[[Config], Any], link: bool, on_phase: PhaseHook,
    started: str, keeper: Keeper | None,
) -> SyncResult:
    on_phase("read", 0)
    files: list[tuple[str, str]] = []
    records, problems = read_inputs(paths, config.notes.exclude,
                                    None if full else config.cache_dir(), files)
    digests = snapshot(records) if link else {}
    on_phase("enrich", len(records))
    if keeper is not None:
        keeper.before_enriching(files)
    enriched = _enrich(config, enricher, records, full)
    if keeper is not None:
        keeper.after_enriching(enriched, problems)
    result = sync_enriched(config, enriched, problems, dry_run=dry_run, paths=paths,
                           prune=prune, api_factory=api_factory, started=started,
                           on_phase=on_phase, full=full, keeper=keeper)
    if link:
        failed = {w["identity"] for w in result.report["works"]
                  if w.get("result") and not w["result"].get("applied")}
        result.report["note_links"] = link_notes(result.plan, result.report["library"],
                                                 digests, failed, dry_run)
    return result


def _enrich(config: Config, enricher: Enricher, records: list[Record],
            full: bool) -> list[Enriched]:
    """Enrich, reusing the records mapped from the same answers in an earlier run (unless
    `full`)."""
    if full:
        return enricher.enrich(records)
    with mapped_records(config.cache_dir()) as memo:
        if memo is None:
            return enricher.enrich(records)
        before, enricher.mapper = enricher.mapper, memo
        try:
            return enricher.enrich(records)
        finally:
            enricher.mapper = before


PlanStep = Callable[[Plan, PlanInputs], Plan]


def _works(config: Config, enriched: list[Enriched], full: bool) -> list[Work]:
    if full:
        return build_works(enriched, settings_for(config))
    with rendered_notes(config.cache_dir()) as render:
        return build_works(enriched, replace(settings_for(config), render_note=render))


def sync_enriched(
    config: Config,
    enriched: list[Enriched],
    problems: list[InputProblem],
    *,
    dry_run: bool,
    paths: Sequence[Path] = (),
    prune: bool = False,
    api_factory: Callable[[Config], Any] = make_api,
    started: str | None = None,
    then: PlanStep | None = None,
    on_phase: PhaseHook = _no_phase,
    full: bool = True,
    keeper: Keeper | None = None,
) -> SyncResult:
    """Everything after enrichment: works, plan and (unless a dry run) writes. `paths` are
    the folders read (for notes gone from them); `then` amends every plan made; `on_phase`
    hears each phase begin; unless `full`, notes rendered in an earlier run are reused;
    `keeper` keeps a plan with nothing to write for the next run (`lastrun`)."""
    started = started or utc_now()
    works = _works(config, enriched, full)
    status_parent = config.sync.status_parent

    def make_plan(todo: list[Work], inputs: PlanInputs) -> Plan:
        planned = plan(todo, inputs)
        return then(planned, inputs) if then else planned

    if not config.has_zotero_account():
        if not dry_run:
            raise SyncSetupError(
                "no Zotero account configured: set zotero.library_id and zotero.api_key "
                "(or ZOTERO_LIBRARY_ID / ZOTERO_API_KEY), or use --dry-run"
            )
        inputs = PlanInputs(LibraryView.build([]), {}, {}, status_parent, random_key)
        result = make_plan(works, inputs)
        info = _info(config, "dry-run", None, enriched, works, problems, started, (NO_ACCOUNT,))
        return SyncResult(build_report(info, result), result, works=works)
    with library_run(config, "sync", "dry-run" if dry_run else "apply", api_factory) as run:
        store, api, executor, library = run.store, run.api, run.executor, run.library
        if not dry_run:
            executor.resume_pending()
        on_phase("library", 0)
        refresh_mirror(api, store)
        if keeper is not None:
            keeper.planning(store)
        on_phase("plan", len(works))
        scope = RunScope(rules=duplicate_rules(config), gone=gone_contributors(
            store, paths, works), prune=prune)
        planned = make_plan(works, plan_inputs(store, status_parent, executor.new_key,
                                               scope))
        outcomes: list[Outcome] = []
        if not dry_run:
            on_phase("write", planned.count(Action.CREATE) + planned.count(Action.UPDATE))
            planned, outcomes = apply_plan(
                executor, store, works, planned, status_parent, scope=scope, api=api,
                planner=make_plan,
            )
            if prune:
                done = {o.item_key for o in outcomes if o.applied and o.item_key}
                forget_gone(store, scope.gone, done & set(scope.gone))
        mode = "dry-run" if dry_run else "apply"
        info = _info(config, mode, library, enriched, works, problems, started, ())
        report = build_report(info, planned, outcomes)
        failed = sum(1 for o in outcomes if not o.applied)
        if keeper is not None and not failed and then is None:
            keeper.done(store, planned, works, _enrichment_notes(keeper.enriched, works))
        run.finish(report, "failed" if failed else "ok")
        return SyncResult(report, planned, failed, works)


# --- the last run's plan, when nothing it depends on changed (see lastrun) ---------------


def _reuse_last_run(
    memo: LastRun, notes: str, config: Config, paths: Sequence[Path], enricher: Enricher, *,
    dry_run: bool, prune: bool, api_factory: Callable[[Config], Any], started: str,
    on_phase: PhaseHook,
) -> SyncResult | None:
    """The kept plan's run again, when nothing it depends on changed; else None (and
    nothing done but a refresh of the library mirror)."""
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
        kept = guarded(memo.kept) if library_digest(store) == digests.library else None
        if kept is None:
            return None
        log.info("nothing changed since the last run: its plan is used again (--full plans "
                 "everything anew)")
        return _replayed(kept, store, api, config, dry_run=dry_run, prune=prune,
                         started=started, on_phase=on_phase)


def _replayed(kept: Kept, store: StateStore, api: Any, config: Config, *, dry_run: bool,
              prune: bool, started: str, on_phase: PhaseHook) -> SyncResult:
    """A run with the kept plan: what a run that planned it would record and report."""
    mode = "dry-run" if dry_run else "apply"
    with recorded_run(config, store, api, "sync", mode) as run:
        planned, outcomes = kept.plan, list[Outcome]()
        if not dry_run:
            run.executor.resume_pending()
            on_phase("write", 0)
            planned, outcomes = apply_plan(
                run.executor, store, kept.works, planned, config.sync.status_parent,
                scope=RunScope(rules=duplicate_rules(config), prune=prune), api=api)
        info = RunInfo("sync", mode, run.library, started, utc_now(), (), kept.not_enriched,
                       kept.problems, kept.retracted)
        report = build_report(info, planned, outcomes)
        failed = sum(1 for o in outcomes if not o.applied)
        run.finish(report, "failed" if failed else "ok")
        return SyncResult(report, planned, failed, kept.works)


class SyncSetupError(UsageError):
    """The sync cannot start: settings are missing."""
