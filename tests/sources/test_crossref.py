"""Crossref work JSON to Record: types, titles, creators, dates, abstracts, identifiers."""

from __future__ import annotations

from typing import Any

import pytest

from zsync.model.records import PartialDate
from zsync.sources.crossref.mapping import crossref_item_type, work_to_record


def _work(**fields: Any) -> dict[str, Any]:
    return {"DOI": "10.1234/ABC", "type": "journal-article", **fields}


@pytest.mark.parametrize(
    ("work", "expected"),
    [
        ({"type": "journal-article"}, "journalArticle"),
        ({"type": "journal-issue"}, "journalArticle"),
        ({"type": "book-chapter"}, "bookSection"),
        ({"type": "reference-entry"}, "bookSection"),
        ({"type": "monograph"}, "book"),
        ({"type": "edited-book"}, "book"),
        ({"type": "proceedings-article"}, "conferencePaper"),
        ({"type": "report"}, "report"),
        ({"type": "standard"}, "standard"),
        ({"type": "dataset"}, "dataset"),
        ({"type": "dissertation"}, "thesis"),
        ({"type": "peer-review"}, "manuscript"),
        ({"type": "posted-content", "subtype": "preprint"}, "preprint"),
        ({"type": "posted-content", "subtype": "blog"}, "blogPost"),
        ({"type": "posted-content", "subtype": "working_paper"}, "report"),
        ({"type": "other", "ISBN": ["9780000000002"], "container-title": ["B"]},
         "bookSection"),
        ({"type": "other"}, "document"),
        ({"type": "component"}, "document"),
        ({}, "document"),
    ],
)
def test_item_type(work: dict[str, Any], expected: str) -> None:
    assert crossref_item_type(work) == expected


@pytest.mark.parametrize(
    ("title", "subtitle", "expected"),
    [
        (["Main"], ["Sub"], "Main: Sub"),
        (["Main:"], ["Sub"], "Main: Sub"),
        (["Main: sub part"], ["Sub Part"], "Main: sub part"),  # already in the title
        (["Main"], [""], "Main"),
        (["Deutsch", "English"], ["Untertitel", "Subtitle"], "Deutsch: Untertitel"),
        (["CO<sub>2</sub> &amp; <i>E. coli</i>\n   growth"], [], "CO2 & E. coli growth"),
        ([], [], None),
    ],
)
def test_title(title: list[str], subtitle: list[str], expected: str | None) -> None:
    assert work_to_record(_work(title=title, subtitle=subtitle)).title == expected


def test_mojibake_is_repaired() -> None:
    garbled = "1990\u00e2\u0080\u00932010"  # an en dash read as Latin-1
    assert work_to_record(_work(title=[garbled])).title == "1990\u20132010"


def test_creators_roles_organisations_and_case() -> None:
    record = work_to_record(_work(
        author=[{"given": "JOHN", "family": "O'NEAL"}, {"name": "The Consortium"},
                {"family": "Plato"}],
        editor=[{"given": "Ed", "family": "Itor"}],
        chair=[{"given": "Cha", "family": "Ir"}],
        translator=[{"given": "Trans", "family": "Lator"}],
    ))
    assert [(c.family, c.given, c.name, c.role) for c in record.creators] == [
        ("O'Neal", "John", None, "author"),
        (None, None, "The Consortium", "author"),
        ("Plato", None, None, "author"),
        ("Itor", "Ed", None, "editor"),
        ("Ir", "Cha", None, "contributor"),
        ("Lator", "Trans", None, "translator"),
    ]


