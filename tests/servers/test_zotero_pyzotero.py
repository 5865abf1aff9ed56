"""The real pyzotero 1.16 client against the Zotero emulator, changed only in its endpoint.

Covers the everyday calls zsync relies on and the pyzotero behaviours of reference
zotero-api.md §13: honest write reports that pyzotero ignores, retries after a dropped
connection, 412 after another client's edit, 429/Backoff handling.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any, cast

import httpx2
import pytest
from pyzotero import zotero
from pyzotero import zotero_errors as ze

from tests.servers.zotero import ZoteroServer, make_app, on, zotero_server

USER, GROUP, KEY = 1, 5, "pyzoteroTestKey0"


@pytest.fixture(scope="module")
def running() -> Iterator[ZoteroServer]:
    with zotero_server(user_id=USER, key=KEY) as srv:
        yield srv


@pytest.fixture
def server(running: ZoteroServer) -> ZoteroServer:
    running.app = make_app(USER, KEY, groups=[GROUP])
    running.app.add_group(77, "no access")
    running.clear()
    return running


def client(server: ZoteroServer, library_id: int = USER, kind: str = "user",
           key: str | None = KEY) -> zotero.Zotero:
    zot = zotero.Zotero(library_id, kind, key)
    zot.endpoint = server.url  # the only change to pyzotero
    return zot


@pytest.fixture
def zot(server: ZoteroServer) -> zotero.Zotero:
    return client(server)


def book(zot: zotero.Zotero, title: str, **fields: Any) -> dict[str, Any]:
    template = zot.item_template("book")
    template.update(title=title, **fields)
    template["creators"][0].update(firstName="Icek", lastName="Ajzen")
    return dict(template)


def last_report(zot: zotero.Zotero) -> dict[str, Any]:
    """The body of pyzotero's last response (update_items() returns only True)."""
    assert zot.request is not None
    return dict(zot.request.json())


def rows(result: Any) -> list[dict[str, Any]]:
    """pyzotero annotates the schema calls as returning a dict; they return lists."""
    return cast(list[dict[str, Any]], result)


def titles(server: ZoteroServer) -> list[str]:
    return sorted(i.get("title", "") for i in server.app.items().values())


def test_everyday_calls(server: ZoteroServer, zot: zotero.Zotero) -> None:
    created = zot.create_items([book(zot, "From intentions to actions", date="1985"),
                                book(zot, "Second")])
    assert set(created) == {"successful", "success", "unchanged", "failed"}
    first = created["successful"]["0"]
    assert first["data"]["title"] == "From intentions to actions"
    assert first["meta"] == {"creatorSummary": "Ajzen", "parsedDate": "1985", "numChildren": 0}
    assert created["success"] == {"0": first["key"], "1": created["successful"]["1"]["key"]}
    assert zot.last_modified_version() == server.app.version() == 2
    assert zot.num_items() == 2

    item = zot.item(first["key"])
    item["data"]["publisher"] = "Springer"
    assert zot.update_item(item) is True
    assert server.app.item(first["key"])["publisher"] == "Springer"
    assert zot.item(first["key"])["version"] == 3

    collections = zot.create_collections([{"name": "Reading list"}])
    coll_key = collections["success"]["0"]
    assert collections["successful"]["0"]["data"]["parentCollection"] is False
    current = zot.item(first["key"])
    assert zot.addto_collection(coll_key, current) is True
    assert server.app.item(first["key"])["collections"] == [coll_key]
    with pytest.raises(ze.PreConditionFailedError):  # same dict, old version (reference §13)
        zot.addto_collection(coll_key, current)
    assert [i["key"] for i in zot.collection_items(coll_key)] == [first["key"]]

    assert zot.add_tags(zot.item(first["key"]), "tpb", "psychology") is True
    assert sorted(zot.tags()) == ["psychology", "tpb"]
    assert sorted(zot.item_tags(first["key"])) == ["psychology", "tpb"]
    server.app.edit_item(None, first["key"], {"tags": [{"tag": "tpb"},
                                                        {"tag": "auto", "type": 1}]})
    assert {"tag": "auto", "type": 1} in zot.item(first["key"])["data"]["tags"]

    note = zot.create_items([{"itemType": "note", "note": "<p>notes</p>"}],
                            parentid=first["key"])
    assert note["successful"]["0"]["data"]["parentItem"] == first["key"]
    assert [c["key"] for c in zot.children(first["key"])] == [note["success"]["0"]]
    assert zot.num_items() == 2 and zot.count_items() == 3
    assert zot.key_info()["access"]["user"]["write"] is True
    sent = server.log[-1].headers
    assert sent["authorization"] == f"Bearer {KEY}" and "zotero-api-key" not in sent
    assert sent["zotero-api-version"] == "3"


