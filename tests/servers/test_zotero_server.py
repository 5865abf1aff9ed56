"""The Zotero Web API emulator over plain HTTP: contract checks against recorded Zotero
responses (skipped without ../shared) and the behaviour of reference zotero-api.md §2-§11."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.servers.zotero import (
    ZoteroServer,
    load_schema,
    make_app,
    on,
    writes,
    zotero_server,
)
from tests.servers.zotero.library import KEY_RE
from tests.servers.zotero.schema import MINIMAL_SCHEMA, SHARED_SCHEMA, dump_minimal

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT.parent / "shared" / "fixtures" / "zotero"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(),
                                    reason="shared Zotero fixtures (../shared) not present")
KEY = "serverTestKey123"
# Fields schema v41 adds to journalArticle over the 2023 web-library recordings (reference §7).
V41_JOURNAL_EXTRAS = {"publisher", "place", "section", "partNumber", "partTitle", "citationKey",
                      "PMID", "PMCID"}


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def running() -> Iterator[ZoteroServer]:
    with zotero_server(user_id=1, key=KEY) as srv:
        yield srv


@pytest.fixture
def server(running: ZoteroServer) -> ZoteroServer:
    """The module's server with a fresh app: user 1 (key KEY, also for group 5), user 2 and
    group 9 that the key cannot reach. (One server per module: stopping one takes 0.5 s.)"""
    running.app = make_app(1, KEY, groups=[5])
    running.app.add_user(2, "someoneelse")
    running.app.add_group(9, "Not yours")
    running.clear()
    return running


@pytest.fixture
def http(server: ZoteroServer) -> Iterator[httpx2.Client]:
    headers = {"Zotero-API-Key": KEY, "Zotero-API-Version": "3"}
    with httpx2.Client(base_url=server.url, headers=headers, trust_env=False) as client:
        yield client


@pytest.fixture
def anon(server: ZoteroServer) -> Iterator[httpx2.Client]:
    """A client that sends no key unless a request adds one."""
    with httpx2.Client(base_url=server.url, trust_env=False) as client:
        yield client


def article(title: str = "A title", **extra: Any) -> dict[str, Any]:
    return {"itemType": "journalArticle", "title": title,
            "creators": [{"creatorType": "author", "firstName": "Ada", "lastName": "Lovelace"}],
            **extra}


def create(http: httpx2.Client, objs: list[dict[str, Any]], path: str = "/users/1/items",
           **headers: str) -> dict[str, Any]:
    response = http.post(path, json=objs, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


# -- contract checks against recorded responses ------------------------------------------------


@needs_fixtures
def test_journal_article_template_matches_recording_plus_schema_41_fields(
        http: httpx2.Client) -> None:
    recorded = fixture("web-library/new-item-journal-article.json")
    ours = http.get("/items/new", params={"itemType": "journalArticle"}).json()
    assert set(ours) - set(recorded) == V41_JOURNAL_EXTRAS
    assert set(recorded) <= set(ours)
    assert list(ours)[:3] == ["itemType", "title", "creators"]
    assert list(ours)[-3:] == ["tags", "collections", "relations"]
    assert ours["creators"] == recorded["creators"]
    assert all(ours[k] == "" for k in ours if k not in ("itemType", "creators", "tags",
                                                          "collections", "relations"))


@needs_fixtures
def test_note_template_equals_recording(http: httpx2.Client) -> None:
    response = http.get("/items/new", params={"itemType": "note"})
    assert response.json() == fixture("web-library/new-item-note.json")
    assert list(response.json()) == list(fixture("web-library/new-item-note.json"))


@needs_fixtures
def test_create_report_has_the_recorded_shape(server: ZoteroServer, http: httpx2.Client) -> None:
    recorded = fixture("web-library/test-user-add-new-item.json")
    server.app.seed_collection("Dogs", key="WTTJ2J56")
    template = http.get("/items/new", params={"itemType": "journalArticle"}).json()
    report = create(http, [{**template, "collections": ["WTTJ2J56"]}])
    assert list(report) == list(recorded)
    ours, theirs = report["successful"]["0"], recorded["successful"]["0"]
    assert list(ours) == list(theirs)
    assert ours["library"] == theirs["library"]  # same user id 1 and name "testuser"
    assert list(ours["links"]) == list(theirs["links"])
    assert ours["meta"] == theirs["meta"] == {"parsedDate": False, "numChildren": 0}
    assert set(ours["data"]) - set(theirs["data"]) == V41_JOURNAL_EXTRAS
    assert set(theirs["data"]) <= set(ours["data"])
    assert list(ours["data"])[:5] == list(theirs["data"])[:5]  # key version itemType title creators
    assert list(ours["data"])[-5:] == list(theirs["data"])[-5:]  # tags ... dateModified
    assert ours["data"]["creators"] == []  # the template's empty creator is dropped
    assert ours["data"]["collections"] == ["WTTJ2J56"]
    assert report["success"] == {"0": ours["key"]}
    assert ours["version"] == ours["data"]["version"]
    assert KEY_RE.match(ours["key"])


@needs_fixtures
def test_child_note_and_collection_reports_match_recordings(server: ZoteroServer,
                                                            http: httpx2.Client) -> None:
    parent = server.app.seed_item(article())
    note = create(http, [{"itemType": "note", "note": "", "parentItem": parent}])
    recorded = fixture("web-library/test-user-add-new-item-note.json")["successful"]["0"]
    ours = note["successful"]["0"]
    assert list(ours["data"]) == list(recorded["data"])
    assert list(ours["links"]) == list(recorded["links"])
    assert ours["links"]["up"]["href"].endswith(f"/users/1/items/{parent}")
    assert ours["meta"] == recorded["meta"]

    top = server.app.seed_collection("Dogs")
    report = create(http, [{"name": "Irish Setter", "parentCollection": top}],
                    path="/users/1/collections")
    recorded = fixture("web-library/test-user-add-collection.json")
    ours = report["successful"]["0"]
    theirs = recorded["successful"]["0"]
    assert list(report) == list(recorded)
    assert list(ours) == list(theirs) and list(ours["links"]) == list(theirs["links"])
    assert ours["meta"] == theirs["meta"]
    assert ours["data"] == {**theirs["data"], "key": ours["key"], "version": ours["version"],
                            "parentCollection": top}


@needs_fixtures
def test_tag_listing_reproduces_recording(server: ZoteroServer, http: httpx2.Client) -> None:
    recorded = fixture("web-library/test-user-manage-tags.json")
    for row in recorded:
        for i in range(row["meta"]["numItems"]):
            server.app.seed_item(article(f"{row['tag']} {i}", tags=[{"tag": row["tag"]}]))
    response = http.get("/users/1/tags")
    ours = json.loads(response.text.replace(server.url, "https://api.zotero.org"))
    assert ours == recorded
    assert response.headers["Total-Results"] == str(len(recorded))


@needs_fixtures
def test_group_collection_listing_matches_recording(server: ZoteroServer,
                                                    http: httpx2.Client) -> None:
    recorded = fixture("web-library/test-group-collections.json")
    server.app = make_app(1, KEY, groups=[5119976])
    server.app.library("groups/5119976").name = "Animals"
    for row in reversed(recorded):
        server.app.seed_collection(row["data"]["name"], ref="groups/5119976")
    ours = http.get("/groups/5119976/collections").json()
    assert [c["data"]["name"] for c in ours] == [c["data"]["name"] for c in recorded]
    for mine, theirs in zip(ours, recorded, strict=True):
        assert mine["library"] == theirs["library"]
        assert list(mine) == list(theirs) and list(mine["links"]) == list(theirs["links"])
        assert list(mine["data"]) == list(theirs["data"])
        assert mine["links"]["alternate"]["href"] == (
            f"https://www.zotero.org/groups/5119976/collections/{mine['key']}")


@needs_fixtures
def test_item_listing_shape_matches_golden_recording(server: ZoteroServer,
                                                     http: httpx2.Client) -> None:
    golden = {i["key"]: i for i in fixture("web-library/test-user-get-items-golden.json")}
    theirs = golden["Z77UB935"]  # journalArticle, 3+ authors, date "2015"
    data = {k: v for k, v in theirs["data"].items()
            if k not in ("key", "version", "collections", "dateAdded", "dateModified")}
    key = server.app.seed_item(data)
    ours = http.get(f"/users/1/items/{key}").json()
    assert list(ours) == list(theirs)
    assert ours["meta"] == theirs["meta"]  # creatorSummary "Guy et al.", parsedDate "2015"
    assert set(ours["data"]) - set(theirs["data"]) == V41_JOURNAL_EXTRAS
    assert list(ours["data"])[:5] == list(theirs["data"])[:5]
    assert list(ours["data"])[-5:] == list(theirs["data"])[-5:]
    note = golden["Q6ALXLJG"]
    note_key = server.app.seed_item({"itemType": "note", "note": note["data"]["note"]})
    mine = http.get(f"/users/1/items/{note_key}").json()
    assert list(mine["data"]) == list(note["data"])
    assert set(mine["meta"]) == set(note["meta"]) == {"numChildren"}


@needs_fixtures
def test_schema_lists_compared_with_recordings(http: httpx2.Client) -> None:
    """Same schema family, different versions: recordings are schema ~26 (2023), we serve 41."""
    types = http.get("/itemTypes").json()
    recorded_types = fixture("web-library/item-types.json")
    assert {t["itemType"] for t in types} - {t["itemType"] for t in recorded_types} == {
        "dataset", "standard"}
    assert [t for t in types if t in recorded_types] == recorded_types  # same labels, order

    fields = http.get("/itemFields").json()
    recorded_fields = fixture("web-library/item-fields.json")
    by_name = {f["field"]: f["localized"] for f in fields}
    changed = {f["field"] for f in recorded_fields if by_name.get(f["field"]) != f["localized"]}
    assert changed == {"rights"}  # "Rights" became "License" in schema 41
    labels = [f["localized"] for f in fields]
    assert labels == sorted(labels)  # the recordings are sorted by label the same way

    book = http.get("/itemTypeFields", params={"itemType": "book"}).json()
    recorded_book = fixture("web-library/item-type-fields-book.json")
    # Same fields and labels (but "rights"); schema 41 adds some and moves date before place.
    assert [f for f in recorded_book if f["field"] != "rights"] == sorted(
        (f for f in book if f in recorded_book), key=recorded_book.index)
    assert {f["field"] for f in recorded_book} <= {f["field"] for f in book}
    assert [f["field"] for f in book].index("date") < [f["field"] for f in book].index("place")

    creators = http.get("/itemTypeCreatorTypes", params={"itemType": "book"}).json()
    assert creators == fixture("web-library/item-type-creator-types-book.json")
    assert http.get("/creatorFields").json() == fixture("web-library/creator-fields.json")
    assert http.get("/schema").json() == json.loads(SHARED_SCHEMA.read_text(encoding="utf-8"))


@needs_fixtures
def test_keys_and_versions_formats_match_recorded_shapes(server: ZoteroServer,
                                                         http: httpx2.Client) -> None:
    keys = [server.app.seed_item(article(f"t{i}")) for i in range(3)]
    response = http.get("/users/1/items", params={"format": "keys"})
    recorded = (FIXTURES / "pyzotero/keys_doc.txt").read_text()
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.endswith("\n") and recorded.endswith("\n")
    assert sorted(response.text.split()) == sorted(keys)
    versions = http.get("/users/1/items", params={"format": "versions"}).json()
    recorded_versions = fixture("pyzotero/item_versions.json")
    assert all(isinstance(v, int) for v in [*versions.values(), *recorded_versions.values()])
    assert versions == {k: i + 1 for i, k in enumerate(keys)}
    assert http.get("/users/1/items?format=versions&since=99").text == "{}"  # never []


def test_minimal_schema_is_the_reduced_shared_schema() -> None:
    minimal = json.loads(MINIMAL_SCHEMA.read_text(encoding="utf-8"))
    assert {t["itemType"] for t in minimal["itemTypes"]} == {
        "journalArticle", "book", "bookSection", "conferencePaper", "preprint", "thesis",
        "report", "document", "webpage", "dataset", "note"}
    assert MINIMAL_SCHEMA.stat().st_size < 10_000
    if SHARED_SCHEMA.is_file():  # regenerate with schema.dump_minimal if this fails
        shared = json.loads(SHARED_SCHEMA.read_text(encoding="utf-8"))
        assert MINIMAL_SCHEMA.read_text(encoding="utf-8") == dump_minimal(shared)


def test_app_runs_on_the_minimal_schema(server: ZoteroServer, http: httpx2.Client) -> None:
    server.app = make_app(1, KEY, schema=load_schema(str(MINIMAL_SCHEMA)))
    assert http.get("/items/new?itemType=book").json()["itemType"] == "book"
    assert len(http.get("/itemTypes").json()) == 11  # note is listed
    report = create(http, [article(), {"itemType": "film", "title": "x"}])
    assert report["failed"]["1"]["message"] == "'film' is not a valid itemType"
    assert "0" in report["successful"]


# -- authentication and permissions (§2) -------------------------------------------------------


def test_key_forms_are_equivalent_and_must_agree(anon: httpx2.Client) -> None:
    url = "/users/1/items"
    assert anon.get(url, headers={"Zotero-API-Key": KEY}).status_code == 200
    assert anon.get(url, headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    assert anon.get(url, params={"key": KEY}).status_code == 200
    differ = anon.get(url, params={"key": "other"}, headers={"Zotero-API-Key": KEY})
    assert (differ.status_code, differ.text) == (
        400, "Zotero-API-Key header and 'key' parameter differ")
    assert anon.get(url, headers={"Authorization": "Basic abc"}).status_code == 400
    invalid = anon.get(url, headers={"Zotero-API-Key": "nope"})
    assert (invalid.status_code, invalid.text) == (403, "Invalid key")
    assert "Last-Modified-Version" not in invalid.headers


def test_private_reads_and_writes_need_the_right_key(server: ZoteroServer, http: httpx2.Client,
                                                     anon: httpx2.Client) -> None:
    anonymous = anon
    assert anonymous.get("/users/1/items").status_code == 403
    no_key = anonymous.post("/users/1/items", json=[article()])
    assert (no_key.status_code, no_key.text) == (403, "An API key is required for write requests.")
    assert http.get("/users/2/items").status_code == 403
    denied = http.post("/users/2/items", json=[article()])
    assert (denied.status_code, denied.text) == (403, "Write access denied")
    assert http.post("/groups/9/items", json=[article()]).status_code == 403
    assert http.get("/groups/9/items").status_code == 403
    assert http.get("/groups/5/items").status_code == 200
    assert create(http, [article()], path="/groups/5/items")["successful"]
    assert http.get("/groups/404/items").status_code == 404
    assert server.app.items("users/2") == {} and server.app.items("groups/9") == {}
    server.app.library(2).public = True
    assert anonymous.get("/users/2/items").status_code == 200


def test_read_only_key_cannot_write(server: ZoteroServer, anon: httpx2.Client) -> None:
    server.app.add_key("readonly", 1, write=False)
    headers = {"Zotero-API-Key": "readonly"}
    assert anon.get("/users/1/items", headers=headers).status_code == 200
    assert anon.post("/users/1/items", json=[article()], headers=headers).status_code == 403


def test_key_info(http: httpx2.Client, anon: httpx2.Client) -> None:
    info = http.get("/keys/current").json()
    assert info["userID"] == 1 and info["key"] == KEY
    assert info["access"]["user"] == {"library": True, "files": True, "notes": True,
                                      "write": True}
    assert info["access"]["groups"] == {"5": {"library": True, "write": True}}
    assert anon.get(f"/keys/{KEY}").json() == info
    assert anon.get("/keys/unknown").status_code == 404
    assert anon.get("/keys/current").status_code == 403


# -- versions and preconditions (§2, §8.2-§8.5) ------------------------------------------------


def test_library_version_headers_and_conditional_reads(server: ZoteroServer,
                                                       http: httpx2.Client) -> None:
    first = create(http, [article("one")])
    key = first["success"]["0"]
    listing = http.get("/users/1/items")
    assert listing.headers["Last-Modified-Version"] == "1"
    assert listing.headers["Total-Results"] == "1"
    assert http.get("/users/1/collections").headers["Last-Modified-Version"] == "1"
    unchanged = http.get("/users/1/items", headers={"If-Modified-Since-Version": "1"})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert http.get("/users/1/items", headers={"If-Modified-Since-Version": "0"}
                    ).status_code == 200
    create(http, [article("two")])
    single = http.get(f"/users/1/items/{key}")
    assert single.headers["Last-Modified-Version"] == "1"  # the object's version
    assert http.get("/users/1/items", headers={"If-Modified-Since-Version": "1"}
                    ).status_code == 200
    # Schema endpoints never answer 304, whatever the client sends (§7).
    assert http.get("/itemFields", headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 BST",
                                            "If-Modified-Since-Version": "99"}).status_code == 200


def test_stale_library_precondition_rejects_whole_write(server: ZoteroServer,
                                                        http: httpx2.Client) -> None:
    create(http, [article("one")])
    stale = http.post("/users/1/items", json=[article("two")],
                      headers={"If-Unmodified-Since-Version": "0"})
    assert stale.status_code == 412
    assert stale.text == ("Library has been modified since specified version "
                          "(expected 0, found 1)")
    assert stale.headers["Last-Modified-Version"] == "1"
    assert len(server.app.items()) == 1
    fresh = http.post("/users/1/items", json=[article("two")],
                      headers={"If-Unmodified-Since-Version": "1"})
    assert fresh.status_code == 200 and fresh.headers["Last-Modified-Version"] == "2"


def test_single_object_write_preconditions(server: ZoteroServer, http: httpx2.Client) -> None:
    key = server.app.seed_item(article("v1"))
    url = f"/users/1/items/{key}"
    no_version = http.patch(url, json={"title": "x"})
    assert no_version.status_code == 428
    assert no_version.text == ("Either If-Unmodified-Since-Version or object version property "
                               "must be provided for key-based writes")
    assert http.put(url, json={**article(), "tags": [], "relations": {}}).status_code == 428
    assert http.delete(url).status_code == 428
    mismatch = http.patch(url, json={"title": "x", "version": 1},
                          headers={"If-Unmodified-Since-Version": "2"})
    assert mismatch.status_code == 400
    server.app.edit_item(None, key, {"title": "by another client"})  # now version 2
    stale = http.patch(url, json={"title": "mine"}, headers={"If-Unmodified-Since-Version": "1"})
    assert stale.status_code == 412
    assert stale.text == "Item has been modified since specified version (expected 1, found 2)"
    assert http.delete(url, headers={"If-Unmodified-Since-Version": "1"}).status_code == 412
    ok = http.patch(url, json={"title": "mine", "version": 2})
    assert (ok.status_code, ok.headers["Last-Modified-Version"]) == (204, "3")
    assert server.app.item(key)["title"] == "mine"
    assert http.get(url).json()["data"]["creators"] == article()["creators"]  # PATCH merges
    other = "ABCD2345"
    assert http.patch(f"/users/1/items/{other}", json={"title": "x"}).status_code == 404
    assert http.patch(f"/users/1/items/{other}", json={**article(), "version": 3}
                      ).status_code == 412
    assert http.patch(f"/users/1/items/{other}", json={**article(), "version": 0}
                      ).status_code == 204
    assert http.get("/users/1/items/notakey").status_code == 404
    wrong_key = http.patch(url, json={"key": other, "version": 3})
    assert wrong_key.status_code == 409


def test_put_replaces_and_patch_merges(server: ZoteroServer, http: httpx2.Client) -> None:
    key = server.app.seed_item(article("Title", date="2001", tags=[{"tag": "a"}]))
    put = http.put(f"/users/1/items/{key}", json={"itemType": "journalArticle", "title": "New",
                                                  "tags": [], "relations": {}, "version": 1})
    assert put.status_code == 204
    stored = server.app.item(key)
    assert (stored["title"], stored["date"], stored["creators"], stored["tags"]) == (
        "New", "", [], [])
    missing = http.put(f"/users/1/items/{key}", json={"itemType": "journalArticle",
                                                      "version": 2})
    assert (missing.status_code, missing.text) == (400, "'tags' property not provided")


def test_unchanged_writes_keep_object_versions(server: ZoteroServer,
                                               http: httpx2.Client) -> None:
    report = create(http, [article("same")])
    data = report["successful"]["0"]["data"]
    again = create(http, [data])
    assert again["unchanged"] == {"0": data["key"]} and not again["successful"]
    assert server.app.item(data["key"])["version"] == data["version"]
    patch = http.patch(f"/users/1/items/{data['key']}", json={"title": "same", "version": 1})
    assert patch.status_code == 204
    assert server.app.item(data["key"])["version"] == 1


@pytest.mark.parametrize(("mode", "expected"), [("per_object", ([1, 2, 3], 3)),
                                                ("per_request", ([1, 1, 1], 1))])
def test_version_modes(server: ZoteroServer, http: httpx2.Client, mode: str,
                       expected: tuple[list[int], int]) -> None:
    server.app.set_version_mode(mode)
    response = http.post("/users/1/items", json=[article(str(i)) for i in range(3)])
    versions = [response.json()["successful"][str(i)]["version"] for i in range(3)]
    assert (versions, int(response.headers["Last-Modified-Version"])) == expected


# -- multi-object writes: report, per-object failures, tokens, limits (§8.1-§8.7) -------------


def test_write_report_lists_each_failure_with_zotero_messages(server: ZoteroServer,
                                                              http: httpx2.Client) -> None:
    existing = server.app.seed_item(article("existing"))  # version 1
    server.app.edit_item(None, existing, {"title": "edited"})  # version 2
    collection = server.app.seed_collection("C")
    batch: list[Any] = [
        article("good", collections=[collection]),
        article("bad field", numPages="12"),
        article("bad creator", creators=[{"creatorType": "seriesEditor", "firstName": "", "lastName": "X"}]),
        article("unknown creator", creators=[{"creatorType": "wizard", "firstName": "", "lastName": "X"}]),
        {"itemType": "note", "note": "n", "parentItem": "ZZZZ2222"},
        article("ghost collection", collections=["ZZZZ3333"]),
        {"itemType": "nonsense"},
        {"title": "no type"},
        article("bad key", key="lowercase"),
        article("version without key", version=3),
        article("key without version", key="KKKK2222"),
        {**article("stale"), "key": existing, "version": 1},
        {**article("not there"), "key": "NNNN2222", "version": 5},
        {**article("dupe-safe create"), "key": existing, "version": 0},
        "not an object",
        article("bad prop", colour="blue"),
        article("tags", tags="a"),
        {"itemType": "note", "note": "x", "collections": [collection], "parentItem": existing},
    ]
    report = create(http, batch)
    failed = {int(i): (f["code"], f["message"]) for i, f in report["failed"].items()}
    assert failed == {
        1: (400, "'numPages' is not a valid field for type 'journalArticle'"),
        2: (400, "'seriesEditor' is not a valid creator type for item type 'journalArticle'"),
        3: (400, "'wizard' is not a valid creator type"),
        4: (409, "Parent item ZZZZ2222 not found"),
        5: (409, "Collection ZZZZ3333 not found"),
        6: (400, "'nonsense' is not a valid itemType"),
        7: (400, "'itemType' property not provided"),
        8: (400, "'lowercase' is not a valid item key"),
        9: (400, "'version' is valid only if item key is provided"),
        10: (428, "Either If-Unmodified-Since-Version or 'version' property must be provided "
                  "for 'key'-based writes"),
        11: (412, "Item has been modified since specified version (expected 1, found 2)"),
        12: (404, "Item doesn't exist (expected version 5; use 0 instead)"),
        13: (412, "Item has been modified since specified version (expected 0, found 2)"),
        14: (400, "Invalid value for index 14 in uploaded data; expected JSON item object"),
        15: (400, "Invalid property 'colour'"),
        16: (400, "'tags' property must be an array"),
        17: (400, "Child items cannot be assigned to collections"),
    }
    assert report["failed"]["4"]["data"] == {"parentItem": "ZZZZ2222"}
    assert report["failed"]["5"]["data"] == {"collection": "ZZZZ3333"}
    assert report["failed"]["11"]["key"] == existing and "key" not in report["failed"]["1"]
    assert list(report["successful"]) == ["0"] and report["unchanged"] == {}
    assert len(server.app.items()) == 2  # the good one and the existing one
    assert server.app.item(existing)["title"] == "edited"


def test_creator_tag_and_field_rules(server: ZoteroServer, http: httpx2.Client) -> None:
    batch = [
        article(creators=[{"creatorType": "author", "firstName": "A"}]),
        article(creators=[{"creatorType": "author", "name": "Org", "firstName": "A"}]),
        article(creators=[{"creatorType": "author", "firstName": "", "lastName": "X",
                           "middle": "Y"}]),
        article(creators=[{"creatorType": "author", "firstName": "", "lastName": "X"},
                              {"creatorType": "editor"}]),
        {**article(), "title": ["list"]},
        article(tags=[{"tag": "x", "type": 7}]),
        article(tags=[{"tag": "x" * 256}]),
        article(abstractNote="x" * 70000),
        article(note="not here"),
        {"itemType": "book", "title": "ok", "creators": [{"creatorType": "seriesEditor",
                                                          "name": "Org"}],
         "tags": [{"tag": " spaced "}, {"tag": ""}, {"tag": "auto", "type": 1}], "numPages": "7",
         "accessDate": "2024-01-02 03:04:05"},
    ]
    report = create(http, batch)
    failed = {int(i): (f["code"], f["message"]) for i, f in report["failed"].items()}
    assert failed[0] == (400, "'lastName' creator field must be set if 'firstName' is set")
    assert failed[1] == (400, "'firstName' and 'name' creator fields are mutually exclusive")
    assert failed[2] == (400, "Invalid creator property 'middle'")
    assert failed[3] == (400, "creator object must contain 'firstName'/'lastName' or 'name'")
    assert failed[4] == (400, "Unexpected array for property 'title'")
    assert failed[5] == (400, "Invalid tag type '7'")
    assert failed[6][0] == 413 and report["failed"]["6"]["data"] == {"tag": "x" * 256}
    assert failed[7][0] == 413 and report["failed"]["7"]["data"]["field"] == "Abstract"
    assert failed[8] == (400, "'note' property is valid only for note and attachment items")
    book = report["successful"]["9"]["data"]
    assert book["tags"] == [{"tag": "spaced"}, {"tag": "auto", "type": 1}]
    assert book["accessDate"] == "2024-01-02T03:04:05Z"
    assert book["creators"] == [{"creatorType": "seriesEditor", "name": "Org"}]


def test_collection_validation(server: ZoteroServer, http: httpx2.Client) -> None:
    report = create(http, [{"name": "ok"}, {"name": ""}, {"parentCollection": False},
                           {"name": "x", "parentCollection": "QQQQ2222"},
                           {"name": "x", "colour": 1}, {"name": "n" * 256}],
                    path="/users/1/collections")
    failed = {int(i): (f["code"], f["message"]) for i, f in report["failed"].items()}
    assert failed == {1: (400, "Collection name cannot be empty"),
                      2: (400, "'name' property not provided"),
                      3: (409, "Parent collection QQQQ2222 not found"),
                      4: (400, "Invalid property 'colour'"),
                      5: (413, f"Collection name '{'n' * 50}…' too long")}
    created = report["successful"]["0"]["data"]
    assert created["parentCollection"] is False


def test_write_token_replay_and_format(server: ZoteroServer, http: httpx2.Client,
                                       anon: httpx2.Client) -> None:
    token = {"Zotero-Write-Token": "a" * 32}
    assert http.post("/users/1/items", json=[article()], headers=token).status_code == 200
    replay = http.post("/users/1/items", json=[article()], headers=token)
    assert (replay.status_code, replay.text) == (412, "Write token already used")
    assert len(server.app.items()) == 1
    # A request that failed at HTTP level does not use up its token.
    other = {"Zotero-Write-Token": "b" * 32}
    assert http.post("/users/1/items", json=[article()] * 51, headers=other).status_code == 413
    assert http.post("/users/1/items", json=[article()], headers=other).status_code == 200
    assert http.post("/users/1/items", json=[article()], headers={"Zotero-Write-Token": "abc"}
                     ).status_code == 400
    # Tokens are per key.
    server.app.add_key("second", 1)
    again = anon.post("/users/1/items", json=[article()],
                      headers={"Zotero-API-Key": "second", **token})
    assert again.status_code == 200


def test_request_level_write_errors(server: ZoteroServer, http: httpx2.Client) -> None:
    too_many = http.post("/users/1/items", json=[article()] * 51)
    assert (too_many.status_code, too_many.text) == (413, "Cannot add more than 50 items at a time")
    assert http.post("/users/1/collections", json=[{"name": "c"}] * 51).status_code == 413
    assert http.post("/users/1/items", json=article()).text == "Uploaded data must be a JSON array"
    assert http.post("/users/1/items", content=b"{nope").status_code == 400
    assert http.post("/users/1/items", content=b"").status_code == 400
    assert server.app.items() == {} and server.app.version() == 0
    assert http.post("/users/1/items", json=[article()] * 50).status_code == 200


def test_key_based_create_update_and_retype(server: ZoteroServer, http: httpx2.Client) -> None:
    report = create(http, [{**article("mine", publisher="arXiv", publicationTitle="J"),
                            "key": "MINE2345", "version": 0}])
    assert report["success"] == {"0": "MINE2345"}
    wrong = create(http, [{"key": "MINE2345", "version": 1, "itemType": "preprint",
                           "publicationTitle": "J"}])
    assert wrong["failed"]["0"]["message"] == (
        "'publicationTitle' is not a valid field for type 'preprint'")
    update = create(http, [{"key": "MINE2345", "version": 1, "itemType": "preprint"}])
    data = update["successful"]["0"]["data"]
    # POST updates like PATCH: the title stays; a type change keeps fields through their base
    # field (publisher -> repository) and drops the rest (publicationTitle).
    assert (data["itemType"], data["title"], data["repository"]) == ("preprint", "mine", "arXiv")
    assert "publicationTitle" not in data
    assert data["creators"] == article()["creators"]
    header_only = create(http, [{"key": "HDR23456", **article("h")}],
                         **{"If-Unmodified-Since-Version": "2"})
    assert header_only["success"] == {"0": "HDR23456"}


# -- trash, deletion, tags, collections (§8.5, §8.8, §9) ---------------------------------------


def test_trash_is_an_update_delete_is_logged(server: ZoteroServer, http: httpx2.Client) -> None:
    parent = server.app.seed_item(article("parent"))
    child = server.app.seed_item({"itemType": "note", "note": "n", "parentItem": parent})
    trashed = server.app.seed_item(article("trash me"))
    report = create(http, [{"key": trashed, "version": 3, "deleted": 1}])
    assert report["successful"]["0"]["data"]["deleted"] == 1
    keys = lambda path: set(http.get(path, params={"format": "keys"}).text.split())  # noqa: E731
    assert keys("/users/1/items") == {parent, child}
    assert keys("/users/1/items/top") == {parent}
    assert keys("/users/1/items/trash") == {trashed}
    assert set(http.get("/users/1/items?includeTrashed=1&format=keys").text.split()) == {
        parent, child, trashed}
    assert http.get(f"/users/1/items/{trashed}").json()["data"]["deleted"] == 1
    assert http.get("/users/1/deleted", params={"since": 0}).json()["items"] == []

    gone = http.delete(f"/users/1/items/{parent}", headers={"If-Unmodified-Since-Version": "1"})
    assert gone.status_code == 204 and gone.headers["Last-Modified-Version"] == "5"
    deleted = http.get("/users/1/deleted", params={"since": 4})
    assert sorted(deleted.json()["items"]) == sorted([parent, child])
    assert deleted.json() | {"items": []} == {"collections": [], "items": [], "searches": [],
                                              "tags": [], "settings": []}
    assert http.get("/users/1/deleted", params={"since": 5}).json()["items"] == []
    assert http.get("/users/1/deleted").status_code == 400
    assert server.app.deleted_log()["items"] == {parent: 5, child: 5}
    # Re-creating a deleted key takes it out of the log.
    create(http, [{**article(), "key": parent, "version": 0}])
    assert parent not in http.get("/users/1/deleted?since=0").json()["items"]


def test_multi_delete_and_its_precondition(server: ZoteroServer, http: httpx2.Client) -> None:
    keys = [server.app.seed_item(article(str(i))) for i in range(3)]
    stale = http.delete("/users/1/items", params={"itemKey": ",".join(keys[:2])},
                        headers={"If-Unmodified-Since-Version": "1"})
    assert stale.status_code == 412
    ok = http.delete("/users/1/items", params={"itemKey": f"{keys[0]},{keys[1]},ZZZZ9999"},
                     headers={"If-Unmodified-Since-Version": "3"})
    assert ok.status_code == 204 and ok.headers["Last-Modified-Version"] == "4"
    assert list(server.app.items()) == [keys[2]]


def test_tags_types_listing_and_deletion(server: ZoteroServer, http: httpx2.Client) -> None:
    a = server.app.seed_item(article("a", tags=[{"tag": "manual"}, {"tag": "auto", "type": 1}]))
    b = server.app.seed_item(article("b", tags=[{"tag": "manual"}]))
    tags = {t["tag"]: t["meta"] for t in http.get("/users/1/tags").json()}
    assert tags == {"auto": {"type": 1, "numItems": 1}, "manual": {"type": 0, "numItems": 2}}
    assert [t["tag"] for t in http.get(f"/users/1/items/{b}/tags").json()] == ["manual"]
    assert http.get("/users/1/tags/auto").json()[0]["meta"]["type"] == 1
    assert http.delete("/users/1/tags", params={"tag": "manual"}).status_code == 428
    response = http.delete("/users/1/tags", params={"tag": "manual || auto"},
                           headers={"If-Unmodified-Since-Version": "2"})
    assert response.status_code == 204
    assert server.app.item(a)["tags"] == [] and server.app.item(b)["version"] == 3
    assert sorted(http.get("/users/1/deleted?since=2").json()["tags"]) == ["auto", "manual"]


def test_collection_membership_and_deletion(server: ZoteroServer, http: httpx2.Client) -> None:
    top = server.app.seed_collection("Top")
    sub = server.app.seed_collection("Sub", parent=top)
    item = server.app.seed_item(article("in both", collections=[top, sub]))
    note = server.app.seed_item({"itemType": "note", "note": "child", "parentItem": item})
    loose = server.app.seed_item(article("loose"))
    listed = http.get(f"/users/1/collections/{top}").json()
    assert listed["meta"] == {"numCollections": 1, "numItems": 1}
    assert set(http.get(f"/users/1/collections/{top}/items?format=keys").text.split()) == {
        item, note}
    assert http.get(f"/users/1/collections/{top}/items/top?format=keys").text.split() == [item]
    assert [c["key"] for c in http.get(f"/users/1/collections/{top}/collections").json()] == [sub]
    assert [c["key"] for c in http.get("/users/1/collections/top").json()] == [top]
    assert http.get("/users/1/collections/ZZZZ2222/items").status_code == 404
    assert loose not in http.get(f"/users/1/collections/{sub}/items?format=keys").text
    version = server.app.item(item)["version"]
    gone = http.delete(f"/users/1/collections/{top}", headers={"If-Unmodified-Since-Version": "5"})
    assert gone.status_code == 204
    assert server.app.collections() == {}
    assert server.app.item(item)["collections"] == []
    assert server.app.item(item)["version"] == version  # membership loss is not an item edit
    assert sorted(http.get("/users/1/deleted?since=5").json()["collections"]) == sorted([top, sub])


def test_children_and_parent_rules(server: ZoteroServer, http: httpx2.Client) -> None:
    parent = server.app.seed_item(article("parent"))
    report = create(http, [
        {"itemType": "note", "note": "<p>child</p>", "parentItem": parent},
        {**article("child article"), "parentItem": parent},
        {"itemType": "note", "note": "grandchild", "parentItem": None},
    ])
    note_key = report["success"]["0"]
    assert report["failed"]["1"]["message"] == "Child item must be note, attachment, or annotation"
    children = http.get(f"/users/1/items/{parent}/children").json()
    assert [c["key"] for c in children] == [note_key]
    assert children[0]["links"]["up"]["href"].endswith(parent)
    assert "collections" not in children[0]["data"]
    assert http.get(f"/users/1/items/{parent}").json()["meta"]["numChildren"] == 1
    nested = create(http, [{"itemType": "note", "note": "x", "parentItem": note_key}])
    assert nested["failed"]["0"] == {"code": 409,
                                     "message": "Parent item cannot be a note or attachment"}


# -- reading: filters, sort, pagination (§4) ---------------------------------------------------


def test_pagination_links_total_and_default_order(server: ZoteroServer,
                                                  http: httpx2.Client) -> None:
    keys = [server.app.seed_item(article(f"item {i:03d}", tags=[{"tag": "x"}]))
            for i in range(230)]
    first = http.get("/users/1/items", params={"limit": 100, "tag": "x", "locale": "en-US",
                                               "format": "json"})
    assert first.headers["Total-Results"] == "230"
    assert [i["key"] for i in first.json()] == keys[::-1][:100]  # dateModified desc
    links = first.links
    assert set(links) == {"next", "last", "alternate"}
    assert links["next"]["url"] == f"{server.url}/users/1/items?tag=x&limit=100&start=100"
    assert links["last"]["url"].endswith("start=200")
    middle = http.get(links["next"]["url"])
    assert set(middle.links) == {"first", "prev", "next", "last", "alternate"}
    assert middle.links["prev"]["url"] == f"{server.url}/users/1/items?tag=x&limit=100"
    last = http.get(middle.links["next"]["url"])
    assert "next" not in last.links and len(last.json()) == 30
    assert len(http.get("/users/1/items").json()) == 25  # default limit
    assert len(http.get("/users/1/items?limit=500").json()) == 100  # clamped
    assert len(http.get("/users/1/items", params={"format": "versions"}).json()) == 230


def test_exact_multiple_last_link(server: ZoteroServer, http: httpx2.Client) -> None:
    for i in range(200):
        server.app.seed_item(article(str(i)))
    links = http.get("/users/1/items?limit=100").links
    assert links["last"]["url"].endswith("start=100")


def test_filters(server: ZoteroServer, http: httpx2.Client) -> None:
    a = server.app.seed_item(article("Deep learning", date="2015-05-28",
                                     tags=[{"tag": "ml"}, {"tag": "review"}]))
    b = server.app.seed_item({"itemType": "book", "title": "Attitudes", "date": "1985",
                              "creators": [{"creatorType": "author", "firstName": "",
                                                "lastName": "Ajzen"}],
                              "tags": [{"tag": "psych"}]})
    c = server.app.seed_item(article("Why most findings are false", tags=[{"tag": "-odd"}]))
    since = server.app.version()
    d = server.app.seed_item({"itemType": "note", "note": "<p>Deep thoughts</p>"})

    def keys(**params: Any) -> set[str]:
        return set(http.get("/users/1/items", params={"format": "keys", **params}).text.split())

    assert keys(tag="ml") == {a}
    assert keys(tag="ml || psych") == {a, b}
    assert keys(tag="-ml") == {b, c, d}
    assert keys(tag=["ml", "review"]) == {a}
    assert keys(tag="\\-odd") == {c}
    assert keys(itemType="book") == {b}
    assert keys(itemType="-journalArticle") == {b, d}
    assert keys(q="deep") == {a, d}
    assert keys(q="ajzen") == {b}
    assert keys(q="1985") == {b}
    assert keys(since=str(since)) == {d}
    assert keys(itemKey=f"{a},{c},bad") == {a, c}
    titles = [i["data"]["title"] for i in http.get(
        "/users/1/items", params={"sort": "title", "itemType": "-note"}).json()]
    assert titles == ["Attitudes", "Deep learning", "Why most findings are false"]
    assert http.get("/users/1/items?sort=colour").status_code == 400
    assert http.get("/users/1/items?since=abc").status_code == 400
    assert http.get("/users/1/items?format=nonsense").status_code == 400
    meta = http.get(f"/users/1/items/{a}").json()["meta"]
    assert meta == {"creatorSummary": "Lovelace", "parsedDate": "2015-05-28", "numChildren": 0}


def test_writes_while_paging_move_objects_to_the_first_page(server: ZoteroServer,
                                                             http: httpx2.Client) -> None:
    keys = [server.app.seed_item(article(str(i))) for i in range(4)]
    page1 = [i["key"] for i in http.get("/users/1/items?limit=2").json()]
    server.app.edit_item(None, keys[0], {"title": "touched"})  # the oldest becomes newest
    page2 = [i["key"] for i in http.get("/users/1/items?limit=2&start=2").json()]
    assert page1 == [keys[3], keys[2]]
    assert page2 == [keys[2], keys[1]]  # keys[2] again, keys[0] never seen: like Zotero


@pytest.mark.parametrize("sort", ["dateModified", "title", "creator"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_a_small_page_of_a_large_library_is_the_head_of_its_whole_listing(
        server: ZoteroServer, http: httpx2.Client, sort: str, direction: str) -> None:
    """A page is cut from the sorted listing however few it asks for (the emulator picks
    the first entries of a large listing without sorting the rest)."""
    for i in range(40):
        server.app.seed_item(article(f"Title {(i * 7) % 13}"))
    query = f"/users/1/items?sort={sort}&direction={direction}&format=keys"
    whole = http.get(f"{query}&limit=100").text.split()
    for start, limit in ((0, 1), (0, 3), (2, 2), (5, 1)):
        page = http.get(f"{query}&start={start}&limit={limit}")
        assert page.text.split() == whole[start:start + limit]
        assert page.headers["Total-Results"] == "40"


def test_schema_endpoint_errors(http: httpx2.Client) -> None:
    missing = http.get("/items/new")
    assert (missing.status_code, missing.text) == (400, "'itemType' not provided")
    assert http.get("/items/new?itemType=annotation").text == "Invalid item type 'annotation'"
    assert http.get("/itemTypeFields").status_code == 400
    assert http.get("/itemTypeCreatorTypes?itemType=note").json() == []
    assert http.get("/items/new?itemType=attachment").status_code == 400
    if "attachment" in load_schema().types:  # not in the minimal schema
        attachment = http.get("/items/new?itemType=attachment&linkMode=linked_url").json()
        assert attachment["linkMode"] == "linked_url"
    response = http.get("/itemTypes?locale=en-US&timeout=30")
    assert response.headers["Zotero-Schema-Version"] == str(load_schema().version)
    assert "Last-Modified-Version" not in response.headers


# -- faults and switches (§11) -----------------------------------------------------------------


def test_injected_errors_and_backoff(server: ZoteroServer, http: httpx2.Client) -> None:
    server.rate_limit_next(retry_after="3")
    limited = http.get("/users/1/items")
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "3")
    server.rate_limit_next(retry_after=None)
    assert "Retry-After" not in http.get("/users/1/items").headers
    server.fail_next(503, retry_after="7", match=writes)
    assert http.get("/users/1/items").status_code == 200  # reads do not match
    unavailable = http.post("/users/1/items", json=[article()])
    assert (unavailable.status_code, unavailable.headers["Retry-After"]) == (503, "7")
    assert server.app.items() == {}
    server.backoff(5, times=2)
    assert http.get("/users/1/items").headers["Backoff"] == "5"
    assert http.get("/users/1/items").headers["Backoff"] == "5"
    assert "Backoff" not in http.get("/users/1/items").headers
    assert server.statuses("items") == [("GET", 429), ("GET", 429), ("GET", 200),
                                        ("POST", 503), ("GET", 200), ("GET", 200), ("GET", 200)]


def test_failure_after_commit_and_dropped_connections(server: ZoteroServer,
                                                      http: httpx2.Client) -> None:
    server.app.fail_after_commit(502)
    assert http.post("/users/1/items", json=[article("committed")]).status_code == 502
    assert [i["title"] for i in server.app.items().values()] == ["committed"]
    server.drop_next(after_commit=False, match=on("POST"))
    with pytest.raises(httpx2.TransportError):
        http.post("/users/1/items", json=[article("never")])
    assert len(server.app.items()) == 1
    server.drop_next(after_commit=True, match=on("POST", "/items"))
    with pytest.raises(httpx2.TransportError):
        http.post("/users/1/items", json=[article("applied")])
    assert len(server.app.items()) == 2
    assert [r.status for r in server.log if r.method == "POST"] == [502, None, None]


def test_slow_response_and_rate_limiter(server: ZoteroServer, http: httpx2.Client) -> None:
    server.slow_next(0.3)
    started = time.monotonic()
    assert http.get("/users/1/items").status_code == 200
    assert time.monotonic() - started >= 0.3
    server.app.set_rate_limit(2, interval=60, retry_after="10")
    statuses = [http.get("/users/1/items").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    server.app.set_rate_limit(None)


def test_locked_library(server: ZoteroServer, http: httpx2.Client) -> None:
    server.app.lock_library()
    assert http.post("/users/1/items", json=[article()]).status_code == 409
    assert http.get("/users/1/items").status_code == 200


def test_concurrent_writers_get_distinct_versions(server: ZoteroServer) -> None:
    results: list[int] = []

    def writer() -> None:
        with httpx2.Client(base_url=server.url, headers={"Zotero-API-Key": KEY}) as client:
            for i in range(5):
                report = client.post("/users/1/items", json=[article(str(i))]).json()
                results.append(report["successful"]["0"]["version"])

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == list(range(1, 31))
    assert server.app.version() == 30 and len(server.app.items()) == 30


def test_endpoint_counters(server: ZoteroServer, http: httpx2.Client) -> None:
    key = server.app.seed_item(article())
    http.get("/users/1/items")
    http.get(f"/users/1/items/{key}")
    http.get("/itemTypes")
    assert server.counts == {"items": 1, "items/<key>": 1, "itemTypes": 1}


def test_cli_serves_until_stopped() -> None:
    command = [sys.executable, "-m", "tests.servers", "zotero", "--port", "0", "--key",
               "clikey", "--user", "7", "--group", "3"]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = line.split(" on ")[1].split()[0]
        info = httpx2.get(f"{url}/keys/current", headers={"Zotero-API-Key": "clikey"}).json()
        assert info["userID"] == 7 and "3" in info["access"]["groups"]
        assert httpx2.get(f"{url}/groups/3/items", params={"key": "clikey"}).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
