"""Merging a note with Crossref and PubMed: precedence, provenance, disagreements."""

from __future__ import annotations

from zsync.enrich.merge import SourceRecord, merge
from zsync.model.records import (
    Creator,
    Identifiers,
    MeshHeading,
    Origin,
    PartialDate,
    Record,
    UpdateNotice,
)

NOTE = Record(
    origin=Origin("notes/lecun.md", 1, 12, "markdown"),
    ids=Identifiers(doi="10.1038/nature14539"),
    title="Deep learning.",
    creators=(Creator("LeCun", "Yann"),),
    date=PartialDate("2015", 2015),
    container="Nature",
    tags=("ml",),
    keywords=("Deep learning",),
    status="To read",
    note="My reading notes",
)
CROSSREF = Record(
    origin=Origin("crossref:10.1038/nature14539", format="crossref"),
    ids=Identifiers(doi="10.1038/nature14539"),
    title="Deep learning",
    creators=(Creator("LeCun", "Yann"), Creator("Bengio", "Yoshua"), Creator("Hinton", "Geoffrey")),
    date=PartialDate("2015-05-27", 2015, 5, 27),
    container="Nature",
    volume="521",
    issue="7553",
    pages="436-444",
    abstract="Deep learning allows computational models ...",
    item_type="journalArticle",
    fields={"libraryCatalog": "Crossref", "url": "https://www.nature.com/articles/nature14539"},
)
PUBMED = Record(
    origin=Origin("pubmed:26017442", format="pubmed-xml"),
    ids=Identifiers(doi="10.1038/nature14539", pmid="26017442"),
    title="Deep learning.",
    abstract="BACKGROUND: structured abstract",
    journal_abbreviation="Nature",
    language="en",
    mesh=(MeshHeading("Neural Networks, Computer", major=True),),
    notices=(UpdateNotice("correction", pmid="99999999"),),
    fields={"libraryCatalog": "PubMed"},
)
T1, T2 = "2026-11-23T10:00:00Z", "2026-11-23T10:00:05Z"


def merged():
    return merge(NOTE, [SourceRecord("crossref", CROSSREF, T1), SourceRecord("pubmed", PUBMED, T2)])


def test_bibliographic_fields_come_from_crossref_descriptive_ones_from_pubmed() -> None:
    result = merged()
    assert result.record.title == "Deep learning"
    assert len(result.record.creators) == 3
    assert result.record.volume == "521"
    assert result.record.abstract == "BACKGROUND: structured abstract"
    assert result.record.mesh[0].descriptor == "Neural Networks, Computer"
    assert result.provenance["title"].source == "crossref"
    assert result.provenance["title"].fetched_at == T1
    assert result.provenance["abstract"].source == "pubmed"
    assert result.provenance["abstract"].fetched_at == T2


def test_the_users_own_fields_are_kept() -> None:
    result = merged().record
    assert (result.tags, result.keywords, result.status, result.note) == (
        ("ml",), ("Deep learning",), "To read", "My reading notes",
    )
    assert result.origin == NOTE.origin


def test_identifiers_are_completed_from_sources() -> None:
    result = merged()
    assert result.record.ids.doi == "10.1038/nature14539"
    assert result.record.ids.pmid == "26017442"
    assert result.provenance["doi"].source == "note"
    assert result.provenance["pmid"].source == "pubmed"


def test_notices_from_any_source_are_kept() -> None:
    assert [n.kind for n in merged().record.notices] == ["correction"]


def test_a_note_without_sources_stays_itself_with_note_provenance() -> None:
    result = merge(NOTE, [], ("crossref: not enriched: offline",))
    assert result.record.title == NOTE.title
    assert result.provenance["title"].source == "note"
    assert result.not_enriched == ("crossref: not enriched: offline",)
    assert result.disagreements == ()


def test_real_disagreements_are_reported_but_punctuation_is_not() -> None:
    note = Record(
        origin=NOTE.origin, ids=NOTE.ids, title="Deep learning.", date=PartialDate("2014", 2014),
        volume="520",
    )
    result = merge(note, [SourceRecord("crossref", CROSSREF, T1)])
    fields = {d.field: d.values for d in result.disagreements}
    assert "title" not in fields
    assert fields["date"] == (("crossref", "2015-05-27"), ("note", "2014"))
    assert fields["volume"] == (("crossref", "521"), ("note", "520"))


def test_extra_fields_follow_precedence_and_keep_their_source() -> None:
    result = merged()
    assert result.record.fields["libraryCatalog"] == "Crossref"
    assert result.provenance["fields.libraryCatalog"].source == "crossref"
    assert result.record.fields["url"] == "https://www.nature.com/articles/nature14539"
