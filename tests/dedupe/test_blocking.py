"""Blocking: duplicates share a block key; unrelated works rarely do; no all-pairs work."""

from __future__ import annotations

import random
from collections import Counter

from zsync.dedupe.blocking import BlockIndex, block_keys, candidate_pairs, rarest, words
from zsync.dedupe.signature import sig_of_record
from zsync.model.records import Creator, Identifiers, Origin, PartialDate, Record


def rec(title: str, families: tuple[str, ...], year: int = 2015, **ids: str) -> Record:
    return Record(origin=Origin("n.md"), ids=Identifiers(**ids), title=title,  # type: ignore[arg-type]
                  creators=tuple(Creator(family=f) for f in families),
                  date=PartialDate(str(year), year), item_type="journalArticle")


def test_words_drop_stopwords_and_short_words_unless_nothing_is_left() -> None:
    assert words("the behaviour change wheel a new method") == {"behaviour", "change", "wheel", "new", "method"}
    assert words("on the") == {"on", "the"}
    assert words("covid 19 in 2020") == {"covid", "19", "2020"}


def test_rarest_words_break_ties_alphabetically() -> None:
    frequency = Counter({"change": 9, "wheel": 1, "behaviour": 5, "method": 1})
    assert rarest("behaviour change wheel method new", frequency, 3) == ["new", "method", "wheel"]


def test_a_typo_a_dropped_subtitle_or_a_particle_keeps_a_shared_key() -> None:
    full = rec("The behaviour change wheel: a new method for characterising and designing "
               "behaviour change interventions", ("Michie", "van Stralen"))
    variants = [
        rec("The behavior change wheel: a new method for characterising and designing "
            "behaviour change interventions", ("Michie",)),
        rec("The behaviour change wheel", ("Stralen", "Michie")),
        rec("THE BEHAVIOUR CHANGE WHEEL - A NEW METHOD FOR CHARACTERISING AND DESIGNING "
            "BEHAVIOUR CHANGE INTERVENTIONS.", ("Michie", "Stralen")),
    ]
    sigs = [sig_of_record(r) for r in [full, *variants]]
    frequency = Counter({"wheel": 1, "interventions": 50, "behaviour": 80, "change": 80})
    keys = [block_keys(s, frequency) for s in sigs]
    for other in keys[1:]:
        assert keys[0] & other


def test_shared_identifiers_are_block_keys() -> None:
    a = sig_of_record(rec("One title", ("A",), doi="10.1/x"))
    b = sig_of_record(rec("Something else entirely", ("B",), doi="10.1/x"))
    assert block_keys(a, Counter()) & block_keys(b, Counter())


def _random_records(n: int, seed: int) -> list[Record]:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(5000)]
    names = [f"N{i}" for i in range(3000)]
    return [rec(" ".join(rng.choices(vocab, k=8)), tuple(rng.choices(names, k=3)),
                rng.randint(1990, 2020)) for _ in range(n)]


def test_unrelated_records_give_few_candidate_pairs_not_all_pairs() -> None:
    for n in (500, 2000):
        sigs = [sig_of_record(r) for r in _random_records(n, n)]
        pairs = sum(1 for _ in candidate_pairs(sigs))
        assert pairs < n, (n, pairs)  # all pairs would be n(n-1)/2


def test_candidates_found_are_the_duplicates_planted() -> None:
    records = _random_records(1000, 1)
    twins = [rec((r.title or "").replace("w", "W", 1) + ".", (r.creators[0].family or "",), r.year or 0)
             for r in records[:100]]
    sigs = [sig_of_record(r) for r in records + twins]
    index = BlockIndex.of(sigs[:1000])
    for i, twin in enumerate(sigs[1000:]):
        assert i in index.candidates(twin)


def test_over_full_blocks_are_skipped() -> None:
    sigs = [sig_of_record(rec(f"common words only {i}", ("Wang",))) for i in range(600)]
    index = BlockIndex.of(sigs)
    probe = sig_of_record(rec("common words only", ("Wang",)))
    assert len(index.candidates(probe)) < 600
