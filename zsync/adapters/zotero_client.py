"""The Zotero connection: a pyzotero client on an injected httpx2 client, with retries.

`make_api(config)` builds a `ZoteroApi` for the configured user or group library, on the
web API (`zotero.api_url`) or the desktop's local API (`zotero.local`). Every call goes
through `ZoteroApi.call`, which repeats it after a dropped connection, a timeout, a 5xx or
a 429, waiting as long as `Retry-After`/`Backoff` ask (pyzotero also waits out a `Backoff`
sent on a successful response before its next request). Only idempotent calls may be
passed to `call`: reads, and writes whose objects carry client keys and versions.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx2
import pyzotero
from pyzotero import zotero
from pyzotero import zotero_errors as ze

from .. import __version__
from ..config import Config
from ..logs import register_secret
from .http_stacks import mask_httpx
from .retry import RetryPolicy, run, transient_reason
from .state import StateStore

log = logging.getLogger("zsync.zotero")
T = TypeVar("T")

WEB_URL = "https://api.zotero.org"
LOCAL_URL = "http://localhost:23119/api"
USER_AGENT = f"zsync/{__version__} pyzotero/{pyzotero.__version__}"


class ZoteroSetupError(Exception):
    """The Zotero settings are incomplete (library id, key)."""


class _Zotero(zotero.Zotero):
    """pyzotero's client, naming zsync in the User-Agent of every request and waiting as
    long as `network.timeout` says."""

    def default_headers(self) -> dict[str, str]:
        headers = super().default_headers()
        headers["User-Agent"] = USER_AGENT
        return headers

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx2.Response:
        # pyzotero passes its own fixed timeout with each request, which would override
        # the one the client was made with (from the settings).
        if kwargs.get("timeout") == zotero.DEFAULT_TIMEOUT:
            del kwargs["timeout"]
        return super()._send(method, url, **kwargs)


@dataclass
class _Ok:
    """A call's result, shaped like a response so the retry loop can handle it."""

    value: Any
    status_code: int = 200
    text: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {}


def transport_failure(exc: BaseException) -> tuple[str, bool] | None:
    """(reason, request was sent) for connection-level failures; None for anything else."""
    if isinstance(exc, httpx2.ConnectError | httpx2.ConnectTimeout):
        return f"could not connect to Zotero ({type(exc).__name__})", False
    if isinstance(exc, httpx2.TimeoutException):
        return f"Zotero did not answer in time ({type(exc).__name__})", True
    if isinstance(exc, httpx2.TransportError):
        return f"the connection to Zotero broke ({type(exc).__name__})", True
    return None


@dataclass
class ZoteroApi:
    """One library through pyzotero. `library` is "users/<id>" or "groups/<id>"."""

    zot: zotero.Zotero
    library: str
    local: bool
    policy: RetryPolicy
    sleep: Callable[[float], None] = time.sleep

    @property
    def endpoint(self) -> str:
        return str(self.zot.endpoint)

    @property
    def server_id(self) -> str:
        """The local API's Zotero-Server-ID ('' on the web API)."""
        return (self.zot.server_id or "") if self.local else ""

    def call(self, fn: Callable[[], T]) -> T:
        """`fn()` (one pyzotero call), repeated while the failure is transient.

        Raises `retry.Exhausted` when it stays transient, or pyzotero's own error for a
        final HTTP answer (e.g. 403, 404, 412).
        """

        def send() -> _Ok | httpx2.Response:
            self.zot.request = None
            try:
                return _Ok(fn())
            except (json.JSONDecodeError, ze.PyZoteroError):
                # pyzotero raises on 5xx, and on a 429 to create_items it parses the
                # plain-text body as JSON; either way the response is in zot.request.
                response = self.zot.request
                if response is not None and transient_reason(response) is not None:
                    return response
                raise

        result = run(send, policy=self.policy, safe=True, transport_error=transport_failure,
                     sleep=self.sleep, on_wait=_log_wait)
        if not isinstance(result, _Ok):  # pragma: no cover - run() raises instead
            raise RuntimeError("retry loop returned a failed response")
        value: T = result.value
        return value

    def library_version(self) -> int:
        """The library's current version (one small request; captures the local server id)."""
        return int(self.call(self.zot.last_modified_version))

    def bind(self, store: StateStore) -> int:
        """Select this library (per local server id) in the state store."""
        if self.local and not self.zot.server_id:
            self.library_version()
        return store.select_library(self.library, self.server_id)

    def last_status(self) -> int | None:
        response = self.zot.request
        return None if response is None else int(response.status_code)


def _log_wait(reason: str, delay: float, attempt: int) -> None:
    log.info("Zotero: %s; trying again in %.1f s (attempt %d)", reason, delay, attempt + 1)


def base_url(config: Config) -> str:
    """The API root: `zotero.api_url`, or the desktop's local API when `zotero.local`."""
    url = str(config["zotero.api_url"]).rstrip("/")
    if config["zotero.local"] and url == WEB_URL:
        return LOCAL_URL
    return url


def make_api(config: Config, *, client: httpx2.Client | None = None,
             policy: RetryPolicy | None = None, local_api_key: str | None = None,
             sleep: Callable[[float], None] = time.sleep) -> ZoteroApi:
    """A `ZoteroApi` for the configured library. The API key is registered as a secret."""
    library_id = str(config["zotero.library_id"]).strip()
    library_type = str(config["zotero.library_type"])
    local = bool(config["zotero.local"])
    api_key = config["zotero.api_key"].reveal() if config["zotero.api_key"] else ""
    if not library_id:
        raise ZoteroSetupError("zotero.library_id is not set (your user id or a group id)")
    if not api_key and not local:
        raise ZoteroSetupError("zotero.api_key is not set (create one at "
                               "https://www.zotero.org/settings/keys)")
    register_secret(api_key)
    if local_api_key:
        register_secret(local_api_key)
    timeout = float(config["network.timeout"])
    http = client or httpx2.Client(
        timeout=httpx2.Timeout(timeout, connect=min(timeout, 10.0)),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
        trust_env=not local,
    )
    hooks = http.event_hooks
    if mask_httpx not in hooks["response"]:  # echoed keys masked before pyzotero reads
        http.event_hooks = {**hooks, "response": [mask_httpx, *hooks["response"]]}
    zot = _Zotero(library_id, library_type, api_key=None if local else api_key, local=local,
                  client=http, local_api_key=local_api_key)
    zot.endpoint = base_url(config)
    policy = policy or RetryPolicy(max_retries=int(config["network.max_retries"]))
    return ZoteroApi(zot, f"{library_type}s/{library_id}", local, policy, sleep)
