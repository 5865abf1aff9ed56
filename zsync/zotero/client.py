"""The Zotero connection: a pyzotero client on an injected httpx2 client, with retries.

`make_api(config)` builds a `ZoteroApi` for the configured user or group library, on the
web API (`zotero.api_url`), the desktop's local API (`zotero.local`, at `zotero.local_url`;
writes need Zotero 10 and a local key), or both (`zotero.hybrid`: the mirror is read from
the desktop, writes go to the web API). Every call goes
through `ZoteroApi.call`, which repeats it after a dropped connection, a timeout, a 5xx or
a 429, waiting as long as `Retry-After`/`Backoff` ask (pyzotero also waits out a `Backoff`
sent on a successful response before its next request). Only idempotent calls may be
passed to `call`: reads, and writes whose objects carry client keys and versions.

The pyzotero client is made (and pyzotero imported) on first use. The web API's library
version, all a sync with nothing to do asks, is read without it: the same request, retried
the same way; a refusal is handed to pyzotero, which raises its usual error for it.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2

from zsync import __version__
from zsync.config.settings import Config
from zsync.errors import ConfigError
from zsync.logs import register_secret
from zsync.sources.http_stacks import mask_httpx
from zsync.sources.retry import RetryPolicy, run, server_delay, transient_reason
from zsync.state.store import StateStore

if TYPE_CHECKING:
    from pyzotero import zotero

log = logging.getLogger("zsync.zotero")
T = TypeVar("T")

APP_NAME = "zsync"
API_VERSION = "3"  # the Zotero-API-Version pyzotero sends (a test holds them together)
DESKTOP_OFF = ("Zotero is not running or its local API is off (Settings -> Advanced -> "
               "Allow other applications on this computer to communicate with Zotero)")
DESKTOP_READ_ONLY = (
    "this Zotero desktop (7-9) only lets other programs read its library: applying changes "
    "needs Zotero 10 (then run `zsync config local-auth`), or a Web API key (set "
    "zotero.api_key and zotero.library_id with zotero.hybrid = true to keep reading from the "
    "desktop); a dry run (--dry-run) works as it is")
NO_LOCAL_KEY = ("zsync has no local API key for Zotero desktop: run `zsync config local-auth` "
                "and choose Allow in the dialog Zotero shows")


@cache
def user_agent() -> str:
    """The User-Agent of every request to Zotero, naming zsync and pyzotero."""
    return f"zsync/{__version__} pyzotero/{metadata.version('pyzotero')}"


class ZoteroSetupError(ConfigError):
    """The Zotero settings are incomplete (library id, key)."""


class DesktopUnavailable(ZoteroSetupError):
    """Nothing answers at the desktop's local API address."""

    def __init__(self, url: str) -> None:
        super().__init__(f"{DESKTOP_OFF}; nothing answered at {url}")


class DesktopReadOnly(ZoteroSetupError):
    """The desktop's local API cannot write (Zotero 7-9, or no local key)."""


