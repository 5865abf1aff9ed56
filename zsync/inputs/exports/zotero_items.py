"""One item in Zotero's own JSON (API `data`, Better BibTeX JSON export) mapped to a Record.

Zotero's field names are used as they are: the container is whichever title field the item
type has (`publicationTitle`, `bookTitle`, `proceedingsTitle`, `websiteTitle` ...), the
publisher whichever base-mapped publisher field it has (`university`, `institution`,
`repository` ...). Identifiers Zotero keeps in Extra (`PMID: 123`, `PMCID: PMC4`, and
`DOI: ...` for types without a DOI field) are read from there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from zsync.inputs.exports.exportkit import (
    IdCollector,
    clean,
    normalize_pages,
    serial_numbers,
    unique,
)
from zsync.model.dates import parse_date
from zsync.model.records import Creator, Origin, Record

_CONTAINERS = (
    "publicationTitle",
    "bookTitle",
    "proceedingsTitle",
    "websiteTitle",
    "blogTitle",
    "encyclopediaTitle",
    "dictionaryTitle",
    "forumTitle",
    "programTitle",
    "reporter",
    "code",
)
_PUBLISHERS = (
    "publisher",
    "university",
    "institution",
    "repository",
    "company",
    "label",
    "studio",
    "network",
    "distributor",
    "court",
    "assignee",
)
_KEPT = (
    "shortTitle",
    "edition",
    "conferenceName",
    "seriesNumber",
    "numPages",
    "numberOfVolumes",
    "archive",
    "archiveLocation",
    "libraryCatalog",
    "callNumber",
    "accessDate",
    "rights",
    "citationKey",
    "thesisType",
    "reportType",
    "reportNumber",
    "archiveID",
    "university",
    "institution",
    "repository",
    "versionNumber",
    "patentNumber",
    "websiteType",
)


def zotero_to_record(data: Mapping[str, Any], origin: Origin) -> Record:
    """The Record for one Zotero item (the `data` object of an API item, or a BBT item)."""
    get = _Fields(data)
    extra = str(data.get("extra") or "")
    ids = IdCollector()
    ids.add_doi(get.text("DOI"))
    doi = re.search(r"^\s*DOI:\s*(\S+)", extra, re.IGNORECASE | re.MULTILINE)
    ids.add_doi(doi.group(1) if doi else None)
    ids.scan_labelled(extra)
    ids.scan_labelled(get.text("archiveID"))
    ids.scan_url(get.text("url"))
    issns, isbns = serial_numbers(" ".join(filter(None, (get.text("ISSN"), get.text("ISBN")))))
    ids.isbn = isbns
    return Record(
        origin=origin,
        ids=ids.build(),
        title=get.first("title", "caseName", "nameOfAct", "subject"),
        creators=tuple(_creators(data.get("creators"))),
        container=get.first(*_CONTAINERS),
        date=parse_date(get.first("date", "dateDecided", "dateEnacted", "issueDate", "filingDate")),
        volume=get.first("volume", "codeVolume", "reporterVolume"),
        issue=get.text("issue"),
        pages=normalize_pages(get.first("pages", "firstPage")),
        abstract=get.text("abstractNote"),
        language=get.text("language"),
        item_type=get.text("itemType"),
        publisher=get.first(*_PUBLISHERS),
        place=get.text("place"),
        series=get.first("series", "seriesTitle"),
        issn=tuple(issns),
        journal_abbreviation=get.text("journalAbbreviation"),
        keywords=tuple(_tags(data.get("tags"))),
        urls=tuple(unique([get.text("url")])),
        fields={name: value for name in _KEPT if (value := get.text(name))},
        note=extra.strip(),
    )


class _Fields:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data

    def text(self, name: str) -> str | None:
        value = self.data.get(name)
        return clean(value) if isinstance(value, str | int | float) else None

    def first(self, *names: str) -> str | None:
        return next((v for v in (self.text(n) for n in names) if v), None)


def _creators(creators: Any) -> list[Creator]:
    out: list[Creator] = []
    for entry in creators if isinstance(creators, list) else []:
        if not isinstance(entry, Mapping):
            continue
        role = str(entry.get("creatorType") or "author")
        name, family = clean(entry.get("name")), clean(entry.get("lastName"))
        given = clean(entry.get("firstName"))
        if name or (family and entry.get("fieldMode") == 1):
            out.append(Creator(name=name or family, role=role))
        elif family or given:
            out.append(Creator(family=family or given, given=given if family else None, role=role))
    return out


def _tags(tags: Any) -> list[str]:
    values = []
    for tag in tags if isinstance(tags, list) else []:
        values.append(clean(tag.get("tag")) if isinstance(tag, Mapping) else clean(tag))
    return unique(values)
