"""Planning the update of an item that exists: fields, tags and status collection, merged
three ways against what zsync remembers writing (`zotero.memory`). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from zsync.sync import retraction
from zsync.sync.legacy import LEAD, remembered
from zsync.sync.plan_gone import gone_remark
from zsync.sync.plan_notes import NotePlan, notice_slugs, plan_notes
from zsync.sync.plantypes import Action, NoteChange, PlanInputs, Work, WorkPlan
from zsync.sync.threeway import Conflict, FieldChange, merge_fields, merge_tags, remembered_fields
from zsync.zotero.library import LibraryItem
from zsync.zotero.memory import (
    Contribution,
    Memory,
    contributor_hash,
    encode,
    join_extra,
    split_extra,
    tag_hash,
    value_hash,
)


def work_hash(work: Work) -> str:
    """The hash by which an item's memory names its work (see `Work.key`)."""
    return value_hash(work.key or work.identity)


def plan_update(
    work: Work, existing: LibraryItem, matched_by: str | None, inputs: PlanInputs,
    status_key: str | None, managed: set[str], remarks: tuple[str, ...] = (),
) -> WorkPlan:
    memory = remembered(existing, inputs.legacy)
    current = existing.data
    current_rest = split_extra(current.get("extra"))[0]
    desired = dict(work.item)
    if "extra" in desired:
        desired["extra"] = split_extra(desired.get("extra"))[0]
    view = {**current, "extra": current_rest}
    changes, conflicts = merge_fields(desired, view, memory, work.sources)
    seen = {c.id for c in work.parts}
    gone = _pruned(existing.key, seen, inputs)
    hashed = {contributor_hash(cid) for cid in seen | gone}
    tags = merge_tags(list(desired.get("tags", [])), list(current.get("tags", [])), memory,
                      lambda tag: _wanted_elsewhere(tag, memory, hashed))
    filing = _plan_status(work, list(current.get("collections", [])), memory, status_key,
                          managed)
    notes = plan_notes(work, existing.key, memory, inputs, gone)
    notice = _plan_notice(work, existing.key, memory, inputs)
    new_memory = Memory(
        fields=remembered_fields(desired, view, memory, changes),
        tags=tags.owned,
        collection=filing.base,
        contributors=_contributions(work, memory, notes, gone),
        work=memory.work if memory and memory.work else work_hash(work),
        noticed=(memory.noticed if memory else frozenset()) | notice_slugs(
            notice.html if notice else None),
        apart=memory.apart if memory else frozenset(),
    )
    payload = _payload(existing, changes, tags.tags if (tags.added or tags.removed) else None,
                       filing.collections if filing.changed else None, current_rest,
                       new_memory, memory, record=bool(work.parts))
    said = [*remarks, *filing.remarks, *notes.remarks, *_kept_removed(tags.kept_removed),
            *_conflict_remarks(conflicts)]
    unpruned = set(inputs.gone.get(existing.key, frozenset())) - seen - gone
    if unpruned:
        said.append(gone_remark(unpruned))
    return WorkPlan(
        identity=work.identity, action=_action(payload, conflicts, notes.changes, notice),
        title=work.title, origins=work.origins, item_key=existing.key,
        version=existing.version, matched_by=matched_by, changes=tuple(changes),
        conflicts=tuple(conflicts), tags_added=tuple(tags.added),
        tags_removed=tuple(tags.removed), collections_added=tuple(filing.added),
        collections_removed=tuple(filing.removed), notes=tuple(notes.changes),
        payload=payload, notice=notice, remarks=tuple(dict.fromkeys(said)),
        owned=_owned(payload, tags.owned, filing.base),
    )


def _pruned(key: str, seen: set[str], inputs: PlanInputs) -> set[str]:
    """Contributors of item `key` whose files are gone and whose part is to be removed."""
    return set(inputs.gone.get(key, frozenset())) - seen if inputs.prune else set()


def _wanted_elsewhere(tag: str, memory: Memory | None, excluded: set[str]) -> bool:
    """A contributor not read in this run (nor pruned) gave `tag`."""
    if memory is None:
        return False
    h = tag_hash(tag)
    return any(h in c.tags for cid, c in memory.contributors.items() if cid not in excluded)


def _contributions(work: Work, memory: Memory | None, notes: NotePlan,
                   gone: set[str]) -> dict[str, Contribution]:
    dropped = {contributor_hash(cid) for cid in gone}
    out = {cid: c for cid, c in (memory.contributors if memory else {}).items()
           if cid not in dropped}
    if any(c.note_html for c in work.parts):
        out.pop(LEAD, None)  # an older zsync's record of the lead note, now named
    for contributor in work.parts:
        h = contributor_hash(contributor.id)
        before = out.get(h, Contribution())
        out[h] = replace(
            before, tags=frozenset(tag_hash(t) for t in contributor.tags),
            status=contributor.status, **notes.remembered.get(contributor.id, {}))
    return out


