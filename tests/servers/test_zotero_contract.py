"""Contract tests: the Zotero emulator behaves as the real Web API does where a sync client
meets it. Each test names where the behaviour comes from in zotero/dataserver (a test in
tests/remote/tests/3/*.test.js or tests/remote-php/tests/API/3/*Test.php, or, where dataserver
has no test, the model code), or in zotero/tinymce-clean-server, the note cleaner dataserver
calls (`Zotero_Notes::sanitize`). Everything goes over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.servers.zotero import ZoteroServer, make_app, zotero_server
from tests.servers.zotero.notes import clean_note

KEY = "contractTestKey1"
USER = 1
ITEMS = f"/users/{USER}/items"
COLLECTIONS = f"/users/{USER}/collections"
CASES = json.loads((Path(__file__).parent / "zotero" / "notes_cases.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def running() -> Iterator[ZoteroServer]:
    with zotero_server(user_id=USER, key=KEY) as srv:
        yield srv


@pytest.fixture
def server(running: ZoteroServer) -> ZoteroServer:
    running.app = make_app(USER, KEY)
    running.clear()
    return running


@pytest.fixture
def client_headers() -> dict[str, str]:
    return {"Zotero-API-Key": KEY, "Zotero-API-Version": "3"}


def post(client: httpx2.Client, objects: list[dict[str, Any]], path: str = ITEMS,
         **headers: str) -> httpx2.Response:
    return client.post(path, json=objects, headers=headers)


def report(client: httpx2.Client, objects: list[dict[str, Any]],
           path: str = ITEMS) -> dict[str, Any]:
    response = post(client, objects, path)
    assert response.status_code == 200, response.text
    return dict(response.json())


def book(**fields: Any) -> dict[str, Any]:
    return {"itemType": "book", **fields}


def note(html: str, **props: Any) -> dict[str, Any]:
    return {"itemType": "note", "note": html, **props}


def get_data(client: httpx2.Client, key: str, path: str = ITEMS) -> dict[str, Any]:
    response = client.get(f"{path}/{key}")
    assert response.status_code == 200
    return dict(response.json()["data"])


# -- notes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("html", ["<p>Foo &amp; Bar</p>", "<p>\U0001F43B</p>"])
def test_clean_note_html_comes_back_unchanged(server: ZoteroServer, client: httpx2.Client,
                                              html: str) -> None:
    """note.test.js 'should save HTML', 'should save utf8mb4 note'."""
    saved = report(client, [note(html)])["successful"]["0"]["data"]
    assert saved["note"] == html
    assert get_data(client, saved["key"])["note"] == html


def test_sanitised_note_is_returned_and_a_resend_is_unchanged(server: ZoteroServer,
                                                              client: httpx2.Client) -> None:
    """note.test.js 'should save unchanged sanitized note' (`Zotero_Item::setNote` compares
    the cleaned texts); `Zotero_Item::toJSON` returns the cleaned text."""
    saved = report(client, [note("<span >Foo</span>")])["successful"]["0"]["data"]
    assert saved["note"] == "<p>Foo</p>"
    again = report(client, [saved])
    assert again["unchanged"] == {"0": saved["key"]} and not again["successful"]
    raw_again = report(client, [{**saved, "note": "<span >Foo</span>"}])
    assert raw_again["unchanged"] == {"0": saved["key"]}


def test_zotero_links_survive(server: ZoteroServer, client: httpx2.Client) -> None:
    """note.test.js 'should allow zotero links in notes'."""
    html = '<p><a href="zotero://select/library/items/ABCD2345">Test</a></p>'
    assert report(client, [note(html)])["successful"]["0"]["data"]["note"] == html


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["input"][:40])
def test_note_cleaning_matches_recorded_tinymce(case: dict[str, str]) -> None:
    """tinymce-clean-server lib/utils.js (TinyMCE 4.5.2 Parser + Serializer), outputs recorded
    from that library; its test/utils.test.js cases (newlines after p and list elements) are
    among them."""
    assert clean_note(case["input"]) == case["output"]


MARKERS = {
    "data attribute on a wrapper": ('<div data-zsync-note="n1"><p>Text</p></div>',
                                    '<div data-zsync-note="n1">\n<p>Text</p>\n</div>'),
    "comment": ("<p>Text</p><!-- zsync:n1 -->", "<p>Text</p>\n<!-- zsync:n1 -->"),
    "custom scheme link": ('<p><a href="zsync:note/n1">source</a></p>',
                           '<p><a href="zsync:note/n1">source</a></p>'),
    "empty span with data attribute": ('<p><span data-zsync="n1"></span>Text</p>',
                                       "<p>Text</p>"),
    "unknown attribute and script": ('<p onclick="x()" data-x="1">a</p><script>x()</script>',
                                     '<p data-x="1">a</p>'),
    "javascript link": ('<p><a href="javascript:alert(1)">a</a></p>', "<p><a>a</a></p>"),
}


@pytest.mark.parametrize("name", list(MARKERS))
def test_what_survives_in_a_note(server: ZoteroServer, client: httpx2.Client,
                                 name: str) -> None:
    """Which marker forms the cleaner keeps (TinyMCE schema: data-* pass, empty spans are
    removed, event attributes and scripts are not in the schema)."""
    sent, kept = MARKERS[name]
    saved = report(client, [note(sent)])["successful"]["0"]["data"]
    assert saved["note"] == kept
    assert get_data(client, saved["key"])["note"] == kept


NOTE_TOO_LONG = [
    ("", "1234567890123456789012345678901234567890123456789012345678901234567890123456789"),
    (" \n \n", "1234567890123456789012345678901234567890123456789012345678901234567890123456789"),
    ("\n<p>&nbsp;</p>\n<p>&nbsp;</p>\n",
     "1234567890123456789012345678901234567890123456789012345678901234567890123"),
    ("Full Text:\n\n",
     "Full Text: 1234567890123456789012345678901234567890123456789012345678901234567"),
]


@pytest.mark.parametrize(("prefix", "excerpt"), NOTE_TOO_LONG)
def test_note_over_500000_characters_fails_that_object_with_413(
        server: ZoteroServer, client: httpx2.Client, prefix: str, excerpt: str) -> None:
    """note.test.js 'should reject note that is too long' (and the blank first lines, HTML
    and title variants)."""
    body = report(client, [note(prefix + "1234567890" * 50001), book(title="fine")])
    assert body["failed"]["0"] == {"code": 413, "message": f"Note '{excerpt}...' too long"}
    assert body["successful"]["1"]["data"]["title"] == "fine"


def test_too_long_message_is_html_escaped(server: ZoteroServer, client: httpx2.Client) -> None:
    """note.test.js 'should reject note that is too long within HTML tags'
    (`Zotero_Results::generateReport` HTML-escapes failure messages)."""
    body = report(client, [note("&nbsp;\n<p><!-- " + "1234567890" * 50001 + " --></p>")])
    assert body["failed"]["0"]["message"] == (
        "Note '&lt;p&gt;&lt;!-- 1234567890123456789012345678901234567890123456789012345678901234"
        "...' too long")


def test_note_text_of_exactly_500000_characters_is_accepted(server: ZoteroServer,
                                                            client: httpx2.Client) -> None:
    """`Zotero_Notes::$MAX_NOTE_LENGTH` = 500000 (mb_strlen)."""
    body = report(client, [note("<p>" + "x" * (500000 - 7) + "</p>")])
    assert "0" in body["successful"]


# -- control characters and trimming ---------------------------------------------------------


def test_control_characters_are_stripped_and_strings_trimmed(server: ZoteroServer,
                                                             client: httpx2.Client) -> None:
    """ApiController::jsonDecode -> Zotero_Utilities::cleanStringRecursive (U+0000-U+001F but
    tab and LF, U+007F); Zotero_Item::setField and setTags (PHP trim); Zotero_Creator::__set
    (Unicode trim)."""
    sent = book(title="  A\x00 ti\x07tle\x1f \n", extra="line1\nline2\tx\r",
                creators=[{"creatorType": "author", "firstName": "\u00a0Ada\u200b ",
                           "lastName": " Lovelace\x0b"}],
                tags=[{"tag": " spaced\x01 "}, {"tag": "\x02"}])
    saved = report(client, [sent])["successful"]["0"]["data"]
    assert saved["title"] == "A title"
    assert saved["extra"] == "line1\nline2\tx"
    assert saved["creators"] == [{"creatorType": "author", "firstName": "Ada",
                                  "lastName": "Lovelace"}]
    assert saved["tags"] == [{"tag": "spaced"}]
    assert get_data(client, saved["key"]) == saved


def test_no_break_space_is_kept_in_fields(server: ZoteroServer, client: httpx2.Client) -> None:
    """PHP trim does not strip U+00A0 (item fields), unlike creators' Unicode trim."""
    saved = report(client, [book(title="\u00a0Title\u00a0")])["successful"]["0"]["data"]
    assert saved["title"] == "\u00a0Title\u00a0"