def test_chapter_authors_stay_authors() -> None:
    record = work_to_record(_work(type="book-chapter", author=[{"given": "A", "family": "B"}],
                                  **{"container-title": ["The Book"]}))
    assert record.item_type == "bookSection"
    assert record.creators[0].role == "author"
    assert record.container == "The Book"


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ({"published-print": {"date-parts": [[2020, 3]]},
          "issued": {"date-parts": [[2020, 1, 5]]}}, PartialDate("2020-03", 2020, 3)),
        ({"issued": {"date-parts": [[2020, 1, 5]]}}, PartialDate("2020-01-05", 2020, 1, 5)),
        ({"issued": {"date-parts": [[None]]},
          "approved": {"date-parts": [[2020, 5, 25]]}}, PartialDate("2020-05-25", 2020, 5, 25)),
        ({"issued": {"date-parts": [[None]]}}, None),
        ({"posted": {"date-parts": [[2019]]}}, PartialDate("2019", 2019)),
    ],
)
def test_date(dates: dict[str, Any], expected: PartialDate | None) -> None:
    assert work_to_record(_work(**dates)).date == expected


def test_pages_article_number_and_expansion() -> None:
    assert work_to_record(_work(page="205-7")).pages == "205-207"
    assert work_to_record(_work(**{"article-number": "e01567"})).pages == "e01567"
    assert work_to_record(_work(page="12-19", **{"article-number": "x"})).pages == "12-19"


def test_jats_abstract_sections_become_labels() -> None:
    abstract = (
        "<jats:title>Abstract</jats:title>"
        "<jats:sec><jats:title>Background</jats:title><jats:p>Why &amp; how.</jats:p>"
        "<jats:p>More.</jats:p></jats:sec>"
        "<jats:sec><jats:title>Results:</jats:title><jats:p>p &lt; 0.05 for "
        "<jats:italic>E.\n  coli</jats:italic>\n  .</jats:p></jats:sec>"
    )
    assert work_to_record(_work(abstract=abstract)).abstract == (
        "Background: Why & how.\nMore.\nResults: p < 0.05 for E. coli."
    )


def test_plain_abstract() -> None:
    assert work_to_record(_work(abstract="Just text.")).abstract == "Just text."


def test_identifiers_containers_and_origin() -> None:
    record = work_to_record(_work(
        ISSN=["1234-5678", "1234-5678", "8765-4321"], ISBN=["0-306-40615-2", "bad"],
        **{"container-title": ["Journal of Things"], "short-container-title": ["J Things"],
           "resource": {"primary": {"URL": "https://example.org/a"}}},
    ))
    assert record.ids.doi == "10.1234/abc"
    assert record.ids.isbn == ("9780306406157",)
    assert record.issn == ("1234-5678", "8765-4321")
    assert record.container == "Journal of Things"
    assert record.journal_abbreviation == "J Things"
    assert record.urls == ("https://example.org/a",)
    assert (record.origin.path, record.origin.format) == ("crossref:10.1234/abc", "crossref")
    assert record.fields["libraryCatalog"] == "Crossref"
    assert record.publication_types == ("journal-article",)


def test_abbreviation_equal_to_title_is_dropped() -> None:
    work = _work(**{"container-title": ["ESMO Open"], "short-container-title": ["ESMO Open"]})
    assert work_to_record(work).journal_abbreviation is None


def test_type_specific_fields() -> None:
    thesis = work_to_record(_work(type="dissertation", degree=["Doctor (PhD) of Things"],
                                  institution=[{"name": "Uni", "place": ["Town", "Land"]}]))
    assert thesis.fields["thesisType"] == "Doctor of Things"
    assert thesis.fields["university"] == "Uni"
    assert thesis.place == "Town, Land"
    preprint = work_to_record(_work(type="posted-content", subtype="preprint",
                                    **{"group-title": "Open Science Framework"}))
    assert preprint.fields["repository"] == "Open Science Framework"
    book = work_to_record(_work(type="monograph", **{"container-title": ["A Series"],
                                                     "edition-number": 2}))
    assert (book.series, book.container, book.fields["edition"]) == ("A Series", None, "2")
    paper = work_to_record(_work(type="proceedings-article", event={
        "name": "Conf", "location": "Here"}, **{"publisher-location": "There"}))
    assert (paper.fields["conferenceName"], paper.place) == ("Conf", "Here")
