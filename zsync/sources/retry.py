"""When to repeat a request, and how long to wait first (tenacity underneath).

Repeated: 408/425/429/5xx answers, NCBI's transient HTTP 400 relay errors, timeouts and
connection errors; only for requests safe to repeat (GET/HEAD and idempotent POST queries),
except a connection that failed before anything was sent, which is always safe. The wait is
the server's `Retry-After` (seconds or HTTP date) or `Backoff`, else exponential backoff with
jitter. A server that asks for longer than `max_retry_after` is not waited for.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

import tenacity

from zsync.errors import ServiceError
from zsync.model.patterns import lazy

log = logging.getLogger("zsync.http")

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
UNREACHABLE_TRIES = 2
# E-utilities relay failures come back as HTTP 400 with an <ERROR> body (reference 3.4).
_TRANSIENT_400 = lazy(
    r"proxy_stream|PubOne|Failed to connect|temporarily unavailable|Unable to obtain|"
    r"backend|Service unavailable|timed? ?out",
    re.IGNORECASE,
)


class Response(Protocol):
    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def text(self) -> str: ...


R = TypeVar("R", bound=Response)


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 120.0


class Exhausted(ServiceError):
    """Retries used up (or not allowed); `reason` is safe to show (no URL, no key)."""

    def __init__(self, reason: str, repeated: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.repeated = repeated  # False: failed once and was not safe to repeat


class _Again(ServiceError):
    def __init__(
        self, reason: str, delay: float | None, allowed: bool, unreachable: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.delay = delay
        self.allowed = allowed
        self.unreachable = unreachable  # no connection could be made at all


def server_delay(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asks for: `Retry-After` (seconds or HTTP date), else `Backoff`."""
    for name in ("retry-after", "backoff"):
        value = (headers.get(name) or "").strip()
        if not value:
            continue
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            continue  # unreadable: fall back to our own backoff
        return max(0.0, when.timestamp() - (time.time() if now is None else now))
    return None


def transient_reason(response: Response) -> str | None:
    """Why this answer is worth repeating, or None when it is final."""
    status = response.status_code
    if status in RETRY_STATUSES:
        return f"HTTP {status}"
    if status == 400 and "<ERROR>" in response.text and _TRANSIENT_400.search(response.text):
        return "HTTP 400 (transient relay error)"
    return None


def _wait(policy: RetryPolicy) -> Callable[[tenacity.RetryCallState], float]:
    def wait(state: tenacity.RetryCallState) -> float:
        again = _failure(state)
        if again is not None and again.delay is not None:
            return again.delay
        exponential = policy.base_delay * 2 ** min(state.attempt_number - 1, 30)
        return min(policy.max_delay, exponential + random.uniform(0, policy.base_delay))

    return wait


def _failure(state: tenacity.RetryCallState) -> _Again | None:
    error = state.outcome.exception() if state.outcome else None
    return error if isinstance(error, _Again) else None


def _stop(policy: RetryPolicy) -> Callable[[tenacity.RetryCallState], bool]:
    def too_long(state: tenacity.RetryCallState) -> bool:
        again = _failure(state)
        return bool(again and again.delay is not None and again.delay > policy.max_retry_after)

    def unreachable(state: tenacity.RetryCallState) -> bool:
        # A host that refuses or cannot be reached twice in a row is not coming back within
        # this run's patience (no network, wrong URL): give up instead of backing off.
        again = _failure(state)
        return bool(again and again.unreachable and state.attempt_number >= UNREACHABLE_TRIES)

    enough = tenacity.stop_after_attempt(policy.max_retries + 1)
    return lambda state: enough(state) or too_long(state) or unreachable(state)


def run(
    send: Callable[[], R],
    *,
    policy: RetryPolicy,
    safe: bool,
    transport_error: Callable[[BaseException], tuple[str, bool] | None],
    sleep: Callable[[float], None] = time.sleep,
    on_wait: Callable[[str, float, int], None] | None = None,
) -> R:
    """Call `send` until it gives a final answer. Raises `Exhausted` when it never does.

    `transport_error(exc)` returns (reason, sent) for an I/O failure (`sent` False: the
    request never left, so repeating it is safe), or None to let the exception through.
    """

    tries = 0

    def attempt() -> R:
        nonlocal tries
        tries += 1
        try:
            response = send()
        except Exception as exc:
            failure = transport_error(exc)
            if failure is None:
                raise
            why, sent = failure
            raise _Again(why, None, safe or not sent, unreachable=not sent) from None
        reason = transient_reason(response)
        if reason is not None:
            raise _Again(reason, server_delay(response.headers), safe)
        return response

    def before_sleep(state: tenacity.RetryCallState) -> None:
        again = _failure(state)
        if on_wait is not None and again is not None and state.next_action is not None:
            on_wait(again.reason, state.next_action.sleep, state.attempt_number)

    retrying = tenacity.Retrying(
        stop=_stop(policy),
        wait=_wait(policy),
        retry=tenacity.retry_if_exception(lambda e: isinstance(e, _Again) and e.allowed),
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    try:
        return retrying(attempt)
    except _Again as again:
        reason = again.reason + _why_stopped(again, tries, policy)
        raise Exhausted(reason, repeated=again.allowed) from None


def _why_stopped(again: _Again, tries: int, policy: RetryPolicy) -> str:
    if not again.allowed:
        return " (not repeated: unsafe to retry)"
    if again.delay is not None and again.delay > policy.max_retry_after:
        return f" (server asked to wait {again.delay:.0f} s)"
    return f" after {tries} tries" if tries > 1 else ""
