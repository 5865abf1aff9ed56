"""The library-version read a sync with nothing to do sends without pyzotero: the same
request pyzotero's `last_modified_version` sends, the same version, the same errors and
the same waits, so a no-op run need not load pyzotero at all."""

from __future__ import annotations

import time

import pytest
from pyzotero import zotero_errors as ze

from tests.adapters.zotero_env import USER, api_for
from tests.servers.base import LoggedRequest
from tests.servers.zotero import ZoteroServer, on
from zsync.sources.retry import Exhausted

SENT_HEADERS = ("user-agent", "zotero-api-version", "authorization", "accept-encoding")


def sent(request: LoggedRequest) -> tuple[str, str, dict[str, str]]:
    headers = {name: request.headers.get(name, "") for name in SENT_HEADERS}
    return request.method, request.target, headers


def test_the_version_read_is_the_request_pyzotero_sends(server: ZoteroServer) -> None:
    server.app.seed_item({"itemType": "book", "title": "A"})
    api = api_for(server)
    without = api.library_version()
    assert not api.connection.made  # pyzotero's client was not needed
    through_pyzotero = api.call(api.zot.last_modified_version)
    assert without == through_pyzotero == server.app.version()
    light, pyzotero = server.log
    assert sent(light) == sent(pyzotero)


@pytest.mark.parametrize(("change", "error"), [
    ({"zotero.api_key": "notTheKey000000000000000"}, ze.UserNotAuthorisedError),
    ({"zotero.library_id": str(USER + 40)}, ze.ResourceNotFoundError),
])
def test_a_refused_version_read_raises_what_pyzotero_raises(
        server: ZoteroServer, change: dict[str, str], error: type[Exception]) -> None:
    with pytest.raises(error) as without:
        api_for(server, **change).library_version()
    api = api_for(server, **change)
    with pytest.raises(error) as through_pyzotero:
        api.call(api.zot.last_modified_version)
    assert type(without.value) is type(through_pyzotero.value)
    assert str(without.value) == str(through_pyzotero.value)


def test_a_busy_server_is_asked_again_then_given_up_on(server: ZoteroServer) -> None:
    server.fail_next(503, times=2, match=on("GET", "/items"))
    assert api_for(server).library_version() == server.app.version()
    assert [r.status for r in server.log] == [503, 503, 200]
    server.fail_next(503, times=10, match=on("GET", "/items"))
    with pytest.raises(Exhausted):
        api_for(server).library_version()


def test_a_backoff_on_the_version_read_delays_pyzotero_s_next_request(
        server: ZoteroServer) -> None:
    api = api_for(server)
    server.backoff("0.6")
    api.library_version()
    started = time.monotonic()
    api.call(api.zot.last_modified_version)
    assert time.monotonic() - started >= 0.55
