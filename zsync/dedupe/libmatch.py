"""Find the library item a record (or a work's Zotero data) already is.

`LibraryIndex.build(library)` reads every live top-level item once into a signature and
block index; `match` then judges only the items that share a block key with the record
(`blocking`), so matching N records against M items grows as N + M. The answer names the
item, the rule that fired and its evidence; when several items are the work (duplicates
already in the library) the oldest by `dateAdded` is chosen, as `plan._find_existing` does,
and the others are listed.

For the sync plan, `existing_finder(index)` gives a function with `_find_existing`'s
answer shape: (item, "rule: evidence") or (None, None).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from zsync.dedupe.blocking import BlockIndex, paused_gc, word_frequencies
from zsync.dedupe.duplicates import date_added, record_identity, work_items
from zsync.dedupe.rules import DUPLICATE, RELATED, Settings, Verdict, judge
from zsync.dedupe.signature import Sig, sig_of_item, sig_of_record
from zsync.model.records import Record
from zsync.zotero.library import LibraryItem, LibraryView


@dataclass(frozen=True, slots=True)
class LibraryMatch:
    """The library item a record is (kind "duplicate"), or a version of it ("related")."""

    key: str
    rule: str
    evidence: str
    kind: str = DUPLICATE
    score: float = 100.0
    others: tuple[str, ...] = ()  # further library items that are the same work

    def describe(self) -> str:
        extra = f" ({len(self.others) + 1} copies in the library)" if self.others else ""
        return f"{self.rule}: {self.evidence}{extra}"


class _WorkLike(Protocol):
    @property
    def identity(self) -> str: ...

    @property
    def item(self) -> Mapping[str, Any]: ...


class LibraryIndex:
    """Signatures and block keys of a library's live top-level items."""

    def __init__(self, items: list[LibraryItem], settings: Settings) -> None:
        self.items = items
        self.settings = settings
        with paused_gc():
            self.sigs = [sig_of_item(i.data) for i in items]
            self.blocks = BlockIndex(word_frequencies(self.sigs))
            for position, sig in enumerate(self.sigs):
                self.blocks.add(position, sig)

    @classmethod
    def build(cls, library: LibraryView, settings: Settings | None = None) -> LibraryIndex:
        return cls(work_items(library), settings or Settings())

    def match(self, sig: Sig, identity: str | None = None) -> LibraryMatch | None:
        """The item `sig` is, else the item it is a version of, else None."""
        found: list[tuple[int, Verdict]] = []
        check_apart = identity is not None and bool(self.settings.not_duplicates)
        for position in self.blocks.candidates(sig):
            if check_apart and self.settings.apart(str(identity), self.items[position].key):
                continue
            verdict = judge(sig, self.sigs[position])
            if verdict is not None:
                found.append((position, verdict))
        return self._best(found)

    def match_data(self, data: Mapping[str, Any], identity: str | None = None
                   ) -> LibraryMatch | None:
        """The same, for a work given as Zotero item data (e.g. `plan.Work.item`)."""
        return self.match(sig_of_item(data), identity)

    def _best(self, found: list[tuple[int, Verdict]]) -> LibraryMatch | None:
        wanted = (DUPLICATE, RELATED) if self.settings.merge_preprints else (DUPLICATE,)
        same = [f for f in found if f[1].kind in wanted]
        chosen = same or [f for f in found if f[1].kind == RELATED]
        if not chosen:
            return None
        chosen.sort(key=lambda f: (
            not f[1].rule.startswith("same "), -f[1].score,
            date_added(self.items[f[0]]), self.items[f[0]].key,
        ))
        position, verdict = chosen[0]
        others = tuple(self.items[p].key for p, _ in chosen[1:]) if same else ()
        return LibraryMatch(self.items[position].key, verdict.rule, verdict.evidence,
                            verdict.kind, verdict.score, others)


def match_library(
    records: Sequence[Record],
    library: LibraryView | LibraryIndex,
    settings: Settings | None = None,
    identity: Callable[[Record], str] = record_identity,
) -> list[LibraryMatch | None]:
    """For each record, the library item it is (or a version of it), with rule and
    evidence; None where the library does not hold the work."""
    index = library if isinstance(library, LibraryIndex) else LibraryIndex.build(
        library, settings)
    with paused_gc():
        return [index.match(sig_of_record(r), identity(r)) for r in records]


def existing_finder(
    index: LibraryIndex | Callable[[], LibraryIndex],
) -> Callable[[_WorkLike], tuple[LibraryItem | None, str | None]]:
    """A fuzzy fallback for `plan._find_existing`: (item, reason) for a work's Zotero data,
    or (None, None). A related version is returned only with `merge_preprints`. `index`
    may be given as a function that builds it: it is then built on the first call, so a
    run whose works are all found by identifier never builds it."""
    built: list[LibraryIndex] = [index] if isinstance(index, LibraryIndex) else []
    by_key: dict[str, LibraryItem] = {}

    def find(work: _WorkLike) -> tuple[LibraryItem | None, str | None]:
        if not built:
            assert callable(index)
            built.append(index())
        if not by_key:
            by_key.update((item.key, item) for item in built[0].items)
        found = built[0].match_data(work.item, work.identity)
        if found is None or (found.kind == RELATED and not built[0].settings.merge_preprints):
            return None, None
        return by_key[found.key], found.describe()

    return find

