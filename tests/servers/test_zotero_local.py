"""Contract tests for the emulator of Zotero desktop's local API. Each cites Zotero's
test/tests/server_localAPITest.js (zotero/zotero, 10.0) or the source it follows:
chrome/content/zotero/xpcom/server/server_localAPI.js (10.0; the read-only Zotero 7-9 version
is that file at 3c6ad491b5) and server.js."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest

from tests.servers.__main__ import main as servers_main
from tests.servers.base import LocalServer
from tests.servers.zotero_local import local_api_server

ITEMS = "/api/users/0/items"


@pytest.fixture
def desktop(request: pytest.FixtureRequest) -> Iterator[LocalServer]:
    options = getattr(request, "param", {})
    with local_api_server(**options) as server:
        yield server


@pytest.fixture
def http(desktop: LocalServer) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=desktop.url, timeout=10) as client:
        yield client


def server_id(http: httpx2.Client) -> str:
    return str(http.get("/api/").headers["Zotero-Server-ID"])


def authorize(http: httpx2.Client, name: str = "zsync") -> httpx2.Response:
    return http.post("/api/local/authorize", json={"appName": name},
                     headers={"Zotero-Server-ID": server_id(http)})


def write_headers(http: httpx2.Client, key: str) -> dict[str, str]:
    return {"Zotero-API-Key": key, "Zotero-Server-ID": server_id(http)}


def test_root_and_version_headers(http: httpx2.Client) -> None:
    """server_localAPITest.js '/' 'should return a Zotero-API-Version response header' and
    'should allow an old Zotero-API-Version request header'; server_localAPI.js Root and
    `_initInternal` (501 for another API version elsewhere)."""
    root = http.get("/api/", headers={"Zotero-API-Version": "2"})
    assert (root.status_code, root.text) == (200, "Nothing to see here.")
    assert root.headers["Zotero-API-Version"] == "3"
    other = http.get(ITEMS, headers={"Zotero-API-Version": "2"})
    assert (other.status_code, other.text) == (501, "API version not implemented: 2")
    assert http.get("/connector/nothing").status_code == 404


def test_reads_need_no_key_and_use_user_0(desktop: LocalServer, http: httpx2.Client) -> None:
    """'should not require API key for GET requests'; `_initInternal`: user 0 or the
    logged-in user, any other id is a 400."""
    desktop.app.web.seed_item({"itemType": "book", "title": "On the desk"})
    titles = [i["data"]["title"] for i in http.get(ITEMS).json()]
    assert titles == ["On the desk"]
    assert http.get("/api/users/1/items").status_code == 200
    other = http.get("/api/users/7/items")
    assert other.status_code == 400 and "use userID 0" in other.text


def test_lists_are_not_paged_by_default(desktop: LocalServer, http: httpx2.Client) -> None:
    """server_localAPI.js header comment: results are not limited by default (the Web API
    sends 25)."""
    for i in range(30):
        desktop.app.web.seed_item({"itemType": "book", "title": f"b{i}"})
    assert len(http.get(ITEMS).json()) == 30
    assert len(http.get(ITEMS, params={"limit": "150"}).json()) == 30


def test_collection_key_parameter_is_ignored(desktop: LocalServer, http: httpx2.Client) -> None:
    """server_localAPI.js Collections reads only the path's collection key, not
    `?collectionKey=`."""
    first = desktop.app.web.seed_collection("One")
    desktop.app.web.seed_collection("Two")
    listed = http.get("/api/users/0/collections", params={"collectionKey": first}).json()
    assert len(listed) == 2


def test_server_id_rules(http: httpx2.Client) -> None:
    """describe('Zotero-Server-ID'): returned on every answer, reads without it pass, a
    mismatched one is 412 (still naming the real id), writes without it 428, and the server
    id is checked before the key."""
    real = server_id(http)
    assert http.get(ITEMS).status_code == 200
    assert http.get(ITEMS, headers={"Zotero-Server-ID": real}).status_code == 200
    wrong = http.get(ITEMS, headers={"Zotero-Server-ID": "wrongServerID"})
    assert wrong.status_code == 412 and wrong.headers["Zotero-Server-ID"] == real
    assert http.post(ITEMS, json=[]).status_code == 428
    assert http.post(ITEMS, json=[], headers={"Zotero-Server-ID": "x"}).status_code == 412
    assert http.post(ITEMS, json=[], headers={"Zotero-Server-ID": real}).status_code == 401


def test_key_request_and_writes(desktop: LocalServer, http: httpx2.Client) -> None:
    """'POST /api/local/authorize' 'should return a key on allow' (32 characters), 'should
    mark a key as remembered when Always Allow is chosen', 'should allow remembered keys to be
    reused', 'should accept the API key via ?key= query parameter' and 'via Authorization:
    Bearer header'; 'should reject write requests with no API key (401)' / 'with an unknown
    API key (401)'."""
    answer = authorize(http)
    assert answer.status_code == 200
    key = answer.json()["key"]
    assert len(key) == 32 and answer.json()["remember"] is True
    headers = write_headers(http, key)
    for _ in range(2):
        created = http.post(ITEMS, json=[{"itemType": "book", "title": "t"}], headers=headers)
        assert created.status_code == 200 and "0" in created.json()["successful"]
    sid = server_id(http)
    by_query = http.post(f"{ITEMS}?key={key}", json=[{"itemType": "book"}],
                         headers={"Zotero-Server-ID": sid})
    bearer = http.post(ITEMS, json=[{"itemType": "book"}],
                       headers={"Authorization": f"Bearer {key}", "Zotero-Server-ID": sid})
    assert by_query.status_code == bearer.status_code == 200
    missing = http.post(ITEMS, json=[{"itemType": "book"}], headers={"Zotero-Server-ID": sid})
    assert missing.status_code == 401 and "WWW-Authenticate" in missing.headers
    unknown = http.post(ITEMS, json=[{"itemType": "book"}],
                        headers=write_headers(http, "not-a-real-key-at-all"))
    assert (unknown.status_code, unknown.text) == (401, "Invalid or expired API key")
    assert len(desktop.app.web.items()) == 4


