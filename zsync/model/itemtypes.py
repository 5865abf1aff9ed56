"""Zotero item types: from the type words sources use, and inferred when a note names none."""

from __future__ import annotations

import re
from dataclasses import replace

from zsync.model.records import EDITOR, Record

# Type words from notes, BibTeX, RIS, CSL, MEDLINE, catalogues (lower case) -> Zotero type.
_LABELS = {
    "journalarticle": "journalArticle",
    "article": "journalArticle",
    "article-journal": "journalArticle",
    "journal article": "journalArticle",
    "journal-article": "journalArticle",
    "jour": "journalArticle",
    "ejour": "journalArticle",
    "research article": "journalArticle",
    "review": "journalArticle",
    "artículo": "journalArticle",
    "artigo": "journalArticle",
    "aufsatz": "journalArticle",
    "zeitschriftenartikel": "journalArticle",
    "booksection": "bookSection",
    "book section": "bookSection",
    "book chapter": "bookSection",
    "book-chapter": "bookSection",
    "chapter": "bookSection",
    "chap": "bookSection",
    "inbook": "bookSection",
    "incollection": "bookSection",
    "kapitel": "bookSection",
    "book": "book",
    "monograph": "book",
    "ebook": "book",
    "libro": "book",
    "buch": "book",
    "conferencepaper": "conferencePaper",
    "conference paper": "conferencePaper",
    "inproceedings": "conferencePaper",
    "conference": "conferencePaper",
    "paper-conference": "conferencePaper",
    "proceedings-article": "conferencePaper",
    "conf": "conferencePaper",
    "cpaper": "conferencePaper",
    "preprint": "preprint",
    "posted-content": "preprint",
    "unpublished": "manuscript",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "dissertation": "thesis",
    "thes": "thesis",
    "report": "report",
    "techreport": "report",
    "rprt": "report",
    "dataset": "dataset",
    "data": "dataset",
    "webpage": "webpage",
    "elec": "webpage",
    "online": "webpage",
    "misc": "document",
    "document": "document",
    "manuscript": "manuscript",
    "magazinearticle": "magazineArticle",
    "magazine article": "magazineArticle",
    "newspaperarticle": "newspaperArticle",
    "newspaper article": "newspaperArticle",
    "standard": "standard",
    "patent": "patent",
    "pat": "patent",
}


# Every item type of Zotero's schema (version 41), by lower-case name.
_ZOTERO_TYPES = {
    t.lower(): t
    for t in (
        "artwork audioRecording bill blogPost book bookSection case computerProgram "
        "conferencePaper dataset dictionaryEntry document email encyclopediaArticle film "
        "forumPost hearing instantMessage interview journalArticle letter magazineArticle "
        "manuscript map newspaperArticle patent podcast preprint presentation radioBroadcast "
        "report standard statute thesis tvBroadcast videoRecording webpage"
    ).split()
}


def from_label(label: str | None) -> str | None:
    """The Zotero item type a source's type word means, or None if unknown."""
    if not label:
        return None
    if label.lower() in _ZOTERO_TYPES:
        return _ZOTERO_TYPES[label.lower()]
    key = re.sub(r"[\[\]_]", "", label).strip().lower()
    return _LABELS.get(key) or _LABELS.get(key.replace(" ", ""))


def infer(record: Record) -> str:
    """A best guess for a record whose source named no type."""
    if record.ids.arxiv and not record.container:
        return "preprint"
    has_editors = any(c.role == EDITOR for c in record.creators)
    if record.ids.isbn or has_editors:
        return "bookSection" if record.container else "book"
    container = (record.container or "").lower()
    if "proceedings" in container or "conference" in container:
        return "conferencePaper"
    return "journalArticle"


def with_item_type(record: Record) -> Record:
    """The record with `item_type` set: mapped from its own word, else inferred."""
    mapped = from_label(record.item_type)
    if mapped and mapped == record.item_type:
        return record
    return replace(record, item_type=mapped or infer(record))
