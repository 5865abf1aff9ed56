"""`zsync sync`: parse, enrich, de-duplicate, plan, and (unless a dry run) apply.

The dry run and the real run go through the same steps up to and including the plan; a
real run then hands the plan to the Zotero writer. Without a Zotero account a dry run plans
against an empty library and says so.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from zsync.config.settings import Config
from zsync.enrich.enricher import Enricher, utc_now
from zsync.errors import UsageError
from zsync.inputs.filecache import (
    ParsedAhead,
    input_digests,
    mapped_records,
    parse_ahead,
    parse_paths_cached,
    rendered_notes,
)
from zsync.inputs.files import parse_paths
from zsync.model.records import FileResult, InputProblem, Record
from zsync.runs import library_run
from zsync.sync.lastrun import (
    Keeper,
    guarded,
    inputs_digest,
    open_last_run,
)
from zsync.sync.plan import Plan, PlanInputs, Work
from zsync.sync.replay import reuse_last_run
from zsync.sync.result import PhaseHook, SyncResult
from zsync.zotero.client import make_api
from zsync.zotero.mirror import refresh_mirror

# Imported where used: a run that replays the last one (nothing changed) needs none of
# these, and a run with nothing to write never loads the writer.
if TYPE_CHECKING:
    from zsync.dedupe.rules import Settings
    from zsync.enrich.merge import Enriched
    from zsync.report.model import Outcome, RunInfo
    from zsync.sync.incremental import Front, RunMemo
    from zsync.sync.memo import MemoRun, WorkMemo
    from zsync.sync.works import WorkSettings
    from zsync.zotero.schema import ZoteroSchema

log = logging.getLogger("zsync.sync")
T = TypeVar("T")
NO_ACCOUNT = "no Zotero account configured: planned against an empty library"


def duplicate_rules(config: Config) -> Settings:
    from zsync.dedupe.rules import Settings

    return Settings.of(config.sync.merge_preprints)


def settings_for(config: Config, schema: ZoteroSchema | None = None) -> WorkSettings:
    from zsync.sync.works import WorkSettings
    from zsync.zotero.schema import ZoteroSchema

    return WorkSettings(
        schema=schema or ZoteroSchema.load_default(),
        status_map=config.status_map(),
        default_status=config.sync.default_status,
        child_note=config.sync.child_note,
        duplicates=duplicate_rules(config),
    )


def random_key() -> str:
    from zsync.zotero.writer import KEY_ALPHABET

    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(8))




def _no_phase(name: str, total: int = 0) -> None:
    """The phase hook when nobody follows the run's progress."""


Notes = dict[str, tuple[str | None, str | None]]  # identity -> not enriched, retracted


def _info(
    config: Config, mode: str, library: str | None, notes: Notes,
    problems: Sequence[InputProblem], started: str, notices: tuple[str, ...],
) -> RunInfo:
    from zsync.report.model import RunInfo

    not_enriched = {k: v[0] for k, v in notes.items() if v[0]}
    retracted = {k: v[1] for k, v in notes.items() if v[1]}
    return RunInfo("sync", mode, library, started, utc_now(), notices, not_enriched,
                   tuple(problems), retracted)


def _enrichment_notes(enriched: list[Enriched], works: list[Work]) -> Notes:
    """Work identity -> why it was not enriched, and its retraction and correction notices."""
    from zsync.sync.works import work_notes

    by_origin = {(e.record.origin.path, e.record.origin.position): e for e in enriched}
    out: Notes = {}
    for work in works:
        members = [m for o in work.origins if (m := by_origin.get((o.path, o.position)))]
        out[work.identity] = work_notes(members)
    return out


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
    every_work: bool = True,
) -> SyncResult:
    """`full`: parse and render every note again, even those unchanged since the last
    run, and plan in full (`lastrun`); `link`: add to each note a link to its item
    (`notelinks`), after the writes; unless `every_work`, the report lists only the works
    with something to tell (`build_report`)."""
    every_work = every_work or link
    started = utc_now()
    memo = None if full or link or not config.has_zotero_account() else open_last_run(config)
    files: list[tuple[str, str]] | None = None
    ahead: ParsedAhead | None = None
    try:
        if memo is not None and guarded(memo.digests) is not None:
            read: list[str] = []
            files = input_digests(paths, config.notes.exclude, cache_dir=config.cache_dir(),
                                  read_out=read)
            ahead = parse_ahead(files, read, config.cache_dir())  # changed files, meanwhile
            notes = inputs_digest(config, paths, files, prune=prune,
                                  title_search=enricher.title_search)
            reused = reuse_last_run(memo, notes, config, enricher, dry_run=dry_run,
                                    api_factory=api_factory, started=started,
                                    on_phase=on_phase, every_work=every_work)
            if reused is not None:
                return reused
        keeper = None if memo is None else Keeper(memo, enricher, lambda files: inputs_digest(
            config, paths, files, prune=prune, title_search=enricher.title_search))
        return _sync(config, paths, enricher, dry_run=dry_run, prune=prune, full=full,
                     api_factory=api_factory, link=link, on_phase=on_phase, started=started,
                     keeper=keeper, digests=files, ahead=ahead, every_work=every_work)
    finally:
        if ahead is not None:
            ahead.close()
        if memo is not None:
            memo.close()