@pytest.mark.parametrize("desktop", [{"remember": False}], indirect=True)
def test_single_use_key(http: httpx2.Client) -> None:
    """'should consume a single-use API key after one write'."""
    key = authorize(http).json()["key"]
    headers = write_headers(http, key)
    assert http.post(ITEMS, json=[{"itemType": "book"}], headers=headers).status_code == 200
    assert http.post(ITEMS, json=[{"itemType": "book"}], headers=headers).status_code == 401


@pytest.mark.parametrize("desktop", [{"approve": False}], indirect=True)
def test_denied_key_request(http: httpx2.Client) -> None:
    """'should return 403 on deny' and 'should require appName'."""
    denied = authorize(http)
    assert denied.status_code == 403 and denied.json() == {"denied": True}
    empty = http.post("/api/local/authorize", json={},
                      headers={"Zotero-Server-ID": server_id(http)})
    assert empty.status_code == 400


@pytest.mark.parametrize("desktop", [{"zotero_version": 9}, {"zotero_version": 7}],
                         indirect=True)
def test_older_desktops_only_read(desktop: LocalServer, http: httpx2.Client) -> None:
    """server_localAPI.js before 10.0 ('Write access is not yet supported', every endpoint
    GET only; server.js: 400 'Endpoint does not support method'), no Zotero-Server-ID, no key
    endpoint, and versions are the last sync's: a desktop edit moves none."""
    key = desktop.app.web.seed_item({"itemType": "book", "title": "Before"})
    response = http.get(f"{ITEMS}/{key}")
    assert "Zotero-Server-ID" not in response.headers
    version, library = response.json()["version"], response.headers["Last-Modified-Version"]
    desktop.app.edit_locally(key, {"title": "After"})
    after = http.get(f"{ITEMS}/{key}")
    assert after.json()["data"]["title"] == "After"
    assert after.json()["version"] == version
    assert http.get(ITEMS).headers["Last-Modified-Version"] == library
    refused = http.post(ITEMS, json=[{"itemType": "book"}])
    assert (refused.status_code, refused.text) == (400, "Endpoint does not support method\n")
    assert http.post("/api/local/authorize", json={"appName": "x"}).status_code == 404


def test_zotero_10_versions_move_with_desktop_edits(desktop: LocalServer,
                                                    http: httpx2.Client) -> None:
    """Zotero 10 tracks local versions ('=versions' 'should output a JSON object mapping keys
    to local versions')."""
    key = desktop.app.web.seed_item({"itemType": "book", "title": "Before"})
    version = http.get(f"{ITEMS}/{key}").json()["version"]
    desktop.app.edit_locally(key, {"title": "After"})
    assert http.get(ITEMS, params={"format": "versions"}).json()[key] > version


def test_command_line_help_names_the_local_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert servers_main(["--help"]) == 0
    assert "zotero-local" in capsys.readouterr().err
