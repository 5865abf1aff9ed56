"""The two HTTP stacks under `HttpLayer`: a requests-cache session (`http_requests`,
imported when a request goes that way) and an httpx2 client, and what both share.

Both pace requests with the service's `Throttle` only when a request really goes on the
wire: for requests that is a transport adapter (so HTTP cache hits are never delayed), for
httpx2 (which has no cache) the caller holds the slot. Failures are sorted into "repeat"
(with whether the request may have reached the server) for the retry policy.
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx2

from zsync.logs import holds_secret, redact, redact_bytes
from zsync.sources.throttle import Throttle

log = logging.getLogger("zsync.http")

SECRET_PARAMS = ("api_key",)
HTTP_CACHE_FILE = "http_cache.sqlite"
_SECRET_IN_TEXT = re.compile(r"(api_key=)[^&\s'\"<>]*", re.IGNORECASE)

CURRENT_THROTTLE: ContextVar[Throttle | None] = ContextVar("zsync_throttle", default=None)


def safe_url(url: str) -> str:
    """`url` without secret query parameters, fit for logs, errors and cache keys."""
    parts = urlsplit(str(url))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in SECRET_PARAMS]
    return redact(urlunsplit(parts._replace(query=urlencode(query))))


def scrub(text: str) -> str:
    """Free text (an exception message) with secret parameters and known secrets masked."""
    return redact(_SECRET_IN_TEXT.sub(r"\1****", text))


_THIRD_PARTY = ("urllib3", "requests", "requests_cache", "httpx2", "httpcore2", "habanero")


class _ScrubFilter(logging.Filter):
    """Masks secret query parameters in records libraries log (urllib3 logs full URLs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_SCRUB = _ScrubFilter()


def scrub_library_logs() -> None:
    """Attach the scrubbing filter to every logger of the HTTP libraries (idempotent)."""
    names = [n for n in logging.Logger.manager.loggerDict if n.split(".")[0] in _THIRD_PARTY]
    for name in names:
        logger = logging.getLogger(name)
        if _SCRUB not in logger.filters:
            logger.addFilter(_SCRUB)


def warn_echoed(url: str) -> None:
    log.warning("the answer to %s held an API key; it was masked and is not cached",
                safe_url(url))


def mask_httpx(response: httpx2.Response) -> None:
    """An httpx2 response hook: read the body and mask any secret the server echoed,
    before pyzotero or habanero (and so any error message, report or state) sees it.
    A hook, not a transport, so it also holds behind a proxy set in the environment."""
    body = response.read()
    if holds_secret(body):
        response._content = redact_bytes(body)
        if "/keys/" not in response.request.url.path:  # Zotero's key info names the key
            warn_echoed(str(response.request.url))


def httpx_client(observe: Any) -> httpx2.Client:
    """The one httpx2 client habanero's requests go through; `observe` reads each response."""
    return httpx2.Client(follow_redirects=False,
                         event_hooks={"response": [mask_httpx, observe]})


def httpx_failure(exc: BaseException) -> tuple[str, bool] | None:
    """(reason, maybe sent) for an httpx2 I/O failure worth repeating, else None."""
    if isinstance(exc, httpx2.ConnectTimeout):
        return "connect timeout", False
    if isinstance(exc, httpx2.ConnectError):
        return "connection refused", False
    if isinstance(exc, httpx2.TimeoutException):
        return "timeout", True
    if isinstance(exc, httpx2.TransportError):
        return "connection lost", True
    return None
