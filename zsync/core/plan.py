"""Plan a sync: for each work, what to create, update or leave in the Zotero library.

Pure: takes the works to sync, a view of the library mirror and what zsync last wrote,
and returns a `Plan`. A dry run renders the plan; a real run applies it. Both share this
code, so what a dry run shows is what a real run does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import retraction
from .library import LibraryItem
from .plantypes import (
    Action,
    CollectionCreate,
    NoteChange,
    Plan,
    PlanInputs,
    Work,
    WorkPlan,
    Written,
)
from .threeway import Conflict, FieldChange, merge_fields, merge_tags, same

__all__ = [
    "Action",
    "CollectionCreate",
    "NoteChange",
    "Plan",
    "PlanInputs",
    "Work",
    "WorkPlan",
    "Written",
    "plan",
]


def plan(works: list[Work], inputs: PlanInputs) -> Plan:
    """The changes that bring the library in step with `works`."""
    statuses = sorted({w.status for w in works if not w.error and w.status})
    collections, status_keys = _status_collections(statuses, inputs)
    managed = set(status_keys.values()) | _existing_status_collections(inputs)
    planned: list[WorkPlan] = []
    for work in works:
        planned.append(_plan_work(work, inputs, status_keys, managed))
        planned.extend(_duplicate_rows(work, planned[-1]))
    names = {key: f"{inputs.status_parent}/{status}" for status, key in status_keys.items()}
    for key in managed - set(names.values()):
        names.setdefault(key, "/".join(inputs.library.collection_path(key)))
    return Plan(tuple(collections), tuple(planned), collection_names=names)


def _status_collections(
    statuses: list[str], inputs: PlanInputs
) -> tuple[list[CollectionCreate], dict[str, str]]:
    creates: list[CollectionCreate] = []
    parent = inputs.library.find_collection((inputs.status_parent,))
    if parent is None and statuses:
        parent = inputs.new_key()
        creates.append(CollectionCreate(parent, inputs.status_parent, None))
    keys: dict[str, str] = {}
    for status in statuses:
        key = inputs.library.find_collection((inputs.status_parent, status))
        if key is None:
            key = inputs.new_key()
            creates.append(CollectionCreate(key, status, parent))
        keys[status] = key
    return creates, keys


def _existing_status_collections(inputs: PlanInputs) -> set[str]:
    parent = inputs.library.find_collection((inputs.status_parent,))
    return {c.key for c in inputs.library.collections.values() if parent and c.parent == parent}


def _duplicate_rows(work: Work, main: WorkPlan) -> list[WorkPlan]:
    return [
        WorkPlan(
            identity=work.identity, action=Action.DUPLICATE, title=work.title, origins=(origin,),
            item_key=main.item_key, duplicate_of=f"{main.origins[0].path}:{main.origins[0].line}",
            message="same work as another input; merged into one item",
        )
        for origin in work.duplicates
    ]


def _find_existing(work: Work, inputs: PlanInputs) -> tuple[LibraryItem | None, str | None]:
    linked = inputs.links.get(work.identity)
    if linked and linked in inputs.library.items and not inputs.library.items[linked].trashed:
        return inputs.library.items[linked], "synced earlier by zsync"
    for kind in ("doi", "pmid", "pmcid", "isbn", "arxiv"):
        value = work.identifiers.get(kind)
        keys = inputs.library.find(kind, value)
        if keys:
            key = sorted(keys, key=lambda k: _date_added(inputs.library.items[k]))[0]
            extra = f" ({len(keys)} copies in the library)" if len(keys) > 1 else ""
            return inputs.library.items[key], f"{kind.upper()} {value}{extra}"
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
        return None
    item = inputs.library.items.get(linked)
    return linked if item is None or item.trashed else None


def _date_added(item: LibraryItem) -> str:
    return str(item.data.get("dateAdded") or "")


def _plan_work(
    work: Work, inputs: PlanInputs, status_keys: Mapping[str, str], managed: set[str]
) -> WorkPlan:
    if work.error:
        return WorkPlan(work.identity, Action.ERROR, work.title, work.origins, message=work.error)
    existing, matched_by = _find_existing(work, inputs)
    status_key = status_keys.get(work.status)
    removed = _removed_in_zotero(work, inputs)
    if existing is None and removed is not None:
        return WorkPlan(work.identity, Action.UNCHANGED, work.title, work.origins,
                        item_key=removed, message=REMOVED_IN_ZOTERO)
    if existing is None:
        return _plan_create(work, inputs, status_key)
    return _plan_update(work, existing, matched_by, inputs, status_key, managed)


def _plan_create(work: Work, inputs: PlanInputs, status_key: str | None) -> WorkPlan:
    key = inputs.new_key()
    filed = [status_key] if status_key else []
    payload = {**work.item, "key": key, "version": 0, "collections": filed}
    note = None
    if work.note_html:
        note = NoteChange("create", inputs.new_key(), work.note_html, key)
    notice = None
    if work.notice_html:
        notice = NoteChange("create", inputs.new_key(), work.notice_html, key)
    return WorkPlan(
        identity=work.identity, action=Action.CREATE, title=work.title, origins=work.origins,
        item_key=key, version=0, tags_added=tuple(t["tag"] for t in work.item.get("tags", [])),
        collections_added=tuple(filed), note=note, payload=payload, notice=notice,
    )


def _plan_update(
    work: Work,
    existing: LibraryItem,
    matched_by: str | None,
    inputs: PlanInputs,
    status_key: str | None,
    managed: set[str],
) -> WorkPlan:
    written = inputs.written.get(existing.key)
    current = existing.data
    base = written.fields if written else None
    changes, conflicts = merge_fields(work.item, current, base, work.sources)
    tags, added, removed = merge_tags(
        list(work.item.get("tags", [])), list(current.get("tags", [])),
        written.tags if written else None,
    )
    collections, coll_added, coll_removed = _merge_collections(
        list(current.get("collections", [])), status_key, managed,
        written.collections if written else (),
    )
    note = _plan_note(work, existing.key, written, inputs)
    notice = _plan_notice(work, existing.key, inputs)
    payload = _update_payload(existing, changes, tags, added or removed, collections,
                              coll_added or coll_removed)
    action = _update_action(payload, conflicts, note, notice)
    return WorkPlan(
        identity=work.identity, action=action, title=work.title, origins=work.origins,
        item_key=existing.key, version=existing.version, matched_by=matched_by,
        changes=tuple(changes), conflicts=tuple(conflicts), tags_added=tuple(added),
        tags_removed=tuple(removed), collections_added=tuple(coll_added),
        collections_removed=tuple(coll_removed), note=note, payload=payload, notice=notice,
        owned=_owned(payload, written, added, coll_added),
    )


def _owned(
    payload: Mapping[str, Any] | None, written: Written | None, tags_added: list[str],
    collections_added: list[str],
) -> dict[str, Any] | None:
    """What zsync owns of an update's tags and collections: what it adds now, and what it
    owned before and still holds. Never the user's own, which the payload only carries."""
    if payload is None:
        return None
    owned: dict[str, Any] = {}
    if "tags" in payload:
        before = set(written.tags) if written else set()
        owned["tags"] = [t for t in payload["tags"]
                         if t["tag"] in before or t["tag"] in tags_added]
    if "collections" in payload:
        filed = set(written.collections) if written else set()
        owned["collections"] = [k for k in payload["collections"]
                                if k in filed or k in collections_added]
    return owned or None


