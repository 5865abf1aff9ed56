"""Pieces of a PubMed XML record: text, authors, abstract, dates, MeSH, languages, links."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeAlias

from zsync.model.cleanup import capitalize_name, capitalize_title, collapse_spaces, dot_initials
from zsync.model.partial_dates import pubmed_date
from zsync.model.records import AUTHOR, BOOK_AUTHOR, EDITOR, Creator, MeshHeading, PartialDate

if TYPE_CHECKING:  # lxml is for reading PubMed XML; MEDLINE's parser uses the rest
    from lxml import etree

Element: TypeAlias = "etree._Element"

# MEDLINE language codes (ISO 639-2/B) -> ISO 639-1, for the languages PubMed uses most.
LANGUAGES = {
    "afr": "af", "alb": "sq", "ara": "ar", "arm": "hy", "aze": "az", "bel": "be", "ben": "bn",
    "bos": "bs", "bul": "bg", "cat": "ca", "chi": "zh", "cze": "cs", "dan": "da", "dut": "nl",
    "eng": "en", "epo": "eo", "est": "et", "fin": "fi", "fre": "fr", "geo": "ka", "ger": "de",
    "gre": "el", "heb": "he", "hin": "hi", "hrv": "hr", "hun": "hu", "ice": "is", "ind": "id",
    "ita": "it", "jpn": "ja", "kor": "ko", "lat": "la", "lav": "lv", "lit": "lt", "mac": "mk",
    "mal": "ml", "may": "ms", "nor": "no", "per": "fa", "pol": "pl", "por": "pt", "pus": "ps",
    "rum": "ro", "rus": "ru", "slo": "sk", "slv": "sl", "spa": "es", "srp": "sr", "swe": "sv",
    "tha": "th", "tur": "tr", "ukr": "uk", "urd": "ur", "vie": "vi", "wel": "cy",
}
_UNDETERMINED = {"und", "mul", "zxx"}


def text_of(element: Element | None) -> str | None:
    """All text inside `element` (inline markup included), whitespace collapsed."""
    if element is None:
        return None
    return collapse_spaces("".join(element.itertext())) or None


def first_text(element: Element | None, path: str) -> str | None:
    return text_of(element.find(path)) if element is not None else None


def all_texts(element: Element | None, path: str) -> tuple[str, ...]:
    if element is None:
        return ()
    return tuple(t for t in (text_of(e) for e in element.findall(path)) if t)


def strip_final_period(title: str | None) -> str | None:
    """One trailing period removed, as Zotero does for PubMed titles."""
    if title and title.endswith("."):
        return title[:-1].rstrip() or None
    return title


def journal_title(title: str | None) -> str | None:
    """NLM writes journal titles in sentence case; Zotero title-cases them unless the title
    holds what looks like an acronym (two capitals) and is not entirely upper case."""
    if not title:
        return None
    title = collapse_spaces(title)
    has_acronym = re.search(r"\b[A-Z]{2}", title) is not None
    if has_acronym and (title.upper() != title or " " not in title):
        return title
    return capitalize_title(title)


def _person(author: Element, role: str) -> Creator | None:
    family = first_text(author, "LastName")
    if not family:
        name = first_text(author, "CollectiveName")
        return Creator(name=name, role=role) if name else None
    given = first_text(author, "ForeName") or first_text(author, "FirstName")
    initials = first_text(author, "Initials")
    if not given and initials:
        given = " ".join(initials.replace(" ", ""))  # "JM" -> "J M": these are initials
    given = capitalize_name(dot_initials(given, family)) if given else None
    suffix = first_text(author, "Suffix")
    if given and suffix:
        given = f"{given}, {suffix}"
    return Creator(family=capitalize_name(family), given=given or None, role=role)


def authors(author_lists: Iterable[Element], *, book_level: bool = False) -> list[Creator]:
    """Creators of `AuthorList`s; `Type="editors"` gives editors. `book_level`: the list
    names the authors of the book a section belongs to (`bookAuthor`)."""
    out = []
    for author_list in author_lists:
        editors = author_list.get("Type") == "editors"
        role = EDITOR if editors else (BOOK_AUTHOR if book_level else AUTHOR)
        for author in author_list.findall("Author"):
            if author.get("ValidYN") == "N":
                continue  # a name NLM marked as wrong (corrected by an erratum)
            creator = _person(author, role)
            if creator is not None:
                out.append(creator)
    return out


def abstract(abstract_element: Element | None) -> str | None:
    """`LABEL: text` paragraphs, one a line (no label for UNLABELLED); copyright left out."""
    if abstract_element is None:
        return None
    paragraphs = []
    for section in abstract_element.findall("AbstractText"):
        body = text_of(section)
        if not body:
            continue
        label = (section.get("Label") or "").strip()
        paragraphs.append(f"{label}: {body}" if label and label != "UNLABELLED" else body)
    return "\n".join(paragraphs) or None


def publication_date(pub_date: Element | None) -> PartialDate | None:
    if pub_date is None:
        return None
    return pubmed_date(
        first_text(pub_date, "Year"),
        first_text(pub_date, "Month"),
        first_text(pub_date, "Day"),
        season=first_text(pub_date, "Season"),
        medline_date=first_text(pub_date, "MedlineDate"),
    )


def mesh_headings(citation: Element) -> tuple[MeshHeading, ...]:
    out = []
    for heading in citation.findall("MeshHeadingList/MeshHeading"):
        descriptor = heading.find("DescriptorName")
        name = text_of(descriptor)
        if descriptor is None or not name:
            continue
        qualifiers = heading.findall("QualifierName")
        major = descriptor.get("MajorTopicYN") == "Y" or any(
            q.get("MajorTopicYN") == "Y" for q in qualifiers
        )
        names = tuple(t for t in (text_of(q) for q in qualifiers) if t)
        out.append(MeshHeading(descriptor=name, major=major, qualifiers=names,
                               ui=descriptor.get("UI")))
    return tuple(out)


def language(codes: Iterable[str]) -> str | None:
    """ISO 639-1 codes where known (`eng` -> `en`), others as given; several joined by ", "."""
    found: list[str] = []
    for code in codes:
        code = code.strip().lower()
        if code and code not in _UNDETERMINED:
            mapped = LANGUAGES.get(code, code)
            if mapped not in found:
                found.append(mapped)
    return ", ".join(found) or None


def comments_corrections(citation: Element) -> list[tuple[str, str | None, str | None]]:
    """(RefType, RefSource, PMID) for each CommentsCorrections link."""
    return [
        (link.get("RefType") or "", first_text(link, "RefSource"), first_text(link, "PMID"))
        for link in citation.findall("CommentsCorrectionsList/CommentsCorrections")
    ]


def article_id(id_list: Element | None, id_type: str) -> str | None:
    """The ArticleId of one type in this `ArticleIdList` only (not in cited references)."""
    if id_list is None:
        return None
    for item in id_list.findall("ArticleId"):
        if item.get("IdType") == id_type:
            return text_of(item)
    return None


def elocation(article: Element, id_type: str) -> str | None:
    for item in article.findall("ELocationID"):
        if item.get("EIdType") == id_type and item.get("ValidYN", "Y") != "N":
            return text_of(item)
    return None
