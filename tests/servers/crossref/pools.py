"""Crossref access pools and their rate and concurrency limits.

Pool names and values are those the live API reported in July 2026
(shared/fixtures/crossref/index.json, commonmeta-py recordings): `public-single` 5/s with
1 in flight, `polite-single` 10/s with 3, `polite-array` (list queries) 3/s with 3.
`public-array` was not recorded; it is set to 3/s with 3 in flight like `polite-array`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from tests.servers.base import RateLimiter, Request


@dataclass(frozen=True)
class PoolLimit:
    rate: int  # requests per interval
    concurrency: int  # requests in flight
    interval: float = 1.0


DEFAULT_LIMITS: dict[str, PoolLimit] = {
    "public-single": PoolLimit(5, 1),
    "public-array": PoolLimit(3, 3),
    "polite-single": PoolLimit(10, 3),
    "polite-array": PoolLimit(3, 3),
}


def is_polite(request: Request) -> bool:
    """`mailto=` as a query parameter, or `mailto:` inside the User-Agent, selects polite."""
    if (request.arg("mailto") or "").strip():
        return True
    agents = (request.header("user-agent") or "") + " " + (request.header("x-user-agent") or "")
    return "mailto:" in agents.lower()


def pool_name(request: Request, kind: str) -> str:
    """`kind` is "single" (one record) or "array" (a list query)."""
    return f"{'polite' if is_polite(request) else 'public'}-{kind}"


class _PoolState:
    def __init__(self, limit: PoolLimit) -> None:
        self.limit = limit
        self.rate = RateLimiter(limit.rate, limit.interval)
        self.in_flight = 0


class PoolGate:
    """Per (pool, client address) sliding-window rate limit plus an in-flight counter."""

    def __init__(self, limits: dict[str, PoolLimit]) -> None:
        self.limits = limits
        self._states: dict[tuple[str, str], _PoolState] = {}
        self._lock = threading.Lock()

    def _state(self, pool: str, client: str) -> _PoolState:
        key = (pool, client)
        state = self._states.get(key)
        if state is None:
            state = self._states[key] = _PoolState(self.limits[pool])
        return state

    def enter(self, pool: str, client: str) -> str | None:
        """Take a slot; returns None when admitted, else why not ("concurrency"/"rate")."""
        with self._lock:
            state = self._state(pool, client)
            if state.in_flight >= state.limit.concurrency:
                return "concurrency"
            if not state.rate.allow():
                return "rate"
            state.in_flight += 1
            return None

    def leave(self, pool: str, client: str) -> None:
        with self._lock:
            state = self._state(pool, client)
            state.in_flight = max(0, state.in_flight - 1)

    def in_flight(self, pool: str, client: str = "127.0.0.1") -> int:
        with self._lock:
            return self._state(pool, client).in_flight

    def reset(self) -> None:
        with self._lock:
            self._states.clear()
