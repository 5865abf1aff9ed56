"""Matching against the library, duplicate clusters in the library, the plan's finder."""

from __future__ import annotations

from typing import Any

from zsync.dedupe.duplicates import library_clusters
from zsync.dedupe.libmatch import LibraryIndex, existing_finder, match_library
from zsync.dedupe.rules import RELATED, Settings
from zsync.model.records import Creator, Identifiers, Origin, PartialDate, Record
from zsync.sync.plan import Work
from zsync.zotero.library import LibraryItem, LibraryView

WHEEL = "The behaviour change wheel: a new method for characterising and designing behaviour change interventions"
BERT = "BERT: Pre-training of deep bidirectional transformers for language understanding"


def item(key: str, title: str, *families: str, year: int = 2011, added: str = "2020-01-01",
         item_type: str = "journalArticle", **fields: Any) -> LibraryItem:
    data = {"key": key, "itemType": item_type, "title": title, "date": f"{year}-04-21",
            "creators": [{"creatorType": "author", "lastName": f, "firstName": "S."}
                         for f in families],
            "dateAdded": f"{added}T10:00:00Z", "extra": "", "url": "", **fields}
    return LibraryItem(key, 5, data)


def rec(title: str, *families: str, year: int = 2011, item_type: str = "journalArticle",
        **ids: str) -> Record:
    return Record(origin=Origin("notes/x.md"), ids=Identifiers(**ids), title=title,  # type: ignore[arg-type]
                  creators=tuple(Creator(family=f) for f in families),
                  date=PartialDate(str(year), year), item_type=item_type)


LIBRARY = LibraryView.build([
    item("WHEEL001", WHEEL, "Michie", "van Stralen", "West", added="2019-03-01",
         url="https://doi.org/10.1186/1748-5908-6-42"),
    item("WHEEL002", WHEEL.upper(), "Michie", added="2018-01-01"),
    item("DEEP0001", "Deep learning", "LeCun", "Bengio", "Hinton", year=2015,
         extra="DOI: 10.1038/nature14539"),
    item("DEEPBOOK", "Deep learning", "Goodfellow", "Bengio", "Courville", year=2016,
         item_type="book", ISBN="9780262035613"),
    item("BERTNAAC", BERT, "Devlin", "Chang", year=2019, item_type="conferencePaper",
         DOI="10.18653/v1/N19-1423"),
    item("TRASHED1", "Deep learning", "LeCun", year=2015, deleted=1),
    LibraryItem("NOTE0001", 1, {"itemType": "note", "note": "Deep learning", "parentItem": "DEEP0001"}),
])


def test_a_record_finds_its_item_by_identifier_wherever_the_item_keeps_it() -> None:
    [found] = match_library([rec("Deep learning", "LeCun", year=2015, doi="10.1038/nature14539")], LIBRARY)
    assert found is not None and (found.key, found.rule) == ("DEEP0001", "same DOI")


def test_a_record_without_identifiers_finds_the_oldest_copy_and_names_the_others() -> None:
    [found] = match_library([rec(WHEEL.title(), "West", "Michie", pmid="21513547")], LIBRARY)
    assert found is not None and found.key == "WHEEL002" and found.others == ("WHEEL001",)
    assert found.evidence == "title 100% + year 2011/2011 + author Michie"
    assert found.describe().endswith("(2 copies in the library)")


def test_lookalikes_and_trashed_items_are_not_matches() -> None:
    records = [rec("Deep learning", "Bengio", year=2016, item_type="book"),  # the book, no ISBN
               rec("Deep learning", "Schmidhuber", year=2015),
               rec("Deep learning", "LeCun", year=2015, doi="10.1000/other")]
    found = match_library(records, LIBRARY)
    assert found[0] is not None and found[0].key == "DEEPBOOK"
    assert found[1] is None and found[2] is None


def test_a_preprint_is_related_to_its_published_version_unless_merging_preprints() -> None:
    preprint = rec(BERT, "Devlin", year=2018, item_type="preprint", arxiv="1810.04805")
    [found] = match_library([preprint], LIBRARY)
    assert found is not None and (found.key, found.kind) == ("BERTNAAC", RELATED)
    index = LibraryIndex.build(LIBRARY)
    work = Work(identity="arxiv:1810.04805", title=BERT, status="New", origins=(),
                item={"itemType": "preprint", "title": BERT, "date": "2018",
                      "creators": [{"creatorType": "author", "lastName": "Devlin"}],
                      "archiveID": "arXiv:1810.04805"})
    assert existing_finder(index)(work) == (None, None)
    merging = LibraryIndex.build(LIBRARY, Settings(merge_preprints=True))
    got, reason = existing_finder(merging)(work)
    assert got is not None and got.key == "BERTNAAC" and reason and "preprint" in reason


def test_the_plan_finder_gives_item_and_reason() -> None:
    work = Work(identity="notes/x.md#1", title=WHEEL, status="New", origins=(),
                item={"itemType": "journalArticle", "title": WHEEL, "date": "2011",
                      "creators": [{"creatorType": "author", "lastName": "Michie"}]})
    got, reason = existing_finder(LibraryIndex.build(LIBRARY))(work)
    assert got is not None and got.key == "WHEEL002"
    assert reason == "title, year and creator: title 100% + year 2011/2011 + author Michie (2 copies in the library)"


def test_not_duplicates_pairs_keep_a_record_from_an_item() -> None:
    apart = Settings.of(not_duplicates=[("notes/x.md#1", "WHEEL001"), ("notes/x.md#1", "WHEEL002")])
    [found] = match_library([rec(WHEEL, "Michie")], LIBRARY, apart)
    assert found is None


def test_library_clusters_report_duplicates_oldest_first_and_related_versions() -> None:
    preprint = item("BERTARXV", BERT, "Devlin", year=2018, item_type="preprint",
                    DOI="10.48550/arXiv.1810.04805")
    library = LibraryView.build([*LIBRARY.items.values(), preprint])
    clusters = library_clusters(library)
    dupes = [c for c in clusters if len(c.keys) > 1]
    assert [c.keys for c in dupes] == [["WHEEL002", "WHEEL001"]]
    assert dupes[0].matches[0].rule == "title, year and creator"
    related = {(m.a, m.b, m.kind) for c in clusters for m in c.related}
    assert related == {("BERTNAAC", "BERTARXV", RELATED)}
    apart = Settings.of(not_duplicates=[("WHEEL001", "WHEEL002")])
    assert not [c for c in library_clusters(library, apart) if len(c.keys) > 1]
