"""Duplicates within the input, and duplicate clusters already in the Zotero library.

Both compare only the pairs that blocking proposes (`blocking.candidate_pairs`), judge each
pair by the rules of `fuzzy.judge`, and join duplicates with `clusters.Clusters`: exact
identifier matches first, then fuzzy matches from the most to the least similar title, so
the strongest evidence decides when unions would conflict. A preprint and its published
version are joined only with `Settings.merge_preprints`; otherwise they are reported as
related.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from zsync.dedupe.blocking import candidate_pairs, paused_gc
from zsync.dedupe.clusters import Clusters
from zsync.dedupe.rules import DUPLICATE, Settings, Verdict, judge
from zsync.dedupe.signature import Sig, sig_of_item, sig_of_record
from zsync.dedupe.within_input import Group, Match
from zsync.model.records import Record
from zsync.model.text import normalize_title
from zsync.zotero.library import LibraryItem, LibraryView

_NON_WORK_TYPES = frozenset({"note", "attachment", "annotation"})


def record_identity(record: Record) -> str:
    """How zsync names a record's work across runs (state store, reports, the
    not-duplicates list): its strongest identifier, else where it was read."""
    ids = record.ids
    for kind, value in (("doi", ids.doi), ("pmid", ids.pmid), ("pmcid", ids.pmcid),
                        ("arxiv", ids.arxiv), ("isbn", ids.isbn[0] if ids.isbn else None)):
        if value:
            return f"{kind}:{value}"
    return f"{record.origin.path}#{record.origin.position}"


def work_key(record: Record) -> str:
    """What names a record's work the same on every computer, whatever path its note was
    read from: its strongest identifier, else its title and year (zotero.memory keeps a
    hash of it in the item, to find the item of a work without identifiers); a note
    with neither identifier nor title is named by its citation key."""
    identity = record_identity(record)
    if not identity.startswith(("doi:", "pmid:", "pmcid:", "arxiv:", "isbn:")):
        if record.citekey and not normalize_title(record.title):
            return f"citekey:{record.citekey}"
        year = record.date.year if record.date and record.date.year else ""
        return f"title:{normalize_title(record.title)}|{year}"
    return identity


def judged_pairs(sigs: list[Sig]) -> list[tuple[int, int, Verdict]]:
    """Every blocked pair the rules call duplicates or related, strongest evidence first."""
    found = []
    for i, j in candidate_pairs(sigs):
        verdict = judge(sigs[i], sigs[j])
        if verdict is not None:
            found.append((i, j, verdict))
    found.sort(key=lambda t: (not t[2].rule.startswith("same "), -t[2].score, t[0], t[1]))
    return found


def _cluster(sigs: list[Sig], identities: Sequence[str], settings: Settings
             ) -> tuple[Clusters, list[Match], list[Match]]:
    clusters = Clusters([s.ids for s in sigs], identities, settings)
    joined: list[Match] = []
    related: list[Match] = []
    with paused_gc():
        pairs = judged_pairs(sigs)
    for i, j, verdict in pairs:
        if settings.apart(identities[i], identities[j]):
            continue
        match = Match(i, j, verdict.rule, verdict.evidence, verdict.kind)
        if verdict.kind == DUPLICATE or settings.merge_preprints:
            if clusters.union(i, j):
                joined.append(match)
        else:
            related.append(match)
    return clusters, joined, related


def find_duplicates(
    records: Sequence[Record],
    settings: Settings | None = None,
    identity: Callable[[Record], str] = record_identity,
) -> list[Group]:
    """Groups of input records that are one work (exact and fuzzy rules), in input order,
    each with the matches that joined it and the related versions found for it."""
    with paused_gc():
        sigs = [sig_of_record(r) for r in records]
    return clusters_of(sigs, [identity(r) for r in records], settings)


def clusters_of(sigs: Sequence[Sig], identities: Sequence[str],
                settings: Settings | None = None) -> list[Group]:
    """`find_duplicates` over the records' signatures and identities."""
    settings = settings or Settings()
    clusters, joined, related = _cluster(list(sigs), identities, settings)
    groups = [Group(members) for members in clusters.groups()]
    by_root = {clusters.find(g.members[0]): g for g in groups}
    for match in joined:
        by_root[clusters.find(match.a)].matches.append(match)
    for match in related:
        for end in {clusters.find(match.a), clusters.find(match.b)}:
            by_root[end].related.append(match)
    return groups


@dataclass(frozen=True, slots=True)
class KeyMatch:
    """Why library items `a` and `b` (item keys) are one work, or versions of one."""

    a: str
    b: str
    rule: str
    evidence: str
    kind: str = DUPLICATE


@dataclass
class Cluster:
    """Library items that are one work, oldest first, with the matches that joined them."""

    keys: list[str]
    matches: list[KeyMatch] = field(default_factory=list)
    related: list[KeyMatch] = field(default_factory=list)


def work_items(library: LibraryView) -> list[LibraryItem]:
    """Live top-level items that describe works (no notes, attachments, annotations)."""
    return [
        item for item in library.items.values()
        if item.item_type not in _NON_WORK_TYPES and not item.trashed and not item.parent
    ]


def date_added(item: LibraryItem) -> str:
    return str(item.data.get("dateAdded") or "")


def library_clusters(library: LibraryView, settings: Settings | None = None) -> list[Cluster]:
    """The duplicate clusters already in the library, for `zsync dedupe --library`: every
    cluster of two or more items (oldest first, with the matches that joined it), and every
    single item with a related version (a preprint and its published version), the related
    pair listed on both sides' clusters."""
    settings = settings or Settings()
    items = work_items(library)
    keys = [i.key for i in items]
    with paused_gc():
        sigs = [sig_of_item(i.data) for i in items]
    clusters, joined, related = _cluster(sigs, keys, settings)
    out: dict[int, Cluster] = {}
    for members in clusters.groups():
        ordered = sorted(members, key=lambda m: (date_added(items[m]), keys[m]))
        out[clusters.find(members[0])] = Cluster([keys[m] for m in ordered])
    for match in joined:
        out[clusters.find(match.a)].matches.append(_keyed(match, keys))
    for match in related:
        for end in {clusters.find(match.a), clusters.find(match.b)}:
            out[end].related.append(_keyed(match, keys))
    return [c for c in out.values() if len(c.keys) > 1 or c.related]


def _keyed(match: Match, keys: Sequence[str]) -> KeyMatch:
    return KeyMatch(keys[match.a], keys[match.b], match.rule, match.evidence, match.kind)
