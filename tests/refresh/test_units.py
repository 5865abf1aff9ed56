"""The pure parts of refresh: Zotero item -> Record, retraction notes, the refresh work,
and the planner options it relies on (no status collection, the notice note)."""

from __future__ import annotations

from typing import Any

from zsync.enrich.merge import SourceRecord, merge
from zsync.model.records import Identifiers, MeshHeading, Origin, Record, UpdateNotice
from zsync.refresh.work import equivalent, refresh_tags, refresh_work
from zsync.sync import retraction
from zsync.sync.plan import Action, PlanInputs, Work, Written, plan
from zsync.zotero.from_item import item_to_record
from zsync.zotero.library import LibraryCollection, LibraryItem, LibraryView
from zsync.zotero.memory import decode
from zsync.zotero.schema import ZoteroSchema
from zsync.zotero.to_item import record_to_item

SCHEMA = ZoteroSchema.load_default()
RETRACTION = UpdateNotice("retraction", doi="10.5555/x.ret", date="2021-03-04",
                          label="Retraction", source="retraction-watch")
PUBMED_RETRACTION = UpdateNotice("retraction", doi="10.5555/x.ret", pmid="52000017",
                                 label="J X. 2021;1:1. doi: 10.5555/x.ret", source="pubmed")


def item(**data: Any) -> dict[str, Any]:
    base = {"key": "ITEM2345", "version": 4, "itemType": "journalArticle", "title": "T",
            "creators": [], "abstractNote": "", "publicationTitle": "", "date": "",
            "volume": "", "issue": "", "pages": "", "journalAbbreviation": "", "DOI": "",
            "PMID": "", "PMCID": "", "ISSN": "", "language": "", "url": "", "extra": "",
            "tags": [], "collections": [], "relations": {}}
    return {**base, **data}


# -- zotero.from_item ---------------------------------------------------------------------


def test_identifiers_are_read_wherever_they_are_kept() -> None:
    record = item_to_record(item(DOI="", url="https://doi.org/10.1186/S12913-021-06429-W",
                                 extra="PMID: 34001234\nPMCID: PMC8001234"))
    assert record.ids.doi == "10.1186/s12913-021-06429-w"
    assert (record.ids.pmid, record.ids.pmcid) == ("34001234", "PMC8001234")
    both = item_to_record(item(DOI="10.1000/field", extra="DOI: 10.1000/extra"))
    assert both.ids.doi == "10.1000/field"


def test_type_specific_fields_are_read_through_their_base_field() -> None:
    data = {"key": "SECT2345", "itemType": "bookSection", "title": "A chapter",
            "bookTitle": "The book", "creators": [
                {"creatorType": "editor", "firstName": "Ann", "lastName": "Berg"},
                {"creatorType": "author", "name": "WHO"}],
            "date": "March 2020", "pages": "1-10", "ISBN": "978-3-16-148410-0",
            "publisher": "P", "extra": "Original date: 1999",
            "tags": [{"tag": "mine"}, {"tag": "Humans", "type": 1}]}
    record = item_to_record(data)
    assert (record.container, record.publisher, record.date and record.date.year) == \
        ("The book", "P", 2020)
    assert record.creators[0].family == "Berg" and record.creators[1].name == "WHO"
    assert (record.tags, record.keywords, record.ids.isbn) == \
        (("mine",), ("Humans",), ("9783161484100",))
    back = record_to_item(record, SCHEMA)
    assert (back["bookTitle"], back["pages"], back["extra"]) == \
        ("The book", "1-10", "Original date: 1999")


# -- sync.retraction ---------------------------------------------------------------------------


def test_the_note_says_what_when_and_where_once_per_notice() -> None:
    html = retraction.note_html([RETRACTION, PUBMED_RETRACTION,
                                 UpdateNotice("retraction", label="Retracted Publication")])
    assert html is not None
    assert html.count("<li>") == 1  # Crossref's and PubMed's entries are one notice
    for text in ("2021-03-04", "https://doi.org/10.5555/x.ret", "PMID 52000017",
                 "J X. 2021;1:1.", "retraction-watch, pubmed"):
        assert text in html
    assert retraction.noted_slugs(html) == {"retracted"}
    assert retraction.tags_for([RETRACTION]) == ("Retracted",)
    assert retraction.note_html([UpdateNotice("update", doi="10.1/a")]) is None


def test_a_note_is_recognised_by_its_marker_or_its_footer() -> None:
    html = retraction.note_html([RETRACTION, UpdateNotice("correction", doi="10.5555/x.cor")])
    assert retraction.noted_slugs(html) == {"retracted", "corrected"}
    edited = "<p>my words</p><p>zsync retraction watch: Retracted, Corrected</p>"
    assert retraction.noted_slugs(edited) == {"retracted", "corrected"}
    assert not retraction.is_notice_note('<div class="zsync-note"><p>From notes.md</p></div>')


# -- refresh.work -------------------------------------------------------------------------