def test_whitespace_only_tag_is_ignored(server: ZoteroServer, client: httpx2.Client) -> None:
    """tag.test.js 'should ignore empty tag with whitespace'."""
    saved = report(client, [book(tags=[{"tag": "A"}, {"tag": " ", "type": 1}])])
    assert saved["successful"]["0"]["data"]["tags"] == [{"tag": "A"}]


def test_collection_name_is_trimmed_and_normalised(server: ZoteroServer,
                                                   client: httpx2.Client) -> None:
    """Zotero_DataObject::setField 'name': Normalizer::normalize(trim(value))."""
    saved = report(client, [{"name": " Cafe\u0301\x03 "}], COLLECTIONS)
    assert saved["successful"]["0"]["data"]["name"] == "Caf\u00e9"


def test_lastname_without_firstname_is_refused(server: ZoteroServer,
                                               client: httpx2.Client) -> None:
    """Zotero_Items::validateJSONItem: 'lastName' needs 'firstName' (and the reverse)."""
    body = report(client, [book(creators=[{"creatorType": "author", "lastName": "X"}])])
    assert body["failed"]["0"]["message"] == (
        "'firstName' creator field must be set if 'lastName' is set")


# -- length limits ------------------------------------------------------------------------------


def test_tag_over_255_characters(server: ZoteroServer, client: httpx2.Client) -> None:
    """tag.test.js 'should reject tag too long' (TagTest::testTagTooLong)."""
    tag = "t" * 256
    body = report(client, [book(tags=[{"tag": tag, "type": 1}]), book(tags=[{"tag": "t" * 255}])])
    assert body["failed"]["0"] == {"code": 413, "message": f"Tag '{'t' * 50}…' too long",
                                   "data": {"tag": tag}}
    assert "1" in body["successful"]


