"""One HTTP layer for every service zsync enriches from: Crossref, doi.org, NCBI, and the
request pools of any other registered source (`sources.registry`).

Per service pool there is one `Throttle` (sliding-window limiter + concurrency cap, from the
documented defaults each source's spec gives, lowered by the rate headers servers send),
one retry policy (tenacity: exponential backoff with jitter, honouring Retry-After/Backoff;
only for requests safe to repeat), one timeout and one User-Agent naming zsync, its version
and the mailto address. A service whose retries are used up is marked down for the rest of
the run, so later batches degrade at once ("not enriched: ...") instead of waiting through
retries again.

Two stacks sit underneath:
- requests + requests-cache (`CachedSession`, SQLite under the cache dir, `api_key`,
  `tool` and `email` ignored in cache keys and stripped from stored requests) for
  E-utilities, idconv and DOI content negotiation;
- one shared `httpx2.Client` for habanero. habanero calls the module-level `httpx2.get`,
  takes no client, shows no headers and never retries. Wrapping each habanero *call* with
  throttle and retries would pace calls, not requests (a cursor call makes many), could not
  read the rate-limit headers, and would repeat a whole call when one request failed. So
  `habanero_shim` rebinds the name `httpx2` inside habanero's two request modules to a
  stand-in whose `get` — only inside `with http.habanero():` — goes to `_habanero_get`
  here: throttle slot, the shared client, retries, headers observed. habanero then sees
  only final answers (2xx, or a 4xx it reports in its own way); a failure that outlasted the
  retries is raised as `ServiceUnavailable`, which habanero's own `except` clauses do not
  catch, so it reaches the caller intact.

Secrets: the NCBI key is registered with `zsync.logs` (masked in every log line); URLs are
logged and put in errors only through `safe_url`/`scrub`; errors are raised `from None` so
no library exception carrying a URL with the key is chained to them.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2

from zsync import __version__
from zsync.config.settings import Config
from zsync.errors import ServiceError
from zsync.logs import register_secret
from zsync.sources import retry
from zsync.sources.crossref import habanero_shim
from zsync.sources.http_stacks import (
    CURRENT_THROTTLE,
    httpx_client,
    httpx_failure,
    safe_url,
    scrub,
    scrub_library_logs,
)
from zsync.sources.registry import REGISTRY
from zsync.sources.retry import RetryPolicy
from zsync.sources.throttle import Throttle

if TYPE_CHECKING:
    import requests

log = logging.getLogger("zsync.http")
T = TypeVar("T", bound=retry.Response)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ServiceUnavailable(ServiceError):
    """A service could not give a final answer; the message is safe to show."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"{service}: {reason}")
        self.service = service
        self.reason = reason


def user_agent(mailto: str, based_on: str) -> str:
    """Crossref's suggested form: `Tool/1.1 (mailto:...) BasedOnLib/1.4`."""
    contact = f" (mailto:{mailto})" if mailto else ""
    return f"zsync/{__version__}{contact} {based_on}"


def default_throttles(config: Config) -> dict[str, Throttle]:
    """One throttle per request pool of every registered source, at its documented limits."""
    return {name: Throttle(policy) for name, policy in REGISTRY.pools(config).items()}


def crossref_pool(url: str) -> str:
    """List queries (`/works?...`) and single records (`/works/{doi}`) have separate pools."""
    path = httpx2.URL(str(url)).path.rstrip("/")
    return "crossref-list" if path.endswith("/works") else "crossref-single"


