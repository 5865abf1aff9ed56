"""Every example note, parsed as one folder the way `zsync parse` does, gives what
EXPECTED.jsonl says: the right parser for each file, each record in its place, and the
unusable inputs reported without stopping the run."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from zsync.inputs.files import parse_paths
from zsync.model.records import Record

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "examples"
pytestmark = pytest.mark.skipif(not EXAMPLES.is_dir(), reason="../shared/examples is absent")


def expected() -> list[dict[str, Any]]:
    lines = (EXAMPLES / "EXPECTED.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def title_key(title: str | None) -> str:
    """The README's comparison rule for titles."""
    text = unicodedata.normalize("NFC", title or "").casefold()
    text = re.sub(r"[\u2013\u2014]", "-", re.sub(r"\s+", " ", text)).strip()
    return text[:-1] if text.endswith(".") else text


@pytest.fixture(scope="module")
def parsed() -> dict[str, Any]:
    results = {Path(r.path).name: r for r in parse_paths([EXAMPLES])}
    return results


def record_for(parsed: dict[str, Any], case: dict[str, Any]) -> Record:
    result = parsed[case["files"][0]]
    position = case.get("position", 1)
    (record,) = [r for r in result.records if r.origin.position == position]
    return record


CASES = [c for c in expected() if not c["should_fail"]] if EXAMPLES.is_dir() else []


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_each_usable_example_parses_as_expected(parsed: dict[str, Any], case: dict[str, Any]) -> None:
    record = record_for(parsed, case)
    ok = case.get("also_acceptable", {})
    for kind in case.get("in_note", []):
        if kind in ("doi", "pmid", "pmcid"):
            assert getattr(record.ids, kind) == case[kind], kind
        if kind == "arxiv":
            assert record.ids.arxiv and case["doi"].endswith(record.ids.arxiv)
    titles = [case["title"], *ok.get("title", [])]
    assert title_key(record.title) in {title_key(t) for t in titles}
    assert record.year in [case["year"], *ok.get("year", [])]
    first = record.first_author
    assert first is not None and first.sort_name == case["first_author_family"]
    assert record.item_type == case["item_type"]
    assert (record.status or "").casefold() == (case["status"] or "").casefold()
    assert list(record.tags) == case["tags"]
    if "keywords" in case:
        assert list(record.keywords) == case["keywords"]


def test_unusable_examples_are_reported_and_nothing_else_is(parsed: dict[str, Any]) -> None:
    failing = {c["files"][0] for c in expected() if c["should_fail"]}
    listed = {f for c in expected() for f in c["files"]}
    reported = {n for n, result in parsed.items() if result.problems and n in listed}
    assert reported == failing
    for name in failing:
        assert not parsed[name].records


def test_files_that_are_not_notes_give_no_records(parsed: dict[str, Any]) -> None:
    # The folder's README and the JSON-lines answer key sit beside the notes, as such
    # files do in real note folders: neither may turn into a Zotero item.
    for name in ("README.md", "EXPECTED.jsonl"):
        assert not parsed[name].records
        assert parsed[name].problems


def test_every_file_gets_the_parser_its_content_calls_for(parsed: dict[str, Any]) -> None:
    formats = {name: r.format for name, r in parsed.items() if r.records}
    for name, fmt in formats.items():
        if name.startswith("vufind-"):
            assert fmt == "vufind", name
        elif name.endswith(".org"):
            assert fmt == "org", name
        else:
            assert fmt == "markdown", name
