"""Cut id lists into batches whose request line, measured as sent, stays under a limit.

Crossref refuses request lines over 4096 bytes (HTTP 414); the URL is built exactly as the
HTTP client will encode it and measured, rather than estimated from average DOI lengths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import httpx2

MAX_REQUEST_LINE = 3500  # bytes, "GET <path?query> HTTP/1.1"; Crossref's hard limit is 4096
# Told (ids done, ids added to the total) as batches complete; see `zsync.enrich.enricher`.
Progress = Callable[[int, int], None]


def tick(progress: Progress | None, done: int, total: int = 0) -> None:
    if progress is not None and (done or total):
        progress(done, total)


def request_line(method: str, url: str, params: Sequence[tuple[str, str]]) -> str:
    """The request line an HTTP client would send for `url` plus `params`."""
    target = httpx2.Request(method, url, params=list(params)).url.raw_path.decode("ascii")
    return f"{method} {target} HTTP/1.1"


def measured_batches(
    ids: Iterable[str],
    line_for: Callable[[list[str]], str],
    *,
    max_line: int = MAX_REQUEST_LINE,
    max_count: int = 100,
) -> list[list[str]]:
    """Greedy batches: as many ids as the measured line and the count allow, in order.

    The line only grows with more ids, so the longest prefix that fits is found by binary
    search: about log2(max_count) measurements a batch instead of one per id (measuring
    every prefix made batching itself cost as much as a rate-limited request).
    An id too long to fit even alone gets a batch of its own (its request may then be
    refused; the caller reports that per id).
    """
    items = list(ids)
    batches: list[list[str]] = []
    while items:
        size = _longest_fitting(items[:max_count], line_for, max_line)
        batches.append(items[:size])
        del items[:size]
    return batches


def _longest_fitting(
    candidates: list[str], line_for: Callable[[list[str]], str], max_line: int
) -> int:
    """The largest n >= 1 whose first n candidates fit in one line (1 if none fits)."""

    def fits(count: int) -> bool:
        return len(line_for(candidates[:count]).encode("utf-8")) <= max_line

    low, high = 1, len(candidates)
    if fits(high):
        return high
    while low < high - 1:  # fits(low) is assumed (or forced), fits(high) is false
        middle = (low + high) // 2
        if fits(middle):
            low = middle
        else:
            high = middle
    return low