class HttpLayer:
    def __init__(
        self,
        config: Config,
        *,
        retry_policy: RetryPolicy | None = None,
        timeout: float | None = None,
        http_cache: bool = True,
        throttles: dict[str, Throttle] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.offline = config.network.offline
        self.timeout = float(timeout if timeout is not None else config.network.timeout)
        self.retry = retry_policy or RetryPolicy(max_retries=config.network.max_retries)
        # Pools the given throttles leave out (a source registered later) get the defaults.
        self.throttles = {**default_throttles(config), **(throttles or {})}
        self.sleep = sleep
        self.down: dict[str, str] = {}
        self.mailto = config.crossref.mailto or config.pubmed.email
        register_secret(config.pubmed.api_key.reveal() if config.pubmed.api_key else "")
        scrub_library_logs()
        self._cache_dir: Path | None = config.cache_dir() if http_cache else None
        # A second line behind the record cache: it must not outlive a "not found" there.
        self._cache_days = min(config.cache.ttl_days, config.cache.not_found_ttl_days)
        self._session: requests.Session | None = None
        self._client: httpx2.Client | None = None
        self._client_lock = threading.Lock()
        self.asked = 0  # requests asked of this layer (sent, refused offline, or failed)

    @cached_property
    def user_agent(self) -> str:
        """The User-Agent of requests through `session`."""
        return user_agent(self.mailto, f"python-requests/{metadata.version('requests')}")

    @cached_property
    def habanero_agent(self) -> str:
        """The User-Agent of habanero's requests."""
        return user_agent(self.mailto, f"habanero/{metadata.version('habanero')} "
                                       f"python-httpx2/{httpx2.__version__}")

    # --- requests: E-utilities, idconv, doi.org ---------------------------------------------

    @property
    def session(self) -> requests.Session:
        """The requests-cache session, opened on the first request that needs it."""
        with self._client_lock:
            if self._session is None:
                from zsync.sources.http_requests import requests_session

                self._session = requests_session(self._cache_dir, self._cache_days,
                                                 self.user_agent)
                scrub_library_logs()  # requests and urllib3 are loaded now: mask their logs
            return self._session

    def get(
        self, service: str, url: str, *, params: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        return self._requests(service, "GET", url, params=params, headers=headers)

    def post(
        self, service: str, url: str, *, data: Any, idempotent: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """POST; repeated on transient failures only when the caller says it is a query."""
        return self._requests(
            service, "POST", url, data=data, headers=headers, idempotent=idempotent
        )

    def _requests(
        self, service: str, method: str, url: str, *, idempotent: bool | None = None, **kw: Any
    ) -> requests.Response:
        from zsync.sources.http_requests import requests_failure

        def send() -> requests.Response:
            token = CURRENT_THROTTLE.set(self.throttles[service])
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kw)
            finally:
                CURRENT_THROTTLE.reset(token)
            self._log(method, response.url, response.status_code, response)
            return response

        safe = method in SAFE_METHODS if idempotent is None else idempotent
        return self._execute(service, method, url, send, safe, requests_failure)

    # --- httpx2: habanero ---------------------------------------------------------------------

    @contextmanager
    def habanero(self) -> Iterator[None]:
        """Inside the block, habanero's requests go through this layer."""
        with habanero_shim.routed(self._habanero_get):
            scrub_library_logs()  # habanero is loaded by now: mask its logs too
            yield

    def _habanero_get(
        self, url: Any, *, params: Any = None, headers: Mapping[str, str] | None = None, **_: Any
    ) -> httpx2.Response:
        pool = crossref_pool(str(url))
        sent_headers = {**(headers or {}), "User-Agent": self.habanero_agent,
                        "X-USER-AGENT": self.habanero_agent}

        def send() -> httpx2.Response:
            with self.throttles[pool].slot():
                response = self.client.get(
                    url, params=params, headers=sent_headers, timeout=self.timeout
                )
                response.read()
            self._log("GET", str(response.request.url), response.status_code, None)
            return response

        return self._execute(pool, "GET", str(url), send, True, httpx_failure)

    @property
    def client(self) -> httpx2.Client:
        with self._client_lock:  # Crossref and PubMed lookups run in two threads
            if self._client is None:
                self._client = httpx_client(self._observe_httpx)
                scrub_library_logs()  # httpcore2 is loaded now: mask its logs too
            return self._client

    def _observe_httpx(self, response: httpx2.Response) -> None:
        self.throttles[crossref_pool(str(response.request.url))].observe(response.headers)

    # --- shared ---------------------------------------------------------------------------------

    def _execute(
        self, service: str, method: str, url: str, send: Callable[[], T], safe: bool,
        failure: Callable[[BaseException], tuple[str, bool] | None],
    ) -> T:
        with self._client_lock:
            self.asked += 1
        family = service.split("-")[0]
        if self.offline:
            raise ServiceUnavailable(family, "offline")
        if family in self.down:
            raise ServiceUnavailable(family, self.down[family])
        try:
            return retry.run(
                send, policy=self.retry, safe=safe, transport_error=failure, sleep=self.sleep,
                on_wait=lambda why, wait, n: self._on_wait(service, method, url, why, wait, n),
            )
        except retry.Exhausted as exc:
            if exc.repeated:  # it stayed down through the retries: spare the rest of the run
                self.down[family] = exc.reason
            log.warning("%s: %s %s: %s", family, method, safe_url(url), exc.reason)
            raise ServiceUnavailable(family, exc.reason) from None
        except _library_errors() as exc:
            reason = scrub(f"{type(exc).__name__}: {exc}")
            raise ServiceUnavailable(family, reason) from None

    def _on_wait(
        self, service: str, method: str, url: str, why: str, wait: float, attempt: int
    ) -> None:
        self.throttles[service].pause(wait)
        log.info(
            "%s: %s %s: %s; retrying in %.1f s (attempt %d)",
            service, method, safe_url(url), why, wait, attempt + 1,
        )

    def _log(self, method: str, url: str, status: int, response: Any) -> None:
        cached = " (cached)" if getattr(response, "from_cache", False) else ""
        log.debug("%s %s -> %s%s", method, safe_url(url), status, cached)

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        if self._client is not None:
            self._client.close()


def _library_errors() -> tuple[type[Exception], ...]:
    """The errors of the HTTP libraries loaded so far (requests' only once it is used)."""
    requests = sys.modules.get("requests")
    if requests is None:
        return (httpx2.HTTPError,)
    return (requests.RequestException, httpx2.HTTPError)

