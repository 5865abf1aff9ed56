"""Reading the state store into the pure planner's inputs, and writing run results back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zsync.dedupe.libmatch import LibraryIndex, existing_finder
from zsync.dedupe.rules import Settings
from zsync.state.db import dumps
from zsync.state.records import Conflict as StoredConflict
from zsync.state.records import Origin as StoredOrigin
from zsync.state.store import StateStore
from zsync.sync import retraction
from zsync.sync.legacy import legacy_memories
from zsync.sync.plan import PlanInputs, Work, WorkPlan, Written
from zsync.zotero.mirror import library_view

_NOT_FIELDS = frozenset({"tags", "collections", "relations", "key", "version"})


def written_by_item(store: StateStore) -> dict[str, Written]:
    """What zsync last wrote to each item, with the child note it wrote there."""
    rows = store.written.all()
    notes = {
        str(r.data["parentItem"]): r for r in rows
        if r.data.get("itemType") == "note" and r.data.get("parentItem")
        and not retraction.is_notice_note(r.data.get("note"))
    }
    out: dict[str, Written] = {}
    for row in rows:
        if row.data.get("itemType") == "note":
            continue
        note = notes.get(row.item_key)
        out[row.item_key] = Written(
            row.item_key,
            {k: v for k, v in row.data.items() if k not in _NOT_FIELDS},
            tags=tuple(t["tag"] for t in row.data.get("tags", []) if isinstance(t, dict)),
            collections=tuple(row.data.get("collections", [])),
            note_key=note.item_key if note else None,
            note_html=str(note.data.get("note")) if note else None,
        )
    return out


def noticed(store: StateStore) -> dict[str, frozenset[str]]:
    """Item key -> the notice kinds of the retraction/correction notes zsync wrote there."""
    out: dict[str, frozenset[str]] = {}
    for row in store.written.all():
        parent = row.data.get("parentItem")
        if row.data.get("itemType") == "note" and parent:
            kinds = retraction.noted_slugs(row.data.get("note"))
            if kinds:
                out[str(parent)] = out.get(str(parent), frozenset()) | kinds
    return out


def links(store: StateStore) -> dict[str, str]:
    """Work identity -> item key, for every input zsync synced before."""
    out: dict[str, str] = {}
    for origin in store.origins.all():
        identity = origin.identifiers.get("identity")
        if identity:
            out[str(identity)] = origin.item_key
    return out


@dataclass(frozen=True)
class RunScope:
    """What a sync run plans with besides the library: the duplicate rules, the notes gone
    from the folders it read, and whether to remove what those gave (`--prune`)."""

    rules: Settings | None = None
    gone: Mapping[str, frozenset[str]] = field(default_factory=dict)
    prune: bool = False


def plan_inputs(
    store: StateStore, status_parent: str, new_key: Callable[[], str],
    scope: RunScope | Settings | None = None,
) -> PlanInputs:
    """The planner's view of the library; the scope's duplicate rules turn on the fuzzy
    matching rules, with the user's "not duplicates" pairs added."""
    if not isinstance(scope, RunScope):
        scope = RunScope(rules=scope)
    view = library_view(store)
    fuzzy = None
    if scope.rules is not None:
        pairs = [tuple(p) for p in store.not_duplicates.pairs() | view.kept_apart()]
        settings = Settings.of(scope.rules.merge_preprints,
                               [*scope.rules.not_duplicates, *pairs])
        fuzzy = existing_finder(lambda: LibraryIndex.build(view, settings))
    written = written_by_item(store)
    status_parent_key = view.find_collection((status_parent,))
    statuses = {c.key for c in view.collections.values() if c.parent == status_parent_key}
    return PlanInputs(view, written, links(store), status_parent, new_key, noticed(store),
                      fuzzy, legacy_memories(written, statuses), scope.gone, scope.prune)


def gone_contributors(store: StateStore, paths: Sequence[Path],
                      works: Sequence[Work]) -> dict[str, frozenset[str]]:
    """Item key -> names of the input files that gave it something in an earlier run, lie
    within the folders (or are among the files) this run read, and are gone now."""
    roots = [_resolved(p) for p in paths]
    seen_names = {c.id.rsplit("/", 1)[-1] for w in works for c in w.contributors}
    out: dict[str, set[str]] = {}
    for origin in store.origins.all():
        path = Path(origin.path)
        if not path.is_absolute() or not any(_within(path, r) for r in roots):
            continue
        if path.exists():
            continue
        name = path.name
        if name in seen_names:
            continue  # moved, not gone: a file of that name gave something in this run
        out.setdefault(origin.item_key, set()).add(name)
    return {k: frozenset(v) for k, v in out.items()}


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except OSError:
        return path.absolute()


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _to_remember(item_key: str, work: Work,
                 planned: WorkPlan) -> tuple[list[StoredOrigin], dict[str, StoredConflict]]:
    """The places the item came from, and its open conflicts by field."""
    ids: dict[str, Any] = {"identity": work.identity, **work.identifiers}
    origins = [
        StoredOrigin(item_key, str(_resolved(Path(o.path))) if o.path != "-" else o.path,
                     o.line, o.format, ids)
        for o in work.origins
    ]
    conflicts = {c.field: StoredConflict(item_key, c.field, c.ours, c.theirs)
                 for c in planned.conflicts if c.kind == "edited"}
    wanted = {c.id: c.note_html for c in work.contributors}
    for note in planned.notes:
        if note.action == "kept":  # the user edited it
            name = f"note {note.contributor}" if note.contributor else "note"
            conflicts[name] = StoredConflict(item_key, name, wanted.get(note.contributor or ""),
                                             note.html)
    return origins, conflicts


def remember(store: StateStore, work: Work, planned: WorkPlan) -> None:
    """Record which inputs the item came from, and the conflicts left open."""
    if planned.item_key is None:
        return
    origins, conflicts = _to_remember(planned.item_key, work, planned)
    for origin in origins:
        store.origins.add(origin)
    store.conflicts.resolve(planned.item_key)
    for conflict in conflicts.values():
        store.conflicts.add(conflict)


def remember_all(store: StateStore, pairs: Iterable[tuple[Work, WorkPlan]]) -> None:
    """`remember` for every pair, writing only what differs from what is stored."""
    origins_known, conflicts_known = store.origins.known(), store.conflicts.known()
    with store.transaction():  # one commit (one fsync) for the whole run, not one per work
        for work, planned in pairs:
            if planned.item_key is None:
                continue
            key = planned.item_key
            origins, conflicts = _to_remember(key, work, planned)
            for o in origins:
                if (key, o.path, o.line, o.format, dumps(o.identifiers)) not in origins_known:
                    store.origins.add(o)
            stored = {f: (dumps(c.zsync_value), dumps(c.user_value), c.run_id)
                      for f, c in conflicts.items()}
            if stored != conflicts_known.get(key, {}):
                store.conflicts.resolve(key)
                for conflict in conflicts.values():
                    store.conflicts.add(conflict)


def forget_gone(store: StateStore, gone: Mapping[str, frozenset[str]],
                pruned: Iterable[str]) -> None:
    """After `--prune` removed what gone files gave these items, stop naming those files."""
    with store.transaction():
        for key in pruned:
            for origin in store.origins.for_item(key):
                if Path(origin.path).name in gone.get(key, frozenset()):
                    store.origins.forget(key, origin.path)
