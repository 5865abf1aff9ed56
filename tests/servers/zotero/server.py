"""`ZoteroServer`: a `LocalServer` with helpers that inject Zotero-style faults."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from tests.servers.base import Fault, LocalServer, Request, Response, echo_in_strings, started
from tests.servers.zotero.app import ZoteroApp
from tests.servers.zotero.auth import WRITE_METHODS, request_key

DEFAULT_KEY = "zsyncTestKey0000000000000000000"  # 31 characters; any string works
Matcher = Callable[[Request], bool]


def on(method: str | None = None, path: str | None = None) -> Matcher:
    """Match requests by method and/or a substring of the path."""

    def matches(request: Request) -> bool:
        return ((method is None or request.method == method)
                and (path is None or path in request.path))

    return matches


def writes(request: Request) -> bool:
    return request.method in WRITE_METHODS


class ZoteroServer(LocalServer[ZoteroApp]):
    app: ZoteroApp

    def __init__(self, app: ZoteroApp, port: int = 0, latency: float = 0.0) -> None:
        super().__init__(app, port=port, latency=latency)

    def _plain(self, status: int, text: str, **headers: str) -> Response:
        response = Response.text(text, status, **headers)
        response.headers["Zotero-API-Version"] = "3"
        return response

    def fail_next(self, status: int = 500, *, retry_after: str | None = None, times: int = 1,
                  match: Matcher | None = None, text: str | None = None) -> None:
        """Answer the next matching request(s) with `status` (plain text), without the app."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        default = {429: "Too many requests", 503: "Service unavailable"}.get(
            status, "An error occurred")
        response = self._plain(status, text or default, **headers)
        self.inject(Fault("respond", match or (lambda _r: True), response, times=times))

    def rate_limit_next(self, retry_after: str | None = "1", times: int = 1,
                        match: Matcher | None = None) -> None:
        """429 on the next matching request(s); `retry_after=None` sends no Retry-After."""
        self.fail_next(429, retry_after=retry_after, times=times, match=match)

    def drop_next(self, *, after_commit: bool, times: int = 1, match: Matcher | None = None
                  ) -> None:
        """Close the connection without a reply, before or after the app handled the request."""
        kind = "drop_after" if after_commit else "drop_before"
        self.inject(Fault(kind, match or (lambda _r: True), times=times))

    def slow_next(self, seconds: float, times: int = 1, match: Matcher | None = None) -> None:
        self.inject(Fault("delay", match or (lambda _r: True), seconds=seconds, times=times))

    def backoff(self, seconds: float | str, times: int = 1) -> None:
        """`Backoff: <seconds>` on the next successful responses."""
        self.app.set_backoff(seconds, times)

    def echo_key_next(self, *, times: int = 1, match: Matcher | None = None,
                      status: int | None = None, fields: Iterable[str] = ("title",)) -> None:
        """The next matching answers repeat the API key the request carried, as a careless
        server or proxy would: with `status`, a plain-text error naming the key (the app
        still handles the request); without, every string under `fields` in a JSON
        answer gets the key appended."""
        fields = tuple(fields)

        def echo(request: Request, answer: Response) -> Response:
            key = request_key(request) or ""
            if status is not None:
                return self._plain(status, f"An error occurred for key {key}")
            if not answer.headers.get("Content-Type", "").startswith("application/json"):
                return answer
            answer.body = echo_in_strings(answer.body, key, fields)
            return answer

        self.inject(Fault("rewrite", match or (lambda _r: True), times=times, rewrite=echo))

    def statuses(self, endpoint: str | None = None) -> list[tuple[str, int | None]]:
        """(method, status) of logged requests, optionally for one endpoint."""
        return [(r.method, r.status) for r in self.log
                if endpoint is None or r.endpoint == endpoint]


def make_app(user_id: int = 1, key: str | None = DEFAULT_KEY, *, username: str = "testuser",
             groups: Iterable[int] = (), write: bool = True, public: bool = False,
             version_mode: str = "per_object", **app_kwargs: Any) -> ZoteroApp:
    """An app with one user library, its key, and groups the key can read and write."""
    app = ZoteroApp(version_mode=version_mode, **app_kwargs)
    app.add_user(user_id, username, public=public)
    group_ids = list(groups)
    for group_id in group_ids:
        app.add_group(group_id, owner=user_id)
    if key:
        access = {str(g): {"library": True, "write": write} for g in group_ids}
        app.add_key(key, user_id, write=write, groups=access)
    return app


@contextmanager
def zotero_server(user_id: int = 1, key: str | None = DEFAULT_KEY, groups: Iterable[int] = (),
                  latency: float = 0.0, app: ZoteroApp | None = None, port: int = 0,
                  **app_kwargs: Any) -> Iterator[ZoteroServer]:
    """A running emulator for the length of a `with` block; `.app` is the `ZoteroApp`."""
    server = ZoteroServer(app or make_app(user_id, key, groups=groups, **app_kwargs),
                          port=port, latency=latency)
    with started(server):
        yield server
