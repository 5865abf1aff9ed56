"""Planning child notes: one per contributing note, each updated in place. Pure.

A child note zsync wrote is found by the key zsync remembers in the item (`zotero.memory`)
or, when that record is lost, by its last line, which names the source file. It is
updated only while it still holds what zsync wrote there; a note the user edited is kept
(and reported), one the user deleted or trashed is not written again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from zsync.sync import retraction
from zsync.sync.legacy import LEAD
from zsync.sync.plantypes import NoteChange, PlanInputs, Work
from zsync.zotero.library import LibraryItem
from zsync.zotero.memory import Memory, contributor_hash, note_hash, note_text
from zsync.zotero.notehtml import note_source


@dataclass
class NotePlan:
    changes: list[NoteChange] = field(default_factory=list)
    remembered: dict[str, dict[str, Any]] = field(default_factory=dict)  # cid -> Contribution
    remarks: list[str] = field(default_factory=list)


def notice_slugs(note_html: str | None) -> frozenset[str]:
    return retraction.noted_slugs(note_html) if note_html else frozenset()


def _children(parent: str, inputs: PlanInputs) -> list[LibraryItem]:
    """Child notes of `parent`, trashed ones included."""
    return inputs.library.children(parent, trashed=True)


def _by_source(children: list[LibraryItem], claimed: set[str]) -> dict[str, LibraryItem]:
    """zsync's child notes not claimed by any remembered contributor, by source file name."""
    out: dict[str, LibraryItem] = {}
    for child in sorted(children, key=lambda c: str(c.data.get("dateAdded") or "")):
        source = note_source(str(child.data.get("note") or ""))
        if source and child.key not in claimed:
            out.setdefault(PurePath(source).name, child)
            out.setdefault(source, child)
    return out


def plan_notes(work: Work, parent: str, memory: Memory | None, inputs: PlanInputs,
               pruned: set[str]) -> NotePlan:
    out = NotePlan()
    children = _children(parent, inputs)
    remembered = memory.contributors if memory else {}
    claimed = {c.note_key for c in remembered.values() if c.note_key}
    found = _by_source(children, claimed)
    lead = remembered.get(LEAD)  # an older zsync's one note, its file not named
    for contributor in work.parts:
        if not contributor.note_html:
            continue
        before = remembered.get(contributor_hash(contributor.id))
        if before is None and lead is not None:
            before, lead = lead, None
        key = before.note_key if before and before.note_key else None
        child = inputs.library.items.get(key) if key else found.get(contributor.id)
        if key is None and child is None:
            change = NoteChange("create", inputs.new_key(), contributor.note_html, parent,
                                contributor.id)
            out.changes.append(change)
            out.remembered[contributor.id] = {
                "note_key": change.key, "note_hash": note_hash(contributor.note_html)}
            continue
        if key is not None and child is None and key not in inputs.library.deleted:
            # zsync recorded the note with its item, but it never arrived (a run stopped
            # between the two): write it now, under the key zsync recorded.
            out.changes.append(NoteChange("create", key, contributor.note_html, parent,
                                          contributor.id))
            out.remembered[contributor.id] = {
                "note_key": key, "note_hash": note_hash(contributor.note_html)}
            continue
        base = before.note_hash if before and before.note_key else None
        note_key = key or (child.key if child else "")
        _plan_one(out, contributor.id, contributor.note_html, note_key, child, base, parent)
    for cid in sorted(pruned):
        prune_note(out, cid, remembered, inputs, parent)
    return out


def _plan_one(out: NotePlan, cid: str, want: str, key: str, child: LibraryItem | None,
              base: str | None, parent: str) -> None:
    if child is None or child.trashed:
        out.changes.append(NoteChange("gone", key, want, parent, cid))
        out.remembered[cid] = {"note_key": key}
        out.remarks.append(f"the child note from {cid} was deleted or trashed in Zotero; "
                           "not written again")
        return
    have = str(child.data.get("note") or "")
    if note_text(have) == note_text(want):
        out.changes.append(NoteChange("unchanged", key, want, parent, cid))
        out.remembered[cid] = {"note_key": key, "note_hash": note_hash(have)}
    elif base is not None and base == note_hash(have):
        out.changes.append(NoteChange("update", key, want, parent, cid))
        out.remembered[cid] = {"note_key": key, "note_hash": note_hash(want)}
    else:
        out.changes.append(NoteChange("kept", key, have, parent, cid))
        out.remembered[cid] = {"note_key": key, "note_hash": base}
        out.remarks.append(f"the child note from {cid} was edited in Zotero; your edit is "
                           "kept and the note's new text was not written")


def prune_note(out: NotePlan, cid: str, remembered: Any, inputs: PlanInputs,
                parent: str) -> None:
    before = remembered.get(contributor_hash(cid))
    if before is None or not before.note_key:
        return
    child = inputs.library.items.get(before.note_key)
    if child is None or child.trashed:
        return
    have = str(child.data.get("note") or "")
    if before.note_hash == note_hash(have):
        out.changes.append(NoteChange("trash", child.key, have, parent, cid))
    else:
        out.remarks.append(f"the child note from {cid} (gone from the folder) was edited in "
                           "Zotero; kept")
