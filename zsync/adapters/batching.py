"""Cut id lists into batches whose request line, measured as sent, stays under a limit.

Crossref refuses request lines over 4096 bytes (HTTP 414); the URL is built exactly as the
HTTP client will encode it and measured, rather than estimated from average DOI lengths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import httpx2

MAX_REQUEST_LINE = 3500  # bytes, "GET <path?query> HTTP/1.1"; Crossref's hard limit is 4096


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
    """Greedy batches: add ids while the measured line fits and the count allows.

    An id too long to fit even alone gets a batch of its own (its request may then be
    refused; the caller reports that per id).
    """
    batches: list[list[str]] = []
    current: list[str] = []
    for item in ids:
        trial = [*current, item]
        fits = len(line_for(trial).encode("utf-8")) <= max_line
        if current and (not fits or len(trial) > max_count):
            batches.append(current)
            current = [item]
        else:
            current = trial
    if current:
        batches.append(current)
    return batches
