"""`zsync dedupe PATH...`: duplicate groups within the notes, each with its rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.dedupe.env import DedupeEnv

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO.parent / "shared" / "examples"

BIB = r"""
@article{lecun2015,
  title = {Deep Learning},
  author = {LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey},
  year = {2015}, journal = {Nature}, doi = {10.1038/nature14539}
}
@article{lecun2015again,
  title = {Deep learning.},
  author = {LeCun, Y. and Bengio, Y.},
  year = {2015}, journal = {Nature}, doi = {10.1038/NATURE14539}
}
@book{goodfellow2016,
  title = {Deep Learning},
  author = {Goodfellow, Ian and Bengio, Yoshua and Courville, Aaron},
  year = {2016}, publisher = {MIT Press}
}
@article{part1,
  title = {Sleep and memory consolidation in adolescents: Part 1},
  author = {Tarokh, Leila and Carskadon, Mary}, year = {2019}, journal = {Sleep}
}
@article{part2,
  title = {Sleep and memory consolidation in adolescents: Part 2},
  author = {Tarokh, Leila and Carskadon, Mary}, year = {2019}, journal = {Sleep}
}
"""


def dedupe_json(world: DedupeEnv, *args: str, code: int = 0) -> dict[str, Any]:
    result = world.cli("dedupe", *args, "--format", "json")
    assert result.exit_code == code, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_groups_in_a_bibtex_file_and_lookalikes_apart(world: DedupeEnv) -> None:
    path = world.tmp / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    report = dedupe_json(world, str(path))
    assert (report["scope"], report["summary"]["records"]) == ("input", 5)
    [group] = report["groups"]
    assert [r["title"] for r in group["records"]] == ["Deep Learning", "Deep learning."]
    assert [(m["rule"], m["evidence"]) for m in group["matches"]] == [
        ("same DOI", "10.1038/nature14539")]
    assert group["records"][0]["identity"] == "doi:10.1038/nature14539"
    shown = world.cli("dedupe", str(path), "--detailed-exitcode")
    assert shown.exit_code == 3 and "Group 1: 2 records" in shown.output


WHEELS = r"""
@article{michie2011,
  title = {The behaviour change wheel: a new method for characterising and designing
           behaviour change interventions},
  author = {Michie, Susan and van Stralen, Maartje M. and West, Robert}, year = {2011}
}
@article{michie2011b,
  title = {The Behaviour Change Wheel: A New Method for Characterising and Designing
           Behaviour Change Interventions.},
  author = {Michie, S.}, year = {2011}
}
"""


def test_input_honours_the_not_duplicates_list(world: DedupeEnv) -> None:
    path = world.tmp / "wheels.bib"
    path.write_text(WHEELS, encoding="utf-8")
    [group] = dedupe_json(world, str(path))["groups"]
    assert group["matches"][0]["rule"] == "title, year and creator"
    a, b = (r["identity"] for r in group["records"])  # records without ids: their place
    assert (a, b) == (f"{path}#1", f"{path}#2")
    assert world.cli("dedupe", "--not-duplicate", a, b).exit_code == 0
    report = dedupe_json(world, str(path))
    assert report["groups"] == [] and report["summary"]["not_duplicates"] == 1


def test_enrich_offline_compares_the_notes_as_given(world: DedupeEnv) -> None:
    path = world.tmp / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    report = dedupe_json(world, str(path), "--enrich", "--offline")
    assert report["enriched"] is True and report["summary"]["groups"] == 1


def expected_groups() -> set[frozenset[tuple[str, int]]]:
    lines = [json.loads(line) for line in
             (EXAMPLES / "EXPECTED.jsonl").read_text(encoding="utf-8").splitlines() if line]
    places = {line["id"]: (line["files"][0], line.get("position", 1)) for line in lines}
    groups: dict[str, set[tuple[str, int]]] = {}
    for line in lines:
        if line["is_duplicate_of"]:
            canonical = line["is_duplicate_of"]
            groups.setdefault(canonical, {places[canonical]}).add(places[line["id"]])
    return {frozenset(g) for g in groups.values()}


@pytest.mark.skipif(not (EXAMPLES / "EXPECTED.jsonl").exists(),
                    reason="shared examples not present")
def test_the_shared_examples_duplicate_groups_are_found_with_their_rule(
        world: DedupeEnv) -> None:
    report = dedupe_json(world, str(EXAMPLES), code=1)  # some example files are unusable
    found = {frozenset((Path(r["path"]).name, r["position"]) for r in g["records"])
             for g in report["groups"]}
    assert found == expected_groups()
    rules = {frozenset(Path(r["path"]).name for r in g["records"]):
             [m["rule"] for m in g["matches"]] for g in report["groups"]}
    assert rules[frozenset({"lecun-2015-deep-learning-literature-note.md",
                            "vufind-en-lecun-2015-deep-learning.txt"})] == ["same DOI"]
    assert rules[frozenset({"org-roam-michie-2011-behaviour-change-wheel.org",
                            "reading-list-two-records-may-michie.md"})] == [
        "title, year and creator"]
    assert {p["path"].rsplit("/", 1)[-1] for p in report["problems"]} >= {"empty.md"}


def test_usage_errors_exit_2(world: DedupeEnv) -> None:
    path = world.tmp / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    for args in ([], ["--merge"], ["--library", "--apply"], ["--library", "--cluster", "1"],
                 [str(path), "--library"], [str(path), "--merge"], ["--library", "--enrich"],
                 [str(world.tmp / "missing.md")], ["--library", "--list-not-duplicates"]):
        result = world.cli("dedupe", *args)
        assert result.exit_code == 2, (args, result.output)
    no_account = world.cli("dedupe", "--library", ZOTERO_LIBRARY_ID="", ZOTERO_API_KEY="")
    assert no_account.exit_code == 2 and "no Zotero account" in no_account.output
