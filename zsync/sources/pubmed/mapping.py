"""PubMed XML (an EFetch `PubmedArticleSet`) to `Record`s.

Follows Zotero's "PubMed XML" import translator: ArticleTitle (else VernacularTitle) without
its final period, `LABEL: text` abstract paragraphs, MedlinePgn with abbreviated ranges
expanded (else the pii ELocationID), ISOAbbreviation (else MedlineTA), NLM journal titles in
Title Case, DOI and PMCID from the article's own `PubmedData/ArticleIdList` (never from the
cited references), PublicationType "Preprint" giving `preprint` (pii -> archiveID, journal ->
repository), `PubmedBookArticle` giving bookSection (with ArticleTitle) or book.
Beyond Zotero: languages as ISO 639-1, MeSH qualifiers and major flags, publication types,
retraction/erratum/update links (`notices`), ELocationID DOI as a fallback, and for book
sections the book's authors as `bookAuthor`.

The same parser reads PubMed XML files users hand to zsync: pass `origin_path` and every
record gets the file's path and the lines of its element.
"""

from __future__ import annotations

import re

from lxml import etree

from zsync.model.identifiers import normalize_doi, normalize_isbn, normalize_pmcid, normalize_pmid
from zsync.model.notices import pubmed_notices
from zsync.model.pages import expand_page_range
from zsync.model.records import Identifiers, Origin, PartialDate, Record
from zsync.sources.pubmed import parts
from zsync.sources.pubmed.parts import Element, all_texts, first_text
from zsync.sources.pubmed.xml import PubmedXmlError

LIBRARY_CATALOG = "PubMed"
FORMAT = "pubmed-xml"
PREPRINT_UI = "D000076942"
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parse(data: bytes | str) -> Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True)
    if isinstance(data, str):
        data = _XML_DECLARATION.sub("", data, count=1)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise PubmedXmlError(f"not well-formed XML: {error}") from error
    if root is None:
        raise PubmedXmlError("empty document")
    return root


def _entries(root: Element) -> list[Element]:
    if root.tag in ("PubmedArticle", "PubmedBookArticle"):
        return [root]
    if root.tag == "PubmedArticleSet":
        return [e for e in root if e.tag in ("PubmedArticle", "PubmedBookArticle")]
    error = first_text(root, ".//ERROR")
    raise PubmedXmlError(error or f"not a PubmedArticleSet (root element <{root.tag}>)")


def parse_pubmed_xml(data: bytes | str, origin_path: str | None = None) -> list[Record]:
    """Records for every PubmedArticle and PubmedBookArticle in `data`, in document order.

    Without `origin_path` each record's origin is `pubmed:<pmid>`; with it, the file's path
    and the element's 1-based line span. Raises `PubmedXmlError` for data that is not
    PubMed XML.
    """
    records = []
    for position, entry in enumerate(_entries(_parse(data)), start=1):
        if entry.tag == "PubmedArticle":
            records.append(_article(entry, position, origin_path))
        else:
            records.append(_book(entry, position, origin_path))
    return records


def _origin(entry: Element, pmid: str | None, position: int, path: str | None) -> Origin:
    if path is None:
        return Origin(path=f"pubmed:{pmid or ''}", format=FORMAT, position=position)
    lines = [e.sourceline for e in entry.iter() if isinstance(e.sourceline, int)]
    start = entry.sourceline or 1
    return Origin(path=path, line=start, end_line=max(lines, default=start), format=FORMAT,
                  position=position)


def _pages(article: Element, preprint: bool) -> tuple[str | None, str | None]:
    """(pages, archiveID): MedlinePgn expanded, else the pii; a preprint's pii is its ID."""
    pages = expand_page_range(first_text(article, "Pagination/MedlinePgn"))
    pii = parts.elocation(article, "pii")
    if preprint:
        return pages, pii
    return pages or pii, None


def _journal(article: Element, citation: Element) -> tuple[str | None, str | None]:
    """(journal title, abbreviation)."""
    journal = article.find("Journal")
    abbreviation = first_text(journal, "ISOAbbreviation") or first_text(
        citation, "MedlineJournalInfo/MedlineTA")
    return parts.journal_title(first_text(journal, "Title")) or abbreviation, abbreviation


def _warnings(pmid: str | None, title: str | None) -> tuple[str, ...]:
    found = []
    if not pmid:
        found.append("PubMed record without a PMID")
    if not title:
        found.append("PubMed record without a title")
    return tuple(found)


