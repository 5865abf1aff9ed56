"""Records of the input that describe the same work, and why: the groups
`dedupe.duplicates.find_duplicates` finds, each with the rule that fired and its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
