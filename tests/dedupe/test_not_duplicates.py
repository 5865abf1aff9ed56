"""The "not duplicates" list: edited from the command line, honoured by the report."""

from __future__ import annotations

import json

import pytest

from tests.dedupe.env import DedupeEnv
from zsync.dedupe.pairs import DedupeSetupError, identity_of
from zsync.zotero.memory import decode, split_extra


def test_a_listed_pair_is_hidden_from_the_report_until_forgotten(world: DedupeEnv) -> None:
    s = world.seed_library()
    added = world.cli("dedupe", "--not-duplicate", s["wheel_b"].lower(), s["wheel_a"])
    assert added.exit_code == 0, added.output
    assert "added to the not-duplicates list" in added.output
    again = world.cli("dedupe", "--not-duplicate", s["wheel_a"], s["wheel_b"])
    assert "already on" in again.output

    report = json.loads(world.cli("dedupe", "--library", "--format", "json").stdout)
    assert [set(c["keys"]) for c in report["clusters"]] == [{s["deep_old"], s["deep_new"]}]
    assert report["summary"]["not_duplicates"] == 1
    merged = world.cli("dedupe", "--library", "--merge", "--apply")
    assert merged.exit_code == 0 and not world.item(s["wheel_b"]).get("deleted")

    listed = world.cli("dedupe", "--list-not-duplicates", "--format", "json")
    [pair] = json.loads(listed.stdout)
    assert {pair["a"], pair["b"]} == {s["wheel_a"], s["wheel_b"]}
    assert pair["a_item"]["title"].lower().startswith("the behaviour change wheel")
    shown = world.cli("dedupe", "--list-not-duplicates")
    assert "1 pair(s)" in shown.output and s["wheel_a"] in shown.output

    forgot = world.cli("dedupe", "--forget-not-duplicate", s["wheel_a"], s["wheel_b"])
    assert forgot.exit_code == 0, forgot.output
    report = json.loads(world.cli("dedupe", "--library", "--format", "json").stdout)
    assert {s["wheel_a"], s["wheel_b"]} in [set(c["keys"]) for c in report["clusters"]]
    missing = world.cli("dedupe", "--forget-not-duplicate", s["wheel_a"], s["wheel_b"])
    assert missing.exit_code == 2 and "not on the not-duplicates list" in missing.output


def test_pairs_of_work_identities_and_unknown_keys(world: DedupeEnv) -> None:
    added = world.cli("dedupe", "--not-duplicate", "10.1038/NATURE14539", "PMID:26017442")
    assert added.exit_code == 0, added.output
    assert "doi:10.1038/nature14539 / pmid:26017442" in added.output
    unknown = world.cli("dedupe", "--not-duplicate", "ABCD2345", "doi:10.1234/x")
    assert unknown.exit_code == 0 and "not in the library mirror" in unknown.output
    same = world.cli("dedupe", "--not-duplicate", "abcd2345", "ABCD2345")
    assert same.exit_code == 2 and "two different" in same.output
    assert world.cli("dedupe", "--not-duplicate", "only-one").exit_code == 2
    no_account = world.cli("dedupe", "--list-not-duplicates", ZOTERO_LIBRARY_ID="",
                           ZOTERO_API_KEY="")
    assert no_account.exit_code == 2 and "no Zotero account" in no_account.output


def test_identity_normalisation() -> None:
    assert identity_of(" abcd2345 ") == "ABCD2345"
    assert identity_of("https://doi.org/10.1038/NATURE14539") == "doi:10.1038/nature14539"
    assert identity_of("pmc1182327") == "pmcid:PMC1182327"
    assert identity_of("16060722") == "pmid:16060722"
    assert identity_of("arxiv:1810.04805v2") == "arxiv:1810.04805"
    assert identity_of("notes/x.md#2") == "notes/x.md#2"
    with pytest.raises(DedupeSetupError):
        identity_of("doi:not-a-doi")


def _clusters(world: DedupeEnv) -> list[set[str]]:
    report = json.loads(world.cli("dedupe", "--library", "--format", "json").stdout)
    return [set(c["keys"]) for c in report["clusters"]]


def test_a_pair_outlives_the_state_file_and_a_second_computer(world: DedupeEnv) -> None:
    s = world.seed_library()
    pair = {s["wheel_a"], s["wheel_b"]}
    user_extra = "Original date: 2011\nmy own line"
    world.zotero.app.edit_item(None, s["wheel_a"], {"extra": user_extra})
    assert world.cli("dedupe", "--not-duplicate", *sorted(pair)).exit_code == 0

    world.state_path.unlink()  # a new laptop, or the state file lost
    assert pair not in _clusters(world)
    merged = world.cli("dedupe", "--library", "--merge", "--apply")
    assert merged.exit_code == 0, merged.output
    assert not world.item(s["wheel_a"]).get("deleted")
    assert not world.item(s["wheel_b"]).get("deleted")
    listed = json.loads(world.cli("dedupe", "--list-not-duplicates", "--format", "json").stdout)
    assert [{p["a"], p["b"]} for p in listed] == [pair]
    rest, memory = split_extra(world.item(s["wheel_a"]).get("extra"))
    assert rest == user_extra and memory is not None  # the user's lines kept, zsync's added

    world.state_path.unlink()
    forgot = world.cli("dedupe", "--forget-not-duplicate", *sorted(pair))
    assert forgot.exit_code == 0, forgot.output
    world.state_path.unlink()
    assert pair in _clusters(world)
    for key in pair:
        memory = decode(world.item(key).get("extra"))
        assert memory is None or not memory.apart