def test_values_that_say_the_same_are_equivalent() -> None:
    assert equivalent("date", "March 2019", "2019-03-02")
    assert equivalent("pages", "1096-105", "1096–1105")
    assert equivalent("ISSN", "2139-5950", "2139-5950, 3023-6452")
    assert equivalent("language", "English", "en")
    assert equivalent("title", "Deep Learning.", "Deep learning")
    assert not equivalent("volume", "999", "29")


def test_tags_are_added_never_removed_nor_forced_back() -> None:
    current = [{"tag": "mine", "type": 0}, {"tag": "Humans", "type": 1}]
    tags = refresh_tags(current, written=("Male",), wanted=[("Humans", 1), ("Male", 1),
                                                            ("Female", 1)])
    assert tags == [*current, {"tag": "Female", "type": 1}]


def _enriched(**source: Any) -> Any:
    note = item_to_record(item(DOI="10.5555/x", title="Deep learning"))
    found = Record(Origin("crossref"), ids=Identifiers(doi="10.5555/x", pmid="1"),
                   **source)
    return merge(note, [SourceRecord("pubmed", found, "2026-01-01T00:00:00Z")])


def test_the_refresh_work_wants_only_what_the_item_lacks() -> None:
    enriched = _enriched(title="Deep Learning", volume="29", abstract="An abstract.",
                         mesh=(MeshHeading("Humans"),), notices=(RETRACTION,))
    library_item = LibraryItem("ITEM2345", 4, item(DOI="10.5555/x", title="Deep learning",
                                                   volume="999"))
    work = refresh_work(library_item, enriched, None, SCHEMA)
    assert work.identity == "zotero:ITEM2345" and work.status == ""
    assert "title" not in work.item  # same up to case
    assert (work.item["volume"], work.item["abstractNote"], work.item["PMID"]) == \
        ("29", "An abstract.", "1")
    assert work.item["tags"] == [{"tag": "Retracted", "type": 0}, {"tag": "Humans", "type": 1}]
    assert work.notice_html and work.note_html is None
    assert work.sources["abstractNote"] == "pubmed"


# -- sync.plan options -------------------------------------------------------------------------


def _keys() -> Any:
    counter = iter(range(1, 1000))
    return lambda: f"NEW{next(counter):05d}"


def _plan(work: Work, items: list[LibraryItem], written: dict[str, Written] | None = None,
          noticed: dict[str, frozenset[str]] | None = None) -> Any:
    collections = [LibraryCollection("STATUS01", 1, "Status", None),
                   LibraryCollection("STATNEW1", 1, "New", "STATUS01")]
    view = LibraryView.build(items, collections)
    inputs = PlanInputs(view, written or {}, {work.identity: "ITEM2345"}, "Status", _keys(),
                        noticed or {})
    return plan([work], inputs)


def test_a_work_without_status_touches_no_collection_and_no_note() -> None:
    library_item = LibraryItem("ITEM2345", 4, item(collections=["STATNEW1"]))
    note = LibraryItem("NOTE2345", 4, {"itemType": "note", "parentItem": "ITEM2345",
                                       "note": "<p>mine</p>"})
    work = Work("zotero:ITEM2345", "T", {"volume": "3", "tags": []}, "",
                (Origin("zotero:ITEM2345"),))
    planned = _plan(work, [library_item, note],
                    {"ITEM2345": Written("ITEM2345", {}, collections=("STATNEW1",))})
    only = planned.works[0]
    assert planned.collections == ()
    payload = dict(only.payload or {})
    memory = decode(payload.pop("extra"))
    assert payload == {"key": "ITEM2345", "version": 4, "volume": "3"}
    assert memory is not None and memory.holds_written("volume", "3")  # the base, in the item
    assert only.notes == () and only.notice is None


def test_the_notice_note_is_created_once() -> None:
    html = retraction.note_html([RETRACTION])
    work = Work("zotero:ITEM2345", "T", {"tags": []}, "", (Origin("x"),), notice_html=html)
    library_item = LibraryItem("ITEM2345", 4, item())
    first = _plan(work, [library_item]).works[0]
    assert first.action == Action.UPDATE and first.notice and first.notice.action == "create"
    noted = LibraryItem("NOTE2345", 5, {"itemType": "note", "parentItem": "ITEM2345",
                                        "note": html, "deleted": 1})  # trashed by the user
    assert _plan(work, [library_item, noted]).works[0].notice is None
    gone = _plan(work, [library_item], noticed={"ITEM2345": frozenset({"retracted"})})
    assert gone.works[0].notice is None and gone.works[0].action == Action.UNCHANGED
    corrected = retraction.note_html([RETRACTION, UpdateNotice("correction", doi="10.1/c")])
    later = Work("zotero:ITEM2345", "T", {"tags": []}, "", (Origin("x"),),
                 notice_html=corrected)
    assert _plan(later, [library_item, noted]).works[0].notice is not None
