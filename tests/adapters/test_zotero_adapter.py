"""The Zotero adapter against the local API emulator: client set-up, mirror refresh (request
counts read from the server's log), deletions, pagination, groups and the key check."""

from __future__ import annotations

from typing import Any

import pytest

from tests.adapters.zotero_env import FAST, GROUP, KEY, USER, api_for, settings
from tests.servers.zotero import ZoteroServer
from zsync.config.settings import load
from zsync.state.store import StateStore
from zsync.zotero.api import ZoteroSetupError, base_url, key_check, make_api, refresh_mirror

OTHER_GROUP = 12


def article(i: int, **extra: Any) -> dict[str, Any]:
    return {"itemType": "journalArticle", "title": f"Paper {i}",
            "creators": [{"creatorType": "author", "firstName": "A", "lastName": f"B{i}"}],
            **extra}


# -- client ---------------------------------------------------------------------------------


def test_requests_name_zsync_and_carry_the_key_only_in_a_header(server: ZoteroServer) -> None:
    api_for(server).library_version()
    [request] = server.log
    assert request.headers["user-agent"].startswith("zsync/")
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert KEY not in request.target


def test_base_url_local_and_web() -> None:
    assert base_url(load(path=None, env={}, overrides={"zotero.local": True})) == (
        "http://localhost:23119/api")
    assert base_url(load(path=None, env={})) == "https://api.zotero.org"


def test_missing_settings_are_named(server: ZoteroServer) -> None:
    with pytest.raises(ZoteroSetupError, match="library_id"):
        make_api(settings(server, **{"zotero.library_id": ""}))
    with pytest.raises(ZoteroSetupError, match="api_key"):
        make_api(settings(server, **{"zotero.api_key": ""}))


# -- mirror ---------------------------------------------------------------------------------


def test_first_refresh_fetches_everything_and_a_rerun_costs_one_request(
        server: ZoteroServer, store: StateStore) -> None:
    for i in range(120):
        server.app.seed_item(article(i))
    server.app.seed_collection("Status")
    api = api_for(server)
    stats = refresh_mirror(api, store)
    assert stats.items_fetched == 120 and stats.collections_fetched == 1
    assert len(store.mirror.items()) == 120
    assert store.mirror.library_version() == server.app.version()
    # version check, item versions, collection versions, the deletion log (a new mirror must
    # know what was deleted), 3 chunks of 50 items, 1 of collections
    assert len(server.log) == 8
    assert all(len(r.target.split("itemKey=")[-1].split("&")[0].split("%2C")) <= 50
               for r in server.log if "itemKey=" in r.target)

    server.reset_log()
    again = refresh_mirror(api, store)
    assert again.unchanged
    assert len(server.log) == 1 <= 2


def test_changes_and_deletions_since_the_last_refresh(
        server: ZoteroServer, store: StateStore) -> None:
    keys = [server.app.seed_item(article(i)) for i in range(5)]
    coll = server.app.seed_collection("Old")
    api = api_for(server)
    refresh_mirror(api, store)
    server.app.edit_item(None, keys[0], {"title": "Edited elsewhere"})
    server.app.delete_remotely(None, keys[1])
    server.app.delete_remotely(None, coll, "collections")
    server.app.edit_item(None, keys[2], {"deleted": 1})  # to the trash
    server.reset_log()
    stats = refresh_mirror(api, store)
    assert (stats.items_fetched, stats.items_deleted, stats.collections_deleted) == (2, 1, 1)
    # version check, item versions, collection versions, /deleted, one fetch
    assert len(server.log) == 5
    edited = store.mirror.get_item(keys[0])
    assert edited is not None and edited.data["title"] == "Edited elsewhere"
    gone = store.mirror.get_item(keys[1])
    assert gone is not None and gone.deleted
    trashed = store.mirror.get_item(keys[2])
    assert trashed is not None and trashed.trashed and not trashed.deleted
    assert store.mirror.collections() == []
    assert store.mirror.library_version() == server.app.version()


def test_a_library_reset_on_the_server_triggers_a_full_resync(
        server: ZoteroServer, store: StateStore) -> None:
    keys = [server.app.seed_item(article(i)) for i in range(3)]
    api = api_for(server)
    refresh_mirror(api, store)
    store.mirror.set_library_version(10_000)  # as if the server's library went backwards
    server.app.delete_remotely(None, keys[0])
    stats = refresh_mirror(api, store)
    assert stats.full and stats.items_deleted == 1
    assert {i.key for i in store.mirror.items()} == set(keys[1:])


def test_transient_read_failures_are_retried(server: ZoteroServer, store: StateStore) -> None:
    server.app.seed_item(article(1))
    server.fail_next(503, retry_after="0")
    server.drop_next(after_commit=False)
    refresh_mirror(api_for(server), store)
    assert len(store.mirror.items()) == 1
    assert [status for _m, status in server.statuses()][:3] == [503, None, 200]


def test_group_library_is_mirrored_separately(server: ZoteroServer, store: StateStore) -> None:
    server.app.seed_item(article(1), ref=f"groups/{GROUP}")
    server.app.seed_item(article(2))
    api = api_for(server, **{"zotero.library_type": "group", "zotero.library_id": str(GROUP)})
    refresh_mirror(api, store)
    assert [i.data["title"] for i in store.mirror.items()] == ["Paper 1"]
    assert all(f"/groups/{GROUP}/" in r.target for r in server.log)


# -- key check ------------------------------------------------------------------------------


def test_key_check_reports_what_the_key_may_do(server: ZoteroServer) -> None:
    server.app.add_group(OTHER_GROUP, owner=USER)
    server.app.add_key("readOnlyKey123456", USER, write=False,
                       groups={str(GROUP): {"library": True, "write": False}})
    assert key_check(api_for(server)).ok
    group = key_check(api_for(server, **{"zotero.library_type": "group",
                                         "zotero.library_id": str(GROUP)}))
    assert group.ok
    read_only = key_check(api_for(server, **{"zotero.api_key": "readOnlyKey123456"}))
    assert (read_only.key_valid, read_only.can_read, read_only.can_write) == (True, True, False)
    unknown = key_check(api_for(server, **{"zotero.api_key": "noSuchKey12345678"}))
    assert not unknown.key_valid and "does not know" in unknown.message
    other = key_check(api_for(server, **{"zotero.library_type": "group",
                                         "zotero.library_id": str(OTHER_GROUP)}))
    assert other.key_valid and not other.can_read
    wrong_user = key_check(api_for(server, **{"zotero.library_id": "77"}))
    assert not wrong_user.can_read and "not 77" in wrong_user.message
    for request in server.log:
        assert "Key" not in request.target.replace("/keys/current", "")


def test_key_check_when_zotero_is_unreachable() -> None:
    config = load(path=None, env={}, overrides={
        "zotero.api_key": KEY, "zotero.library_id": "1", "zotero.api_url": "http://127.0.0.1:9"})
    result = key_check(make_api(config, policy=FAST))
    assert not result.reachable and "connect" in result.message
