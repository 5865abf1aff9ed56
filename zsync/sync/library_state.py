"""Reading the state store into the pure planner's inputs, and writing run results back."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zsync.dedupe.libmatch import LibraryIndex, existing_finder
from zsync.dedupe.rules import Settings
from zsync.state.db import dumps
from zsync.state.records import Conflict as StoredConflict
from zsync.state.records import Origin as StoredOrigin
from zsync.state.records import Written as StoredWritten
from zsync.state.store import StateStore
from zsync.sync import retraction
from zsync.sync.legacy import legacy_memories
from zsync.sync.plan import PlanInputs, Work, WorkPlan, Written
from zsync.sync.plantypes import heads_of
from zsync.zotero.indexed import IndexedView, indexed_view
from zsync.zotero.mirror import library_view

_NOT_FIELDS = frozenset({"tags", "collections", "relations", "key", "version"})


def written_by_item(store: StateStore) -> dict[str, Written]:
    """What zsync last wrote to each item, with the child note it wrote there."""
    rows = store.written.all()
    notes: dict[str, list[StoredWritten]] = {}
    for r in rows:
        if r.data.get("itemType") == "note" and r.data.get("parentItem"):
            notes.setdefault(str(r.data["parentItem"]), []).append(r)
    return {row.item_key: _written(row, notes.get(row.item_key, [])) for row in rows
            if row.data.get("itemType") != "note"}


def _written(row: StoredWritten, notes: Sequence[StoredWritten]) -> Written:
    """An item's record as the planner reads it; `notes`: zsync's records of the notes it
    wrote under the item, in the state file's order (the last that is not a notice
    counts)."""
    kept = [n for n in notes if not retraction.is_notice_note(n.data.get("note"))]
    note = kept[-1] if kept else None
    return Written(
        row.item_key,
        {k: v for k, v in row.data.items() if k not in _NOT_FIELDS},
        tags=tuple(t["tag"] for t in row.data.get("tags", []) if isinstance(t, dict)),
        collections=tuple(row.data.get("collections", [])),
        note_key=note.item_key if note else None,
        note_html=str(note.data.get("note")) if note else None,
    )


def noticed(store: StateStore) -> dict[str, frozenset[str]]:
    """Item key -> the notice kinds of the retraction/correction notes zsync wrote there."""
    notes: dict[str, list[StoredWritten]] = {}
    for row in store.written.all():
        parent = row.data.get("parentItem")
        if row.data.get("itemType") == "note" and parent:
            notes.setdefault(str(parent), []).append(row)
    return {key: kinds for key, rows in notes.items() if (kinds := _notice_kinds(rows))}


def _notice_kinds(notes: Iterable[StoredWritten]) -> frozenset[str]:
    kinds: frozenset[str] = frozenset()
    for row in notes:
        kinds |= retraction.noted_slugs(row.data.get("note"))
    return kinds


def links(store: StateStore) -> dict[str, str]:
    """Work identity -> item key, for every input zsync synced before (where places of a
    work name different items, the last by path, line and when it was recorded)."""
    out: dict[str, str] = {}
    rows = store.db.execute(
        "SELECT item_key, json_extract(identifiers, '$.identity') FROM origins "
        "WHERE library_id = ? ORDER BY path, line, rowid", (store.db.library_id,))
    for key, identity in rows:
        if identity:
            out[str(identity)] = key
    return out


class Links(Mapping[str, str]):
    """`links`, each work's item read when first asked for: of the places the work came
    from, the last in `links`' order names it; iterating reads them all."""

    def __init__(self, store: StateStore) -> None:
        self._store = store
        self._found: dict[str, str | None] = {}
        self._all: dict[str, str] | None = None

    def __getitem__(self, identity: str) -> str:
        if identity not in self._found:
            places = sorted(self._store.origins.of_identity(identity)) if identity else []
            self._found[identity] = places[-1][-1] if places else None
        found = self._found[identity]
        if found is None:
            raise KeyError(identity)
        return found

    def _everything(self) -> dict[str, str]:
        if self._all is None:
            self._all = links(self._store)
        return self._all

    def __iter__(self) -> Iterator[str]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())


@dataclass(frozen=True)
class RunScope:
    """What a sync run plans with besides the library: the duplicate rules, the notes gone
    from the folders it read, and whether to remove what those gave (`--prune`)."""

    rules: Settings | None = None
    gone: Mapping[str, frozenset[str]] = field(default_factory=dict)
    prune: bool = False


