"""Three-way field merge: what zsync wants, what the library holds, what zsync last wrote.

A field is changed only when the library still holds what zsync last wrote there (the
source changed, the user did not) or holds nothing. A field the user edited in Zotero
is kept and reported; a field zsync never wrote and the library fills differently is kept
and reported as a difference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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

    kind "edited": the user changed what zsync wrote earlier; kind "differs": zsync never
    wrote this field and the library's value differs from the sources'.
    """

    field: str
    ours: Any
    theirs: Any
    base: Any = None
    kind: str = "edited"


def empty(value: Any) -> bool:
    return value in (None, "", [], {}, ())


def same(a: Any, b: Any) -> bool:
    """Equal for Zotero's purposes: strings compared without outer whitespace."""
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    if empty(a) and empty(b):
        return True
    return bool(a == b)


def merge_fields(
    desired: Mapping[str, Any],
    current: Mapping[str, Any],
    base: Mapping[str, Any] | None,
    sources: Mapping[str, str] | None = None,
) -> tuple[list[FieldChange], list[Conflict]]:
    """Field changes to apply and conflicts to report, for one existing item."""
    changes: list[FieldChange] = []
    conflicts: list[Conflict] = []
    for name, want in desired.items():
        if name in FROZEN or empty(want) or name not in current:
            continue
        have = current.get(name)
        if same(have, want):
            continue
        was = base.get(name) if base is not None else None
        source = (sources or {}).get(name)
        if empty(have) or (base is not None and name in base and same(have, was)):
            changes.append(FieldChange(name, have, want, source))
        else:
            kind = "edited" if base is not None and name in base else "differs"
            conflicts.append(Conflict(name, want, have, was, kind))
    return changes, conflicts


def merge_tags(
    desired: list[dict[str, Any]],
    current: list[dict[str, Any]],
    written: tuple[str, ...] | None,
) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """The item's new tag list, tags added, and tags removed.

    Only tags zsync itself wrote earlier and no longer wants are removed; the user's own
    tags are never touched.
    """
    have = {t["tag"] for t in current}
    want = {t["tag"] for t in desired}
    removable = set(written or ()) - want
    kept = [t for t in current if t["tag"] not in removable]
    added = [t for t in desired if t["tag"] not in have]
    removed = sorted(have & removable)
    return kept + added, [t["tag"] for t in added], removed
