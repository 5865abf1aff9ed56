"""A small threaded HTTP server on 127.0.0.1 that the service emulators build on.

An emulator is an `App`: it turns a `Request` into a `Response`. `LocalServer` runs the app
on a free port in a background thread and adds what every emulator needs for tests and
benchmarks: a log of every request, per-endpoint counters, added latency, a rate limiter and
one-shot injected faults (an error response, a slow response, a dropped connection before or
after the app handled the request).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    raw_target: str
    client: str = ""  # the peer's IP address ("" when built by hand)

    def arg(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.query:
            if key == name:
                return value
        return default

    def args(self, name: str) -> list[str]:
        return [value for key, value in self.query if key == name]

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> list[tuple[str, str]]:
        return parse_qsl(self.body.decode("utf-8"), keep_blank_values=True)


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200, **headers: str) -> Response:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return cls(status, body, {"Content-Type": "application/json", **_h(headers)})

    @classmethod
    def text(cls, text: str, status: int = 200, **headers: str) -> Response:
        body = text.encode("utf-8")
        return cls(status, body, {"Content-Type": "text/plain; charset=utf-8", **_h(headers)})

    @classmethod
    def xml(cls, text: str | bytes, status: int = 200, **headers: str) -> Response:
        body = text.encode("utf-8") if isinstance(text, str) else text
        return cls(status, body, {"Content-Type": "text/xml; charset=UTF-8", **_h(headers)})


def _h(headers: dict[str, str]) -> dict[str, str]:
    """Keyword arguments use underscores; HTTP header names use hyphens."""
    return {k.replace("_", "-"): v for k, v in headers.items()}


class App(Protocol):
    def handle(self, request: Request) -> Response: ...

    def endpoint(self, request: Request) -> str:
        """A short name for the endpoint, used to count requests (e.g. "works", "efetch")."""
        ...


class GatedApp(App, Protocol):
    """Optional extension of `App` for emulators that enforce rate or concurrency limits.

    `LocalServer` calls `admit` first, before the added latency. A `Response` refuses the
    request (for example a 429 or a 414): it is sent after the latency and the app's
    `handle` is not called. `None` admits it; `release` is then called once the response
    is built and before it is written, so the latency counts as time in flight and a client
    that waits for its reply never races the release.
    """

    def admit(self, request: Request) -> Response | None: ...

    def release(self, request: Request) -> None: ...


@dataclass
class Fault:
    """A one-shot fault: applies to the next request that `matches`.

    kind: "respond" (send `response` instead of calling the app), "drop_before" (close the
    connection without calling the app), "drop_after" (call the app, then close without a
    reply), "delay" (sleep `seconds`, then proceed).
    """

    kind: str
    matches: Callable[[Request], bool] = lambda _r: True
    response: Response | None = None
    seconds: float = 0.0
    times: int = 1


class RateLimiter:
    """Sliding one-second window; `limit` requests per `interval` seconds."""

    def __init__(self, limit: int, interval: float = 1.0) -> None:
        self.limit = limit
        self.interval = interval
        self._stamps: deque[float] = deque()
        self._lock = threading.Lock()

    def allow(self) -> bool:
        now = time.monotonic()
        with self._lock:
            while self._stamps and now - self._stamps[0] >= self.interval:
                self._stamps.popleft()
            if len(self._stamps) >= self.limit:
                return False
            self._stamps.append(now)
            return True


@dataclass
class LoggedRequest:
    method: str
    target: str
    endpoint: str
    status: int | None
    headers: dict[str, str]
    body: bytes


class LocalServer:
    """Runs an `App` on 127.0.0.1 in a background thread."""

    def __init__(self, app: App, port: int = 0, latency: float = 0.0) -> None:
        self.app = app
        self.latency = latency
        self.log: list[LoggedRequest] = []
        self.counts: Counter[str] = Counter()
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LocalServer:
        # A short poll interval makes stop() return in ~50 ms instead of up to 0.5 s.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def inject(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()
            self.counts.clear()

    def requests_to(self, endpoint: str) -> list[LoggedRequest]:
        return [r for r in self.log if r.endpoint == endpoint]

    def take_fault(self, request: Request) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(request):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def record(self, request: Request, endpoint: str, status: int | None) -> None:
        with self._lock:
            self.counts[endpoint] += 1
            self.log.append(
                LoggedRequest(
                    request.method, request.raw_target, endpoint, status,
                    request.headers, request.body,
                )
            )


@contextmanager
def running(app: App, latency: float = 0.0) -> Iterator[LocalServer]:
    """Start `app` on a free port for the length of a `with` block."""
    server = LocalServer(app, latency=latency).start()
    try:
        yield server
    finally:
        server.stop()


class _Dropped(Exception):
    """The connection is to be closed without a reply."""


def _make_handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm
        # and the client's delayed ACK add ~40 ms to every keep-alive request.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _serve(self) -> None:
            request = self._read_request()
            endpoint = server.app.endpoint(request)
            admit = getattr(server.app, "admit", None)
            refused = admit(request) if admit is not None else None
            if server.latency:
                time.sleep(server.latency)
            if refused is not None:
                server.record(request, endpoint, refused.status)
                self._send(refused)
                return
            try:
                response = self._respond(request)
            except _Dropped:
                server.record(request, endpoint, None)
                self.close_connection = True
                self.connection.close()
                return
            finally:
                if admit is not None:
                    server.app.release(request)  # type: ignore[attr-defined]
            server.record(request, endpoint, response.status)
            self._send(response)

        def _respond(self, request: Request) -> Response:
            fault = server.take_fault(request)
            if fault is None:
                return server.app.handle(request)
            if fault.kind == "delay":
                time.sleep(fault.seconds)
                return server.app.handle(request)
            if fault.kind == "respond" and fault.response is not None:
                return fault.response
            if fault.kind == "drop_before":
                raise _Dropped
            if fault.kind == "drop_after":
                server.app.handle(request)
                raise _Dropped
            raise ValueError(f"unknown fault kind {fault.kind!r}")

        def _read_request(self) -> Request:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            return Request(
                method=self.command,
                path=parts.path,
                query=parse_qsl(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                raw_target=self.path,
                client=self.client_address[0],
            )

        def _send(self, response: Response) -> None:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            no_body = response.status in (204, 304)
            length = 0 if no_body else len(response.body)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            if self.command != "HEAD" and not no_body:
                self.wfile.write(response.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    return Handler
