"""Per-service pacing: a sliding-window limiter (N requests per second) plus a cap on
requests in flight, starting from documented defaults and adapting to what the server
announces.

The services count requests in a sliding window ("3 per second": never more than 3 in any
one-second span). zsync keeps to that window, not to an even spacing: a request counts
from the moment it starts until one window after its answer has arrived, and at most N
requests may count at once. The server saw each request somewhere between its start and
its answer, so however late a request really left (a slow connection, a thread waiting
for the interpreter), no N+1 of them can reach the server within one window; and small
runs need not wait at all (3 requests at 3/s go at once).

A `Throttle` is shared by every request to one pool of one service, whatever HTTP stack
sends it. `observe()` reads `x-rate-limit-limit` / `x-rate-limit-interval` /
`x-concurrency-limit` (Crossref) and `x-ratelimit-limit` (NCBI) on every response and
throttles to the LOWER of the documented default and the announced value: the headers can
slow zsync down but never push it past the documented etiquette. `pause()` holds every
request to the service back (after a 429 with Retry-After, or a `Backoff` header).
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from zsync.model.patterns import lazy


@dataclass(frozen=True)
class ServicePolicy:
    """Documented limits of one pool: `rate` requests per second, `concurrency` in flight."""

    name: str
    rate: float
    concurrency: int


# Crossref, observed July 2026 (reference 1.6): polite single 10/s and lists 3/s, 3 in
# flight; public 5/s and 1 in flight (the public list pool was not recorded: 3/s assumed).
CROSSREF_POLITE_SINGLE = ServicePolicy("crossref-single", 10.0, 3)
CROSSREF_POLITE_LIST = ServicePolicy("crossref-list", 3.0, 3)
CROSSREF_PUBLIC_SINGLE = ServicePolicy("crossref-single", 5.0, 1)
CROSSREF_PUBLIC_LIST = ServicePolicy("crossref-list", 3.0, 1)
# NCBI: 3/s per IP without an API key, 10/s with one; no documented concurrency limit.
NCBI_NO_KEY = ServicePolicy("ncbi", 3.0, 3)
NCBI_WITH_KEY = ServicePolicy("ncbi", 10.0, 3)
# doi.org content negotiation: no published limit; be gentle.
DOI_RESOLVER = ServicePolicy("doi", 5.0, 2)

SAFETY = 1.02  # windows 2% longer than the limit's: clock resolution, rounding
_INTERVAL = lazy(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_interval(text: str | None) -> float | None:
    """'1s' -> 1.0, '60' -> 60.0, '500ms' -> 0.5; None when absent or unreadable."""
    match = _INTERVAL.match(text or "")
    if not match:
        return None
    seconds = float(match.group(1)) * _UNIT_SECONDS[(match.group(2) or "s").lower()]
    return seconds if seconds > 0 else None


def _positive_int(text: str | None) -> int | None:
    try:
        value = int(str(text).strip())
    except ValueError:
        return None
    return value if value > 0 else None


def announced_rate(headers: Mapping[str, str]) -> float | None:
    """Requests per second the server announces, if it does."""
    limit = _positive_int(headers.get("x-rate-limit-limit") or headers.get("x-ratelimit-limit"))
    if limit is None:
        return None
    interval = parse_interval(headers.get("x-rate-limit-interval")) or 1.0
    return limit / interval


class _Sent:
    """One request as the window sees it: in flight until `ended` is set."""

    __slots__ = ("ended",)

    def __init__(self) -> None:
        self.ended: float | None = None


class Throttle:
    """Sliding-window limiter plus concurrency cap for one service pool. Thread-safe."""

    def __init__(
        self,
        policy: ServicePolicy,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy
        self.rate = policy.rate
        self.concurrency = policy.concurrency
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()
        self._in_flight = 0
        self._recent: deque[_Sent] = deque()
        self._not_before = 0.0

    def window(self) -> tuple[int, float]:
        """(requests, seconds): `rate` as a window; 3/s -> 3 in 1 s, 0.5/s -> 1 in 2 s."""
        if self.rate >= 1 and float(self.rate).is_integer():
            return int(self.rate), SAFETY
        return 1, SAFETY / self.rate

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one in-flight slot, started no sooner than the window allows."""
        sent = self._enter()
        try:
            yield
        finally:
            self._leave(sent)

    def _enter(self) -> _Sent:
        while True:
            with self._cond:
                wait = self._wait_needed()
                if wait == 0.0:
                    sent = _Sent()
                    self._recent.append(sent)
                    self._in_flight += 1
                    return sent
                if wait is None:  # only an answer (or a changed limit) can free a place
                    self._cond.wait()
                    continue
            self._sleep(wait)

    def _wait_needed(self) -> float | None:
        """0 when a request may start now, else seconds to wait (None: until notified)."""
        now = self._clock()
        if self._in_flight >= self.concurrency:
            return None
        if now < self._not_before:
            return self._not_before - now
        limit, seconds = self.window()
        self._recent = deque(s for s in self._recent if s.ended is None or s.ended + seconds > now)
        if len(self._recent) < limit:
            return 0.0
        # Enough of the answered ones must leave the window, in the order they were answered.
        ends = sorted(s.ended for s in self._recent if s.ended is not None)
        needed = len(self._recent) - limit + 1
        if len(ends) < needed:
            return None
        return max(ends[needed - 1] + seconds - now, 1e-3)

    def _leave(self, sent: _Sent) -> None:
        with self._cond:
            sent.ended = self._clock()
            self._in_flight -= 1
            self._cond.notify_all()

    def pause(self, seconds: float) -> None:
        """No request to this service starts in the next `seconds`."""
        with self._cond:
            self._not_before = max(self._not_before, self._clock() + seconds)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Adapt to the limits a response announces (lower of default and announced)."""
        backoff = parse_interval(headers.get("backoff"))
        if backoff is not None:
            self.pause(backoff)
        rate = announced_rate(headers)
        concurrency = _positive_int(headers.get("x-concurrency-limit"))
        with self._cond:
            if rate is not None:
                self.rate = min(self.policy.rate, rate)
            if concurrency is not None:
                self.concurrency = min(self.policy.concurrency, concurrency)
            self._cond.notify_all()