def test_creator_name_over_255_characters(server: ZoteroServer, client: httpx2.Client) -> None:
    """Zotero_Creator::save and Zotero_Errors::parseException (Z_ERROR_CREATOR_TOO_LONG)."""
    name = "N" * 256
    body = report(client, [book(creators=[{"creatorType": "author", "name": name}])])
    failed = body["failed"]["0"]
    assert failed["code"] == 413
    assert failed["message"].startswith(f"The creator name \u2018{'N' * 50}\u2026\u2026\u2019 is "
                                        "too long to sync.")
    assert failed["data"] == {"field": "creator", "value": "N" * 50 + "\u2026"}


def test_field_over_65535_bytes(server: ZoteroServer, client: httpx2.Client) -> None:
    """Zotero_Item::save (Z_ERROR_FIELD_TOO_LONG, 413 per object): the limit is in bytes."""
    key = "ABCD2345"
    body = report(client, [book(key=key, version=0, abstractNote="\u00e9" * 32768),
                           book(abstractNote="\u00e9" * 32767)])
    assert body["failed"]["0"] == {
        "key": key, "code": 413,
        "message": f"Abstract field value '{'é' * 50}…' too long for item '{USER}/{key}'",
        "data": {"field": "Abstract", "value": "\u00e9" * 50 + "\u2026"}}
    assert "1" in body["successful"]


def test_collection_name_over_255_characters(server: ZoteroServer,
                                             client: httpx2.Client) -> None:
    """collection.test.js 'should return 413 if collection name is too long'."""
    body = report(client, [{"name": "1" * 256}], COLLECTIONS)
    assert body["failed"]["0"]["code"] == 413


# -- versions -------------------------------------------------------------------------------------


def test_multi_object_post_checks_the_library_version(server: ZoteroServer,
                                                      client: httpx2.Client) -> None:
    """version.test.js 'should track multi object last modified version'."""
    report(client, [book(title="first")])
    version = int(client.get(f"{ITEMS}?limit=1").headers["Last-Modified-Version"])
    stale = post(client, [book()], **{"If-Unmodified-Since-Version": str(version - 1)})
    assert stale.status_code == 412
    assert server.app.version() == version
    fresh = post(client, [book()], **{"If-Unmodified-Since-Version": str(version)})
    assert fresh.status_code == 200
    assert int(fresh.headers["Last-Modified-Version"]) > version


@pytest.mark.parametrize("path", [ITEMS, COLLECTIONS])
def test_only_one_of_several_writes_from_one_version_goes_through(
        server: ZoteroServer, client: httpx2.Client, path: str) -> None:
    """version.test.js 'should reject all but one concurrent multi-object write'."""
    report(client, [{"name": "seed"} if path == COLLECTIONS else book()], path)
    version = client.get(f"{path}?limit=1").headers["Last-Modified-Version"]
    statuses = [post(client, [{"name": f"c{i}"} if path == COLLECTIONS else book(title=f"{i}")],
                     path, **{"If-Unmodified-Since-Version": version}).status_code
                for i in range(4)]
    assert sorted(statuses) == [200, 412, 412, 412]


