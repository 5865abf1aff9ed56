"""A sync that reads, enriches, groups and plans again only what changed since the last run.

After every run zsync keeps, in the cache folder (`sync.memo`), what each input file gave
(its digest, the dedupe signature and identity of each record, its input problems, its
enriched records), how the records were grouped into works, each work, and each work's
plan rows with what they read of the library (`sync.tracking`). The next run:

- reads and enriches only the files whose digest changed (or whose enrichment was
  incomplete: a source did not answer);
- groups the records again only when a changed file's records compare differently, or
  files came or went (the groups are made from the kept signatures: the same groups a
  full run makes);
- builds again only the works with a changed member;
- plans again only works that were built again, or whose kept plan read a library item
  that changed since, or searched for an identifier a changed item holds now.

Anything the kept results depend on as a whole (zsync's code, the settings, the folders
and options, the record caches' answers, zsync's own records in the state file, the status
collections) is compared first: when it differs, every work is planned again. The result
is the plan a full run makes (a model-based test compares the two); `--full` ignores it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Protocol

from zsync.dedupe.blocking import paused_gc
from zsync.dedupe.duplicates import clusters_of, record_identity
from zsync.dedupe.signature import Sig, sig_of_record
from zsync.enrich.merge import Enriched
from zsync.model.records import InputProblem, Record
from zsync.sync.keptrows import deps_blob, deps_of, plan_blob, plan_of
from zsync.sync.plan import PlanMemory, Work, WorkPlan
from zsync.sync.plantypes import KeptWorkMissing, WorkHead, Works, head_of
from zsync.sync.tracking import Deps
from zsync.sync.works import WorkSettings, build_work, why_joined, work_notes


@dataclass(frozen=True)
class FileMemo:
    digest: str
    problems: tuple[InputProblem, ...]
    volatile: bool  # a source could not enrich a record: read it again next run


@dataclass(frozen=True)
class GroupMemo:
    members: tuple[tuple[str, int], ...]  # (path, place among the file's records)
    why: tuple[tuple[int, str], ...]  # member position -> the rule that joined it
    id: str  # the work's id: `work_id` of its members


Notes = tuple[str | None, str | None]  # a work's not-enriched and retraction lines


@dataclass(frozen=True)
class RunMemo:
    context: str  # code, settings, folders and options
    records: str  # the state file's own-records counter after the run
    cache: str  # the record caches' answers as they were at `since`
    since: float
    items: Mapping[str, tuple[int, bool, bool]]  # key -> version, trashed, deleted
    collections: object  # the collections as planned on
    plan_context: object  # the status collections the plans were made with
    gone: Mapping[str, frozenset[str]]  # item key -> names of its gone note files
    files: Mapping[str, FileMemo]  # in the order they were read
    groups: tuple[GroupMemo, ...]


class WorkRow:
    """A work as kept for the next run, without its content (kept apart and read only for
    works planned again: `Works`): its head, report lines, and plan rows (None: plan it
    again) with what they read of the library. A row read from the memo holds its plan
    rows and their reads in their kept form (`keptrows` blobs) until first asked for: a
    row whose plan does not hold costs no more than its head."""

    __slots__ = ("_deps", "_plan", "head", "notes")

    def __init__(self, head: WorkHead, notes: Notes,
                 plan: tuple[WorkPlan, ...] | bytes | None = None,
                 deps: Deps | bytes | None = None) -> None:
        """`plan` and `deps` as they are, or as the memo keeps them (`keptrows` blobs)."""
        self.head, self.notes = head, notes
        self._plan, self._deps = plan, deps

    @property
    def plan(self) -> tuple[WorkPlan, ...] | None:
        plan = self._plan
        if isinstance(plan, bytes):
            plan = self._plan = plan_of(plan)
        return plan

    @property
    def deps(self) -> Deps | None:
        deps = self._deps
        if isinstance(deps, bytes):
            deps = self._deps = deps_of(deps)
        return deps

    @property
    def planned(self) -> bool:
        """Whether the row keeps a plan and what it read (not read yet)."""
        return self._plan is not None and self._deps is not None

    def blobs(self) -> tuple[bytes | None, bytes | None]:
        """The plan rows and deps as the memo keeps them (as read, when not changed)."""
        plan, deps = self._plan, self._deps
        return (plan if plan is None or isinstance(plan, bytes) else plan_blob(plan),
                deps if deps is None or isinstance(deps, bytes) else deps_blob(deps))


def work_id(members: tuple[tuple[str, int], ...]) -> str:
    """Names a work by its members (file path, place among the file's records)."""
    return hashlib.sha256(repr(members).encode("utf-8", "surrogatepass")).hexdigest()[:32]


Member = tuple[str, int]  # (file path, the record's place among the file's records)


@dataclass
class FileInput:
    """One input file of this run: what it gave, and whether it was read again."""

    path: str
    digest: str
    records: list[Record] | None  # None: unchanged, taken from the memo
    problems: tuple[InputProblem, ...] = ()
    enriched: list[Enriched] | None = None
    sigs: tuple[Sig, ...] = ()
    identities: tuple[str, ...] = ()


@dataclass
class Front:
    """What the front of a run (read, enrich, group, build) gives the planner."""

    works: Works
    notes: dict[str, Notes]  # work identity -> its not-enriched and retraction lines
    problems: list[InputProblem]
    files: list[FileInput]
    groups: list[GroupMemo]
    ids: list[str]  # the work id of each work, in order
    rows: dict[str, WorkRow]  # work id -> kept work (and plan, when it may still hold)
    rebuilt: set[str] = field(default_factory=set)  # work ids built in this run


def changed_files(digests: Sequence[tuple[str, str]], memo: RunMemo | None) -> list[str]:
    """Files to read again: new, edited, unreadable, or with incomplete enrichment."""
    out = []
    for path, digest in digests:
        kept = memo.files.get(path) if memo is not None else None
        if kept is None or kept.digest != digest or kept.volatile \
                or digest.startswith(("problem:", "unreadable:")):
            out.append(path)
    return out


class Kept(Protocol):
    """Where the kept works and enriched records are read from (`memo.WorkMemo`)."""

    def works(self, ids: Sequence[str]) -> dict[str, WorkRow]: ...
    def bodies(self, ids: Sequence[str]) -> dict[str, Work]: ...
    def enriched(self, paths: Sequence[str]) -> dict[str, list[Enriched]]: ...
    def compared(self, paths: Sequence[str]
                 ) -> dict[str, tuple[tuple[Sig, ...], tuple[str, ...]]]: ...


def assemble(
    digests: Sequence[tuple[str, str]], memo: RunMemo | None, store: Kept | None,
    parsed: Mapping[str, tuple[list[Record], tuple[InputProblem, ...]]],
    enrich: Callable[[list[Record]], list[Enriched]], settings: WorkSettings,
) -> Front:
    """The works of this run, reusing what `memo` kept for unchanged files."""
    files = [_file_input(path, digest, memo, parsed) for path, digest in digests]
    fresh = [r for f in files if f.records is not None for r in f.records]
    enriched = iter(enrich(fresh))
    for f in files:
        if f.records is not None:
            f.enriched = [next(enriched) for _ in f.records]
            f.sigs = tuple(sig_of_record(e.record) for e in f.enriched)
            f.identities = tuple(record_identity(e.record) for e in f.enriched)
    if memo is not None and store is not None and _same_comparison(files, memo, store):
        return _build(files, memo.groups, memo, store, settings)
    groups, why = _groups(files, store, settings)
    ids = map(work_id, groups)
    return _build(files, [GroupMemo(m, tuple(sorted(why.get(m, {}).items())), wid)
                          for m, wid in zip(groups, ids, strict=True)], memo, store, settings)


def _file_input(path: str, digest: str, memo: RunMemo | None,
                parsed: Mapping[str, tuple[list[Record], tuple[InputProblem, ...]]]
                ) -> FileInput:
    if path in parsed:
        records, problems = parsed[path]
        return FileInput(path, digest, list(records), problems)
    assert memo is not None
    kept = memo.files[path]
    return FileInput(path, digest, None, kept.problems)


def _groups(files: list[FileInput], store: Kept | None, settings: WorkSettings
            ) -> tuple[list[tuple[Member, ...]], dict[tuple[Member, ...], dict[int, str]]]:
    """The works' members, in input order, and why each member joined its work, grouped
    anew from every record's signature (the kept groups are used when no file came or
    went and every changed file's records compare as before: `_same_comparison`)."""
    unread = [f.path for f in files if f.records is None]
    kept = store.compared(unread) if store is not None and unread else {}
    for f in files:
        if f.records is None:
            if f.path not in kept:
                raise KeptWorkMissing(f"the kept records of {f.path} are missing")
            f.sigs, f.identities = kept[f.path]
    members = [(f.path, i) for f in files for i in range(len(f.sigs))]
    sigs = [s for f in files for s in f.sigs]
    identities = [i for f in files for i in f.identities]
    found = clusters_of(sigs, identities, settings.duplicates)
    groups = [tuple(members[i] for i in g.members) for g in found]
    return groups, {m: why_joined(g) for m, g in zip(groups, found, strict=True)}


def _same_comparison(files: list[FileInput], memo: RunMemo, store: Kept) -> bool:
    if [f.path for f in files] != list(memo.files):
        return False
    changed = [f for f in files if f.records is not None]
    kept = store.compared([f.path for f in changed]) if changed else {}
    return all(kept.get(f.path) == (f.sigs, f.identities) for f in changed)


def _build(files: list[FileInput], kept: Sequence[GroupMemo], memo: RunMemo | None,
           store: Kept | None, settings: WorkSettings) -> Front:
    """The works of this run (of the groups `kept`): kept ones by their rows (their
    content read only when asked for), the others built from their records."""
    by_path = {f.path: f for f in files}
    groups = [g.members for g in kept]
    ids = [g.id for g in kept]
    known = {g.id for g in memo.groups} if memo is not None else set()
    clean_ids = [wid for wid, m in zip(ids, groups, strict=True) if wid in known
                 and all(by_path[p].records is None for p, _ in m)]
    rows = store.works(clean_ids) if store is not None and clean_ids else {}

    def build(places: Sequence[int]) -> dict[int, Work]:
        _read_enriched(by_path, [groups[p] for p in places], store)
        return {p: build_work([_member(by_path[path], i) for path, i in groups[p]],
                              settings, dict(kept[p].why)) for p in places}

    def load(places: list[int]) -> dict[int, Work]:
        """Kept works; any whose content cannot be read is built again (the same work)."""
        found = store.bodies([ids[p] for p in places]) if store is not None else {}
        out = {p: found[ids[p]] for p in places if ids[p] in found}
        out.update(build([p for p in places if p not in out]))
        return out

    fresh = build([p for p, wid in enumerate(ids) if wid not in rows])
    rebuilt: set[str] = set()
    for place, work in fresh.items():
        members = [_member(by_path[path], i) for path, i in groups[place]]
        rows[ids[place]] = WorkRow(head_of(work), work_notes(members))
        rebuilt.add(ids[place])
    heads = [rows[wid].head for wid in ids]
    notes = {rows[wid].head.identity: rows[wid].notes for wid in ids}
    problems = [p for f in files for p in f.problems]
    return Front(Works(heads, load, fresh), notes, problems, files, list(kept), ids, rows,
                 rebuilt)


def _read_enriched(by_path: Mapping[str, FileInput], groups: Sequence[tuple[Member, ...]],
                   store: Kept | None) -> None:
    """The kept enriched records of the unchanged files these works draw on."""
    needed = sorted({p for m in groups for p, _ in m if by_path[p].enriched is None})
    if needed:
        kept = store.enriched(needed) if store is not None else {}
        for path in needed:
            by_path[path].enriched = kept.get(path)


def _member(file: FileInput, index: int) -> Enriched:
    if file.enriched is None or index >= len(file.enriched):
        raise KeptWorkMissing(f"the kept records of {file.path} are missing")
    return file.enriched[index]


class KeptPlans(PlanMemory):
    """The planner's memory for one run (of `front.works`, by place): kept plans of clean
    works, except those of `touched` (ids of the works whose kept plan read an item that
    changed since, as the memo found them; None: no kept plan holds) or when the run's
    context differs from the kept one."""

    def __init__(self, front: Front, memo: RunMemo | None, touched: Set[str] | None) -> None:
        self.front, self.memo, self.touched = front, memo, touched
        self.usable = False
        self.context: object = None
        self.replanned: dict[str, tuple[tuple[WorkPlan, ...], Deps]] = {}
        self.reused: set[str] = set()  # identities of works whose kept plan is used
        self.reused_rows: set[int] = set()  # ids of the kept plan rows given to the planner
        self.held: list[tuple[WorkPlan, ...] | None] = []  # by place, once `begin` ran

    def begin(self, context: object) -> None:
        self.context = context
        self.usable = self.memo is not None and self.touched is not None \
            and self.memo.plan_context == context
        with paused_gc():  # many long-lived objects, no cycles: see `paused_gc`
            self.held = [self._held(place) for place in range(len(self.front.ids))] \
                if self.usable else []

    def rows(self, place: int) -> tuple[WorkPlan, ...] | None:
        plan = self.held[place] if self.held else None
        if plan is None:
            return None
        self.reused.add(self.front.rows[self.front.ids[place]].head.identity)
        self.reused_rows.update(map(id, plan))
        return plan

    def _held(self, place: int) -> tuple[WorkPlan, ...] | None:
        """The work's kept plan rows when they still hold (read from their kept form)."""
        row = self._holding(place)
        return None if row is None else row.plan

    def _holding(self, place: int) -> WorkRow | None:
        """The work's kept row when its plan still holds."""
        wid = self.front.ids[place]
        if not self.usable or wid in self.front.rebuilt or wid in (self.touched or ()):
            return None
        row = self.front.rows[wid]
        return row if row.planned else None

    def planned(self, place: int, rows: tuple[WorkPlan, ...], deps: Deps) -> None:
        self.replanned[self.front.ids[place]] = (rows, deps)


def library_changes(before: Mapping[str, tuple[int, bool, bool]],
                    now: Mapping[str, tuple[int, bool, bool]]) -> set[str]:
    """Keys of items added, edited, trashed, restored or deleted between two snapshots."""
    keys = {k for k, v in now.items() if before.get(k) != v}
    keys.update(k for k in before if k not in now)
    return keys


def gone_changes(before: Mapping[str, frozenset[str]],
                 now: Mapping[str, frozenset[str]]) -> set[str]:
    return {k for k in {*before, *now} if before.get(k) != now.get(k)}


def kept_run(front: Front, plans: KeptPlans, *, since: float, context: str, records: str,
             cache: str,
             items: Mapping[str, tuple[int, bool, bool]], collections: object,
             gone: Mapping[str, frozenset[str]], unsettled: Iterable[str]
             ) -> tuple[RunMemo, dict[str, WorkRow], dict[str, Work]]:
    """What this run keeps for the next: the run, the work rows that changed and the
    content of the works built in this run. `unsettled` work identities (written, failed,
    or newly recorded in the state file in this run) keep their work but not their plan."""
    unsettled_ids = {wid for wid, row in front.rows.items() if row.head.identity in unsettled}
    changed = set(front.rebuilt) | set(plans.replanned) | unsettled_ids
    for wid, (rows, deps) in plans.replanned.items():
        row = front.rows[wid]
        front.rows[wid] = WorkRow(row.head, row.notes, rows, deps)
    for wid in unsettled_ids:
        row = front.rows[wid]
        front.rows[wid] = WorkRow(row.head, row.notes)
    files = {f.path: FileMemo(f.digest, f.problems, _volatile(f)) for f in front.files}
    memo = RunMemo(context, records, cache, since, dict(items), collections,
                   plans.context, dict(gone), files, tuple(front.groups))
    bodies = {wid: work for place, wid in enumerate(front.ids) if wid in front.rebuilt
              and (work := front.works.loaded(place)) is not None}
    return memo, {wid: front.rows[wid] for wid in changed if wid in front.rows}, bodies


def _volatile(file: FileInput) -> bool:
    """A file whose records some source could not enrich is read again next run."""
    return file.enriched is not None and any(e.not_enriched for e in file.enriched)
