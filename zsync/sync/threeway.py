"""Three-way field merge: what zsync wants, what the library holds, what zsync last wrote.

The base is what zsync last wrote, as the server stored it, remembered in the item itself
(`zotero.memory`). A field is changed only when the library still holds what zsync last
wrote there (the source changed, the user did not), or holds nothing zsync ever wrote. A
field the user edited or cleared in Zotero is kept and reported; a field zsync never wrote
and the library fills differently is kept and reported as a difference.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from zsync.zotero.memory import Memory, clean, tag_hash, value_hash

# Fields zsync never changes on an existing item: identity and bookkeeping.
FROZEN = frozenset(
    {"key", "version", "itemType", "dateAdded", "dateModified", "parentItem", "relations",
     "tags", "collections", "deleted", "accessDate"}
)


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Conflict:
    """zsync's value was not written because the library holds another.

    kind "edited": the user changed what zsync wrote earlier; "cleared": the user emptied
    it; "differs": zsync never wrote this field and the library's value differs from the
    sources'.
    """

    field: str
    ours: Any
    theirs: Any
    kind: str = "edited"


def empty(value: Any) -> bool:
    return value in (None, "", [], {}, ())


def same(a: Any, b: Any) -> bool:
    """Equal for Zotero's purposes: compared as the server stores them (control characters
    removed, strings trimmed), empty values all alike."""
    if empty(a) and empty(b):
        return True
    a, b = clean(a), clean(b)
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return bool(a == b)


def merge_fields(
    desired: Mapping[str, Any],
    current: Mapping[str, Any],
    memory: Memory | None,
    sources: Mapping[str, str] | None = None,
) -> tuple[list[FieldChange], list[Conflict]]:
    """Field changes to apply and conflicts to report, for one existing item.

    A field is written when the library holds nothing there and zsync never wrote it, or
    still holds what zsync last wrote. A field the user edited or cleared is kept."""
    changes: list[FieldChange] = []
    conflicts: list[Conflict] = []
    for name, want in desired.items():
        if name in FROZEN or empty(want) or name not in current:
            continue
        have = current.get(name)
        if same(have, want):
            continue
        source = (sources or {}).get(name)
        wrote = memory is not None and memory.wrote_field(name)
        if wrote and memory is not None and memory.holds_written(name, have):
            changes.append(FieldChange(name, have, want, source))
        elif wrote:
            kind = "cleared" if empty(have) else "edited"
            conflicts.append(Conflict(name, want, have, kind))
        elif empty(have):
            changes.append(FieldChange(name, have, want, source))
        else:
            conflicts.append(Conflict(name, want, have, "differs"))
    return changes, conflicts


def remembered_fields(
    desired: Mapping[str, Any], current: Mapping[str, Any], memory: Memory | None,
    changes: list[FieldChange],
) -> dict[str, str]:
    """The field hashes to remember after this write: what zsync wrote now, what already
    held zsync's value, and the earlier base of fields left as the user has them."""
    out = dict(memory.fields) if memory is not None else {}
    for change in changes:
        out[change.field] = value_hash(change.new)
    for name, want in desired.items():
        if name in FROZEN or empty(want) or name not in current:
            continue
        if same(current.get(name), want):
            out[name] = value_hash(current.get(name))
    return out


@dataclass(frozen=True)
class TagMerge:
    tags: list[dict[str, Any]]  # the item's new tag list
    added: list[str]
    removed: list[str]
    kept_removed: list[str]  # tags the user removed, not added again
    owned: frozenset[str]  # tag hashes zsync owns after the write


def merge_tags(
    desired: list[dict[str, Any]],
    current: list[dict[str, Any]],
    memory: Memory | None,
    others: Callable[[str], bool] = lambda _tag: False,
) -> TagMerge:
    """Three-way tags. zsync adds the tags it wants that the item lacks, unless it added
    them before and the user removed them; it removes only tags it added itself that no
    input wants any more (`others(tag)`: a note not read in this run still gives it)."""
    have = {t["tag"] for t in current}
    want = {t["tag"] for t in desired}
    owned = set(memory.tags) if memory is not None else set()
    removable = {t for t in have - want if tag_hash(t) in owned and not others(t)}
    kept = [t for t in current if t["tag"] not in removable]
    added, kept_removed = [], []
    for tag in desired:
        if tag["tag"] in have:
            continue
        if tag_hash(tag["tag"]) in owned:
            kept_removed.append(tag["tag"])
        else:
            added.append(tag)
    owned |= {tag_hash(t["tag"]) for t in added}
    owned -= {tag_hash(t) for t in removable}
    return TagMerge(kept + added, [t["tag"] for t in added], sorted(removable),
                    kept_removed, frozenset(owned))
