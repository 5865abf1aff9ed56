"""Real export files read as Zotero's own import translators read them, or better.

../shared/realworld holds exports from public repositories, each beside the items Zotero made
of it. zsync must find every record (or name the ones it cannot read), agree with Zotero on
at least 99% of the fields outside the differences docs/import-differences.md documents, and
never output a DOI the file does not contain.
"""

from __future__ import annotations

import pytest

from tests.inputs.zotero_score import (
    ALLOWED,
    REALWORLD,
    Score,
    documented_differences,
    realworld_files,
    score_all,
)
from zsync.zotero.schema import ZoteroSchema

needs_realworld = pytest.mark.skipif(
    not REALWORLD.is_dir(), reason="../shared/realworld is absent"
)


def test_the_scorer_allows_exactly_the_documented_differences() -> None:
    assert sorted(documented_differences()) == sorted(ALLOWED)


@pytest.fixture(scope="module")
def total() -> Score:
    score, _ = score_all(realworld_files(), ZoteroSchema.load_default())
    return score


@needs_realworld
def test_every_record_zotero_made_is_found_or_named(total: Score) -> None:
    assert total.missed == []


@needs_realworld
def test_fields_agree_with_zotero(total: Score) -> None:
    worst = total.disagreements[:20]
    assert total.agreement >= 0.99, (total.by_field.most_common(8), worst)


@needs_realworld
def test_no_doi_that_the_file_does_not_contain(total: Score) -> None:
    assert total.wrong_dois == []
