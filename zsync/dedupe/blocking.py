"""Blocking: find the few signatures worth comparing with one, without comparing all pairs.

Two signatures are compared only when they share a block key:

* an exact identifier (`doi:…`, `pre:arxiv:…`, `pmid:…`, …), or
* a creator key with a title word: a family name key of one of the first two primary
  creators (`signature.LEAD_CREATORS`), paired with one of the three rarest words of the
  title (or the two rarest of its main title, before a subtitle). The fuzzy rule needs a
  shared family name anyway; the rarest words survive a typo (a misspelt word becomes the
  rarest, the other two still agree), a case or punctuation change, a dropped subtitle.

Word rarity is document frequency over the indexed side, so common words ("learning",
"analysis") rarely make keys, and blocks stay small as a library grows: work per query
stays roughly constant and matching N records against M items grows as N + M. A key
holding more than `MAX_BLOCK` entries is too common to narrow anything and is skipped.

What blocking misses (by design): a pair whose only shared creator comes after the second,
and a pair whose titles share none of their rarest words (then they are not near-equal).
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from zsync.dedupe.signature import Sig

RAREST = 3
RAREST_MAIN = 2
MAX_BLOCK = 400
MIN_WORD = 3
_STOP = frozenset(
    "the and for with from into onto over under about among between within without upon "
    "its their our your his her this that these those are was were been being has have "
    "had not but than then via per les des une der die das und von mit por para con los "
    "las del une dans sur pour".split()
)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector around bulk indexing and matching: they make
    hundreds of thousands of long-lived objects and no reference cycles, and each full
    collection would rescan them all (work growing with the library, run after run).
    The collector's previous state is restored."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def words(title: str) -> set[str]:
    """The words of a normalised title that can key a block (all of them if none can)."""
    tokens = set(title.split())
    content = {t for t in tokens if (len(t) >= MIN_WORD or t.isdigit()) and t not in _STOP}
    return content or tokens


def word_frequencies(sigs: Iterable[Sig]) -> Counter[str]:
    """In how many titles each word occurs."""
    counts: Counter[str] = Counter()
    for sig in sigs:
        counts.update(words(sig.title))
    return counts


def rarest(title: str, frequency: Counter[str], count: int) -> list[str]:
    """The `count` words of `title` that fewest titles use (ties alphabetically)."""
    return sorted(sorted(words(title)), key=frequency.__getitem__)[:count]


def block_keys(sig: Sig, frequency: Counter[str]) -> set[int]:
    """Hashed block keys of a signature (see the module docstring)."""
    keys = {hash(("id", i)) for i in sig.ids}
    if not sig.title or not sig.lead:
        return keys
    chosen = set(rarest(sig.title, frequency, RAREST))
    if sig.main:
        chosen.update(rarest(sig.main, frequency, RAREST_MAIN))
    keys.update(hash((family, word)) for family in set(sig.lead) for word in chosen)
    return keys


class BlockIndex:
    """Postings from block keys to positions (ints), one int or a list per key."""

    def __init__(self, frequency: Counter[str]) -> None:
        self.frequency = frequency
        self._postings: dict[int, int | list[int]] = {}

    def add(self, position: int, sig: Sig) -> None:
        for key in block_keys(sig, self.frequency):
            held = self._postings.get(key)
            if held is None:
                self._postings[key] = position
            elif isinstance(held, int):
                self._postings[key] = [held, position]
            elif len(held) <= MAX_BLOCK:
                held.append(position)

    def candidates(self, sig: Sig) -> set[int]:
        """Positions sharing a block key with `sig` (not too common a key)."""
        found: set[int] = set()
        for key in block_keys(sig, self.frequency):
            held = self._postings.get(key)
            if held is None:
                continue
            if isinstance(held, int):
                found.add(held)
            elif len(held) <= MAX_BLOCK:
                found.update(held)
        return found

    @classmethod
    def of(cls, sigs: list[Sig]) -> BlockIndex:
        index = cls(word_frequencies(sigs))
        for position, sig in enumerate(sigs):
            index.add(position, sig)
        return index


def candidate_pairs(sigs: list[Sig]) -> Iterator[tuple[int, int]]:
    """Each pair (i, j), i < j, of signatures that share a block key, once."""
    index = BlockIndex.of(sigs)
    for i, sig in enumerate(sigs):
        for j in sorted(index.candidates(sig)):
            if j > i:
                yield i, j