@dataclass
class Connection:
    """One Zotero API root and library, and the pyzotero client for it, made on first use:
    a run that only reads the library's version (a sync with nothing to do) never imports
    pyzotero."""

    library_id: str
    library_type: str  # "user" or "group"
    endpoint: str
    http: httpx2.Client
    local: bool
    api_key: str | None = None
    local_api_key: str | None = None
    backoff_until: float = 0.0  # a Backoff asked for before the client was made
    _zot: zotero.Zotero | None = field(default=None, repr=False)

    @property
    def made(self) -> bool:
        return self._zot is not None

    def client(self) -> zotero.Zotero:
        if self._zot is None:
            from zsync.zotero.pyzotero_client import ZsyncZotero

            zot = ZsyncZotero(self.library_id, self.library_type, api_key=self.api_key,
                              local=self.local, client=self.http,
                              local_api_key=self.local_api_key)
            zot.endpoint = self.endpoint
            zot.backoff_until = max(zot.backoff_until, self.backoff_until)
            self._zot = zot
        return self._zot

    def version_request(self) -> httpx2.Response:
        """The request pyzotero's `last_modified_version` sends, sent without pyzotero."""
        remainder = self.backoff_until - time.time()
        if remainder > 0:
            time.sleep(remainder)
        headers = {"User-Agent": user_agent(), "Zotero-API-Version": API_VERSION}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        url = f"{self.endpoint.rstrip('/')}/{self.library_type}s/{self.library_id}/items"
        response = self.http.get(url, params={"limit": 1, "format": "json", "locale": "en-US"},
                                 headers=headers)
        response.encoding = "utf-8"
        return response

    def version_answer(self, response: httpx2.Response) -> int:
        """The library version a final answer to `version_request` gives; a refusal raises
        pyzotero's error for it, as pyzotero would."""
        if not response.is_success:
            zot = self.client()
            zot.request = response
            zot._post_check(response)  # raises the error pyzotero gives this answer
        delay = server_delay(response.headers, time.time())
        if delay:
            self.backoff_until = time.time() + delay
            if self._zot is not None:
                self._zot.backoff_until = self.backoff_until
        return int(response.headers.get("last-modified-version", 0))


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
    """One library through pyzotero. `library` is "users/<id>" or "groups/<id>".

    `connection` takes the writes and, unless `reading` is set, the reads; `local` says it
    is the desktop's local API. In hybrid mode `reading` is the desktop and `connection` the
    web API. Their pyzotero clients (`zot`, `reader`) are made when first used."""

    connection: Connection
    library: str
    local: bool
    policy: RetryPolicy
    sleep: Callable[[float], None] = time.sleep
    reading: Connection | None = None
    _probed: set[int] = field(default_factory=set, repr=False)

    @property
    def zot(self) -> zotero.Zotero:
        """The pyzotero client writes (and, unless hybrid, reads) go through."""
        return self.connection.client()

    @property
    def reader(self) -> zotero.Zotero | None:
        """Hybrid mode: the pyzotero client of the desktop the mirror is read from."""
        return None if self.reading is None else self.reading.client()

    @property
    def endpoint(self) -> str:
        return self.connection.endpoint

    @property
    def reads(self) -> zotero.Zotero:
        """The client the mirror is read through."""
        return self.reader or self.zot

    @property
    def hybrid(self) -> bool:
        return self.reading is not None

    @property
    def server_id(self) -> str:
        """The local API's Zotero-Server-ID ('' on the web API)."""
        return (self.zot.server_id or "") if self.local else ""

    @property
    def desktop_writes(self) -> bool:
        """Whether the desktop's local API accepts writes: Zotero 10 names itself with a
        Zotero-Server-ID; 7-9 do not, and only read."""
        return self.local and bool(self.zot.server_id)

    @property
    def trusts_versions(self) -> bool:
        """False on Zotero 7-9's local API, which reports the versions of the last sync:
        an edit made in the desktop since changes data without moving any version."""
        return not self.local or bool(self.zot.server_id)

    def relation_library(self) -> str:
        """The library as relation URIs name it (`http://zotero.org/<this>/items/KEY`): the
        local API's `users/0` is the logged-in user, whose id its items carry."""
        if not (self.local and self.library == "users/0"):
            return self.library
        zot = self.zot
        for obj in self.call(lambda: zot.top(limit=1)) or []:
            owner = (obj.get("library") or {}).get("id")
            if isinstance(owner, int) and owner > 0:
                return f"users/{owner}"
        return self.library

    def require_writable(self) -> None:
        """Raise `DesktopReadOnly` (saying what would help) when writes cannot succeed."""
        if not self.local:
            return
        if not self.zot.server_id:
            self.library_version()
        if not self.zot.server_id:
            raise DesktopReadOnly(DESKTOP_READ_ONLY)
        if not self.zot.local_api_key:
            raise DesktopReadOnly(NO_LOCAL_KEY)

    def call(self, fn: Callable[[], T]) -> T:
        """`fn()` (one pyzotero call), repeated while the failure is transient.

        Raises `retry.Exhausted` when it stays transient, or pyzotero's own error for a
        final HTTP answer (e.g. 403, 404, 412).
        """
        zot = self.zot  # pyzotero, loaded as `pyzotero_client` loads it
        from pyzotero import zotero_errors as ze

        def send() -> _Ok | httpx2.Response:
            zot.request = None
            try:
                return _Ok(fn())
            except (json.JSONDecodeError, ze.PyZoteroError):
                # pyzotero raises on 5xx, and on a 429 to create_items it parses the
                # plain-text body as JSON; either way the response is in zot.request.
                response = zot.request
                if response is not None and transient_reason(response) is not None:
                    return response
                raise

        return self._retried(send)

    def _retried(self, send: Callable[[], _Ok | httpx2.Response]) -> Any:
        result = run(send, policy=self.policy, safe=True, transport_error=transport_failure,
                     sleep=self.sleep, on_wait=_log_wait)
        if not isinstance(result, _Ok):  # pragma: no cover - run() raises instead
            raise RuntimeError("retry loop returned a failed response")
        return result.value

    def library_version(self) -> int:
        """The library's current version (one small request; captures the local server id).
        On the desktop, a refused connection ends at once with `DesktopUnavailable`."""
        if self.local:
            self._probe(self.zot)
        if self.local or self.connection.made:
            return int(self.call(self.zot.last_modified_version))
        connection = self.connection

        def send() -> _Ok | httpx2.Response:
            response = connection.version_request()
            if transient_reason(response) is not None:
                return response
            return _Ok(connection.version_answer(response))

        return int(self._retried(send))

    def reader_version(self) -> int:
        """The library's version as the client the mirror is read through reports it."""
        if self.reader is None:
            return self.library_version()
        reader = self.reader
        self._probe(reader)
        return int(self.call(reader.last_modified_version))

    def reader_answers(self) -> bool:
        """Hybrid mode: whether the desktop answers (when it does not, the Web API is read)."""
        try:
            self._probe(self.reads)
        except DesktopUnavailable:
            return False
        return True

    def _probe(self, zot: zotero.Zotero) -> None:
        if id(zot) not in self._probed:
            probe(zot)
            self._probed.add(id(zot))

    def bind(self, store: StateStore) -> int:
        """Select this library (per local server id) in the state store."""
        if self.local and not self.zot.server_id:
            self.library_version()
        return store.select_library(self.library, self.server_id)

    def last_status(self) -> int | None:
        if not self.connection.made:
            return None
        response = self.zot.request
        return None if response is None else int(response.status_code)