def test_collection_change_keeps_date_modified(server: ZoteroServer,
                                               client: httpx2.Client) -> None:
    """ItemTest::testDateModifiedCollectionChange."""
    collection = report(client, [{"name": "Test"}], COLLECTIONS)["success"]["0"]
    saved = report(client, [book(title="Test")])["successful"]["0"]["data"]
    server.app.library().items[saved["key"]].data["dateModified"] = "2020-01-01T00:00:00Z"
    saved["dateModified"] = "2020-01-01T00:00:00Z"
    report(client, [{**saved, "collections": [collection]}])
    assert get_data(client, saved["key"])["dateModified"] == "2020-01-01T00:00:00Z"


# -- relations -----------------------------------------------------------------------------------


def uri(key: str) -> str:
    return f"http://zotero.org/users/{USER}/items/{key}"


def test_related_items_are_two_way(server: ZoteroServer, client: httpx2.Client) -> None:
    """relation.test.js 'should create bidirectional related item relations'."""
    same_as = {"owl:sameAs": "http://zotero.org/groups/1/items/AAAAAAAA"}
    item1 = report(client, [book(relations=same_as)])["successful"]["0"]["data"]
    item2 = report(client, [book()])["successful"]["0"]["data"]
    relations = {**same_as, "dc:relation": uri(item2["key"])}
    response = client.put(f"{ITEMS}/{item1['key']}", json={**item1, "relations": relations})
    assert response.status_code == 204
    assert get_data(client, item1["key"])["relations"] == relations
    item2 = get_data(client, item2["key"])
    assert item2["relations"] == {"dc:relation": uri(item1["key"])}
    response = client.put(f"{ITEMS}/{item2['key']}", json=item2)
    assert response.status_code == 204
    assert int(response.headers["Last-Modified-Version"]) == item2["version"]


def test_related_items_in_one_request(server: ZoteroServer, client: httpx2.Client) -> None:
    """relation.test.js 'should create bidirectional related item relations in single
    request'."""
    first, second = "AAAA2222", "BBBB3333"
    report(client, [book(key=first, version=0, relations={"dc:relation": uri(second)}),
                    book(key=second, version=0)])
    assert get_data(client, first)["relations"] == {"dc:relation": uri(second)}
    assert get_data(client, second)["relations"] == {"dc:relation": uri(first)}


def test_circular_relations_leave_the_second_unchanged(server: ZoteroServer,
                                                       client: httpx2.Client) -> None:
    """relation.test.js 'should handle circular item relations'."""
    body = report(client, [book(), book()])
    one, two = body["successful"]["0"]["data"], body["successful"]["1"]["data"]
    one["relations"] = {"dc:relation": uri(two["key"])}
    two["relations"] = {"dc:relation": uri(one["key"])}
    result = report(client, [one, two])
    assert "0" in result["successful"] and result["unchanged"] == {"1": two["key"]}


def test_several_objects_of_a_predicate_are_a_list(server: ZoteroServer,
                                                   client: httpx2.Client) -> None:
    """relation.test.js 'should remove a URL from a relation with PATCH': one object is a
    string, several a list."""
    both = [uri("AAAAAAAA"), uri("BBBBBBBB")]
    saved = report(client, [book(relations={"dc:replaces": both})])["successful"]["0"]["data"]
    assert saved["relations"] == {"dc:replaces": both}
    response = client.patch(f"{ITEMS}/{saved['key']}",
                            json={"version": saved["version"],
                                  "relations": {"dc:replaces": both[:1]}})
    assert response.status_code == 204
    assert get_data(client, saved["key"])["relations"] == {"dc:replaces": both[0]}


# -- trashed collections -----------------------------------------------------------------------


def test_trashed_collections_are_listed_with_deleted_true(server: ZoteroServer,
                                                          client: httpx2.Client) -> None:
    """Zotero_Collections::search has no trash condition; Zotero_Collection::toJSON adds
    `deleted: true`."""
    body = report(client, [{"name": "Status"}, {"name": "Kept"}], COLLECTIONS)
    trashed = body["successful"]["0"]["data"]
    response = client.patch(f"{COLLECTIONS}/{trashed['key']}",
                            json={"version": trashed["version"], "deleted": True})
    assert response.status_code == 204
    listed = {c["key"]: c["data"] for c in client.get(COLLECTIONS).json()}
    assert listed[trashed["key"]]["deleted"] is True
    assert "deleted" not in listed[body["success"]["1"]]
    top = {c["key"] for c in client.get(f"{COLLECTIONS}/top").json()}
    assert trashed["key"] in top