def _article(entry: Element, position: int, origin_path: str | None) -> Record:
    citation = entry.find("MedlineCitation")
    if citation is None:
        citation = etree.Element("MedlineCitation")
    article = citation.find("Article")
    if article is None:
        article = etree.Element("Article")
    pmid = normalize_pmid(first_text(citation, "PMID"))
    type_elements = article.findall("PublicationTypeList/PublicationType")
    preprint = any(e.get("UI") == PREPRINT_UI for e in type_elements)
    publication_types = all_texts(article, "PublicationTypeList/PublicationType")
    title = parts.strip_final_period(
        first_text(article, "ArticleTitle") or first_text(article, "VernacularTitle"))
    container, abbreviation = _journal(article, citation)
    pages, archive_id = _pages(article, preprint)
    id_list = entry.find("PubmedData/ArticleIdList")
    doi = parts.article_id(id_list, "doi") or parts.elocation(article, "doi")
    fields = {"libraryCatalog": LIBRARY_CATALOG}
    if preprint:
        fields.update({k: v for k, v in (("archiveID", archive_id), ("repository", container))
                       if v})
    issue = article.find("Journal/JournalIssue")
    return Record(
        origin=_origin(entry, pmid, position, origin_path),
        ids=Identifiers(doi=normalize_doi(doi), pmid=pmid,
                        pmcid=normalize_pmcid(parts.article_id(id_list, "pmc"))),
        title=title,
        creators=tuple(parts.authors(article.findall("AuthorList"))),
        container=container,
        date=parts.publication_date(issue.find("PubDate") if issue is not None else None),
        volume=first_text(issue, "Volume"),
        issue=first_text(issue, "Issue"),
        pages=pages,
        abstract=parts.abstract(article.find("Abstract")),
        language=parts.language(all_texts(article, "Language")),
        item_type="preprint" if preprint else "journalArticle",
        issn=tuple(dict.fromkeys(all_texts(article, "Journal/ISSN"))),
        journal_abbreviation=abbreviation,
        keywords=tuple(dict.fromkeys(all_texts(citation, "KeywordList/Keyword"))),
        mesh=parts.mesh_headings(citation),
        publication_types=publication_types,
        notices=pubmed_notices(parts.comments_corrections(citation), publication_types),
        fields=fields,
        warnings=_warnings(pmid, title),
    )


def _book_fields(document: Element, book: Element) -> dict[str, str]:
    fields = {"libraryCatalog": LIBRARY_CATALOG}
    for name, value in (
        ("edition", first_text(book, "Edition")),
        ("rights", first_text(document, "Abstract/CopyrightInformation")),
        ("callNumber", parts.article_id(document.find("ArticleIdList"), "bookaccession")),
    ):
        if value:
            fields[name] = value
    return fields


def _book_date(book: Element) -> PartialDate | None:
    return parts.publication_date(book.find("PubDate"))


def _book(entry: Element, position: int, origin_path: str | None) -> Record:
    document = entry.find("BookDocument")
    if document is None:
        document = etree.Element("BookDocument")
    book = document.find("Book")
    if book is None:
        book = etree.Element("Book")
    pmid = normalize_pmid(first_text(document, "PMID"))
    section = parts.strip_final_period(first_text(document, "ArticleTitle"))
    book_title = parts.strip_final_period(first_text(book, "BookTitle"))
    creators = parts.authors(document.findall("AuthorList")) if section else []
    creators += parts.authors(book.findall("AuthorList"), book_level=bool(section))
    fields = _book_fields(document, book)
    accession = fields.get("callNumber")
    publication_types = all_texts(document, "PublicationType")
    isbns = (normalize_isbn(i) for i in all_texts(book, "Isbn"))
    return Record(
        origin=_origin(entry, pmid, position, origin_path),
        ids=Identifiers(pmid=pmid, isbn=tuple(dict.fromkeys(i for i in isbns if i))),
        title=section or book_title,
        creators=tuple(creators),
        container=book_title if section else None,
        date=_book_date(book),
        volume=first_text(book, "Volume"),
        abstract=parts.abstract(document.find("Abstract")),
        language=parts.language(all_texts(document, "Language")),
        item_type="bookSection" if section else "book",
        publisher=first_text(book, "Publisher/PublisherName"),
        place=first_text(book, "Publisher/PublisherLocation"),
        series=first_text(book, "CollectionTitle"),
        urls=(f"https://www.ncbi.nlm.nih.gov/books/{accession}/",) if accession else (),
        publication_types=publication_types,
        notices=pubmed_notices(parts.comments_corrections(document), publication_types),
        fields=fields,
        warnings=_warnings(pmid, section or book_title),
    )
