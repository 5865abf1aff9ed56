"""Crossref work JSON (the `message` of `/works/{doi}`) to a `Record`.

Follows Zotero's "Crossref REST" translator, with these deliberate differences:
- Authors of a book chapter stay `author`. The REST translator makes them `bookAuthor`, but the
  `author` list of a chapter record holds the chapter's own authors (Zotero's Unixref XML
  translator, which DOI look-ups actually use, keeps chapter contributors as `author` and gives
  `bookAuthor` only to the book-level contributors, which the REST JSON does not carry).
- `article-number` is used as pages when there is no `page` (as the Unixref translator does
  with `item_number`); abbreviated page ranges are expanded.
- Titles and abstracts are plain text; JATS section titles become `Label: ` prefixes.
- A preprint's repository is `institution[0].name` (bioRxiv), else `group-title`, else the
  publisher; `group-title` is a subject area on bioRxiv/medRxiv.
- posted-content working papers and reports become `report`, dissertations `thesis`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from zsync.model.cleanup import capitalize_name, jats_to_text, repair_mojibake, strip_markup
from zsync.model.identifiers import normalize_doi, normalize_isbn
from zsync.model.notices import crossref_notices
from zsync.model.pages import expand_page_range
from zsync.model.partial_dates import crossref_date
from zsync.model.records import (
    AUTHOR,
    CONTRIBUTOR,
    EDITOR,
    TRANSLATOR,
    Creator,
    Identifiers,
    Origin,
    PartialDate,
    Record,
)

LIBRARY_CATALOG = "Crossref"

_TYPES = {
    **dict.fromkeys(("journal", "journal-article", "journal-volume", "journal-issue"),
                    "journalArticle"),
    **dict.fromkeys(("report", "report-series", "report-component"), "report"),
    **dict.fromkeys(("book", "book-series", "book-set", "book-track", "monograph",
                     "reference-book", "edited-book"), "book"),
    **dict.fromkeys(("book-chapter", "book-part", "book-section", "reference-entry"),
                    "bookSection"),
    "standard": "standard",
    "dataset": "dataset",
    "database": "dataset",
    **dict.fromkeys(("proceedings", "proceedings-article", "proceedings-series"),
                    "conferencePaper"),
    "dissertation": "thesis",
    "peer-review": "manuscript",
}
_POSTED_CONTENT = {
    "preprint": "preprint",
    "working_paper": "report",
    "report": "report",
    "dissertation": "thesis",
}
# Item types whose container-title is the work's container (journal, book, proceedings);
# Zotero files it as a book's `series` and as `seriesTitle` of the other types.
_CONTAINED = frozenset({"journalArticle", "bookSection", "conferencePaper"})
_ROLES = {"author": AUTHOR, "editor": EDITOR, "chair": CONTRIBUTOR, "translator": TRANSLATOR}
_DATE_KEYS = ("published-print", "issued", "published-online", "published", "posted",
              "approved")


def crossref_item_type(work: Mapping[str, Any]) -> str:
    """The Zotero item type for a Crossref work (see the module docstring)."""
    kind = str(work.get("type") or "")
    if kind in _TYPES:
        return _TYPES[kind]
    if kind == "posted-content":
        return _POSTED_CONTENT.get(str(work.get("subtype") or ""), "blogPost")
    if kind == "other" and work.get("ISBN") and work.get("container-title"):
        return "bookSection"
    return "document"


def _text(value: Any) -> str | None:
    """Plain, repaired text of a string or number (or the first string of a list)."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return strip_markup(repair_mojibake(value)) or None


def crossref_title(work: Mapping[str, Any]) -> str | None:
    """title[0], with subtitle[0] appended after a colon unless the title already holds it."""
    title = _text((work.get("title") or [None])[0])
    subtitle = _text((work.get("subtitle") or [None])[0])
    if title and subtitle and subtitle.lower() not in title.lower():
        title = f"{title} {subtitle}" if title.endswith(":") else f"{title}: {subtitle}"
    return title


def _creator(entry: Mapping[str, Any], role: str) -> Creator | None:
    name = _text(entry.get("name"))
    if name:
        return Creator(name=name, role=role)
    family = _text(entry.get("family"))
    given = _text(entry.get("given"))
    if not family:
        return Creator(name=given, role=role) if given else None
    return Creator(family=capitalize_name(family),
                   given=capitalize_name(given) if given else None, role=role)


def crossref_creators(work: Mapping[str, Any]) -> tuple[Creator, ...]:
    out = []
    for key, role in _ROLES.items():
        for entry in work.get(key) or ():
            creator = _creator(entry, role)
            if creator is not None:
                out.append(creator)
    return tuple(out)


def crossref_work_date(work: Mapping[str, Any]) -> PartialDate | None:
    """Print date, else `issued`, else any other date Crossref gives (thesis: `approved`)."""
    for key in _DATE_KEYS:
        date = crossref_date(work.get(key))
        if date is not None:
            return date
    return None


