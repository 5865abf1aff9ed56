"""`zsync dedupe --library`: the clusters already in Zotero, and merging them as Zotero does."""

from __future__ import annotations

import json
from typing import Any

from tests.dedupe.env import URI, DedupeEnv
from tests.servers.zotero import on
from zsync.dedupe.mergewrites import Write
from zsync.state.store import Origin, StateStore


def clusters_by_keys(report: dict[str, Any]) -> dict[frozenset[str], dict[str, Any]]:
    return {frozenset(c["keys"]): c for c in report["clusters"]}


def report_of(world: DedupeEnv, *args: str) -> dict[str, Any]:
    result = world.cli("dedupe", "--library", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_clusters_are_found_with_their_rule_and_lookalikes_stay_apart(world: DedupeEnv) -> None:
    s = world.seed_library()
    report = report_of(world)
    found = clusters_by_keys(report)
    deep = found.pop(frozenset({s["deep_old"], s["deep_new"]}))
    wheel = found.pop(frozenset({s["wheel_a"], s["wheel_b"]}))
    assert not found  # the book, the two parts and the preprint are in no cluster
    assert [(m["rule"], m["evidence"]) for m in deep["matches"]] == [
        ("same DOI", "10.1038/nature14539")]  # one in DOI, one in extra
    [fuzzy] = wheel["matches"]
    assert fuzzy["rule"] == "title, year and creator" and "Michie" in fuzzy["evidence"]
    # Numbered by their master's dateAdded; the master is the oldest item.
    assert [c["master"] for c in report["clusters"]] == [s["wheel_a"], s["deep_old"]]
    assert [c["number"] for c in report["clusters"]] == [1, 2]
    [related] = report["related"]
    assert {related["a"]["key"], related["b"]["key"]} == {s["bert_pre"], s["bert_pub"]}
    assert related["rule"] == "preprint and published version"


def test_json_report_shape(world: DedupeEnv) -> None:
    s = world.seed_library()
    report = report_of(world)
    assert {k: report[k] for k in ("command", "scope", "mode", "library")} == {
        "command": "dedupe", "scope": "library", "mode": "report", "library": "users/1"}
    assert "oldest dateAdded" in report["master_rule"]
    assert report["summary"] == {
        "items": 10, "clusters": 2, "duplicates": 2, "related": 1, "not_duplicates": 0,
        "merged": 0, "partial": 0, "skipped": 0, "failed": 0, "refused": 0, "planned": 0}
    deep = clusters_by_keys(report)[frozenset({s["deep_old"], s["deep_new"]})]
    assert set(deep) == {"number", "master", "keys", "items", "matches", "merge"}
    assert deep["merge"] is None
    old, new = deep["items"]
    assert (old["key"], old["master"], new["key"], new["master"]) == (
        s["deep_old"], True, s["deep_new"], False)
    assert {k: old[k] for k in ("title", "year", "item_type")} == {
        "title": "Deep learning", "year": 2015, "item_type": "journalArticle"}
    assert new["identifiers"] == {"doi": ["10.1038/nature14539"]} and new["notes"] == 1
    assert set(deep["matches"][0]) == {"a", "b", "rule", "evidence"}


def test_terminal_and_markdown_reports(world: DedupeEnv) -> None:
    s = world.seed_library()
    shown = world.cli("dedupe", "--library")
    assert shown.exit_code == 0, shown.output
    assert "Cluster 2: 2 items, keep " + s["deep_old"] in shown.output
    assert "same DOI: 10.1038/nature14539" in shown.output
    assert "2 duplicate clusters" in shown.output.splitlines()[-1]
    path = world.tmp / "out" / "dupes.md"
    written = world.cli("dedupe", "--library", "--report", str(path))
    assert written.exit_code == 0, written.output
    page = path.read_text(encoding="utf-8")
    assert page.startswith("# Duplicates: library users/1")
    assert f"## Cluster 1: keep `{s['wheel_a']}`" in page and "**same DOI**" in page
    assert world.cli("dedupe", "--library", "--detailed-exitcode").exit_code == 3


def test_a_dry_run_merge_writes_nothing_and_shows_every_write(world: DedupeEnv) -> None:
    s = world.seed_library()
    before = world.zotero.app.items()
    world.zotero.reset_log()
    result = world.cli("dedupe", "--library", "--merge", "--format", "json",
                       "--detailed-exitcode")
    assert result.exit_code == 3, result.output
    assert world.writes() == [] and world.zotero.app.items() == before
    report = json.loads(result.stdout)
    assert report["mode"] == "dry-run" and report["summary"]["planned"] == 2
    merge = clusters_by_keys(report)[frozenset({s["deep_old"], s["deep_new"]})]["merge"]
    assert merge["status"] == "planned"
    steps = [(w["step"], w["key"]) for w in merge["writes"]]
    assert steps == [("master", s["deep_old"]), ("move", s["note"]),
                     ("relation", s["friend"]), ("trash", s["deep_new"])]
    master, move, relation, trash = (w["payload"] for w in merge["writes"])
    assert master["version"] == before[s["deep_old"]]["version"]
    assert (master["volume"], master["pages"]) == ("521", "436-444")
    assert master["relations"]["dc:replaces"] == URI + s["deep_new"]
    assert move == {"key": s["note"], "version": before[s["note"]]["version"],
                    "parentItem": s["deep_old"]}
    assert relation["relations"] == {"dc:relation": URI + s["deep_old"]}
    assert trash == {"key": s["deep_new"], "version": before[s["deep_new"]]["version"],
                     "deleted": 1}


def test_apply_merges_into_the_oldest_item_and_trashes_the_others(world: DedupeEnv) -> None:
    s = world.seed_library()
    world.zotero.reset_log()
    result = world.cli("dedupe", "--library", "--merge", "--apply")
    assert result.exit_code == 0, result.output
    assert "2 merged" in result.output.splitlines()[-1]
    assert {r.method for r in world.writes()} == {"POST"}  # versioned updates, no DELETE
    assert world.zotero.app.deleted_log()["items"] == {}
    master, other = world.item(s["deep_old"]), world.item(s["deep_new"])
    assert {t["tag"] for t in master["tags"]} == {"ml", "neural networks"}
    assert set(master["collections"]) == set(s.collections.values())
    assert (master["volume"], master["pages"], master["title"]) == ("521", "436-444",
                                                                     "Deep learning")
    assert master["relations"]["dc:replaces"] == URI + s["deep_new"]
    assert master["relations"]["dc:relation"] == URI + s["friend"]
    assert world.item(s["note"])["parentItem"] == s["deep_old"]
    # As Zotero shows it (dc:relation is two-way): related to the master, not to the copy
    assert world.shown_relations(s["friend"]) == {"dc:relation": URI + s["deep_old"]}
    assert other["deleted"] == 1 and world.item(s["wheel_b"])["deleted"] == 1
    for key in ("deep_book", "part1", "part2", "bert_pre", "bert_pub", "wheel_a"):
        assert not world.item(s[key]).get("deleted"), key
    again = world.cli("dedupe", "--library", "--merge", "--detailed-exitcode")
    assert again.exit_code == 0 and "0 duplicate clusters" in again.output


def test_one_cluster_by_number_or_key(world: DedupeEnv) -> None:
    s = world.seed_library()
    result = world.cli("dedupe", "--library", "--merge", "--apply", "--cluster", "2")
    assert result.exit_code == 0, result.output
    assert world.item(s["deep_new"])["deleted"] == 1
    assert not world.item(s["wheel_b"]).get("deleted")
    by_key = world.cli("dedupe", "--library", "--merge", "--apply", "--cluster",
                       s["wheel_b"].lower())
    assert by_key.exit_code == 0, by_key.output
    assert world.item(s["wheel_b"])["deleted"] == 1
    unknown = world.cli("dedupe", "--library", "--merge", "--cluster", "7")
    assert unknown.exit_code == 2 and "no duplicate cluster" in unknown.output


def test_a_concurrent_edit_of_the_master_skips_its_cluster(world: DedupeEnv) -> None:
    s = world.seed_library()
    seen: list[int] = []

    def user_edits(number: int, writes: list[Write]) -> None:
        seen.append(number)
        if number == 1:  # the user retitles the master between our read and our write
            world.zotero.app.edit_item(None, s["wheel_a"], {"title": "BCW (edited)"})

    result = world.run(merge=True, apply=True, before_writes=user_edits)
    assert seen == [1, 2] and result.failed == 1
    wheel, deep = result.report["clusters"]
    assert wheel["merge"]["status"] == "skipped"
    assert "412" in wheel["merge"]["message"] and "nothing was written" in wheel["merge"]["message"]
    assert [w["status"] for w in wheel["merge"]["writes"]] == ["needs_replan", "not sent"]
    assert world.item(s["wheel_a"])["title"] == "BCW (edited)"  # the user's edit stands
    assert not world.item(s["wheel_b"]).get("deleted")
    assert "frameworks" not in {t["tag"] for t in world.item(s["wheel_a"])["tags"]}
    assert deep["merge"]["status"] == "merged"
    assert world.item(s["deep_new"])["deleted"] == 1


def test_a_concurrent_edit_of_a_note_keeps_its_item_out_of_the_trash(world: DedupeEnv) -> None:
    s = world.seed_library()

    def user_edits(number: int, writes: list[Write]) -> None:
        if number == 2:
            world.zotero.app.edit_item(None, s["note"], {"note": "<p>edited meanwhile</p>"})

    result = world.run(merge=True, apply=True, cluster="2", before_writes=user_edits)
    [merge] = [c["merge"] for c in result.report["clusters"] if c["merge"]]
    assert merge["status"] == "partial" and result.failed == 1
    assert s["deep_new"] in merge["message"] and "run again" in merge["message"]
    statuses = {w["step"]: w["status"] for w in merge["writes"]}
    assert statuses == {"master": "updated", "move": "needs_replan", "relation": "updated",
                        "trash": "not sent"}
    note = world.item(s["note"])
    assert note["parentItem"] == s["deep_new"] and "edited meanwhile" in note["note"]
    assert not world.item(s["deep_new"]).get("deleted")  # an extra copy, no lost note
    # Run again: the cluster is found again and finished.
    again = world.cli("dedupe", "--library", "--merge", "--apply")
    assert again.exit_code == 0, again.output
    assert world.item(s["note"])["parentItem"] == s["deep_old"]
    assert world.item(s["deep_new"])["deleted"] == 1


def test_items_of_different_types_are_reported_not_merged(world: DedupeEnv) -> None:
    doi = "10.5555/12345678"
    old = world.seed({"itemType": "journalArticle", "title": "A study", "DOI": doi,
                      "dateAdded": "2019-01-01T00:00:00Z"})
    new = world.seed({"itemType": "report", "title": "A study", "extra": f"DOI: {doi}",
                      "dateAdded": "2020-01-01T00:00:00Z"})
    result = world.cli("dedupe", "--library", "--merge", "--apply", "--format", "json")
    assert result.exit_code == 1
    [cluster] = json.loads(result.stdout)["clusters"]
    assert cluster["merge"]["status"] == "refused" and "different types" in \
        cluster["merge"]["message"]
    assert not world.item(new).get("deleted") and not world.item(old).get("deleted")



def test_unconfirmed_writes_stop_the_merge_and_the_next_run_finishes_it(
        world: DedupeEnv) -> None:
    s = world.seed_library()
    world.zotero.fail_next(503, times=20, match=on("POST", "/users/1/items"))
    result = world.run(merge=True, apply=True)
    first, second = (c["merge"] for c in result.report["clusters"])
    assert result.failed == 2
    assert first["status"] == "failed" and "did not confirm" in first["message"]
    assert second["status"] == "failed" and second["message"].startswith("not attempted")
    assert not world.item(s["wheel_b"]).get("deleted")
    assert not world.item(s["deep_new"]).get("deleted")
    world.zotero.faults.clear()
    again = world.cli("dedupe", "--library", "--merge", "--apply")
    assert again.exit_code == 0, again.output
    assert world.item(s["wheel_b"])["deleted"] == 1 and world.item(s["deep_new"])["deleted"] == 1
    assert "frameworks" in {t["tag"] for t in world.item(s["wheel_a"])["tags"]}


def test_notes_synced_to_a_merged_copy_now_point_at_the_master(world: DedupeEnv) -> None:
    s = world.seed_library()
    with StateStore.open(world.state_path) as store:
        store.select_library("users/1")
        store.origins.add(Origin(s["deep_new"], "notes/lecun.md", 3, "markdown",
                                 {"identity": "doi:10.1038/nature14539"}))
    assert world.cli("dedupe", "--library", "--merge", "--apply").exit_code == 0
    with StateStore.open(world.state_path) as store:
        store.select_library("users/1")
        assert [o.path for o in store.origins.for_item(s["deep_old"])] == ["notes/lecun.md"]
        assert store.origins.for_item(s["deep_new"]) == []
        written = store.written.get(s["deep_old"])
        assert written is not None and written.data["tags"] == []  # the user's tags, not ours
