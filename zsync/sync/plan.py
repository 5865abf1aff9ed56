"""Plan a sync: for each work, what to create, update or leave in the Zotero library.

Pure: takes the works to sync and a view of the library mirror, and returns a `Plan`. A
dry run renders the plan; a real run applies it. Both share this code, so what a dry run
shows is what a real run does.

What zsync last wrote to an item is read from the item itself (`zotero.memory`), so the plan
is the same on any computer and after the state file was lost. Fields, tags, the status
collection and each note's child note are merged three ways (`sync.threeway`,
`sync.plan_item`, `sync.plan_notes`): the user's changes in Zotero are kept and reported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from zsync.sync.citekeys import key_clashes, same_key_item
from zsync.sync.plan_gone import plan_gone
from zsync.sync.plan_item import plan_update, work_hash
from zsync.sync.plan_notes import notice_slugs
from zsync.sync.plantypes import (
    Action,
    CollectionCreate,
    Contributor,
    NoteChange,
    Plan,
    PlanInputs,
    Work,
    WorkPlan,
    Written,
    heads_of,
    works_at,
)
from zsync.sync.threeway import FROZEN, empty
from zsync.sync.tracking import Deps, Reads, tracked
from zsync.zotero.library import LibraryItem
from zsync.zotero.memory import (
    Contribution,
    Memory,
    contributor_hash,
    join_extra,
    note_hash,
    split_extra,
    tag_hash,
    value_hash,
)

__all__ = [
    "Action",
    "CollectionCreate",
    "Contributor",
    "NoteChange",
    "Plan",
    "PlanInputs",
    "Work",
    "WorkPlan",
    "Written",
    "plan",
]


class PlanMemory(Protocol):
    """Plans of works kept from an earlier run that still hold (`sync.incremental`)."""

    def begin(self, context: object) -> None:
        """What every work's plan depends on: the status collections."""

    def rows(self, place: int) -> tuple[WorkPlan, ...] | None:
        """The plan rows of the work at `place` from an earlier run, if they still hold."""

    def planned(self, place: int, rows: tuple[WorkPlan, ...], deps: Deps) -> None:
        """The work at `place` was planned anew; `deps`: what its plan read of the
        library."""


def plan(works: Sequence[Work], inputs: PlanInputs, memory: PlanMemory | None = None) -> Plan:
    """The changes that bring the library in step with `works`; with `memory` (which knows
    these works by their place), works whose earlier plan still holds are not planned
    again, nor loaded (`Works`)."""
    statuses = sorted({w.status for w in heads_of(works) if not w.error and w.status})
    collections, status_keys, in_trash = _status_collections(statuses, inputs)
    managed = set(status_keys.values()) | _existing_status_collections(inputs)
    if memory is not None:
        memory.begin((sorted(status_keys.items()), sorted(managed), sorted(in_trash.items())))
    planned: list[WorkPlan] = []
    kept = [memory.rows(place) if memory is not None else None for place in range(len(works))]
    todo = [place for place, rows in enumerate(kept) if rows is None]
    loaded = dict(zip(todo, works_at(works, todo), strict=True))  # in one go
    for place, rows in enumerate(kept):
        if rows is None:
            rows = _plan_rows(loaded[place], place, inputs, status_keys, managed, in_trash,
                              memory)
        planned.extend(rows)
    seen = {w.item_key for w in planned if w.item_key}
    planned.extend(plan_gone(inputs, seen))
    names = {key: f"{inputs.status_parent}/{status}" for status, key in status_keys.items()}
    for key in managed - set(names):
        names.setdefault(key, "/".join(inputs.library.collection_path(key)))
    return Plan(_needed(collections, planned), tuple(planned), collection_names=names)


def _plan_rows(work: Work, place: int, inputs: PlanInputs, status_keys: Mapping[str, str],
               managed: set[str], in_trash: Mapping[str, str],
               memory: PlanMemory | None) -> tuple[WorkPlan, ...]:
    """The work's own row and one per duplicate folded into it; `memory` hears what the
    plan read of the library."""
    if memory is None:
        main = _plan_work(work, inputs, status_keys, managed, in_trash)
        return (main, *_duplicate_rows(work, main))
    reads = Reads()
    fuzzy = inputs.fuzzy
    if fuzzy is not None:
        def fuzzy_read(w: Work, find: Callable[[Work], Found] = fuzzy) -> Found:
            reads.everything = True
            return find(w)
        fuzzy = fuzzy_read
    watched = replace(inputs, library=tracked(inputs.library, reads), fuzzy=fuzzy)
    main = _plan_work(work, watched, status_keys, managed, in_trash)
    rows = (main, *_duplicate_rows(work, main))
    memory.planned(place, rows, reads.frozen())
    return rows