def test_update_items_returns_true_but_the_report_is_honest(server: ZoteroServer,
                                                           zot: zotero.Zotero) -> None:
    created = zot.create_items([book(zot, "One"), book(zot, "Two")])
    one, two = (created["successful"][i]["data"] for i in ("0", "1"))
    one["title"] = "One, revised"
    two["numPages"] = "100"  # valid for book
    two["pages"] = "1-10"  # a global field, so pyzotero's check passes; not a book field
    assert zot.update_items([one, two]) is True
    report = last_report(zot)
    assert report["successful"]["0"]["data"]["title"] == "One, revised"
    assert report["failed"]["1"] == {"key": two["key"], "code": 400,
                                     "message": "'pages' is not a valid field for type 'book'"}
    assert server.app.item(two["key"])["numPages"] == ""
    unchanged = zot.item(one["key"])["data"]
    assert zot.update_items([unchanged]) is True
    assert last_report(zot)["unchanged"] == {"0": one["key"]}


def test_everything_pages_past_100_items(server: ZoteroServer, zot: zotero.Zotero) -> None:
    keys = {server.app.seed_item({"itemType": "book", "title": f"Book {i}",
                                  "tags": [{"tag": "even" if i % 2 == 0 else "odd"}]})
            for i in range(230)}
    server.reset_log()
    everything = zot.everything(zot.items())
    assert {i["key"] for i in everything} == keys and len(everything) == 230
    targets = [r.target for r in server.log]
    assert targets[0] == "/users/1/items?format=json&limit=100&locale=en-US"
    assert targets[1:] == ["/users/1/items?limit=100&start=100&locale=en-US",
                           "/users/1/items?limit=100&start=200&locale=en-US"]
    # Filters survive paging because Link URLs keep every non-default parameter.
    evens = zot.everything(zot.top(tag="even", sort="title", direction="asc"))
    assert len(evens) == 115 and all(i["data"]["tags"] == [{"tag": "even"}] for i in evens)
    assert [i["data"]["title"] for i in evens] == sorted(i["data"]["title"] for i in evens)
    assert zot.num_items() == 230


def test_sync_reads_versions_and_deletions(server: ZoteroServer, zot: zotero.Zotero) -> None:
    created = zot.create_items([book(zot, "A"), book(zot, "B"), book(zot, "C")])
    keys = [created["success"][i] for i in ("0", "1", "2")]
    collection = zot.create_collections([{"name": "Set"}])["success"]["0"]
    since = zot.last_modified_version()
    assert zot.item_versions() == {k: i + 1 for i, k in enumerate(keys)}
    assert zot.item_versions(since=since) == {}
    assert zot.collection_versions() == {collection: 4}

    server.app.edit_item(None, keys[0], {"title": "A2"})
    item = zot.item(keys[1])
    assert zot.delete_item(item) is True
    assert zot.item_versions(since=since) == {keys[0]: 5}
    deleted = zot.deleted(since=since)
    assert deleted["items"] == [keys[1]] and deleted["collections"] == []
    assert "limit=100" in server.log[-1].target  # pyzotero sends it (reference §13)
    renamed = zot.collection(collection)  # a full object; PUT uses only its `data`
    renamed["data"]["name"] = "Renamed set"
    assert zot.update_collection(renamed) is True
    assert server.app.collections()[collection]["name"] == "Renamed set"
    assert zot.collection_versions(since=since) == {collection: 7}
    assert zot.delete_collection(zot.collection(collection)) is True
    assert zot.collection_versions(since=since) == {}
    assert zot.deleted(since=since)["collections"] == [collection]
    with pytest.raises(ze.ResourceNotFoundError):
        zot.item(keys[1])


def test_delete_item_list_uses_first_item_version_as_library_precondition(
        server: ZoteroServer, zot: zotero.Zotero) -> None:
    created = zot.create_items([book(zot, "old")])
    zot.create_items([book(zot, "newer")])
    items = zot.items()
    oldest = [i for i in items if i["key"] == created["success"]["0"]]
    with pytest.raises(ze.PreConditionFailedError):  # version 1 < library version 2
        zot.delete_item(oldest + [i for i in items if i not in oldest])
    assert len(server.app.items()) == 2
    assert zot.delete_item(items, last_modified=zot.last_modified_version()) is True
    assert server.app.items() == {}


def test_dropped_create_retried_with_new_token_makes_a_duplicate(server: ZoteroServer,
                                                                zot: zotero.Zotero) -> None:
    payload = [book(zot, "Once only")]
    server.drop_next(after_commit=True, match=on("POST", "/items"))
    with pytest.raises(httpx2.TransportError):
        zot.create_items(payload)  # committed on the server, but no reply
    assert titles(server) == ["Once only"]
    zot.create_items(payload)  # the caller retries; pyzotero sends a fresh write token
    assert titles(server) == ["Once only", "Once only"]
    tokens = [r.headers["zotero-write-token"] for r in server.log if r.method == "POST"]
    assert len(tokens) == 2 and tokens[0] != tokens[1]