def _update_action(
    payload: Mapping[str, Any] | None, conflicts: list[Conflict], note: NoteChange | None,
    notice: NoteChange | None = None,
) -> Action:
    if any(c.kind == "edited" for c in conflicts) or (note is not None and note.action == "kept"):
        return Action.CONFLICT
    if payload is not None or (note is not None and note.action in ("create", "update")):
        return Action.UPDATE
    return Action.UPDATE if notice is not None else Action.UNCHANGED


def _merge_collections(
    current: list[str], status_key: str | None, managed: set[str],
    filed_by_zsync: tuple[str, ...],
) -> tuple[list[str], list[str], list[str]]:
    """Move the item into its status collection; leave every other collection alone.

    Without a status collection (`status_key` None) the collections are left as they are.
    """
    if status_key is None:
        return current, [], []
    removed = [k for k in current if k in managed and k in filed_by_zsync and k != status_key]
    added = [] if status_key in current else [status_key]
    return [k for k in current if k not in removed] + added, added, removed


def _update_payload(
    existing: LibraryItem,
    changes: list[FieldChange],
    tags: list[dict[str, Any]],
    tags_changed: Any,
    collections: list[str],
    collections_changed: Any,
) -> dict[str, Any] | None:
    if not (changes or tags_changed or collections_changed):
        return None
    payload: dict[str, Any] = {"key": existing.key, "version": existing.version}
    payload.update({c.field: c.new for c in changes})
    if tags_changed:
        payload["tags"] = tags
    if collections_changed:
        payload["collections"] = collections
    return payload


def _plan_note(
    work: Work, parent: str, written: Written | None, inputs: PlanInputs
) -> NoteChange | None:
    if not work.note_html:
        return None
    if written is None or written.note_key is None:
        return NoteChange("create", inputs.new_key(), work.note_html, parent)
    current = inputs.library.items.get(written.note_key)
    if current is None or current.trashed:
        return None  # the user deleted zsync's note: respect that
    have = str(current.data.get("note", ""))
    if same(have, work.note_html):
        return NoteChange("unchanged", written.note_key, work.note_html, parent)
    if written.note_html is not None and same(have, written.note_html):
        return NoteChange("update", written.note_key, work.note_html, parent)
    return NoteChange("kept", written.note_key, have, parent)


def _plan_notice(work: Work, parent: str, inputs: PlanInputs) -> NoteChange | None:
    """A retraction/correction note, unless zsync noted those kinds on the item before."""
    if not work.notice_html:
        return None
    noted = retraction.noted_on(parent, inputs.library, inputs.noticed.get(parent, ()))
    if not retraction.missing(work.notice_html, noted):
        return None
    return NoteChange("create", inputs.new_key(), work.notice_html, parent)