def plan_inputs(
    store: StateStore, status_parent: str, new_key: Callable[[], str],
    scope: RunScope | Settings | None = None, *, lazy: bool = False,
) -> PlanInputs:
    """The planner's view of the library; the scope's duplicate rules turn on the fuzzy
    matching rules, with the user's "not duplicates" pairs added. `lazy`: items and
    zsync's records of them are read from the state file as the planner asks for them
    (`zotero.indexed`), for a run that plans only a few works."""
    if not isinstance(scope, RunScope):
        scope = RunScope(rules=scope)
    view = indexed_view(store) if lazy else library_view(store)
    fuzzy = None
    if scope.rules is not None:
        rules = scope.rules

        def index() -> LibraryIndex:
            whole = view.everything() if isinstance(view, IndexedView) else view
            pairs = [tuple(p) for p in store.not_duplicates.pairs() | whole.kept_apart()]
            settings = Settings.of(rules.merge_preprints, [*rules.not_duplicates, *pairs])
            return LibraryIndex.build(whole, settings)
        fuzzy = existing_finder(index)
    records = WrittenRecords(store) if lazy else None
    written: Mapping[str, Written] = records if records is not None else written_by_item(store)
    status_parent_key = view.find_collection((status_parent,))
    statuses = {c.key for c in view.collections.values() if c.parent == status_parent_key}
    linked: Mapping[str, str] = Links(store) if lazy else links(store)
    return PlanInputs(view, written, linked, status_parent, new_key,
                      Noticed(records) if records is not None else noticed(store), fuzzy,
                      legacy_memories(written, statuses), scope.gone, scope.prune)


class WrittenRecords(Mapping[str, Written]):
    """`written_by_item`, each item's record (and the notes zsync wrote under it) read
    when first asked for; iterating reads them all."""

    def __init__(self, store: StateStore) -> None:
        self._store = store
        self._made: dict[str, Written | None] = {}
        self._notes: dict[str, list[StoredWritten]] = {}
        self._keys: list[str] | None = None

    def notes_of(self, key: str) -> list[StoredWritten]:
        """zsync's records of the notes it wrote under `key`, in `written.all()` order."""
        if key not in self._notes:
            self._notes[key] = self._store.written.notes_under(key)
        return self._notes[key]

    def __getitem__(self, key: str) -> Written:
        if key not in self._made:
            self._made[key] = self._make(key)
        made = self._made[key]
        if made is None:
            raise KeyError(key)
        return made

    def _make(self, key: str) -> Written | None:
        row = self._store.written.get(key)
        if row is None or row.data.get("itemType") == "note":
            return None
        return _written(row, self.notes_of(key))

    def keys_noted(self) -> list[str]:
        """The keys of the items zsync wrote notes under, in `written.all()` order."""
        notes: dict[str, None] = {}
        for row in self._store.written.all():
            if row.data.get("itemType") == "note" and row.data.get("parentItem"):
                notes[str(row.data["parentItem"])] = None
        return list(notes)

    def _all_keys(self) -> list[str]:
        if self._keys is None:
            self._keys = [r.item_key for r in self._store.written.all()
                          if r.data.get("itemType") != "note"]
        return self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._all_keys())

    def __len__(self) -> int:
        return len(self._all_keys())


class Noticed(Mapping[str, frozenset[str]]):
    """`noticed`, each item's notice kinds read when first asked for."""

    def __init__(self, written: WrittenRecords) -> None:
        self._written = written

    def __getitem__(self, key: str) -> frozenset[str]:
        kinds = _notice_kinds(self._written.notes_of(key))
        if not kinds:
            raise KeyError(key)
        return kinds

    def __iter__(self) -> Iterator[str]:
        return iter([k for k in self._written.keys_noted() if k in self])

    def __len__(self) -> int:
        return sum(1 for _ in self)


def gone_contributors(store: StateStore, paths: Sequence[Path],
                      works: Sequence[Work]) -> dict[str, frozenset[str]]:
    """Item key -> names of the input files that gave it something in an earlier run, lie
    within the folders (or are among the files) this run read, and are gone now."""
    roots = [str(_resolved(p)) for p in paths]
    inside = tuple(r.rstrip(os.sep) + os.sep for r in roots)
    seen_names = {part.rsplit("/", 1)[-1] for w in heads_of(works) for part in w.parts}
    out: dict[str, set[str]] = {}
    rows = store.db.execute("SELECT item_key, path FROM origins WHERE library_id = ?",
                            (store.db.library_id,))
    for item_key, path in rows:  # stored resolved, as `_to_remember` writes them
        name = os.path.basename(path)
        if name in seen_names:
            continue  # there, or moved: a file of that name gave something in this run
        if not os.path.isabs(path) or not (path in roots or path.startswith(inside)):
            continue
        if os.path.exists(path):
            continue
        out.setdefault(item_key, set()).add(name)
    return {k: frozenset(v) for k, v in out.items()}


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except OSError:
        return path.absolute()


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
    pairs = [(w, p) for w, p in pairs if p.item_key is not None]
    keys = {str(p.item_key) for _, p in pairs}
    origins_known, conflicts_known = store.origins.known(keys), store.conflicts.known(keys)
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
