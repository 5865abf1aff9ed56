"""A small threaded HTTP server on 127.0.0.1 that the service emulators build on.

An emulator is an `App`: it turns a `Request` into a `Response`. `LocalServer` runs the app
on a free port in a background thread and adds what every emulator needs for tests and
benchmarks: a log of every request, per-endpoint counters, added latency, a rate limiter and
one-shot injected faults (an error response, a slow response, a dropped connection before or
after the app handled the request).

Also here, for the emulators' packages: running one for a `with` block (`running`,
`started`, `app_server`), their command line (`serve_until_interrupted`, and
`source_parser`/`source_options`/`serve_source` for the lookup services) and the recorded
responses in ../shared (`shared_dir`, `service_fixtures`, `fixture_index`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Generic, Protocol, Self, TypeVar
from urllib.parse import parse_qsl, urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]


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
    reply), "delay" (sleep `seconds`, then proceed), "rewrite" (call the app, then send
    `rewrite(request, answer)`: a server or proxy that alters what the app said).
    """

    kind: str
    matches: Callable[[Request], bool] = lambda _r: True
    response: Response | None = None
    seconds: float = 0.0
    times: int = 1
    rewrite: Callable[[Request, Response], Response] | None = None


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


A = TypeVar("A", bound=App)


class LocalServer(Generic[A]):
    """Runs an `App` on 127.0.0.1 in a background thread; `.app` is that app."""

    def __init__(self, app: A, port: int = 0, latency: float = 0.0) -> None:
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

    def start(self) -> Self:
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

    def clear(self) -> None:
        """Forget the log, the counters and any fault not yet used (between tests)."""
        with self._lock:
            self.log.clear()
            self.counts.clear()
            self.faults.clear()

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


S = TypeVar("S", bound="LocalServer[Any]")


@contextmanager
def started(server: S) -> Iterator[S]:
    """`server` running for the length of a `with` block."""
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def running(app: A, latency: float = 0.0, port: int = 0) -> Iterator[LocalServer[A]]:
    """Start `app` on `port` (0: a free one) for the length of a `with` block."""
    with started(LocalServer(app, port=port, latency=latency)) as server:
        yield server


@contextmanager
def app_server(make_app: Callable[..., A], folder: str | Path | None = None, *,
               latency: float = 0.0, port: int = 0, **options: Any) -> Iterator[LocalServer[A]]:
    """`make_app(folder, **options)` running on 127.0.0.1 for the length of a `with` block."""
    with running(make_app(folder, **options), latency=latency, port=port) as server:
        yield server


def serve_until_interrupted(server: LocalServer, banner: str) -> None:
    """Print `banner` and serve in the foreground until Ctrl-C (the emulators' command line)."""
    print(banner, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    sys.stdout.flush()


def source_parser(name: str, description: str, *, limits: str, folder: tuple[str, str],
                  recorded: str, generated: str) -> argparse.ArgumentParser:
    """The command line of an emulator of a lookup service (Crossref, PubMed): port, latency,
    limits, a folder of extra records (`folder`: its option and help), the recorded records
    and generated ones (`recorded`, `generated`: what the help calls them)."""
    parser = argparse.ArgumentParser(prog=f"python -m tests.servers {name}",
                                     description=description)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    parser.add_argument("--enforce-limits", action=argparse.BooleanOptionalAction, default=True,
                        help=limits)
    parser.add_argument(folder[0], type=Path, help=folder[1])
    parser.add_argument("--no-recorded", action="store_true",
                        help=f"do not load the recorded {recorded} from ../shared")
    parser.add_argument("--generate", type=int, default=0, help=f"add N synthetic {generated}")
    parser.add_argument("--seed", type=int, default=0)
    return parser


def source_options(args: argparse.Namespace) -> dict[str, Any]:
    """The `make_app` options that `source_parser`'s arguments set."""
    return {"recorded": not args.no_recorded, "generate": args.generate, "seed": args.seed,
            "enforce_limits": args.enforce_limits}


def serve_source(name: str, app: App, args: argparse.Namespace, holds: str) -> None:
    """Serve `app` as `source_parser`'s arguments say; `holds` tells how many records."""
    server = LocalServer(app, port=args.port, latency=args.latency)
    state = "on" if args.enforce_limits else "off"
    serve_until_interrupted(server, f"{name} emulator on {server.url} ({holds}, limits {state})")


def shared_dir() -> Path | None:
    """The read-only `shared` folder beside the repository root (or $ZSYNC_SHARED_DIR)."""
    override = os.environ.get("ZSYNC_SHARED_DIR")
    path = Path(override) if override else REPO_ROOT.parent / "shared"
    return path if path.is_dir() else None


def service_fixtures(service: str) -> Path | None:
    """shared/fixtures/<service>: the responses recorded from the live API, when present."""
    shared = shared_dir()
    path = shared / "fixtures" / service if shared else None
    return path if path and path.is_dir() else None


def fixture_index(folder: Path | None) -> list[dict[str, Any]]:
    """Entries of `folder`/index.json ([] without the folder or the index)."""
    if folder is None or not (folder / "index.json").is_file():
        return []
    return list(json.loads((folder / "index.json").read_text(encoding="utf-8"))["fixtures"])


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
                    server.app.release(request)
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
            if fault.kind == "rewrite" and fault.rewrite is not None:
                return fault.rewrite(request, server.app.handle(request))
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


def echo_in_strings(body: bytes, echoed: str, fields: Iterable[str]) -> bytes:
    """A JSON body with `echoed` appended to every string under one of `fields`, however
    deep (an item's `title`, a message's `message`): what a careless server or proxy does
    when it repeats part of the request in its answer."""
    names = set(fields)

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: (f"{v} {echoed}" if k in names and isinstance(v, str) else walk(v))
                    for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return json.dumps(walk(json.loads(body))).encode()
