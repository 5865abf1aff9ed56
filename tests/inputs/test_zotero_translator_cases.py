"""Cases from the test suites of Zotero's own import translators (BibTeX, RIS, MEDLINE,
PubMed XML, CSL-JSON), reduced to their bibliographic facts (abstracts and notes left out):
the items zsync would create agree with the items Zotero makes, outside the differences
docs/import-differences.md documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.inputs.zotero_score import Score, compare_items, zsync_items
from zsync.inputs import parse_text
from zsync.zotero.schema import ZoteroSchema

CASES = json.loads(
    (Path(__file__).parent / "fixtures" / "zotero_translator_cases.json").read_text("utf-8")
)


def score_cases(cases: list[dict]) -> Score:
    schema = ZoteroSchema.load_default()
    total = Score()
    for number, case in enumerate(cases):
        result = parse_text(case["input"], f"case-{number}")
        total.add(compare_items(f"{case['format']} case {number}", case["items"],
                                zsync_items(result, schema), schema, len(result.problems)))
    return total


@pytest.fixture(scope="module")
def total() -> Score:
    return score_cases(CASES)


def test_every_item_zotero_makes_is_made_or_named(total: Score) -> None:
    assert total.missed == []


def test_fields_agree_with_zotero(total: Score) -> None:
    assert total.agreement >= 0.98, (total.by_field.most_common(6), total.disagreements[:10])


@pytest.mark.parametrize("fmt", sorted({case["format"] for case in CASES}))
def test_each_translator_agrees(fmt: str) -> None:
    score = score_cases([case for case in CASES if case["format"] == fmt])
    assert score.agreement >= 0.95, (score.by_field.most_common(6), score.disagreements[:10])
