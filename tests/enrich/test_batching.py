"""Measured batches: the binary search gives exactly the greedy batches, measuring less."""

from __future__ import annotations

import random
from collections.abc import Callable

from zsync.sources.batching import measured_batches


def greedy(ids: list[str], line_for: Callable[[list[str]], str], max_line: int,
           max_count: int) -> list[list[str]]:
    batches: list[list[str]] = []
    current: list[str] = []
    for item in ids:
        trial = [*current, item]
        fits = len(line_for(trial).encode()) <= max_line
        if current and (not fits or len(trial) > max_count):
            batches.append(current)
            current = [item]
        else:
            current = trial
    return [*batches, current] if current else batches


def test_same_batches_as_adding_ids_one_by_one_with_few_measurements() -> None:
    rng = random.Random(5)
    ids = ["10.5555/" + "x" * rng.randint(5, 90) for _ in range(700)]
    ids += ["10.5555/" + "y" * 400]  # too long to fit alone: a batch of its own
    measured = [0]

    def line_for(batch: list[str]) -> str:
        measured[0] += 1
        return "GET /works?filter=" + ",".join(f"doi:{d}" for d in batch) + " HTTP/1.1"

    for max_line, max_count in ((3500, 100), (400, 100), (3500, 7), (100, 5)):
        measured[0] = 0
        got = measured_batches(ids, line_for, max_line=max_line, max_count=max_count)
        assert measured[0] <= len(got) * 8  # ~log2(max_count) a batch, not one per id
        assert got == greedy(ids, line_for, max_line, max_count)
    assert measured_batches([], line_for) == []
