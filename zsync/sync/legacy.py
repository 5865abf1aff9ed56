"""What zsync wrote to items before it kept its record in the items themselves.

Earlier versions kept the record only in the state store (`Written`). For an item whose
`extra` has no memory line yet, that record becomes its memory; the next write puts the
line in the item. Pure.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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


class LegacyMemories(Mapping[str, Memory]):
    """Item key -> its legacy memory, each made when first asked for: the planner asks
    only for items without a memory line, so most are never made."""

    def __init__(self, written: Mapping[str, Written], status_collections: set[str]) -> None:
        self._written = written
        self._statuses = status_collections
        self._made: dict[str, Memory] = {}

    def __getitem__(self, key: str) -> Memory:
        if key not in self._made:
            self._made[key] = legacy_memory(self._written[key], self._statuses)
        return self._made[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._written)

    def __len__(self) -> int:
        return len(self._written)


def legacy_memories(written: Mapping[str, Written],
                    status_collections: set[str]) -> Mapping[str, Memory]:
    return LegacyMemories(written, status_collections)


def remembered(item: LibraryItem, legacy: Mapping[str, Memory]) -> Memory | None:
    """What zsync remembers of `item`: the line in its `extra`, else the state store's
    record from before zsync kept one there (with the kept-apart keys of a line that holds
    only those)."""
    memory = split_extra(item.data.get("extra"))[1]
    if memory is not None and not memory.only_apart():
        return memory
    earlier = legacy.get(item.key)
    if earlier is not None:
        return replace(earlier, apart=memory.apart) if memory else earlier
    return memory