def _sync(
    config: Config, paths: Sequence[Path], enricher: Enricher, *, dry_run: bool, prune: bool,
    full: bool, api_factory: Callable[[Config], Any], link: bool, on_phase: PhaseHook,
    started: str, keeper: Keeper | None, digests: list[tuple[str, str]] | None = None,
    ahead: ParsedAhead | None = None, every_work: bool = True,
) -> SyncResult:
    """`digests`: each input file's digest, when already found in this run; `ahead`: the
    changed files' parse, started then."""
    from zsync.sync.incremental import changed_files
    from zsync.sync.memo import MemoRun, open_work_memo, usable_memo
    from zsync.sync.notelink_files import link_notes, snapshot
    from zsync.sync.plantypes import KeptWorkMissing

    on_phase("read", 0)
    memo = open_work_memo(config) if config.has_zotero_account() else None
    try:
        context = inputs_digest(config, paths, [], prune=prune,
                                title_search=enricher.title_search)
        kept = None if full or link or memo is None else \
            usable_memo(memo, context, enricher)
        if digests is None:
            digests = input_digests(paths, config.notes.exclude,
                                    cache_dir=None if full else config.cache_dir())
        changed = changed_files(digests, kept)
        results = _parse(changed, config, full, ahead)
        if kept is not None and any(p not in results for p in changed):
            kept = None  # a file changed while it was read: read everything
            results = _parse([p for p, _ in digests], config, full, ahead)
        parsed = {path: (list(r.records), r.problems) for path, r in results.items()}
        if link:
            digests_of_notes = snapshot([r for f in parsed.values() for r in f[0]])
        if keeper is not None:
            keeper.before_enriching(digests)
        try:
            front = _front(config, enricher, digests, kept, memo, parsed, full, on_phase)
        except KeptWorkMissing as missing:
            log.info("reading every note: %s", missing)
            kept = None
            results = _parse([p for p, _ in digests], config, full)
            parsed = {path: (list(r.records), r.problems) for path, r in results.items()}
            front = _front(config, enricher, digests, kept, memo, parsed, full, on_phase)
        if keeper is not None:
            keeper.after_enriching()
        run = MemoRun(memo, kept, front, context, enricher) if memo is not None else None
        try:
            result = sync_works(config, front.works, front.notes, front.problems,
                                dry_run=dry_run, paths=paths, prune=prune,
                                api_factory=api_factory, started=started, on_phase=on_phase,
                                keeper=keeper, memo=run, every_work=every_work)
        except KeptWorkMissing as missing:
            if memo is None or kept is None or missing.after_writes:
                if memo is not None:
                    with contextlib.suppress(sqlite3.Error):
                        memo.forget()  # the next run plans every work anew
                raise
            log.warning("planning every work anew: %s", missing)
            with contextlib.suppress(sqlite3.Error):
                memo.forget()
            memo.close()
            memo = None
            return _sync(config, paths, enricher, dry_run=dry_run, prune=prune, full=full,
                         api_factory=api_factory, link=link, on_phase=on_phase,
                         started=started, keeper=keeper, digests=digests,
                         every_work=every_work)
    finally:
        if memo is not None:
            memo.close()
    front.works.detach()
    if link:
        failed = {w["identity"] for w in result.report["works"]
                  if w.get("result") and not w["result"].get("applied")}
        result.report["note_links"] = link_notes(result.plan, result.report["library"],
                                                 digests_of_notes, failed, dry_run)
    return result


def _front(config: Config, enricher: Enricher, digests: Sequence[tuple[str, str]],
           kept: RunMemo | None, memo: WorkMemo | None,
           parsed: dict[str, tuple[list[Record], tuple[InputProblem, ...]]], full: bool,
           on_phase: PhaseHook) -> Front:
    """Enrich what was read, and build the works (notes rendered in an earlier run are
    reused unless `full`)."""
    from zsync.sync.incremental import assemble

    enrich = _enricher(config, enricher, full, on_phase)
    if full:
        return assemble(digests, kept, memo, parsed, enrich, settings_for(config))
    with rendered_notes(config.cache_dir()) as render:
        return assemble(digests, kept, memo, parsed, enrich,
                        replace(settings_for(config), render_note=render))


def _parse(paths: Sequence[str], config: Config, full: bool,
           ahead: ParsedAhead | None = None) -> dict[str, FileResult]:
    """Parse `paths` (files found by the walk), by path; unchanged ones come from the
    cache of parsed notes unless `full`."""
    if not paths:
        return {}
    files = [Path(p) for p in paths]
    found = parse_paths(files, exclude=config.notes.exclude) if full else \
        parse_paths_cached(files, config.cache_dir(), exclude=config.notes.exclude,
                           ahead=ahead)
    return {r.path: r for r in found}


