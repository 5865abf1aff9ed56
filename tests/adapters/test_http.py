"""The shared HTTP layer against a tiny local app: retries, pacing, headers, secrets."""

from __future__ import annotations

import email.utils
import logging
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from habanero import Crossref

from tests.adapters.enrich_env import FAST, MAILTO, NCBI_KEY, config_for, dead_url, make_stack
from tests.servers.base import Fault, LocalServer, Request, Response, running
from zsync import __version__
from zsync.sources.http import HttpLayer, ServiceUnavailable
from zsync.sources.http_stacks import HTTP_CACHE_FILE
from zsync.sources.retry import server_delay
from zsync.sources.throttle import ServicePolicy, Throttle


class Echo:
    """200 "ok" with whatever headers the test sets; endpoint = first path segment."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}

    def handle(self, request: Request) -> Response:
        return Response.text("ok", 200, **self.headers)

    def endpoint(self, request: Request) -> str:
        return request.path.strip("/").split("/")[0] or "root"


@pytest.fixture(scope="module")
def shared_server() -> Iterator[LocalServer]:
    with running(Echo()) as local:  # one per module: stopping a server takes ~0.5 s
        yield local


@pytest.fixture
def server(shared_server: LocalServer) -> LocalServer:
    shared_server.clear()
    shared_server.app.headers = {}
    return shared_server


@pytest.fixture
def http(tmp_path: Path, server: LocalServer) -> Iterator[HttpLayer]:
    stack = make_stack(config_for(tmp_path, crossref=server, pubmed=server,
                                  NCBI_API_KEY=NCBI_KEY))
    yield stack.http
    stack.close()


def respond(status: int, body: str = "", times: int = 1, **headers: str) -> Fault:
    return Fault("respond", response=Response.text(body, status, **headers), times=times)


def test_429_with_retry_after_is_waited_for_then_repeated(
    server: LocalServer, http: HttpLayer
) -> None:
    server.inject(respond(429, "slow down", Retry_After="1"))
    started = time.monotonic()
    response = http.get("ncbi", f"{server.url}/efetch.fcgi", params={"id": "1"})
    waited = time.monotonic() - started
    assert response.status_code == 200
    assert server.counts["efetch.fcgi"] == 2
    assert 0.9 <= waited < 2.5


def test_503_is_repeated_with_backoff(server: LocalServer, http: HttpLayer) -> None:
    server.inject(respond(503, "busy", times=2))
    assert http.get("doi", f"{server.url}/doi/10.1/x").status_code == 200
    assert server.counts["doi"] == 3


def test_ncbi_relay_400_is_transient_but_an_empty_id_list_is_final(
    server: LocalServer, http: HttpLayer
) -> None:
    relay = "<eFetchResult><ERROR>proxy_stream(): Failed to connect</ERROR></eFetchResult>"
    server.inject(respond(400, relay))
    assert http.get("ncbi", f"{server.url}/efetch.fcgi").status_code == 200
    assert server.counts["efetch.fcgi"] == 2
    final = "<eFetchResult><ERROR>ID list is empty! Possibly it has no correct IDs.</ERROR>"
    server.inject(respond(400, final + "</eFetchResult>"))
    assert http.get("ncbi", f"{server.url}/efetch.fcgi?id=x").status_code == 400
    assert server.counts["efetch.fcgi"] == 3


def test_post_is_repeated_only_when_marked_idempotent(
    tmp_path: Path, server: LocalServer
) -> None:
    unsafe = make_stack(config_for(tmp_path / "a", pubmed=server)).http
    server.inject(respond(503, "busy"))
    with pytest.raises(ServiceUnavailable, match="not repeated"):
        unsafe.post("ncbi", f"{server.url}/epost.fcgi", data={"id": "1"})
    assert server.counts["epost.fcgi"] == 1

    query = make_stack(config_for(tmp_path / "b", pubmed=server)).http
    server.inject(respond(503, "busy"))
    response = query.post("ncbi", f"{server.url}/efetch.fcgi", data={"id": "1"},
                          idempotent=True)
    assert response.status_code == 200
    assert server.counts["efetch.fcgi"] == 2


def test_retries_used_up_mark_the_service_down_for_the_run(
    server: LocalServer, http: HttpLayer
) -> None:
    server.inject(respond(503, "busy", times=10))
    with pytest.raises(ServiceUnavailable, match=r"HTTP 503 after 4 tries"):
        http.get("ncbi", f"{server.url}/esearch.fcgi")
    with pytest.raises(ServiceUnavailable):
        http.get("ncbi", f"{server.url}/esearch.fcgi")
    assert server.counts["esearch.fcgi"] == FAST.max_retries + 1  # the second call sent nothing


def test_a_server_asking_for_a_long_wait_is_not_waited_for(
    server: LocalServer, http: HttpLayer
) -> None:
    server.inject(respond(429, "later", Retry_After="3600"))
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable, match="asked to wait 3600 s"):
        http.get("doi", f"{server.url}/doi/10.1/x")
    assert time.monotonic() - started < 1.0


def test_connection_refused_degrades_at_once(tmp_path: Path) -> None:
    http = make_stack(config_for(tmp_path, pubmed=dead_url(), NCBI_API_KEY=NCBI_KEY)).http
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable, match="connection refused") as caught:
        http.get("ncbi", f"{dead_url()}/esearch.fcgi", params={"api_key": NCBI_KEY})
    assert time.monotonic() - started < 2.0
    shown = "".join(traceback.format_exception(caught.value))
    assert NCBI_KEY not in shown


def test_rate_headers_lower_the_throttle_never_raise_it(
    tmp_path: Path, server: LocalServer
) -> None:
    policy = ServicePolicy("doi", 20.0, 3)
    throttles = {"doi": Throttle(policy)}
    http = HttpLayer(config_for(tmp_path, crossref=server), retry_policy=FAST, timeout=2.0,
                     throttles=throttles)
    server.app.headers = {"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s"}
    http.get("doi", f"{server.url}/doi/a")
    assert (throttles["doi"].rate, throttles["doi"].concurrency) == (20.0, 3)

    server.app.headers = {"x-rate-limit-limit": "4", "x-rate-limit-interval": "1s",
                          "x-concurrency-limit": "1"}
    http.get("doi", f"{server.url}/doi/b")
    assert (throttles["doi"].rate, throttles["doi"].concurrency) == (4.0, 1)
    started = time.monotonic()
    for name in ("c", "d", "e"):
        http.get("doi", f"{server.url}/doi/{name}")
    # 4/s is 4 in any second: "e", the fifth, waits until "a" is a second old
    assert time.monotonic() - started >= 0.5


def test_throttle_keeps_to_the_rate_window() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    throttle = Throttle(ServicePolicy("x", 4.0, 2), clock=lambda: now[0], sleep=sleep)
    spans = []
    for _ in range(9):
        with throttle.slot():
            start = now[0]
            now[0] += 0.1  # each request takes 100 ms
        spans.append((start, now[0]))
    assert slept  # 4/s: four go at once, then each waits for the window
    # The server sees a request between its start and its answer: the fifth request
    # after one starts a full window after that one's answer.
    assert all(spans[i + 4][0] - spans[i][1] >= 1.0 for i in range(len(spans) - 4))
    assert spans[-1][1] < 2.5  # ... and no slower than that (9 requests in ~2.4 s)
    half = Throttle(ServicePolicy("y", 0.5, 2), clock=lambda: now[0], sleep=sleep)
    assert half.window() == (1, 2.04)
    throttle.pause(5.0)
    with throttle.slot():
        pass
    assert slept[-1] >= 5.0
    throttle.observe({"backoff": "7"})  # a server's "Backoff" on a successful answer
    with throttle.slot():
        pass
    assert slept[-1] >= 7.0


def test_retry_after_may_be_seconds_or_an_http_date() -> None:
    now = time.time()
    assert server_delay({"retry-after": "2"}) == 2.0
    assert server_delay({"backoff": "3"}) == 3.0
    dated = {"retry-after": email.utils.formatdate(now + 10, usegmt=True)}
    assert 8.0 <= (server_delay(dated, now=now) or 0) <= 10.0
    assert server_delay({"retry-after": "soon"}) is None


def test_throttle_caps_requests_in_flight() -> None:
    throttle = Throttle(ServicePolicy("x", 1000.0, 2))
    in_flight, peak, lock = [0], [0], threading.Lock()

    def work() -> None:
        with throttle.slot():
            with lock:
                in_flight[0] += 1
                peak[0] = max(peak[0], in_flight[0])
            time.sleep(0.03)
            with lock:
                in_flight[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 2


def test_user_agent_names_zsync_its_version_and_mailto(
    server: LocalServer, http: HttpLayer
) -> None:
    http.get("doi", f"{server.url}/doi/x")
    agent = server.log[-1].headers["user-agent"]
    assert agent.startswith(f"zsync/{__version__} (mailto:{MAILTO})")


def test_habanero_goes_through_the_layer_only_inside_the_block(
    server: LocalServer, http: HttpLayer
) -> None:
    cr = Crossref(base_url=server.url, mailto=MAILTO)
    server.app.headers = {"Content-Type": "application/json"}
    with pytest.raises(Exception):  # noqa: B017 - "ok" is not JSON; only the request matters
        cr.works(ids="10.1/outside")
    assert server.log[-1].headers["user-agent"].startswith("python-httpx2/")
    server.inject(respond(503, "busy"))
    with http.habanero(), pytest.raises(Exception):  # noqa: B017
        cr.works(ids="10.1/inside")
    inside = [r for r in server.log if "inside" in r.target]
    assert len(inside) == 2  # the 503 was repeated by the layer, not by habanero
    assert inside[-1].headers["user-agent"].startswith(f"zsync/{__version__}")
    assert isinstance(httpx2.get, type(lambda: None))  # the real module is untouched


def test_the_key_stays_out_of_logs_errors_and_the_http_cache(
    tmp_path: Path, server: LocalServer, http: HttpLayer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    params = {"db": "pubmed", "id": "1", "api_key": NCBI_KEY}
    http.get("ncbi", f"{server.url}/efetch.fcgi", params=params)
    http.get("ncbi", f"{server.url}/efetch.fcgi", params=params)  # an HTTP cache hit
    http.post("ncbi", f"{server.url}/efetch.fcgi", data=params, idempotent=True)
    server.inject(respond(503, "busy", times=10))
    with pytest.raises(ServiceUnavailable) as caught:
        http.get("ncbi", f"{server.url}/esearch.fcgi", params=params)
    assert NCBI_KEY in server.log[0].target  # NCBI does get it
    assert server.counts["efetch.fcgi"] == 2  # the repeated GET came from the HTTP cache
    assert caplog.text and NCBI_KEY not in caplog.text
    assert NCBI_KEY not in "".join(traceback.format_exception(caught.value))
    http.close()
    for path in (tmp_path / "cache").iterdir():
        assert NCBI_KEY.encode() not in path.read_bytes(), path.name
    assert (tmp_path / "cache" / HTTP_CACHE_FILE).exists()


def test_offline_layer_sends_nothing(tmp_path: Path, server: LocalServer) -> None:
    http = make_stack(config_for(tmp_path, pubmed=server, ZSYNC_OFFLINE="1")).http
    with pytest.raises(ServiceUnavailable, match="offline"):
        http.get("ncbi", f"{server.url}/esearch.fcgi")
    assert not server.log


def test_the_http_libraries_load_with_their_first_request_and_their_logs_are_masked() -> None:
    """requests, requests-cache and habanero load only when a request goes their way (a
    run that asks no service never loads them); their log lines are masked all the same.
    """
    import subprocess
    import sys

    code = """
import io, logging, sys
from zsync.config.settings import load
from zsync.sources.http import HttpLayer
layer = HttpLayer(load(path=None, env={}), http_cache=False)
assert not {"requests", "requests_cache", "habanero"} & set(sys.modules), "loaded early"
layer.session
out = io.StringIO()
for name in ("urllib3.connectionpool", "requests_cache.session"):
    logger = logging.getLogger(name)
    logger.addHandler(logging.StreamHandler(out))
    logger.warning("GET /efetch?id=1&api_key=abc123secret HTTP/1.1")
print(out.getvalue())
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.count("api_key=****") == 2 and "abc123secret" not in done.stdout
