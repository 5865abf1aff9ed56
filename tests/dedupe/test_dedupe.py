"""Exact duplicate grouping: shared identifiers join records; conflicting ones never do."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zsync.dedupe.duplicates import find_duplicates
from zsync.model.records import Identifiers, Origin, Record


def rec(item_type: str = "journalArticle", **ids: object) -> Record:
    return Record(origin=Origin("notes.md"), ids=Identifiers(**ids), item_type=item_type)  # type: ignore[arg-type]


def groups_of(records: list[Record]) -> list[list[int]]:
    return [g.members for g in find_duplicates(records)]


def test_records_sharing_any_identifier_are_one_work_with_the_rule_named() -> None:
    records = [rec(doi="10.1186/1748-5908-6-42"), rec(pmid="21513547"),
               rec(doi="10.1186/1748-5908-6-42", pmid="21513547"), rec(pmcid="PMC3096582")]
    groups = find_duplicates(records)
    assert [g.members for g in groups] == [[0, 1, 2], [3]]
    assert {(m.rule, m.evidence) for m in groups[0].matches} == {
        ("same DOI", "10.1186/1748-5908-6-42"), ("same PMID", "21513547"),
    }


def test_two_different_dois_never_merge_even_through_a_shared_pmid() -> None:
    records = [rec(doi="10.1000/original", pmid="123"), rec(doi="10.1000/reprint", pmid="123")]
    assert groups_of(records) == [[0], [1]]


def test_chapters_of_one_book_sharing_its_isbn_stay_apart_but_books_merge() -> None:
    chapters = [rec("bookSection", isbn=("9783642697463",)), rec("bookSection", isbn=("9783642697463",))]
    assert groups_of(chapters) == [[0], [1]]
    books = [rec("book", isbn=("9783642697463",)), rec("book", isbn=("9783642697463",))]
    assert groups_of(books) == [[0, 1]]


ids_strategy = st.builds(
    lambda doi, pmid: {"doi": doi, "pmid": pmid},
    st.sampled_from([None, "10.1/a", "10.1/b", "10.1/c"]),
    st.sampled_from([None, "1", "2", "3"]),
)


@given(st.lists(ids_strategy, min_size=1, max_size=8))
def test_no_group_ever_holds_two_different_dois_or_pmids(id_sets: list[dict[str, str | None]]) -> None:
    records = [rec("journalArticle", **ids) for ids in id_sets]
    for group in find_duplicates(records):
        dois = {records[i].ids.doi for i in group.members} - {None}
        pmids = {records[i].ids.pmid for i in group.members} - {None}
        assert len(dois) <= 1 and len(pmids) <= 1