def probe(zot: zotero.Zotero) -> None:
    """Fail fast, with what to do, when nothing listens at the desktop's address (retrying
    a refused connection to this computer only delays the same answer)."""
    if zot.client is None:  # pragma: no cover - make_api always gives one
        return
    url = f"{str(zot.endpoint).rstrip('/')}/"
    try:
        zot.client.request("GET", url, headers=zot.default_headers())
    except (httpx2.ConnectError, httpx2.ConnectTimeout):
        raise DesktopUnavailable(str(zot.endpoint)) from None
    except httpx2.HTTPError:
        return  # anything else is left to the retried call that follows


def _log_wait(reason: str, delay: float, attempt: int) -> None:
    log.info("Zotero: %s; trying again in %.1f s (attempt %d)", reason, delay, attempt + 1)


def base_url(config: Config) -> str:
    """The API root zsync writes through: the desktop's local API when `zotero.local`
    (and not hybrid), else `zotero.api_url`."""
    if config.zotero.local and not config.zotero.hybrid:
        return local_url(config)
    return config.zotero.api_url.rstrip("/")


def local_url(config: Config) -> str:
    """The desktop's local API root, `zotero.local_url` + `/api`."""
    url = config.zotero.local_url.rstrip("/")
    return url if url.endswith("/api") else url + "/api"


def _http(config: Config, local: bool) -> httpx2.Client:
    timeout = config.network.timeout
    http = httpx2.Client(
        timeout=httpx2.Timeout(timeout, connect=min(timeout, 10.0)),
        headers={"User-Agent": user_agent()},
        follow_redirects=True,
        trust_env=not local,  # the desktop is this computer: never through a proxy
    )
    return http


def _masked(http: httpx2.Client) -> httpx2.Client:
    hooks = http.event_hooks
    if mask_httpx not in hooks["response"]:  # echoed keys masked before pyzotero reads
        http.event_hooks = {**hooks, "response": [mask_httpx, *hooks["response"]]}
    return http


def make_api(config: Config, *, client: httpx2.Client | None = None,
             policy: RetryPolicy | None = None, local_api_key: str | None = None,
             sleep: Callable[[float], None] = time.sleep) -> ZoteroApi:
    """A `ZoteroApi` for the configured library. The API keys are registered as secrets."""
    hybrid = config.zotero.hybrid
    local = config.zotero.local and not hybrid
    library_type = config.zotero.library_type
    library_id = config.zotero.library_id.strip()
    if not library_id and local and library_type == "user":
        library_id = "0"  # the local API's name for the desktop's own library
    api_key = config.zotero.api_key.reveal() if config.zotero.api_key else ""
    desktop_key = local_api_key or (config.zotero.local_api_key.reveal()
                                    if config.zotero.local_api_key else "")
    if not library_id:
        raise ZoteroSetupError("zotero.library_id is not set (your user id or a group id)")
    if not api_key and not local:
        why = " (hybrid mode writes through the Web API)" if hybrid else ""
        raise ZoteroSetupError(f"zotero.api_key is not set{why} (create one at "
                               "https://www.zotero.org/settings/keys)")
    register_secret(api_key)
    register_secret(desktop_key)
    http = _masked(client or _http(config, local))
    connection = Connection(library_id, library_type, base_url(config), http, local,
                            api_key=None if local else api_key,
                            local_api_key=desktop_key if local else None)
    reading = None
    if hybrid:
        reading = Connection(library_id, library_type, local_url(config),
                             _masked(client or _http(config, True)), True)
    policy = policy or RetryPolicy(max_retries=config.network.max_retries)
    return ZoteroApi(connection, f"{library_type}s/{library_id}", local, policy, sleep, reading)


def authorize_desktop(config: Config, app_name: str = APP_NAME) -> tuple[str, bool]:
    """Ask Zotero desktop for a local API key (Zotero shows the user a dialog); the key and
    whether it lasts ("Always Allow") or serves one write ("Allow").

    Raises `DesktopUnavailable`, `DesktopReadOnly` (Zotero 7-9) or pyzotero's
    `LocalAPIDeniedError` / `TooManyRequestsError`."""
    api = make_api(replace(config, zotero=replace(config.zotero, local=True, hybrid=False)))
    api.library_version()
    if not api.zot.server_id:
        raise DesktopReadOnly("this Zotero desktop (7-9) gives out no keys: its local API "
                              "only reads. Zotero 10 accepts writes; until then use a Web API "
                              "key (zotero.api_key, with zotero.hybrid = true)")
    answer = api.zot.authorize_local(app_name)  # no retry: Zotero rate-limits the dialog
    key = str(answer["key"])
    register_secret(key)
    return key, bool(answer.get("remember", True))
