"""PubMed XML to Records: structure, identifiers, authors, dates, languages, errors, lines."""

from __future__ import annotations

import pytest

from tests.shared_files import PUBMED_EFETCH, shared_file
from zsync.model.records import MeshHeading, PartialDate, Record
from zsync.sources.pubmed.mapping import PubmedXmlError, parse_pubmed_xml


def _article(article: str = "", citation: str = "", data: str = "", pmid: str = "1") -> str:
    return (
        "<PubmedArticle><MedlineCitation><PMID Version='1'>" + pmid + "</PMID>"
        "<Article><Journal><Title>Some journal</Title></Journal>" + article + "</Article>"
        + citation + "</MedlineCitation><PubmedData>" + data + "</PubmedData></PubmedArticle>"
    )


def _one(article: str = "", citation: str = "", data: str = "") -> Record:
    (record,) = parse_pubmed_xml(f"<PubmedArticleSet>{_article(article, citation, data)}"
                                 "</PubmedArticleSet>")
    return record


def test_ids_come_from_the_article_not_from_its_references() -> None:
    path = shared_file(PUBMED_EFETCH / "pmid_29963580_collective_author.xml")
    text = path.read_text("utf-8")
    assert text.count('IdType="doi"') > 1  # cited references carry DOIs too
    (record,) = parse_pubmed_xml(text)
    assert record.ids.doi == "10.1117/1.jmi.5.2.026002"
    assert record.ids.pmcid == "PMC6022861"
    assert record.ids.pmid == "29963580"


def test_doi_falls_back_to_elocation_id() -> None:
    record = _one("<ELocationID EIdType='doi' ValidYN='Y'>10.1234/X</ELocationID>",
                  data="<ArticleIdList><ArticleId IdType='pubmed'>1</ArticleId></ArticleIdList>")
    assert record.ids.doi == "10.1234/x"


def test_title_loses_one_period_and_keeps_inline_markup_text() -> None:
    record = _one("<ArticleTitle>Effect of <i>E. coli</i> on CO<sub>2</sub>.</ArticleTitle>")
    assert record.title == "Effect of E. coli on CO2"


def test_vernacular_title_when_article_title_is_empty() -> None:
    record = _one("<ArticleTitle></ArticleTitle><VernacularTitle>Über Dinge.</VernacularTitle>")
    assert record.title == "Über Dinge"


def test_authors_initials_suffix_collective_and_invalid() -> None:
    record = _one(
        "<AuthorList>"
        "<Author><LastName>Smith</LastName><ForeName>John A</ForeName><Suffix>Jr</Suffix></Author>"
        "<Author><LastName>DOE</LastName><Initials>JM</Initials></Author>"
        "<Author ValidYN='N'><LastName>Wrong</LastName><ForeName>Name</ForeName></Author>"
        "<Author><CollectiveName>The <i>Study</i> Group</CollectiveName></Author>"
        "</AuthorList><AuthorList Type='editors'>"
        "<Author><LastName>Ed</LastName><ForeName>A B</ForeName></Author></AuthorList>"
    )
    assert [(c.family, c.given, c.name, c.role) for c in record.creators] == [
        ("Smith", "John A., Jr", None, "author"),
        ("Doe", "J. M.", None, "author"),
        (None, None, "The Study Group", "author"),
        ("Ed", "A. B.", None, "editor"),
    ]


@pytest.mark.parametrize(
    ("pub_date", "expected"),
    [
        ("<Year>2008</Year><Month>Feb</Month>", PartialDate("2008-02", 2008, 2)),
        ("<Year>2008</Year><Month>07</Month><Day>4</Day>", PartialDate("2008-07-04", 2008, 7, 4)),
        ("<Year>1990</Year><Season>Spring</Season>", PartialDate("1990 Spring", 1990)),
        ("<MedlineDate>2010 Sep-Oct</MedlineDate>", PartialDate("2010 Sep-Oct", 2010)),
        ("<MedlineDate>Winter 1998-1999</MedlineDate>", PartialDate("Winter 1998-1999", 1998)),
        ("<Year>2001</Year>", PartialDate("2001", 2001)),
    ],
)
def test_pub_date(pub_date: str, expected: PartialDate) -> None:
    record = _one(f"<Journal><JournalIssue><PubDate>{pub_date}</PubDate></JournalIssue>"
                  "</Journal>")
    assert record.date == expected


def test_pages_expanded_else_pii() -> None:
    assert _one("<Pagination><MedlinePgn>132-42</MedlinePgn></Pagination>"
                ).pages == "132-142"
    record = _one("<ELocationID EIdType='pii'>e123</ELocationID>")
    assert record.pages == "e123"


