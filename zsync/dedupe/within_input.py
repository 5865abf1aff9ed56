"""Find the records in the input that describe the same work, and say why.

Records are grouped when they share an exact identifier (DOI, PMID, PMCID, arXiv id, or
ISBN for books). Two records whose identifiers of one kind differ (two DOIs, two PMIDs)
never end up in one group, even through a third record: a reprint with its own DOI is its
own work. Every grouping keeps the rule that fired and its evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from zsync.model.records import Record

EXACT_KINDS = ("doi", "pmid", "pmcid", "arxiv", "isbn")
_BOOK_TYPES = frozenset({"book"})


@dataclass(frozen=True, slots=True)
class Match:
    """Why record `a` and record `b` (indexes into the input) are the same work."""

    a: int
    b: int
    rule: str  # e.g. "same DOI"
    evidence: str  # e.g. "10.1038/nature14539"
    kind: str = "duplicate"  # or "related": a preprint and its published version


@dataclass
class Group:
    members: list[int]
    matches: list[Match] = field(default_factory=list)
    related: list[Match] = field(default_factory=list)  # versions of the work kept apart


def identifier_values(record: Record) -> dict[str, set[str]]:
    """The exact identifiers of a record, by kind. ISBNs count only for whole books: the
    chapters of one book share its ISBN."""
    ids = record.ids
    out: dict[str, set[str]] = {
        "doi": {ids.doi} if ids.doi else set(),
        "pmid": {ids.pmid} if ids.pmid else set(),
        "pmcid": {ids.pmcid} if ids.pmcid else set(),
        "arxiv": {ids.arxiv} if ids.arxiv else set(),
        "isbn": set(ids.isbn) if record.item_type in _BOOK_TYPES else set(),
    }
    return out


class _Groups:
    """Union-find over record indexes that refuses unions with conflicting identifiers."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.parent = list(range(len(records)))
        self.ids = [identifier_values(r) for r in records]
        self.matches: dict[int, list[Match]] = {i: [] for i in range(len(records))}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def conflicts(self, a: int, b: int) -> bool:
        ra, rb = self.ids[a], self.ids[b]
        return any(
            ra[kind] and rb[kind] and not (ra[kind] & rb[kind]) for kind in ("doi", "pmid", "pmcid")
        )

    def union(self, match: Match) -> bool:
        a, b = self.find(match.a), self.find(match.b)
        if a == b or self.conflicts(a, b):
            return False
        self.parent[b] = a
        for kind, values in self.ids[b].items():
            self.ids[a][kind] |= values
        self.matches[a].extend([*self.matches.pop(b), match])
        return True


def group_records(records: Sequence[Record], extra: Sequence[Match] = ()) -> list[Group]:
    """Groups of records that are one work, in input order; `extra` adds matches found by
    other rules (they are refused too when identifiers conflict)."""
    groups = _Groups(records)
    seen: dict[tuple[str, str], int] = {}
    for index in range(len(records)):
        for kind in EXACT_KINDS:
            for value in sorted(groups.ids[index][kind]):
                first = seen.setdefault((kind, value), index)
                if first != index:
                    groups.union(Match(first, index, f"same {kind.upper()}", value))
    for match in extra:
        groups.union(match)
    by_root: dict[int, list[int]] = {}
    for index in range(len(records)):
        by_root.setdefault(groups.find(index), []).append(index)
    return [Group(members, groups.matches.get(root, [])) for root, members in by_root.items()]