@dataclass(frozen=True)
class Filing:
    collections: list[str]
    added: list[str]
    removed: list[str]
    base: str | None  # the status collection zsync counts as its filing after this run
    remarks: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def _status_changed(work: Work, memory: Memory) -> bool:
    """A note read in this run states a status other than the one it stated last time."""
    return any(
        c.status is not None
        and (contributor_hash(c.id) not in memory.contributors
             or memory.contributors[contributor_hash(c.id)].status != c.status)
        for c in work.parts
    )


def _plan_status(work: Work, current: list[str], memory: Memory | None,
                 status_key: str | None, managed: set[str]) -> Filing:
    """File the item in its status collection, and move it when a note's status changes;
    an item the user took out of, or moved away from, zsync's filing stays where it is."""
    base = memory.collection if memory else None
    target = status_key
    if memory is not None and base is not None and memory.contributors \
            and not _status_changed(work, memory):
        target = base  # no note changed its status: the item stays where it was filed
    if target is None:
        return Filing(current, [], [], base)
    if base is None or base == target:
        if target in current:
            return Filing(current, [], [], target)
        if base is None:
            return Filing([*current, target], [target], [], target)
        return Filing(current, [], [], base, (
            f"you took the item out of its status collection in Zotero; not filed back "
            f"(status {work.status!r})",))
    if target in current:
        return Filing(current, [], [], target)
    if base in current:
        kept = [k for k in current if k != base]
        return Filing([*kept, target], [target], [base], target)
    return Filing(current, [], [], base, (
        f"the note's status is now {work.status!r}, but the item was refiled by hand in "
        "Zotero; not moved",))


def _payload(
    existing: LibraryItem, changes: list[FieldChange], tags: list[dict[str, Any]] | None,
    collections: list[str] | None, current_rest: str, memory: Memory,
    before: Memory | None, *, record: bool,
) -> dict[str, Any] | None:
    """The update to send, or None. The memory line alone is worth a write when it changed
    or only the state store had it; on an item zsync never touched, only when a note is
    synced to it (`record`), not when refresh finds nothing to change."""
    rest = next((str(c.new) for c in changes if c.field == "extra"), current_rest)
    if before is None:
        memory_changed = record
    else:
        memory_changed = encode(before) != encode(memory) \
            or split_extra(existing.data.get("extra"))[1] is None
    if not (changes or tags is not None or collections is not None or memory_changed):
        return None
    payload: dict[str, Any] = {"key": existing.key, "version": existing.version}
    payload.update({c.field: c.new for c in changes if c.field != "extra"})
    if "extra" in existing.data:
        payload["extra"] = join_extra(rest, memory)
    if tags is not None:
        payload["tags"] = tags
    if collections is not None:
        payload["collections"] = collections
    return payload


def _action(payload: Mapping[str, Any] | None, conflicts: list[Conflict],
            notes: list[NoteChange], notice: NoteChange | None) -> Action:
    if any(c.kind in ("edited",) for c in conflicts) or any(n.action == "kept" for n in notes):
        return Action.CONFLICT
    if payload is not None or any(n.writes for n in notes) or notice is not None:
        return Action.UPDATE
    return Action.UNCHANGED


def _owned(payload: Mapping[str, Any] | None, owned_tags: frozenset[str],
           filed: str | None) -> dict[str, Any] | None:
    """Of an update's tags and collections, those zsync counts as its own (for the state
    store's record of what it wrote); the rest are the user's, sent along because Zotero
    replaces whole lists."""
    if payload is None:
        return None
    owned: dict[str, Any] = {}
    if "tags" in payload:
        owned["tags"] = [t for t in payload["tags"] if tag_hash(t["tag"]) in owned_tags]
    if "collections" in payload:
        owned["collections"] = [k for k in payload["collections"] if k == filed]
    return owned or None


def _kept_removed(tags: list[str]) -> list[str]:
    return [f"tag {t!r} was removed in Zotero; not added again" for t in tags]


def _conflict_remarks(conflicts: list[Conflict]) -> list[str]:
    return [f"{c.field} was cleared in Zotero; left empty" for c in conflicts
            if c.kind == "cleared"]


def _plan_notice(work: Work, parent: str, memory: Memory | None,
                 inputs: PlanInputs) -> NoteChange | None:
    """A retraction/correction note, unless zsync noted those kinds on the item before."""
    if not work.notice_html:
        return None
    earlier = set(inputs.noticed.get(parent, ())) | set(memory.noticed if memory else ())
    noted = retraction.noted_on(parent, inputs.library, earlier)
    if not retraction.missing(work.notice_html, noted):
        return None
    return NoteChange("create", inputs.new_key(), work.notice_html, parent)