def _enricher(config: Config, enricher: Enricher, full: bool,
              on_phase: PhaseHook) -> Callable[[list[Record]], list[Enriched]]:
    def enrich(records: list[Record]) -> list[Enriched]:
        on_phase("enrich", len(records))
        return _enrich(config, enricher, records, full)
    return enrich


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


def works_of(config: Config, enriched: list[Enriched], *, full: bool = True
             ) -> tuple[list[Work], Notes]:
    """The works of these enriched records and each one's report lines; unless `full`,
    notes rendered in an earlier run are reused."""
    from zsync.sync.works import build_works

    if full:
        works = build_works(enriched, settings_for(config))
    else:
        with rendered_notes(config.cache_dir()) as render:
            works = build_works(enriched, replace(settings_for(config), render_note=render))
    return works, _enrichment_notes(enriched, works)


def sync_works(
    config: Config,
    works: Sequence[Work],
    notes: Notes,
    problems: Sequence[InputProblem],
    *,
    dry_run: bool,
    paths: Sequence[Path] = (),
    prune: bool = False,
    api_factory: Callable[[Config], Any] = make_api,
    started: str | None = None,
    then: PlanStep | None = None,
    on_phase: PhaseHook = _no_phase,
    keeper: Keeper | None = None,
    memo: MemoRun | None = None,
    every_work: bool = True,
) -> SyncResult:
    """Plan the works and (unless a dry run) write. `notes`: each work's report lines;
    `paths` are the folders read (for notes gone from them); `then` amends every plan
    made; `on_phase` hears each phase begin; `keeper` keeps a plan with nothing to write
    for the next run (`lastrun`); `memo` plans only what changed since the last run and
    keeps this run's results for the next (`incremental`); unless `every_work`, the report
    lists only the works with something to tell (`build_report`)."""
    from zsync.sync.library_state import RunScope, forget_gone, gone_contributors, plan_inputs
    from zsync.sync.plan import Action, plan
    from zsync.sync.plantypes import KeptWorkMissing
    from zsync.sync.report import build_report
    from zsync.sync.write import apply_plan
    from zsync.zotero.library import LibraryView

    started = started or utc_now()
    status_parent = config.sync.status_parent

    def make_plan(todo: Sequence[Work], inputs: PlanInputs) -> Plan:
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
        info = _info(config, "dry-run", None, notes, problems, started, (NO_ACCOUNT,))
        return SyncResult(build_report(info, result, every_work=every_work), result,
                          works=works)
    with library_run(config, "sync", "dry-run" if dry_run else "apply", api_factory) as run:
        store, api, executor, library = run.store, run.api, run.executor, run.library
        if not dry_run:
            executor.resume_pending()
        on_phase("library", 0)
        refresh_mirror(api, store)
        on_phase("plan", len(works))
        scope = RunScope(rules=duplicate_rules(config), gone=gone_contributors(
            store, paths, works), prune=prune)
        inputs = plan_inputs(store, status_parent, executor.new_key, scope,
                             lazy=memo is not None and memo.kept is not None and then is None)
        kept_plans = memo.planning(store, inputs, scope) if memo is not None and then is None \
            else None
        planned = plan(works, inputs, kept_plans) if kept_plans is not None else \
            make_plan(works, inputs)
        if keeper is not None and not planned.has_changes:
            keeper.planning(store)  # the library as planned on (nothing written since)
        outcomes: list[Outcome] = []
        if not dry_run:
            on_phase("write", planned.count(Action.CREATE) + planned.count(Action.UPDATE))
            try:
                planned, outcomes = apply_plan(
                    executor, store, works, planned, status_parent, scope=scope, api=api,
                    planner=make_plan, settled=frozenset(kept_plans.reused)
                    if kept_plans is not None else frozenset(),
                )
            except KeptWorkMissing as missing:
                missing.after_writes = True  # never started again once writing began
                raise
            if prune:
                done = {o.item_key for o in outcomes if o.applied and o.item_key}
                forget_gone(store, scope.gone, done & set(scope.gone))
        mode = "dry-run" if dry_run else "apply"
        info = _info(config, mode, library, notes, problems, started, ())
        report = build_report(info, planned, outcomes, every_work=every_work)
        failed = sum(1 for o in outcomes if not o.applied)
        if memo is not None and kept_plans is not None:
            memo.done(store, planned, outcomes, inputs)
        if keeper is not None and not failed and then is None:
            keeper.done(store, planned, report,
                        memo.outline(planned) if memo is not None else None,
                        memo.keep_rows if memo is not None else lambda _: False)
        run.finish(report, "failed" if failed else "ok")
        return SyncResult(report, planned, failed, works)


class SyncSetupError(UsageError):
    """The sync cannot start: settings are missing."""
