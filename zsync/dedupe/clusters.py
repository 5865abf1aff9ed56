"""Union-find over signatures that refuses unions the rules forbid, cluster-wide.

A union of two clusters is refused when they hold different identifiers of one exclusive
kind (two DOIs, two PMIDs, two arXiv ids, two ISBNs of books), or when a member of one and
a member of the other are a user's "not duplicates" pair. Checking whole clusters, not
just the matched pair, stops Zotero's transitive miss: A (DOI 1) ~ B (no DOI) ~ C (DOI 2)
no longer puts A and C together.
"""

from __future__ import annotations

from collections.abc import Sequence

from zsync.dedupe.rules import Settings, conflicting


class Clusters:
    """Disjoint sets over positions 0..n-1, each position with identifiers and an identity."""

    def __init__(self, ids: Sequence[frozenset[str]], identities: Sequence[str],
                 settings: Settings) -> None:
        self.parent = list(range(len(ids)))
        self._base_ids = ids
        self._ids: dict[int, frozenset[str]] = {}
        self._identities = identities
        self._partners = _partners(settings)
        self._members: dict[int, set[str]] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def ids(self, root: int) -> frozenset[str]:
        return self._ids.get(root, self._base_ids[root])

    def identities(self, root: int) -> set[str]:
        return self._members.get(root) or {self._identities[root]}

    def refuses(self, a: int, b: int) -> bool:
        """Whether joining the clusters of `a` and `b` would break a rule."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if conflicting(self.ids(ra), self.ids(rb)):
            return True
        if not self._partners:
            return False
        ours, theirs = self.identities(ra), self.identities(rb)
        return any(self._partners.get(i, set()) & theirs for i in ours)

    def union(self, a: int, b: int) -> bool:
        """Join the clusters of `a` and `b`; False when refused or already one."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self.refuses(ra, rb):
            return False
        if ra > rb:
            ra, rb = rb, ra
        self._ids[ra] = self.ids(ra) | self.ids(rb)
        self._ids.pop(rb, None)
        if self._partners:
            self._members[ra] = self.identities(ra) | self.identities(rb)
            self._members.pop(rb, None)
        self.parent[rb] = ra
        return True

    def groups(self) -> list[list[int]]:
        """Members of each cluster, clusters in order of their first member."""
        by_root: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            by_root.setdefault(self.find(i), []).append(i)
        return list(by_root.values())


def _partners(settings: Settings) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for pair in settings.not_duplicates:
        items = sorted(pair)
        if len(items) == 2:
            out.setdefault(items[0], set()).add(items[1])
            out.setdefault(items[1], set()).add(items[0])
    return out