def test_dropped_create_retried_with_client_keys_is_safe(server: ZoteroServer,
                                                        zot: zotero.Zotero) -> None:
    item = {**book(zot, "Keyed once"), "key": "KEYD2345", "version": 0}
    server.drop_next(after_commit=True, match=on("POST", "/items"))
    with pytest.raises(httpx2.TransportError):
        zot.create_items([item])
    retry = zot.create_items([item])  # pyzotero keeps "key" and "version" in the payload
    assert retry["successful"] == {}
    assert retry["failed"]["0"] == {
        "key": "KEYD2345", "code": 412,
        "message": "Item has been modified since specified version (expected 0, found 1)"}
    assert titles(server) == ["Keyed once"]
    assert server.app.item("KEYD2345")["version"] == 1


def test_server_error_after_commit(server: ZoteroServer, zot: zotero.Zotero) -> None:
    server.app.fail_after_commit(502)
    with pytest.raises(ze.HTTPError):
        zot.create_items([book(zot, "Committed anyway")])
    assert titles(server) == ["Committed anyway"]


def test_412_after_another_clients_edit(server: ZoteroServer, zot: zotero.Zotero) -> None:
    key = zot.create_items([book(zot, "Mine")])["success"]["0"]
    item = zot.item(key)
    server.app.edit_item(None, key, {"title": "Edited elsewhere"})
    item["data"]["title"] = "My edit"
    with pytest.raises(ze.PreConditionFailedError):
        zot.update_item(item)
    assert server.app.item(key)["title"] == "Edited elsewhere"
    assert zot.update_items([item["data"]]) is True  # ignored failure ...
    assert last_report(zot)["failed"]["0"]["code"] == 412  # ... visible in the report
    fresh = zot.item(key)
    fresh["data"]["title"] = "My edit"
    assert zot.update_item(fresh) is True
    assert server.app.item(key)["title"] == "My edit"
    with pytest.raises(ze.PreConditionFailedError):  # library precondition: whole request
        zot.create_items([book(zot, "late")], last_modified=1)
    assert titles(server) == ["My edit"]


def test_rate_limits_backoff_and_server_errors(server: ZoteroServer, zot: zotero.Zotero) -> None:
    server.app.seed_item({"itemType": "book", "title": "x"})
    server.rate_limit_next(retry_after="0.2")
    started = time.monotonic()
    assert len(zot.items()) == 1  # waited Retry-After, then retried
    assert time.monotonic() - started >= 0.2
    assert [r.status for r in server.log] == [429, 200]

    server.rate_limit_next(retry_after=None)
    with pytest.raises(ze.TooManyRetriesError):
        zot.items()
    server.rate_limit_next(retry_after="0.05", times=3)
    with pytest.raises(ze.TooManyRetriesError):
        zot.items()

    server.rate_limit_next(retry_after="0.05", match=on("POST"))
    with pytest.raises(ValueError):  # create_items parses the plain-text 429 body as JSON
        zot.create_items([book(zot, "not sent twice")])
    assert titles(server) == ["x"]

    server.backoff("0.3")
    zot.items()
    assert zot.backoff_until > time.time()
    started = time.monotonic()
    zot.items()  # sleeps out the backoff first
    assert time.monotonic() - started >= 0.2

    server.fail_next(503, retry_after="5")
    with pytest.raises(ze.HTTPError):
        zot.items()


def test_slow_response_within_timeout(server: ZoteroServer, zot: zotero.Zotero) -> None:
    server.slow_next(0.2, match=on("POST"))
    assert zot.create_items([book(zot, "slow")])["success"]


def test_permissions_through_pyzotero(server: ZoteroServer) -> None:
    group = client(server, GROUP, "group")
    created = group.create_items([book(group, "Group item")])
    assert created["success"] and len(server.app.items(f"groups/{GROUP}")) == 1
    assert group.items()[0]["library"]["type"] == "group"
    with pytest.raises(ze.UserNotAuthorisedError):
        client(server, 77, "group").items()
    with pytest.raises(ze.UserNotAuthorisedError):
        client(server, key=None).items()
    with pytest.raises(ze.UserNotAuthorisedError):
        client(server, key=None).create_collections([{"name": "x"}])
    assert server.app.collections() == {}


def test_schema_calls_and_template_revalidation_quirk(server: ZoteroServer,
                                                      zot: zotero.Zotero) -> None:
    assert any(t["itemType"] == "journalArticle" for t in rows(zot.item_types()))
    assert {"field": "DOI", "localized": "DOI"} in rows(zot.item_fields())
    assert rows(zot.item_type_fields("book"))[0] == {"field": "title", "localized": "Title"}
    assert rows(zot.item_creator_types("book"))[0]["creatorType"] == "author"
    assert [f["field"] for f in rows(zot.creator_fields())] == ["firstName", "lastName", "name"]
    template = zot.item_template("journalArticle")
    assert "DOI" in template and template["creators"][0]["creatorType"] == "author"
    # After an hour pyzotero re-validates without itemType; Zotero answers 400 (reference §13).
    for cached in zot.templates.values():
        cached["updated"] -= timedelta(hours=2)
    with pytest.raises(ze.UnsupportedParamsError):
        zot.item_template("journalArticle")
    assert server.log[-1].target == "/items/new"
    assert "if-modified-since" in server.log[-1].headers
