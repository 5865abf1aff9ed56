"""One CSL-JSON item mapped to a Record, with Zotero's CSL mappings (zotero-schema `csl`).

Types: CSL type -> the first Zotero type Zotero maps to it (`article` is a preprint,
`chapter` a book section, `paper-conference` a conference paper ...). Names: CSL name roles
-> Zotero creator types (`container-author` is bookAuthor, `collection-editor`
seriesEditor), `literal` names are organisations, particles are joined to the family name
or the given name as CSL says. Dates: `date-parts`, else `raw`/`literal`. Zotero writes the
Extra field into `note`, so labelled identifiers there (`PMID: 123`) are read too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from zsync.inputs.exports.exportkit import (
    IdCollector,
    clean,
    date_from_parts,
    normalize_pages,
    serial_numbers,
    split_keywords,
    unique,
)
from zsync.model.dates import parse_date
from zsync.model.identifiers import normalize_citekey
from zsync.model.names import looks_like_organisation, parse_name
from zsync.model.records import Creator, Origin, PartialDate, Record

TYPES = {
    "article": "preprint",
    "article-journal": "journalArticle",
    "article-magazine": "magazineArticle",
    "article-newspaper": "newspaperArticle",
    "bill": "bill",
    "book": "book",
    "broadcast": "tvBroadcast",
    "chapter": "bookSection",
    "classic": "book",
    "collection": "book",
    "dataset": "dataset",
    "document": "document",
    "entry": "encyclopediaArticle",
    "entry-dictionary": "dictionaryEntry",
    "entry-encyclopedia": "encyclopediaArticle",
    "event": "presentation",
    "figure": "artwork",
    "graphic": "artwork",
    "hearing": "hearing",
    "interview": "interview",
    "legal_case": "case",
    "legislation": "statute",
    "manuscript": "manuscript",
    "map": "map",
    "motion_picture": "film",
    "musical_score": "audioRecording",
    "pamphlet": "book",
    "paper-conference": "conferencePaper",
    "patent": "patent",
    "performance": "presentation",
    "periodical": "book",
    "personal_communication": "letter",
    "post": "forumPost",
    "post-weblog": "blogPost",
    "regulation": "statute",
    "report": "report",
    "review": "journalArticle",
    "review-book": "journalArticle",
    "software": "computerProgram",
    "song": "audioRecording",
    "speech": "presentation",
    "standard": "standard",
    "thesis": "thesis",
    "treaty": "document",
    "webpage": "webpage",
}
# CSL name variable -> Zotero creator type.
ROLES = {
    "author": "author",
    "editor": "editor",
    "container-author": "bookAuthor",
    "collection-editor": "seriesEditor",
    "translator": "translator",
    "reviewed-author": "reviewedAuthor",
    "contributor": "contributor",
    "director": "director",
    "interviewer": "interviewer",
    "recipient": "recipient",
    "composer": "composer",
    "performer": "castMember",
    "producer": "producer",
    "script-writer": "scriptwriter",
    "guest": "guest",
    "host": "podcaster",
    "narrator": "narrator",
    "organizer": "organizer",
    "chair": "chair",
    "executive-producer": "executiveProducer",
    "original-author": "originalCreator",
    "series-creator": "seriesCreator",
}
# CSL variable -> Zotero field kept in `Record.fields`.
FIELDS = {
    "title-short": "shortTitle",
    "shortTitle": "shortTitle",
    "edition": "edition",
    "event-title": "conferenceName",
    "event": "conferenceName",
    "collection-number": "seriesNumber",
    "number-of-pages": "numPages",
    "number-of-volumes": "numberOfVolumes",
    "archive": "archive",
    "archive_location": "archiveLocation",
    "source": "libraryCatalog",
    "call-number": "callNumber",
    "version": "versionNumber",
    "medium": "medium",
    "citation-key": "citationKey",
    "license": "rights",
    "status": "status",
}


def csl_to_record(item: Mapping[str, Any], origin: Origin) -> Record:
    """The Record for one CSL item."""
    get = _Item(item)
    csl_type = (get.text("type") or "").lower()
    item_type = TYPES.get(csl_type)
    warnings = [] if item_type or not csl_type else [f"unknown CSL type {csl_type!r}"]
    fields = {zotero: v for csl, zotero in FIELDS.items() if (v := get.text(csl))}
    _typed_fields(get, item_type, fields)
    ids = _identifiers(get)
    issns, isbns = serial_numbers(" ".join(get.texts("ISSN") + get.texts("ISBN")))
    ids.isbn = unique([*ids.isbn, *isbns])
    return Record(
        origin=origin,
        ids=ids.build(),
        title=get.text("title"),
        creators=tuple(_creators(item)),
        container=get.text("container-title"),
        date=csl_date(item.get("issued")),
        volume=get.text("volume"),
        issue=get.text("issue"),
        pages=normalize_pages(get.text("page")),
        abstract=get.text("abstract"),
        language=get.text("language"),
        item_type=item_type,
        publisher=get.text("publisher"),
        place=get.text("publisher-place"),
        series=get.text("collection-title"),
        issn=tuple(issns),
        journal_abbreviation=get.text("container-title-short") or get.text("journalAbbreviation"),
        keywords=tuple(unique(k for v in get.texts("keyword") for k in split_keywords(v))),
        urls=tuple(get.texts("URL")),
        fields=fields,
        note=str(item.get("note") or "").strip(),
        warnings=tuple(warnings),
        citekey=normalize_citekey(get.text("citation-key")),
    )


class _Item:
    """Variables of a CSL item as text: numbers become strings, lists give their items."""

    def __init__(self, item: Mapping[str, Any]) -> None:
        self.item = item

    def texts(self, name: str) -> list[str]:
        value = self.item.get(name)
        values = value if isinstance(value, list) else [value]
        return unique(
            clean(v) for v in values if isinstance(v, str | int | float) and not isinstance(v, bool)
        )

    def text(self, name: str) -> str | None:
        found = self.texts(name)
        return found[0] if found else None


def _typed_fields(get: _Item, item_type: str | None, fields: dict[str, str]) -> None:
    genre, number, publisher = get.text("genre"), get.text("number"), get.text("publisher")
    if genre and item_type in ("thesis", "report", "manuscript", "webpage", "letter"):
        fields[
            {
                "thesis": "thesisType",
                "report": "reportType",
                "manuscript": "manuscriptType",
                "webpage": "websiteType",
                "letter": "letterType",
            }[item_type]
        ] = genre
    if number and item_type in ("report", "patent", "preprint", "bill"):
        fields[
            {
                "report": "reportNumber",
                "patent": "patentNumber",
                "preprint": "archiveID",
                "bill": "billNumber",
            }[item_type]
        ] = number
    if publisher and item_type in ("thesis", "report", "preprint"):
        fields[
            {"thesis": "university", "report": "institution", "preprint": "repository"}[item_type]
        ] = publisher
    accessed = csl_date(get.item.get("accessed"))
    if accessed and accessed.iso():
        fields["accessDate"] = accessed.iso()  # type: ignore[assignment]


def _identifiers(get: _Item) -> IdCollector:
    ids = IdCollector()
    for name, add in (("DOI", ids.add_doi), ("PMID", ids.add_pmid), ("PMCID", ids.add_pmcid)):
        for value in get.texts(name):
            add(value)
    for url in get.texts("URL"):
        ids.scan_url(url)
    for name in ("note", "number", "archive_location", "container-title", "extra"):
        for value in get.texts(name):
            ids.scan_labelled(value)
    for name in ("note", "extra"):  # Zotero's Extra: one `Label: value` a line
        raw = get.item.get(name)
        doi = re.search(r"^\s*DOI:\s*(\S+)", raw, re.I | re.M) if isinstance(raw, str) else None
        ids.add_doi(doi.group(1) if doi else None)
    return ids


def _creators(item: Mapping[str, Any]) -> list[Creator]:
    out: list[Creator] = []
    for variable, role in ROLES.items():
        names = item.get(variable)
        for name in names if isinstance(names, list) else [names] if names else []:
            creator = csl_name(name, role)
            if creator is not None:
                out.append(creator)
    return out


def csl_name(name: Any, role: str) -> Creator | None:
    """A CSL name object (family/given/particles/suffix, or literal) as a Creator."""
    if isinstance(name, str):
        return parse_name(name, role)
    if not isinstance(name, Mapping):
        return None
    part = {k: clean(v) or "" for k, v in name.items() if isinstance(v, str | int)}
    literal = part.get("literal") or (part.get("name") if not part.get("family") else "")
    if literal:
        return Creator(name=literal, role=role)
    family = " ".join(p for p in (part.get("non-dropping-particle"), part.get("family")) if p)
    given = " ".join(p for p in (part.get("given"), part.get("dropping-particle")) if p)
    if part.get("suffix"):
        given = f"{given}, {part['suffix']}" if given else part["suffix"]
    if not family:
        return parse_name(given, role) if given else None
    if not given and looks_like_organisation(family):
        return Creator(name=family, role=role)
    return Creator(family=family, given=given or None, role=role)


def csl_date(value: Any) -> PartialDate | None:
    """A CSL date: `{"date-parts": [[y, m, d]]}`, `{"raw": ...}`, `{"literal": ...}` or text."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, str | int):
        return parse_date(str(value))
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        first = parts[0]
        date = date_from_parts(*[*first, None, None][:3])
        if date:
            return date
    for key in ("raw", "literal"):
        if isinstance(value.get(key), str | int):
            date = parse_date(str(value[key]))
            if date:
                return date
    if value.get("year"):  # some exporters write {"year": 2020, "month": 3}
        return date_from_parts(value.get("year"), value.get("month"), value.get("day"))
    return None
