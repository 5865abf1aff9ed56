"""Writes against the emulator: batching, per-object reports, updates that meet another
client's edits, collections, group libraries."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.zotero_env import GROUP, KEY, api_for, article, posts, titles
from tests.servers.zotero import ZoteroServer, on
from zsync.state.store import StateStore
from zsync.zotero.api import PlannedWrite, WriteExecutor, ensure_collections, refresh_mirror

# -- batches and reports ---------------------------------------------------------------------


def test_120_creates_go_in_3_requests_with_client_keys(server: ZoteroServer,
                                                       store: StateStore) -> None:
    result = WriteExecutor(api_for(server), store, run_id=1).apply(
        [PlannedWrite(article(i), fingerprint=f"fp{i}", ref=f"r{i}") for i in range(120)],
        "create")
    assert len(posts(server)) == 3 == result.batches
    assert [o.status for o in result.outcomes] == ["created"] * 120
    library = server.app.items()
    assert len(library) == 120
    assert {o.key for o in result.outcomes} == set(library)
    for o in result.outcomes:  # each object's own version (per-object bumps)
        mirrored = store.mirror.get_item(o.key)
        assert mirrored is not None and mirrored.version == o.version == library[o.key]["version"]
    written = store.written.get(result.outcomes[7].key)
    assert written is not None and written.fingerprint == "fp7"
    assert written.data["title"] == "Paper 7" and "version" not in written.data
    assert store.intents.pending() == []


def test_refresh_after_own_writes_fetches_nothing_again(server: ZoteroServer,
                                                       store: StateStore) -> None:
    api = api_for(server)
    refresh_mirror(api, store)  # empty library: 3 requests
    server.reset_log()
    assert refresh_mirror(api, store).unchanged and len(server.log) == 1
    WriteExecutor(api, store).apply([article(i) for i in range(60)], "create")
    server.reset_log()
    stats = refresh_mirror(api, store)
    # Every version since the last refresh went to zsync's own objects, which the writes
    # put in the mirror: the mirror's version moved with them, so only the version check.
    assert (stats.items_fetched, len(server.log)) == (0, 1)
    assert store.mirror.library_version() == server.app.version()


@pytest.mark.parametrize("mode", ["per_object", "per_request"])
def test_another_clients_edit_during_own_writes_is_still_fetched(
        server: ZoteroServer, store: StateStore, mode: str) -> None:
    server.app.set_version_mode(mode)
    theirs = server.app.seed_item(article(0))
    api = api_for(server)
    refresh_mirror(api, store)
    # Another client's edit lands after the refresh, before zsync's write.
    server.app.edit_item(None, theirs, {"title": "Edited elsewhere"})
    WriteExecutor(api, store).apply([article(i) for i in range(1, 4)], "create")
    assert store.mirror.library_version() < server.app.version()  # not skipped over
    server.reset_log()
    stats = refresh_mirror(api, store)
    assert stats.items_fetched == 1
    mirrored = store.mirror.get_item(theirs)
    assert mirrored is not None and mirrored.data["title"] == "Edited elsewhere"
    assert store.mirror.library_version() == server.app.version()


def test_own_writes_in_per_request_mode_also_move_the_mirror_version(
        server: ZoteroServer, store: StateStore) -> None:
    server.app.set_version_mode("per_request")
    api = api_for(server)
    refresh_mirror(api, store)
    WriteExecutor(api, store).apply([article(i) for i in range(60)], "create")
    assert store.mirror.library_version() == server.app.version()
    server.reset_log()
    assert refresh_mirror(api, store).unchanged and len(server.log) == 1


def test_api_key_never_reaches_state_or_logs(server: ZoteroServer, state_path: Path,
                                             store: StateStore,
                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    server.fail_next(503, retry_after="0", match=on("POST", "/items"))
    run = store.runs.start()
    WriteExecutor(api_for(server), store, run).apply([article(1)], "create")
    store.runs.finish(run, "ok", {"created": 1})
    assert "trying again" in caplog.text and KEY not in caplog.text
    files = [p for p in state_path.parent.iterdir() if p.name.startswith(state_path.name)]
    assert files and all(KEY.encode() not in p.read_bytes() for p in files)


def test_failures_are_reported_per_object_and_the_rest_applies(server: ZoteroServer,
                                                               store: StateStore) -> None:
    bad = {"itemType": "book", "title": "A book", "publicationTitle": "not for books"}
    result = WriteExecutor(api_for(server), store).apply([article(1), bad, article(3)], "create")
    statuses = [(o.status, o.code) for o in result.outcomes]
    assert statuses == [("created", None), ("failed", 400), ("created", None)]
    assert "publicationTitle" in result.outcomes[1].message
    assert titles(server) == ["Paper 1", "Paper 3"]
    assert not result.ok


def test_children_go_after_their_parents_and_orphans_are_not_sent(server: ZoteroServer,
                                                                 store: StateStore) -> None:
    executor = WriteExecutor(api_for(server), store)
    parent = executor.new_key()
    note = {"itemType": "note", "note": "<p>my note</p>", "parentItem": parent}
    result = executor.apply([note, {**article(1), "key": parent}], "create")
    assert [o.status for o in result.outcomes] == ["created", "created"]
    assert result.outcomes[0].key == parent
    library = server.app.items()
    child = next(i for i in library.values() if i["itemType"] == "note")
    assert child["parentItem"] == parent
    bad_parent = executor.new_key()
    orphan = {"itemType": "note", "note": "x", "parentItem": bad_parent}
    many = [{**article(i)} for i in range(49)] + [{"key": bad_parent, "itemType": "nope"}]
    result = executor.apply([*many, orphan], "create")
    assert [o.status for o in result.outcomes[-2:]] == ["failed", "failed"]
    assert result.outcomes[-1].message == f"not sent: its parent {bad_parent} was not written"
    assert len(posts(server)) == 2  # the orphan's batch was never sent


# -- updates and conflicts ---------------------------------------------------------------------


def test_update_after_another_clients_edit_needs_replan_and_keeps_their_edit(
        server: ZoteroServer, store: StateStore) -> None:
    api = api_for(server)
    executor = WriteExecutor(api, store)
    [made] = executor.apply([article(1)], "create").outcomes
    server.app.edit_item(None, made.key, {"title": "The user's title"})
    update = {"key": made.key, "version": made.version, "title": "zsync's title"}
    [outcome] = executor.apply([update], "update").outcomes
    assert outcome.status == "needs_replan" and outcome.code == 412
    assert outcome.current is not None and outcome.current["title"] == "The user's title"
    assert server.app.items()[made.key]["title"] == "The user's title"
    mirrored = store.mirror.get_item(made.key)
    assert mirrored is not None and mirrored.data["title"] == "The user's title"
    written = store.written.get(made.key)
    assert written is not None and written.data["title"] == "Paper 1"


def test_update_uses_mirror_version_and_patch_semantics(server: ZoteroServer,
                                                        store: StateStore) -> None:
    executor = WriteExecutor(api_for(server), store)
    [made] = executor.apply([article(1, DOI="10.1/x")], "create").outcomes
    [done] = executor.apply([{"key": made.key, "title": "New title"}], "update").outcomes
    assert done.status == "updated" and done.version is not None
    stored = server.app.items()[made.key]
    assert (stored["title"], stored["DOI"]) == ("New title", "10.1/x")
    [same] = executor.apply([{"key": made.key, "title": "New title"}], "update").outcomes
    assert same.status == "unchanged"


def test_update_resent_after_a_dropped_answer_counts_as_applied(server: ZoteroServer,
                                                               store: StateStore) -> None:
    executor = WriteExecutor(api_for(server), store)
    [made] = executor.apply([article(1)], "create").outcomes
    server.drop_next(after_commit=True, match=on("POST", "/items"))
    [done] = executor.apply([{"key": made.key, "title": "Changed"}], "update").outcomes
    assert done.status == "updated" and "earlier attempt" in done.message


def test_update_of_an_item_deleted_in_zotero_needs_replan(server: ZoteroServer,
                                                          store: StateStore) -> None:
    executor = WriteExecutor(api_for(server), store)
    [made] = executor.apply([article(1)], "create").outcomes
    server.app.delete_remotely(None, made.key)
    [outcome] = executor.apply([{"key": made.key, "title": "x"}], "update").outcomes
    assert outcome.status == "needs_replan" and outcome.code == 404
    mirrored = store.mirror.get_item(made.key)
    assert mirrored is not None and mirrored.deleted
    assert server.app.items() == {}


# -- collections, groups -----------------------------------------------------------------------


def test_status_collections_are_created_once(server: ZoteroServer, store: StateStore) -> None:
    existing = server.app.seed_collection("Status")
    api = api_for(server)
    refresh_mirror(api, store)
    executor = WriteExecutor(api, store)
    paths = [("Status", "New"), ("Status", "Reading"), ("Inbox",)]
    keys = ensure_collections(executor, paths)
    assert keys[("Status",)] == existing
    assert len(posts(server, "/collections")) == 1
    colls = server.app.collections()
    assert len(colls) == 4
    assert colls[keys[("Status", "New")]]["parentCollection"] == existing
    server.reset_log()
    assert ensure_collections(executor, paths) == keys
    assert posts(server, "/collections") == []


def test_group_library_writes(server: ZoteroServer, store: StateStore) -> None:
    api = api_for(server, **{"zotero.library_type": "group", "zotero.library_id": str(GROUP)})
    result = WriteExecutor(api, store).apply([article(1)], "create")
    assert [o.status for o in result.outcomes] == ["created"]
    assert titles(server, f"groups/{GROUP}") == ["Paper 1"]
    assert server.app.items() == {}
