"""`zsync dedupe`: duplicates within the input and in the Zotero library, merging them,
and the user's "not duplicates" list.

    dedupe_input(config, paths, enricher=None)           # groups of input records
    dedupe_library(config, merge=True, apply=False)      # clusters; what a merge writes

The "not duplicates" list is edited through `dedupe_pairs`.

The library run holds the `RunLock`, finishes writes a killed run left unconfirmed (when
applying), refreshes the mirror, and finds the clusters (`duplicates.library_clusters`,
honouring `sync.merge_preprints` and the not-duplicates list). Clusters are numbered by
their master's `dateAdded`. Merging plans each cluster just before writing it, from the
mirror as it is then (refreshed first: one request when nothing changed), and writes it
with `dedupe_merge.merge_cluster`: master, moves, trash. Without `apply` nothing is
written; the report then holds every payload that would be sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zsync.config.settings import Config
from zsync.dedupe.duplicates import Cluster, find_duplicates, library_clusters, work_items
from zsync.dedupe.merge_writer import ClusterOutcome, Sent, merge_cluster, planned
from zsync.dedupe.mergeplan import MergePlan, choose_master, plan_merge
from zsync.dedupe.mergewrites import Write, merge_writes
from zsync.dedupe.pairs import NO_ACCOUNT, ApiFactory, DedupeSetupError, library_store
from zsync.dedupe.report import (
    MASTER_RULE,
    cluster_entry,
    input_groups,
    library_summary,
    merge_entry,
    problem_entry,
    related_entries,
)
from zsync.dedupe.rules import Settings
from zsync.enrich.enricher import Enricher, utc_now
from zsync.inputs.files import parse_paths, records_and_problems
from zsync.runs import library_run
from zsync.sources.retry import Exhausted
from zsync.state.store import StateStore
from zsync.zotero.api import (
    PendingWritesError,
    WriteExecutor,
    WriteRejected,
    WriteUnconfirmed,
    ZoteroApi,
    ZoteroSetupError,
    make_api,
    refresh_mirror,
)
from zsync.zotero.library import LibraryItem, LibraryView
from zsync.zotero.mirror import library_view

BeforeWrites = Callable[[int, list[Write]], None]  # (cluster number, its writes)


@dataclass
class DedupeResult:
    report: dict[str, Any]
    found: int = 0  # duplicate groups (input) or clusters (library)
    failed: int = 0  # clusters asked to be merged that were not (fully) merged
    problems: int = 0  # input files that could not be used


def fuzzy_settings(config: Config, pairs: Sequence[frozenset[str]] | set[frozenset[str]]
                   ) -> Settings:
    return Settings.of(config.sync.merge_preprints, pairs)


# -- within the input ------------------------------------------------------------------------


def dedupe_input(config: Config, paths: Sequence[Path], enricher: Enricher | None = None,
                 api_factory: ApiFactory = make_api) -> DedupeResult:
    """Duplicate groups among the records in `paths` (enriched first when an `enricher`
    is given, so identifiers a source adds count too)."""
    started = utc_now()
    records, problems = records_and_problems(parse_paths(paths, exclude=config.notes.exclude))
    notices: list[str] = []
    if enricher is not None:
        enriched = enricher.enrich(records)
        records = [e.record for e in enriched]
        missed = sum(1 for e in enriched if e.not_enriched)
        if missed:
            notices.append(f"{missed} record(s) could not be enriched; they are compared "
                           "as the notes give them")
    pairs = _input_pairs(config, api_factory, notices)
    groups, related = input_groups(find_duplicates(records, fuzzy_settings(config, pairs)),
                                   records)
    if related and not config.sync.merge_preprints:
        notices.append("preprints and their published versions are listed apart, not as "
                       "duplicates (sync.merge_preprints = false)")
    report = {
        "command": "dedupe", "scope": "input", "mode": "report", "started": started,
        "finished": utc_now(), "enriched": enricher is not None, "groups": groups,
        "related": related, "problems": [problem_entry(p) for p in problems],
        "notices": notices,
        "summary": {"records": len(records), "groups": len(groups),
                    "duplicates": sum(len(g["records"]) - 1 for g in groups),
                    "related": len(related), "problems": len(problems),
                    "not_duplicates": len(pairs)},
    }
    return DedupeResult(report, len(groups), problems=len(problems))


def _input_pairs(config: Config, api_factory: ApiFactory, notices: list[str]
                 ) -> set[frozenset[str]]:
    if not config.has_zotero_account():
        return set()
    try:
        with library_store(config, api_factory, lock=False) as store:
            return store.not_duplicates.pairs() | library_view(store).kept_apart()
    except (Exhausted, ZoteroSetupError) as exc:
        notices.append(f"the not-duplicates list could not be read: {exc}")
        return set()


# -- in the library ----------------------------------------------------------------------------


def dedupe_library(config: Config, *, merge: bool = False, apply: bool = False,
                   cluster: str | None = None, api_factory: ApiFactory = make_api,
                   before_writes: BeforeWrites | None = None,
                   on_phase: Callable[[str, int], None] | None = None) -> DedupeResult:
    """The library's duplicate clusters; with `merge`, what merging them writes (written
    only with `apply`); `cluster` (a number or an item key) merges just that one."""
    if not config.has_zotero_account():
        raise DedupeSetupError(NO_ACCOUNT)
    started = utc_now()
    mode = "apply" if merge and apply else "dry-run" if merge else "report"
    with library_run(config, "dedupe", mode, api_factory) as lib:
        if on_phase is not None:
            on_phase("merge" if merge and apply else "library", 0)
        run = _LibraryRun(config, lib.store, lib.api, lib.executor, before_writes)
        report = run.go(merge, apply, cluster)
        report = {"command": "dedupe", "scope": "library", "mode": mode,
                  "library": lib.library, "started": started, "finished": utc_now(),
                  **report}
        summary = report["summary"]
        failed = sum(summary[s] for s in ("partial", "skipped", "failed", "refused"))
        lib.finish(report, "failed" if failed and apply else "ok")
        return DedupeResult(report, summary["clusters"], failed if merge and apply else 0)


class _LibraryRun:
    def __init__(self, config: Config, store: StateStore, api: ZoteroApi,
                 executor: WriteExecutor, before_writes: BeforeWrites | None) -> None:
        self.config, self.store, self.api, self.executor = config, store, api, executor
        self.before_writes = before_writes
        self.uri = f"http://zotero.org/{api.relation_library()}"
        self.view = LibraryView()
        self.touched: set[str] = set()
        self.stopped: str | None = None

    def go(self, merge: bool, apply: bool, wanted: str | None) -> dict[str, Any]:
        if merge and apply:
            self.executor.resume_pending()
        refresh_mirror(self.api, self.store)
        self.view = view = library_view(self.store)
        pairs = self.store.not_duplicates.pairs() | view.kept_apart()
        found = library_clusters(view, fuzzy_settings(self.config, pairs))
        dups = [(choose_master(c.keys, view), c) for c in found if len(c.keys) > 1]
        dups.sort(key=lambda mc: (str(view.items[mc[0]].data.get("dateAdded") or ""), mc[0]))
        entries = [cluster_entry(n, c, m, view) for n, (m, c) in enumerate(dups, 1)]
        related = related_entries(found, view)  # as the library was before any merge
        items = len(work_items(view))
        chosen = _select(entries, wanted) if merge else []
        for n in chosen:
            cluster = dups[n][1]
            entries[n]["merge"] = self._merge(entries[n]["number"], dups[n][0], cluster) \
                if apply else self._dry_run(cluster)
        return {"master_rule": MASTER_RULE, "clusters": entries, "related": related,
                "notices": self._notices(merge, apply, entries, related, pairs),
                "summary": library_summary(entries, related, items, len(pairs))}

    def _dry_run(self, cluster: Cluster) -> dict[str, Any]:
        plan = plan_merge(cluster.keys, self.view, self.uri)
        return merge_entry(plan, planned(merge_writes(plan, self.view), plan.refused))

    def _merge(self, number: int, master: str, cluster: Cluster) -> dict[str, Any]:
        if self.stopped is None:
            try:
                self._fresh_view()
            except Exhausted as exc:
                self.stopped = f"Zotero could not be reached ({exc.reason})"
        if self.stopped is not None:
            return _unmerged(master, cluster, "failed", f"not attempted: {self.stopped}")
        gone = [k for k in cluster.keys
                if k not in self.view.items or self.view.items[k].trashed]
        if gone:
            return _unmerged(master, cluster, "skipped", f"{', '.join(gone)} went to the "
                             "trash or was deleted in Zotero meanwhile; nothing was written")
        plan = plan_merge(cluster.keys, self.view, self.uri)
        writes = merge_writes(plan, self.view)
        outcome = planned(writes, plan.refused) if plan.refused else \
            self._write(number, plan, writes)
        return merge_entry(plan, outcome)

    def _write(self, number: int, plan: MergePlan, writes: list[Write]) -> ClusterOutcome:
        if self.before_writes is not None:
            self.before_writes(number, writes)
        before = {w.key: self.view.items[w.key].data for w in writes
                  if w.key in self.view.items}
        try:
            outcome = merge_cluster(self.executor, writes, self._remember(plan), before)
        except (WriteUnconfirmed, WriteRejected, PendingWritesError) as exc:
            self.stopped = f"an earlier write failed ({exc})"
            outcome = ClusterOutcome(
                "failed", f"{exc}. This cluster may be partly merged; an item goes to the "
                "trash only after its notes and attachments moved, so at worst extra copies "
                "remain: run again to finish", [Sent(w, "unknown") for w in writes])
        self.touched |= {w.key for w in writes}
        if outcome.trashed:
            with self.store.transaction():
                for key in outcome.trashed:  # the notes synced to a copy now sync to the master
                    self.store.origins.move(key, plan.master)
        return outcome

    def _fresh_view(self) -> None:
        """The mirror as it is now: another client's changes fetched (the view rebuilt),
        else this run's own writes patched in."""
        stats = refresh_mirror(self.api, self.store)
        if stats.items_fetched or stats.items_deleted:
            self.view = library_view(self.store)
        else:
            for key in self.touched:
                _patch(self.view, self.store, key)
        self.touched.clear()

    def _remember(self, plan: MergePlan) -> dict[str, Any]:
        """What `written` keeps for the master: the values merged in are the user's, not
        zsync's, so zsync's own record of the item stays as it was."""
        prior = self.store.written.get(plan.master)
        held = prior.data if prior else {}
        master = self.view.items[plan.master].data
        empty: dict[str, Any] = {"tags": [], "collections": [], "relations": {}}
        return {name: held[name] if name in held else empty.get(name, master.get(name, ""))
                for name in plan.master_payload if name not in ("key", "version")}

    def _notices(self, merge: bool, apply: bool, entries: list[dict[str, Any]],
                 related: list[dict[str, Any]], pairs: set[frozenset[str]]) -> list[str]:
        out = []
        if pairs:
            out.append(f"{len(pairs)} pair(s) on the not-duplicates list are kept apart")
        if related and not self.config.sync.merge_preprints:
            out.append("preprints and their published versions are listed, not merged "
                       "(set sync.merge_preprints = true to merge them)")
        if entries and not merge:
            out.append("add --merge to see what merging would write (nothing is written "
                       "without --apply)")
        if entries and merge and not apply:
            out.append("dry run: nothing was written; add --apply to merge")
        return out


def _unmerged(master: str, cluster: Cluster, status: str, message: str) -> dict[str, Any]:
    others = tuple(k for k in cluster.keys if k != master)
    return merge_entry(MergePlan(master, others), ClusterOutcome(status, message))


def _patch(view: LibraryView, store: StateStore, key: str) -> None:
    mirrored = store.mirror.get_item(key)
    if mirrored is None or mirrored.deleted:
        view.items.pop(key, None)
        return
    view.items[key] = LibraryItem.from_mirror(mirrored)


def _select(entries: list[dict[str, Any]], wanted: str | None) -> list[int]:
    """Positions of the clusters to merge: all, or the one numbered or holding a key."""
    if wanted is None:
        return list(range(len(entries)))
    text = wanted.strip()
    for n, entry in enumerate(entries):
        if text == str(entry["number"]) or text.upper() in entry["keys"]:
            return [n]
    raise DedupeSetupError(f"no duplicate cluster {wanted!r}: the library has "
                           f"{len(entries)} (give a number from the report, or an item key)")