Found = tuple[LibraryItem | None, str | None]


def _needed(creates: list[CollectionCreate], planned: list[WorkPlan]
            ) -> tuple[CollectionCreate, ...]:
    """The status collections some item is filed in, and their parent: a status that
    files nothing (its item stays where it is) makes no empty collection."""
    used = {key for w in planned for key in w.collections_added}
    kept = [c for c in creates if c.key in used]
    parents = {c.parent for c in kept}
    return tuple(c for c in creates if c.key in used or c.key in parents)


def _status_collections(
    statuses: list[str], inputs: PlanInputs
) -> tuple[list[CollectionCreate], dict[str, str], dict[str, str]]:
    """Collections to create, status -> collection key, and status -> why it cannot be
    used (its collection, or the status parent, is in Zotero's trash)."""
    library, top = inputs.library, inputs.status_parent
    creates: list[CollectionCreate] = []
    keys: dict[str, str] = {}
    in_trash: dict[str, str] = {}
    parent = library.find_collection((top,))
    if parent is None and library.find_collection((top,), trashed=True) is not None:
        why = _in_trash(top)
        return [], {}, {s: why for s in statuses}
    if parent is None and statuses:
        parent = inputs.new_key()
        creates.append(CollectionCreate(parent, top, None))
    for status in statuses:
        key = library.find_collection((top, status))
        if key is None and library.find_collection((top, status), trashed=True):
            in_trash[status] = _in_trash(f"{top}/{status}")
            continue
        if key is None:
            key = inputs.new_key()
            creates.append(CollectionCreate(key, status, parent))
        keys[status] = key
    return creates, keys, in_trash


def _in_trash(path: str) -> str:
    return (f"the collection {path} is in Zotero's trash: the item was not filed there and "
            f"no second {path} was made; restore it from the trash, or rename or empty it "
            "to let zsync make a new one")


def _existing_status_collections(inputs: PlanInputs) -> set[str]:
    parent = inputs.library.find_collection((inputs.status_parent,))
    return {c.key for c in inputs.library.collections.values()
            if parent and c.parent == parent and not c.trashed}


def _duplicate_rows(work: Work, main: WorkPlan) -> list[WorkPlan]:
    return [
        WorkPlan(
            identity=work.identity, action=Action.DUPLICATE, title=work.title, origins=(origin,),
            item_key=main.item_key, duplicate_of=f"{main.origins[0].path}:{main.origins[0].line}",
            message="same work as another input; merged into one item"
            + (f" ({reason})" if reason else ""),
        )
        for origin, reason in zip(work.duplicates, _reasons(work), strict=True)
    ]


def _reasons(work: Work) -> tuple[str, ...]:
    reasons = work.duplicate_reasons
    return reasons if len(reasons) == len(work.duplicates) else ("",) * len(work.duplicates)


def _find_existing(work: Work, inputs: PlanInputs) -> tuple[LibraryItem | None, str | None]:
    library = inputs.library
    linked = inputs.links.get(work.identity)
    if linked and linked in library.items and not library.items[linked].trashed:
        return library.items[linked], "synced earlier by zsync"
    remembered = library.find("work", work_hash(work))
    if remembered:
        return library.items[sorted(remembered, key=lambda k: _date_added(library.items[k]))[0]], \
            "synced earlier by zsync (recorded in the item)"
    for kind in ("doi", "pmid", "pmcid", "isbn", "arxiv"):
        value = work.identifiers.get(kind)
        keys = library.find(kind, value)
        if keys:
            key = sorted(keys, key=lambda k: _date_added(library.items[k]))[0]
            extra = f" ({len(keys)} copies in the library)" if len(keys) > 1 else ""
            return library.items[key], f"{kind.upper()} {value}{extra}"
    by_key, matched_by = same_key_item(work.identifiers, library)
    if by_key is not None:
        return by_key, matched_by
    if inputs.fuzzy is not None:
        return inputs.fuzzy(work)
    return None, None


