"""Expected Zotero items, written as Zotero's own translators would make them, and a checker.

A `Case` holds the key fields Zotero's translator gives for one fixture record (`zotero`),
and where zsync deliberately differs, zsync's value (`zsync`) with the reason (`why`).
Special keys:
- creators: the first creators as "type|last|first" or "type|name"; creator_count: all;
  last_creator: the last one.
- abstract_start: the abstract begins with this; abstract_contains: substrings it holds.
- extra_lines: the exact set of `extra` lines (absent/empty: no `extra`).
- tags_auto / tags_manual: the exact automatic (type 1) and manual (type 0) tag names.
Any other key is a Zotero field compared exactly; None means the item has no such field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SPECIAL = {"creators", "creator_count", "last_creator", "abstract_start", "abstract_contains",
           "extra_lines", "tags_auto", "tags_manual"}


@dataclass(frozen=True)
class Case:
    fixture: str
    zotero: dict[str, Any]
    zsync: dict[str, Any] = field(default_factory=dict)
    why: str = ""
    index: int = 0  # the record's position in a file holding several

    @property
    def id(self) -> str:
        return f"{self.fixture}#{self.index}" if self.index else self.fixture

    def expected(self) -> dict[str, Any]:
        return {**self.zotero, **self.zsync}


def _creator_label(creator: dict[str, str]) -> str:
    if "name" in creator:
        return f"{creator['creatorType']}|{creator['name']}"
    return f"{creator['creatorType']}|{creator['lastName']}|{creator['firstName']}"


def item_differences(item: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Human-readable differences between a Zotero item and the expected key fields."""
    diffs: list[str] = []

    def differ(what: str, want: Any, got: Any) -> None:
        if want != got:
            diffs.append(f"{what}: expected {want!r}, got {got!r}")

    creators = [_creator_label(c) for c in item.get("creators", [])]
    if "creators" in expected:
        differ("creators", expected["creators"], creators[: len(expected["creators"])])
    if "creator_count" in expected:
        differ("creator_count", expected["creator_count"], len(creators))
    if "last_creator" in expected:
        differ("last_creator", expected["last_creator"], creators[-1] if creators else None)
    abstract = item.get("abstractNote") or ""
    if not abstract.startswith(expected.get("abstract_start", "")):
        diffs.append(f"abstract_start: {expected['abstract_start']!r} vs {abstract[:80]!r}")
    for part in expected.get("abstract_contains", ()):
        if part not in abstract:
            diffs.append(f"abstract_contains: {part!r} not in abstract")
    extra = item.get("extra")
    differ("extra_lines", set(expected.get("extra_lines", ())),
           set(extra.split("\n")) if extra else set())
    tags = item.get("tags", [])
    differ("tags_auto", set(expected.get("tags_auto", ())),
           {t["tag"] for t in tags if t.get("type") == 1})
    differ("tags_manual", set(expected.get("tags_manual", ())),
           {t["tag"] for t in tags if t.get("type", 0) == 0})
    for key, want in expected.items():
        if key not in SPECIAL:
            differ(key, want, item.get(key))
    return diffs
