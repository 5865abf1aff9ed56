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


def field_table(scores: dict[str, Score]) -> str:
    """Per translator: agreement, then each field that disagreed and how often."""
    lines = []
    for fmt, score in scores.items():
        fields = ", ".join(f"{name} {count}" for name, count in score.by_field.most_common())
        lines.append(f"{fmt:12} {score.agreement:.4f} ({score.agreed}/{score.compared})"
                     f"  {fields or '-'}")
    return "\n".join(lines)


def by_translator(cases: list[dict]) -> dict[str, Score]:
    formats = sorted({case["format"] for case in cases})
    return {fmt: score_cases([case for case in cases if case["format"] == fmt])
            for fmt in formats}


@pytest.mark.parametrize("fmt", sorted({case["format"] for case in CASES}))
def test_each_translator_agrees(fmt: str) -> None:
    score = score_cases([case for case in CASES if case["format"] == fmt])
    assert score.agreement >= 0.98, (field_table({fmt: score}), score.disagreements[:10])


if __name__ == "__main__":  # python -m tests.parsing.test_zotero_translator_cases
    scores = by_translator(CASES)
    print(field_table(scores))
    for score in scores.values():
        for row in score.disagreements:
            print("  " + " || ".join(row))