REMOVED_IN_ZOTERO = ("the item synced earlier was deleted or moved to the trash in Zotero; "
                     "not created again (restore it from the trash to sync it again)")


def _removed_in_zotero(work: Work, inputs: PlanInputs) -> str | None:
    """The key of the item zsync synced this work to, if the user has since deleted or
    trashed it (and the library holds no other copy): a decision zsync respects."""
    linked = inputs.links.get(work.identity)
    if linked is None:
        trashed = inputs.library.find("trashed-work", work_hash(work))
        return sorted(trashed)[0] if trashed else None
    item = inputs.library.items.get(linked)
    return linked if item is None or item.trashed else None


def _known_by_key_alone(work: Work) -> bool:
    return bool(work.identifiers.get("citekey")) and not (work.title or "").strip() and \
        set(work.identifiers) == {"citekey"}


def _date_added(item: LibraryItem) -> str:
    return str(item.data.get("dateAdded") or "")


def _plan_work(
    work: Work, inputs: PlanInputs, status_keys: Mapping[str, str], managed: set[str],
    in_trash: Mapping[str, str],
) -> WorkPlan:
    if work.error:
        return WorkPlan(work.identity, Action.ERROR, work.title, work.origins, message=work.error)
    existing, matched_by = _find_existing(work, inputs)
    status_key = status_keys.get(work.status)
    remarks = (*work.remarks, *([in_trash[work.status]] if work.status in in_trash else []),
               *key_clashes(work.identifiers, inputs.library,
                           existing.key if existing else None))
    removed = _removed_in_zotero(work, inputs)
    if existing is None and removed is not None:
        return WorkPlan(work.identity, Action.UNCHANGED, work.title, work.origins,
                        item_key=removed, message=REMOVED_IN_ZOTERO, remarks=remarks)
    if existing is None and _known_by_key_alone(work):
        return WorkPlan(work.identity, Action.ERROR, work.title, work.origins, remarks=remarks,
                        message=f"no item in the library holds citation key "
                        f"{work.identifiers['citekey']}, and the note gives no identifier or "
                        "title to make one from: add the work to Zotero, or its DOI or title "
                        "to the note")
    if existing is None:
        return _plan_create(work, inputs, status_key, remarks)
    return plan_update(work, existing, matched_by, inputs, status_key, managed, remarks)


def _plan_create(
    work: Work, inputs: PlanInputs, status_key: str | None, remarks: tuple[str, ...]
) -> WorkPlan:
    key = inputs.new_key()
    filed = [status_key] if status_key else []
    notes = tuple(NoteChange("create", inputs.new_key(), c.note_html, key, c.id)
                  for c in work.parts if c.note_html)
    notice = None
    if work.notice_html:
        notice = NoteChange("create", inputs.new_key(), work.notice_html, key)
    rest = split_extra(work.item.get("extra"))[0]
    memory = creation_memory(work, {**work.item, "extra": rest}, status_key, notes)
    payload = {**work.item, "extra": join_extra(rest, memory), "key": key, "version": 0,
               "collections": filed}
    return WorkPlan(
        identity=work.identity, action=Action.CREATE, title=work.title, origins=work.origins,
        item_key=key, version=0, tags_added=tuple(t["tag"] for t in work.item.get("tags", [])),
        collections_added=tuple(filed), notes=notes, payload=payload, notice=notice,
        remarks=remarks,
    )


def creation_memory(work: Work, fields: Mapping[str, object], status_key: str | None,
                    notes: tuple[NoteChange, ...]) -> Memory:
    """What zsync remembers of an item it creates: everything in it is zsync's."""
    note_of = {n.contributor: n for n in notes}
    contributors = {
        contributor_hash(c.id): Contribution(
            note_key=note_of[c.id].key if c.id in note_of else None,
            note_hash=note_hash(c.note_html) if c.note_html else None,
            tags=frozenset(tag_hash(t) for t in c.tags), status=c.status)
        for c in work.parts
    }
    return Memory(
        fields={k: value_hash(v) for k, v in fields.items()
                if k not in FROZEN and not empty(v)},
        tags=frozenset(tag_hash(t["tag"]) for t in work.item.get("tags", [])),
        collection=status_key,
        contributors=contributors,
        work=work_hash(work),
        noticed=notice_slugs(work.notice_html),
    )