def _first_institution(work: Mapping[str, Any]) -> Mapping[str, Any]:
    institutions = work.get("institution") or [{}]
    return institutions[0] if isinstance(institutions[0], Mapping) else {}


def _place(work: Mapping[str, Any]) -> str | None:
    event_place = _text((work.get("event") or {}).get("location"))
    if event_place:
        return event_place
    place = _first_institution(work).get("place")
    if isinstance(place, list) and place:
        return ", ".join(p for p in place if isinstance(p, str))
    return _text(work.get("publisher-location"))


def _type_fields(work: Mapping[str, Any], item_type: str) -> dict[str, str]:
    """Zotero fields that depend on the item type (thesis university, preprint repository...)."""
    institution = _text(_first_institution(work).get("name"))
    fields: dict[str, str | None] = {}
    if item_type == "thesis":
        degree = _text(work.get("degree"))
        fields["thesisType"] = strip_markup(re.sub(r"\(.+\)", "", degree)) if degree else None
        fields["university"] = institution
    elif item_type == "preprint":
        fields["repository"] = institution or _text(work.get("group-title"))
    elif item_type == "blogPost":
        fields["blogTitle"] = institution
    elif item_type == "report":
        fields["institution"] = institution
    elif item_type == "manuscript" and work.get("type") == "peer-review":
        fields["manuscriptType"] = "peer review"
    elif item_type == "conferencePaper":
        fields["conferenceName"] = _text((work.get("event") or {}).get("name"))
    return {k: v for k, v in fields.items() if v}


def _common_fields(work: Mapping[str, Any]) -> dict[str, str]:
    fields = {"libraryCatalog": LIBRARY_CATALOG}
    edition = work.get("edition-number")
    if edition:
        fields["edition"] = str(edition)
    licenses = work.get("license") or []
    if licenses and isinstance(licenses[0], Mapping) and licenses[0].get("URL"):
        fields["rights"] = str(licenses[0]["URL"])
    return fields


def _containers(work: Mapping[str, Any], item_type: str) -> tuple[str | None, ...]:
    """(container, series, seriesTitle) from container-title, as Zotero files them."""
    titles = [t for t in (_text(v) for v in work.get("container-title") or ()) if t]
    if not titles:
        return None, None, None
    if work.get("type") == "other" and item_type == "bookSection" and len(titles) >= 2:
        return titles[1], titles[0], None
    if item_type in _CONTAINED:
        return titles[0], None, None
    return (None, titles[0], None) if item_type == "book" else (None, None, titles[0])


def _abbreviation(work: Mapping[str, Any]) -> str | None:
    short = _text((work.get("short-container-title") or [None])[0])
    full = _text((work.get("container-title") or [None])[0])
    return short if short and short != full else None


def _pages(work: Mapping[str, Any]) -> str | None:
    return expand_page_range(_text(work.get("page")) or _text(work.get("article-number")))


def _abstract(value: Any) -> str | None:
    return jats_to_text(repair_mojibake(value)) if isinstance(value, str) else None


def _unique(values: Sequence[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _identifiers(work: Mapping[str, Any]) -> Identifiers:
    isbns = [normalize_isbn(str(v)) for v in work.get("ISBN") or ()]
    return Identifiers(doi=normalize_doi(work.get("DOI")), isbn=_unique(isbns))


def work_to_record(work: Mapping[str, Any]) -> Record:
    """A `Record` from one Crossref work (the `message` object, or a list item)."""
    item_type = crossref_item_type(work)
    ids = _identifiers(work)
    container, series, series_title = _containers(work, item_type)
    url = ((work.get("resource") or {}).get("primary") or {}).get("URL")
    kinds = (work.get("type"), work.get("subtype"))
    return Record(
        origin=Origin(path=f"crossref:{ids.doi or work.get('DOI') or ''}", format="crossref"),
        ids=ids,
        title=crossref_title(work),
        creators=crossref_creators(work),
        container=container,
        series=series,
        date=crossref_work_date(work),
        volume=_text(work.get("volume")),
        issue=_text(work.get("issue")),
        pages=_pages(work),
        abstract=_abstract(work.get("abstract")),
        language=_text(work.get("language")),
        item_type=item_type,
        publisher=_text(work.get("publisher")),
        place=_place(work),
        issn=_unique([_text(v) for v in work.get("ISSN") or ()]),
        journal_abbreviation=_abbreviation(work),
        urls=(url,) if isinstance(url, str) and url else (),
        publication_types=_unique([k for k in kinds if isinstance(k, str)]),
        notices=crossref_notices(work),
        fields={**_common_fields(work), **_type_fields(work, item_type),
                **({"seriesTitle": series_title} if series_title else {})},
    )