def test_languages_mesh_keywords_and_abstract() -> None:
    record = _one(
        "<Abstract><AbstractText Label='UNLABELLED'>Plain.</AbstractText>"
        "<AbstractText Label='METHODS'>We  did\n things.</AbstractText>"
        "<AbstractText Label='EMPTY'></AbstractText>"
        "<CopyrightInformation>(c) Us</CopyrightInformation></Abstract>"
        "<Language>ENG</Language><Language>ger</Language><Language>und</Language>"
        "<Language>xyz</Language>",
        citation="<MeshHeadingList><MeshHeading>"
        "<DescriptorName UI='D1' MajorTopicYN='N'>Burns</DescriptorName>"
        "<QualifierName UI='Q1' MajorTopicYN='Y'>therapy</QualifierName></MeshHeading>"
        "</MeshHeadingList><KeywordList><Keyword>k1</Keyword><Keyword>k1</Keyword>"
        "</KeywordList>",
    )
    assert record.abstract == "Plain.\nMETHODS: We did things."
    assert record.language == "en, de, xyz"
    assert record.mesh == (MeshHeading("Burns", True, ("therapy",), "D1"),)
    assert record.keywords == ("k1",)


def test_preprint_type_gives_preprint_with_archive_id_and_repository() -> None:
    record = _one("<ELocationID EIdType='pii'>rs.3.rs-1</ELocationID><PublicationTypeList>"
                  "<PublicationType UI='D000076942'>Preprint</PublicationType>"
                  "</PublicationTypeList>")
    assert record.item_type == "preprint"
    assert record.pages is None
    assert record.fields["archiveID"] == "rs.3.rs-1"
    assert record.fields["repository"] == "Some Journal"


def test_book_section_with_book_authors_and_editors() -> None:
    xml = (
        "<PubmedArticleSet><PubmedBookArticle><BookDocument><PMID>5</PMID>"
        "<ArticleIdList><ArticleId IdType='bookaccession'>NBK9</ArticleId></ArticleIdList>"
        "<Book><Publisher><PublisherName>P</PublisherName></Publisher>"
        "<BookTitle>The Book.</BookTitle><PubDate><Year>2020</Year></PubDate>"
        "<AuthorList Type='authors'><Author><LastName>Whole</LastName>"
        "<ForeName>Book</ForeName></Author></AuthorList>"
        "<AuthorList Type='editors'><Author><LastName>Ed</LastName>"
        "<ForeName>Itor</ForeName></Author></AuthorList>"
        "<CollectionTitle>Series</CollectionTitle><Isbn>0306406152</Isbn></Book>"
        "<ArticleTitle>A Chapter</ArticleTitle>"
        "<AuthorList><Author><LastName>Chap</LastName><ForeName>Ter</ForeName></Author>"
        "</AuthorList></BookDocument></PubmedBookArticle></PubmedArticleSet>"
    )
    (record,) = parse_pubmed_xml(xml)
    assert record.item_type == "bookSection"
    assert (record.title, record.container, record.series) == ("A Chapter", "The Book", "Series")
    assert [(c.family, c.role) for c in record.creators] == [
        ("Chap", "author"), ("Whole", "bookAuthor"), ("Ed", "editor")]
    assert record.ids.isbn == ("9780306406157",)
    assert record.urls == ("https://www.ncbi.nlm.nih.gov/books/NBK9/",)
    assert record.fields["callNumber"] == "NBK9"


def test_origin_lines_when_parsing_a_file() -> None:
    path = shared_file(PUBMED_EFETCH / "pmid_20729678_medlinedate.xml")
    (record,) = parse_pubmed_xml(path.read_bytes(), origin_path="notes/export.xml")
    assert (record.origin.path, record.origin.format) == ("notes/export.xml", "pubmed-xml")
    assert (record.origin.line, record.origin.end_line) == (4, 104)
    (fetched,) = parse_pubmed_xml(path.read_bytes())
    assert fetched.origin.path == "pubmed:20729678"


def test_positions_and_lines_of_several_articles() -> None:
    xml = "<PubmedArticleSet>\n" + _article(pmid="1") + "\n" + _article(pmid="2") + "\n</PubmedArticleSet>"
    records = parse_pubmed_xml(xml.encode(), origin_path="f.xml")
    assert [(r.ids.pmid, r.origin.position, r.origin.line) for r in records] == [
        ("1", 1, 2), ("2", 2, 3)]


def test_str_with_encoding_declaration_and_single_article_root() -> None:
    xml = "<?xml version='1.0' encoding='ISO-8859-1'?>" + _article(pmid="7")
    (record,) = parse_pubmed_xml(xml)
    assert record.ids.pmid == "7"
    assert "PubMed record without a title" in record.warnings


def test_empty_article_set() -> None:
    assert parse_pubmed_xml(b"<PubmedArticleSet></PubmedArticleSet>") == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<PubmedArticleSet><oops", "not well-formed"),
        (b"<eFetchResult><ERROR>ID list is empty! Possibly it has no correct IDs.</ERROR>"
         b"</eFetchResult>", "ID list is empty"),
        (b"<html><body>hi</body></html>", "not a PubmedArticleSet"),
    ],
)
def test_errors(data: bytes, message: str) -> None:
    with pytest.raises(PubmedXmlError, match=message):
        parse_pubmed_xml(data)


def test_external_entities_are_not_resolved() -> None:
    xml = (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
           b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
           b"<ArticleTitle>&e;</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
           b"</PubmedArticleSet>")
    (record,) = parse_pubmed_xml(xml)
    assert record.title is None or "root:" not in record.title
