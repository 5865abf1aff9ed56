"""Text helpers: Zotero-style Title Case, name case, initials, markup and mojibake."""

from __future__ import annotations

import pytest

from zsync.model.cleanup import (
    capitalize_name,
    capitalize_title,
    dot_initials,
    jats_to_text,
    repair_mojibake,
    strip_markup,
)
from zsync.sources.pubmed.parts import journal_title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Nature chemical biology", "Nature Chemical Biology"),
        ("Journal of the royal society : interface", "Journal of the Royal Society: Interface"),
        ("THE CELL AND THE GENE", "The Cell and the Gene"),
        ("of mice and men", "Of Mice and Men"),  # first word
        ("what to look for", "What to Look For"),  # last word
        ("ethics: of and for", "Ethics: Of and For"),  # after a colon
        ("self-report in x-ray", "Self-Report in X-Ray"),
        ("¿qué pasa?", "¿Qué Pasa?"),
        ("iPhone apps in the NHS", "iPhone Apps in the NHS"),  # capitalised words kept
    ],
)
def test_capitalize_title(title: str, expected: str) -> None:
    assert capitalize_title(title) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Cell reports", "Cell Reports"),
        ("BMC musculoskeletal disorders", "BMC musculoskeletal disorders"),  # acronym: kept
        ("JAMIA open", "JAMIA open"),
        ("JAMA", "JAMA"),  # one upper-case word: kept
        ("BRITISH MEDICAL JOURNAL", "British Medical Journal"),
        (None, None),
    ],
)
def test_journal_title(title: str | None, expected: str | None) -> None:
    assert journal_title(title) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("O'NEAL", "O'Neal"), ("GUTIÉRREZ-ALBILLA", "Gutiérrez-Albilla"), ("McCormack", "McCormack"),
     ("J. M.", "J. M."), ("de la CRUZ", "de la CRUZ")],
)
def test_capitalize_name(name: str, expected: str) -> None:
    assert capitalize_name(name) == expected


@pytest.mark.parametrize(
    ("given", "family", "expected"),
    [
        ("Peter O", "Krutzik", "Peter O."),
        ("A R", "Taddei", "A. R."),
        ("JM", "Smith", "J. M."),
        ("JM", "SMITH", "JM"),  # Zotero only splits when the family name is not all caps
        ("Connie W Y", "Ha", "Connie W. Y."),
        ("Yi-Jia", "Li", "Yi-Jia"),
        ("Jean - P", "X", "Jean-P."),
        ("Øyvind", "Bruserud", "Øyvind"),
    ],
)
def test_dot_initials(given: str, family: str, expected: str) -> None:
    assert dot_initials(given, family) == expected


def test_markup_entities_and_whitespace() -> None:
    assert strip_markup("a <i>b</i>&amp;c\n   d <![CDATA[e]]>") == "a b&c d e"
    assert strip_markup("p < 0.05 and q > 1") == "p < 0.05 and q > 1"
    assert strip_markup("(Group B\n  <i>Strep</i>\n  , GBS)") == "(Group B Strep, GBS)"


def test_repair_mojibake() -> None:
    assert repair_mojibake("caf\u00c3\u00a9 \u00e2\u0080\u0093 x") == "café – x"
    assert repair_mojibake("plain café") == "plain café"
    assert repair_mojibake("broken \u0085 control") == "broken  control"


def test_jats_without_paragraphs_and_empty() -> None:
    assert jats_to_text("<jats:p>One</jats:p><jats:p>Two</jats:p>") == "One\nTwo"
    assert jats_to_text("") is None
    assert jats_to_text("<jats:title>Abstract</jats:title>") is None
