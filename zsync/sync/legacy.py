"""What zsync wrote to items before it kept its record in the items themselves.

Earlier versions kept the record only in the state store (`Written`). For an item whose
`extra` has no memory line yet, that record becomes its memory; the next write puts the
line in the item. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import PurePath

from zsync.sync.plantypes import Written
from zsync.sync.threeway import FROZEN, empty
from zsync.zotero.library import LibraryItem
from zsync.zotero.memory import (
    Contribution,
    Memory,
    contributor_hash,
    note_hash,
    split_extra,
    tag_hash,
    value_hash,
)
from zsync.zotero.notehtml import note_source

# Stands for "the work's first note" where an old record does not name the note's file.
LEAD = "ffffff"


def legacy_memory(written: Written, status_collections: set[str]) -> Memory:
    contributors: dict[str, Contribution] = {}
    if written.note_key:
        source = note_source(written.note_html)
        cid = contributor_hash(PurePath(source).name) if source else LEAD
        contributors[cid] = Contribution(
            note_key=written.note_key, note_hash=note_hash(written.note_html))
    filed = [k for k in written.collections if k in status_collections]
    return Memory(
        fields={k: value_hash(v) for k, v in written.fields.items()
                if k not in FROZEN and k != "extra" and not empty(v)},
        tags=frozenset(tag_hash(t) for t in written.tags),
        collection=filed[0] if filed else None,
        contributors=contributors,
    )


def legacy_memories(written: Mapping[str, Written],
                    status_collections: set[str]) -> dict[str, Memory]:
    return {key: legacy_memory(w, status_collections) for key, w in written.items()}


def remembered(item: LibraryItem, legacy: Mapping[str, Memory]) -> Memory | None:
    """What zsync remembers of `item`: the line in its `extra`, else the state store's
    record from before zsync kept one there (with the kept-apart keys of a line that holds
    only those)."""
    memory = split_extra(item.data.get("extra"))[1]
    earlier = legacy.get(item.key)
    if earlier is not None and (memory is None or memory.only_apart()):
        return replace(earlier, apart=memory.apart) if memory else earlier
    return memory
