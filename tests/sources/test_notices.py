"""Retraction, correction and update detection in Crossref and PubMed records."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.shared_files import CROSSREF_WORKS, PUBMED_EFETCH, shared_file
from zsync.model.notices import crossref_notices, pubmed_notices
from zsync.sources.crossref.mapping import work_to_record
from zsync.sources.pubmed.mapping import parse_pubmed_xml

WORK = "10.1021/am300292v"
NOTICE = "10.1021/acsami.9b11759"


def _entry(doi: str, kind: str, source: str = "publisher", **more: Any) -> dict[str, Any]:
    return {"DOI": doi, "type": kind, "label": kind.title(), "source": source,
            "updated": {"date-parts": [[2019, 8, 1]]}, **more}


def test_retraction_watch_retraction_is_a_notice() -> None:
    work = {"DOI": WORK, "updated-by": [
        _entry(NOTICE, "retraction", "retraction-watch", **{"record-id": 123})]}
    (notice,) = crossref_notices(work)
    assert (notice.kind, notice.doi, notice.source, notice.date) == (
        "retraction", NOTICE, "retraction-watch", "2019-08-01")


def test_same_notice_from_publisher_and_retraction_watch_counts_once() -> None:
    work = {"DOI": WORK, "updated-by": [
        _entry(NOTICE, "retraction"), _entry(NOTICE.upper(), "retraction", "retraction-watch")]}
    assert len(crossref_notices(work)) == 1


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("retraction", "retraction"),
        ("correction", "correction"),
        ("erratum", "correction"),
        ("corrigendum", "correction"),
        ("partial_retraction", "correction"),
        ("expression_of_concern", "expression_of_concern"),
        ("withdrawal", "withdrawal"),
        ("removal", "withdrawal"),
        ("addendum", "update"),
        ("new_version", None),
        ("new_edition", None),
    ],
)
def test_crossref_update_types(kind: str, expected: str | None) -> None:
    notices = crossref_notices({"DOI": WORK, "updated-by": [_entry(NOTICE, kind)]})
    assert [n.kind for n in notices] == ([expected] if expected else [])


def test_entry_pointing_at_the_work_itself_is_ignored() -> None:
    work = {"DOI": WORK, "updated-by": [_entry(WORK.upper(), "correction")]}
    assert crossref_notices(work) == ()


def test_update_to_marks_the_notice_not_a_retracted_work() -> None:
    notice_record = {"DOI": NOTICE, "type": "journal-article",
                     "update-to": [_entry(WORK, "retraction")]}
    assert work_to_record(notice_record).notices == ()


def test_plos_self_referencing_new_version_is_ignored() -> None:
    path = shared_file(CROSSREF_WORKS / "journal-article_10.1371_journal.ppat.1008184.json")
    work = json.loads(path.read_text("utf-8"))["message"]
    assert work["updated-by"][0]["DOI"] == work["DOI"]
    assert work_to_record(work).notices == ()


def test_plos_publisher_correction_is_found() -> None:
    path = shared_file(CROSSREF_WORKS / "journal-article_10.1371_journal.pone.0033693.json")
    (notice,) = work_to_record(json.loads(path.read_text("utf-8"))["message"]).notices
    assert notice.kind == "correction"
    assert notice.doi == "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda"
    assert notice.date == "2012-05-08"


# --- PubMed ------------------------------------------------------------------------------


def test_retraction_in_and_retracted_publication_type() -> None:
    comments = [("RetractionIn", "Lancet. 2020 Jun 13;395(10240):1820. doi: "
                 "10.1016/S0140-6736(20)31324-6.", "32511943")]
    (notice,) = pubmed_notices(comments, ("Journal Article", "Retracted Publication"))
    assert (notice.kind, notice.pmid, notice.doi, notice.source) == (
        "retraction", "32511943", "10.1016/s0140-6736(20)31324-6", "pubmed")


def test_retracted_publication_type_alone_flags_a_retraction() -> None:
    (notice,) = pubmed_notices([], ("Journal Article", "Retracted Publication"))
    assert notice.kind == "retraction"
    assert notice.label == "Retracted Publication"


def test_the_retraction_notice_itself_is_not_flagged() -> None:
    comments = [("RetractionOf", "N Engl J Med. 2020;382(25):e102.", "32356626")]
    assert pubmed_notices(comments, ("Retraction of Publication",)) == ()


@pytest.mark.parametrize(
    ("ref_type", "expected"),
    [
        ("ErratumIn", "correction"),
        ("ExpressionOfConcernIn", "expression_of_concern"),
        ("UpdateIn", "update"),
        ("RetractedandRepublishedIn", "retraction"),
        ("CorrectedandRepublishedIn", "correction"),
        ("PartialRetractionIn", "correction"),
        ("ErratumFor", None),
        ("UpdateOf", None),
        ("ExpressionOfConcernFor", None),
        ("CommentIn", None),
        ("Cites", None),
    ],
)
def test_pubmed_ref_types(ref_type: str, expected: str | None) -> None:
    notices = pubmed_notices([(ref_type, "Some J. 2020;1:1.", "123")], ("Journal Article",))
    assert [n.kind for n in notices] == ([expected] if expected else [])


def _fixture_notices(name: str) -> list[tuple[str, str | None, str | None]]:
    (record,) = parse_pubmed_xml(shared_file(PUBMED_EFETCH / name).read_bytes())
    return [(n.kind, n.pmid, n.doi) for n in record.notices]


def test_erratum_in_fixture_is_a_correction() -> None:
    assert _fixture_notices("pmid_35649368_erratum_in.xml") == [
        ("correction", "35767954", "10.1016/j.celrep.2022.111044")]


def test_published_erratum_notice_is_not_flagged() -> None:
    assert _fixture_notices("pmid_38833988_published_erratum.xml") == []


def test_preprint_update_in_points_to_the_published_version() -> None:
    assert _fixture_notices("pmid_37398060_preprint_update_in.xml") == [
        ("update", "40119176", "10.1038/s41592-025-02621-6")]


def test_published_version_update_of_is_not_flagged() -> None:
    assert _fixture_notices("pmid_39345789_update_of.xml") == []
