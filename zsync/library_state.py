"""Reading the state store into the pure planner's inputs, and writing run results back."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .adapters.state import StateStore
from .adapters.state_records import Conflict as StoredConflict
from .adapters.state_records import Origin as StoredOrigin
from .core import retraction
from .core.fuzzy import Settings
from .core.libmatch import LibraryIndex, existing_finder
from .core.library import LibraryCollection, LibraryItem, LibraryView
from .core.plan import PlanInputs, Work, WorkPlan, Written

_NOT_FIELDS = frozenset({"tags", "collections", "relations", "key", "version"})


def library_view(store: StateStore) -> LibraryView:
    items = (
        LibraryItem(i.key, i.version, {**i.data, "deleted": i.trashed or i.data.get("deleted")})
        for i in store.mirror.items()
    )
    collections = (
        LibraryCollection(c.key, c.version, c.name, c.parent_key)
        for c in store.mirror.collections() if not c.trashed
    )
    return LibraryView.build(items, collections)


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


def plan_inputs(
    store: StateStore, status_parent: str, new_key: Callable[[], str],
    duplicates: Settings | None = None,
) -> PlanInputs:
    """The planner's view of the library; `duplicates` turns on the fuzzy matching rules,
    with the user's "not duplicates" pairs added."""
    view = library_view(store)
    fuzzy = None
    if duplicates is not None:
        pairs = [tuple(p) for p in store.not_duplicates.pairs()]
        settings = Settings.of(duplicates.merge_preprints, [*duplicates.not_duplicates, *pairs])
        fuzzy = existing_finder(LibraryIndex.build(view, settings))
    return PlanInputs(view, written_by_item(store), links(store), status_parent,
                      new_key, noticed(store), fuzzy)


def remember(store: StateStore, work: Work, planned: WorkPlan) -> None:
    """Record which inputs the item came from, and the conflicts left open."""
    if planned.item_key is None:
        return
    ids: dict[str, Any] = {"identity": work.identity, **work.identifiers}
    for origin in work.origins:
        store.origins.add(
            StoredOrigin(planned.item_key, origin.path, origin.line, origin.format, ids)
        )
    store.conflicts.resolve(planned.item_key)
    for conflict in planned.conflicts:
        if conflict.kind == "edited":
            store.conflicts.add(
                StoredConflict(planned.item_key, conflict.field, conflict.ours, conflict.theirs)
            )
    if planned.note is not None and planned.note.action == "kept":  # the user edited it
        store.conflicts.add(
            StoredConflict(planned.item_key, "note", work.note_html, planned.note.html))


def remember_all(store: StateStore, pairs: Iterable[tuple[Work, WorkPlan]]) -> None:
    with store.transaction():  # one commit (one fsync) for the whole run, not one per work
        for work, planned in pairs:
            remember(store, work, planned)
