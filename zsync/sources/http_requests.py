"""The requests + requests-cache stack under `HttpLayer` (E-utilities, idconv, doi.org):
a cached session whose transport paces requests with the service's `Throttle` only when a
request really goes on the wire (so HTTP cache hits are never delayed) and masks echoed
secrets, and the sorting of its failures for the retry policy. Imported when a request
goes this way: a run that asks no service never loads requests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError

from zsync.logs import holds_secret, redact_bytes
from zsync.sources.http_stacks import CURRENT_THROTTLE, HTTP_CACHE_FILE, warn_echoed

# Excluded from HTTP cache keys and stripped from what requests-cache stores.
CACHE_IGNORED = (*requests_cache.DEFAULT_IGNORED_PARAMS, "api_key", "tool", "email")


def mask_response(response: requests.Response) -> requests.Response:
    """Mask any registered secret a server echoed in `response`'s body, and mark the
    response so the HTTP cache refuses to keep it."""
    if holds_secret(response.content):
        response._content = redact_bytes(response.content)
        response.headers.pop("Content-Length", None)
        response.zsync_masked = True  # type: ignore[attr-defined]
        warn_echoed(response.url)
    return response


def cacheable(response: requests.Response) -> bool:
    """requests-cache's `filter_fn`: never keep an answer that held a secret."""
    return not getattr(response, "zsync_masked", False)


class ThrottledAdapter(HTTPAdapter):
    """Holds the current service's throttle slot while a request is on the wire, and masks
    echoed secrets before anything (the HTTP cache included) sees the answer."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        throttle = CURRENT_THROTTLE.get()
        if throttle is None:
            return mask_response(super().send(request, *args, **kwargs))
        with throttle.slot():
            response = super().send(request, *args, **kwargs)
            _ = response.content  # the body counts as time in flight
        throttle.observe(response.headers)
        return mask_response(response)


def requests_session(cache_dir: Path | None, ttl_days: int, user_agent: str) -> requests.Session:
    """A requests-cache session (SQLite under `cache_dir`), or a plain one without a dir."""
    session: requests.Session
    if cache_dir is None:
        session = requests.Session()
    else:
        cache_dir.mkdir(parents=True, exist_ok=True)
        session = requests_cache.CachedSession(
            str(cache_dir / HTTP_CACHE_FILE),
            backend="sqlite",
            expire_after=timedelta(days=ttl_days),
            allowable_methods=("GET", "HEAD", "POST"),
            allowable_codes=(200,),
            ignored_parameters=CACHE_IGNORED,
            filter_fn=cacheable,
        )
    adapter = ThrottledAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent
    return session


def _refused(exc: BaseException) -> bool:
    """True when the connection was never made, so the server cannot have seen the request."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError) or isinstance(exc, requests.ConnectTimeout)


def requests_failure(exc: BaseException) -> tuple[str, bool] | None:
    """(reason, maybe sent) for a requests I/O failure worth repeating, else None."""
    if isinstance(exc, requests.ConnectTimeout):
        return "connect timeout", False
    if isinstance(exc, requests.Timeout):
        return "timeout", True
    if isinstance(exc, requests.ConnectionError):
        return ("connection refused", False) if _refused(exc) else ("connection lost", True)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "broken response", True
    return None
