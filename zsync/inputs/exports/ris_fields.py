"""RIS tags mapped to a Record, following Zotero's RIS import translator.

Zotero's choices kept here: the TY table (including EndNote's and RefMan's extra types),
`T2` meaning the journal, book, conference or series depending on the type, `A2`/`A3`
meaning editor or series editor depending on the type, `DA` over `PY` for the date,
`SP`/`EP` joined into a range, `JO`/`JA`/`J2` as the journal abbreviation (used as the
journal when no full title is given), `AB` over `N2`, `M3` as a DOI when it is one, one
comma-separated `KW` split into several keywords. `SN` holds an ISSN or an ISBN (or both):
told apart by shape and checksum. PMIDs are taken where they are labelled (`PMID: 123`
in notes or custom fields, RefMan's `PM:` links) or from `AN` when the record comes from
PubMed/MEDLINE.

Tags whose field depends on the type beyond those (a hearing's `T2` is its committee, a
bill's `ET` its session, a case's `PB` its court ...) come from `ris_tables.TYPED_FIELDS`;
a `DA` without a year (`Fall`) takes PY's year (`2019 Fall`); ProCite's labelled notes are
read as the tags they stand for (`ris_procite`).
"""

from __future__ import annotations

import re

from zsync.inputs.exports.exportkit import (
    IdCollector,
    clean,
    date_from_parts,
    normalize_pages,
    serial_numbers,
    unique,
)
from zsync.inputs.exports.ris_procite import from_procite
from zsync.inputs.exports.ris_tables import (
    CONTAINER_T2,
    SERIES_T2,
    TYPED_FIELDS,
    TYPES,
    creator_role,
)
from zsync.model.dates import parse_date
from zsync.model.names import looks_like_organisation, parse_name
from zsync.model.patterns import lazy
from zsync.model.records import Creator, Origin, PartialDate, Record

_INITIAL = lazy(r"^(?:[A-Z]\.?-?){1,3}$")
# RIS dates: `YYYY/MM/DD/other`, every part after the year optional (`2020///`).
_RIS_DATE = lazy(r"^(\d{4})(?:/(\d{0,2})(?:/(\d{0,2})(?:/.*)?)?)?$")
_YEAR = lazy(r"\b\d{4}\b")
_PUBMED_DB = lazy(r"pubmed|medline|nlm|ncbi", re.IGNORECASE)


def tags_to_record(tags: dict[str, list[str]], origin: Origin, warnings: list[str]) -> Record:
    """The Record for one RIS record's values (tag -> values in file order)."""
    get = _Tags(tags)
    ty = (get.first("TY") or "").upper()
    item_type = TYPES.get(ty)
    if item_type is None:
        warnings.append(
            f"unknown RIS type {ty!r}, read as a journal article"
            if ty
            else "RIS record without a TY type, read as a journal article"
        )
        item_type = "journalArticle"
    get = _Tags(from_procite(tags, ty, item_type))
    fields: dict[str, str] = {}
    container, abbreviation, series = _titles(get, item_type, fields)
    issns, isbns = _serials(get, item_type, fields)
    ids = _identifiers(get)
    ids.isbn = unique([*ids.isbn, *isbns])
    _more_fields(get, item_type, fields)
    return Record(
        origin=origin,
        ids=ids.build(),
        title=get.first("TI", "T1", "CT") or _book_title(get, item_type) or get.first("ST"),
        creators=_creators(get, ty, item_type),
        container=container,
        date=_date(get),
        volume=None if item_type in ("patent", "webpage") else get.first("VL"),
        issue=_issue(get, item_type),
        pages=_pages(get, item_type, fields),
        abstract=_abstract(get),
        language=get.first("LA"),
        item_type=item_type,
        publisher=get.first("PB"),
        place=_place(get, item_type),
        series=series,
        issn=tuple(issns),
        journal_abbreviation=abbreviation,
        keywords=tuple(_keywords(get)),
        urls=tuple(_urls(get)),
        fields=fields,
        note="\n\n".join(get.all("N1")),
        warnings=tuple(warnings),
    )


def _place(get: _Tags, item_type: str) -> str | None:
    """CY; for a conference paper C1 first (EndNote's place published, where its CY is the
    conference's location), as Zotero reads it."""
    if item_type == "conferencePaper":
        return get.first("C1", "CY")
    return get.first("CY")


_BOOKISH = frozenset({"book", "bookSection", "thesis", "manuscript", "map", "computerProgram",
                      "audioRecording", "videoRecording", "encyclopediaArticle",
                      "dictionaryEntry", "conferencePaper"})


class _Tags:
    def __init__(self, tags: dict[str, list[str]]) -> None:
        self.tags = tags

    def all(self, *names: str) -> list[str]:
        return [v for name in names for v in (clean(x) for x in self.tags.get(name, [])) if v]

    def first(self, *names: str) -> str | None:
        found = self.all(*names)
        return found[0] if found else None


def _book_title(get: _Tags, item_type: str) -> str | None:
    return get.first("BT") if item_type in ("book", "manuscript") else None


def _titles(
    get: _Tags, item_type: str, fields: dict[str, str]
) -> tuple[str | None, str | None, str | None]:
    """(container, journal abbreviation, series) from T2/T3/JF/JO/JA/J2/BT/C3."""
    t2 = get.first("T2")
    series = get.first("T3") if item_type not in ("hearing", "bill") else None
    container = None
    if item_type in CONTAINER_T2:
        container = t2
    elif item_type in SERIES_T2:
        series = t2 or series
    elif item_type == "conferencePaper":
        if t2:
            fields["conferenceName"] = t2
        container = get.first("C3") or t2
    elif t2:
        container = t2
    if item_type not in ("book", "manuscript"):
        container = container or get.first("BT")
    abbreviation = get.first("J2", "JA", "JO")
    journal = get.first("JO")
    if item_type == "conferencePaper" and journal:
        fields.setdefault("conferenceName", journal)
    container = container or get.first("JF") or abbreviation
    return container, abbreviation, series


def _creators(get: _Tags, ty: str, item_type: str) -> tuple[Creator, ...]:
    out: list[Creator] = []
    wanted: tuple[str, ...] = ("AU", "A1", "A2", "A3", "A4", "ED", "C1", "C2", "C4")
    if item_type == "patent":
        wanted = tuple(t for t in wanted if t != "A2")  # a patent's A2 is its authority
    for tag in [t for t in get.tags if t in wanted]:  # the record's own order of tags
        role = creator_role(tag, item_type, edited_book=ty == "EDBOOK")
        if role is None:
            continue
        for value in get.all(tag):
            creator = ris_name(value, role)
            if creator is not None and creator not in out:  # some exporters repeat AU as A1
                out.append(creator)
    return tuple(out)


def ris_name(value: str, role: str) -> Creator | None:
    """`Last, First[, Suffix]` (the RIS form); names without a comma are organisations,
    as Zotero reads them, unless they are plainly a person's name with initials."""
    value = value.strip().strip(";").strip()
    if not value:
        return None
    if "," in value:
        family, given = (part.strip() for part in value.split(",", 1))
        if not given:
            return (
                Creator(name=family, role=role)
                if looks_like_organisation(family)
                else (Creator(family=family, role=role))
            )
        return Creator(family=family, given=given, role=role)
    tokens = value.split()
    person_like = 2 <= len(tokens) <= 4 and not any(c.isdigit() for c in value)
    if (
        person_like
        and any(_INITIAL.match(t) for t in tokens)
        and not looks_like_organisation(value)
    ):
        creator = parse_name(value, role)
        if creator and creator.family and _INITIAL.match(creator.family):
            return _family_first(tokens, role) or creator  # `Eloubeidi M.A.`
        return creator
    return Creator(name=value, role=role)


def _family_first(tokens: list[str], role: str) -> Creator | None:
    """`Eloubeidi M.A.`, `Penn E.B.` (Embase, Scopus): the family name, then initials."""
    initials = 0
    while initials < len(tokens) and _INITIAL.match(tokens[-1 - initials]):
        initials += 1
    if not initials or initials == len(tokens) or _INITIAL.match(tokens[0]):
        return None
    family = " ".join(tokens[: len(tokens) - initials])
    return Creator(family=family, given=" ".join(tokens[len(tokens) - initials :]), role=role)


def _date(get: _Tags) -> PartialDate | None:
    """DA (or Y1) as the full date, PY for the year it may lack: EndNote writes `0000/05/`,
    and DA may be words without a year (`Spring`, `March 15`) that PY's year completes."""
    written = get.first("DA") or get.first("Y1")
    full = _ris_date(written)
    year_text = get.first("PY")
    year_only = _ris_date(year_text)
    if full and full.year and full.year >= 1000:
        return full
    if full and full.month and year_only and year_only.year:
        return date_from_parts(year_only.year, full.month, full.day)
    if written and not full and not _YEAR.search(written):
        return _words_with_year(written, year_text, year_only)
    return year_only or (full if full and full.year else None) or _as_written(get)


def _words_with_year(
    words: str, year_text: str | None, year: PartialDate | None
) -> PartialDate:
    """A DA without a year (`Fall`) after PY's year (`2019 Fall`), or after PY's own words
    when it has no year either (both kept as written)."""
    if year and year.year:
        text = f"{year.year} {words}"
        return parse_date(text) or PartialDate(raw=text, year=year.year)
    return PartialDate(raw=f"{year_text} {words}" if year_text else words)


def _as_written(get: _Tags) -> PartialDate | None:
    """A date no part of which could be read (`Spring term`): kept as text, as Zotero does."""
    raw = get.first("DA") or get.first("PY") or get.first("Y1")
    return PartialDate(raw=raw) if raw else None


def _ris_date(value: str | None) -> PartialDate | None:
    if not value:
        return None
    match = _RIS_DATE.match(value.strip())
    if match and match.group(1) != "0000":
        return date_from_parts(match.group(1), match.group(2), match.group(3), raw=value)
    return parse_date(value)


def _issue(get: _Tags, item_type: str) -> str | None:
    if item_type == "bookSection":
        return None
    issue = get.first("IS")
    if not issue and item_type == "journalArticle":
        m1 = get.first("M1")
        issue = m1 if m1 and len(m1) < 15 else None
    return issue


def _pages(get: _Tags, item_type: str, fields: dict[str, str]) -> str | None:
    start, end = get.first("SP"), get.first("EP")
    if item_type in ("book", "thesis", "manuscript"):
        if start:
            fields["numPages"] = start
        return None
    if start and end and "-" not in start and start != end:
        return normalize_pages(f"{start}-{end}")
    return normalize_pages(start or end)


def _abstract(get: _Tags) -> str | None:
    return get.first("AB") or get.first("N2")


def _serials(get: _Tags, item_type: str, fields: dict[str, str]) -> tuple[list[str], list[str]]:
    issns: list[str] = []
    isbns: list[str] = []
    for value in get.all("SN"):
        found_issns, found_isbns = serial_numbers(value)
        issns.extend(found_issns)
        isbns.extend(found_isbns)
        if not (found_issns or found_isbns) and item_type in ("report", "patent"):
            fields.setdefault("reportNumber" if item_type == "report" else "patentNumber", value)
        elif not (found_issns or found_isbns):  # not a valid number: kept as written
            fields.setdefault("ISBN" if item_type in _BOOKISH else "ISSN", value)
    return unique(issns), unique(isbns)


def _identifiers(get: _Tags) -> IdCollector:
    ids = IdCollector()
    for value in get.all("DO", "M3"):
        ids.add_doi(value)
    for url in _urls(get) + get.all("L1", "L2", "L3", "L4"):
        ids.scan_url(url)
        if url.startswith("PM:"):
            ids.add_pmid(url[3:])
    labelled = ("N1", "AN", "M1", "M2", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "ID")
    for value in get.all(*labelled):
        ids.scan_labelled(value)
        if re.fullmatch(r"PMC\d+", value):
            ids.add_pmcid(value)
    accession = get.first("AN")
    if accession and accession.isdigit() and _PUBMED_DB.search(" ".join(get.all("DB", "DP"))):
        ids.add_pmid(accession)
    return ids


def _urls(get: _Tags) -> list[str]:
    out: list[str] = []
    for value in get.all("UR"):
        out.extend(p.strip() for p in re.split(r"\s*;\s*(?=https?://)|\s+(?=https?://)", value))
    return unique(out)


def _keywords(get: _Tags) -> list[str]:
    """One keyword per KW line, lines split on `;`; a single KW line is also split on `,`."""
    values = get.all("KW")
    separator = r"\s*;\s*" if len(values) > 1 or ";" in "".join(values) else r"\s*,\s*"
    return unique(clean(k) for value in values for k in re.split(separator, value))


def _access_date(value: str | None) -> str | None:
    """Y2 as the `YYYY-MM-DD` Zotero stores (a missing month or day as 01, as Zotero fills
    them); None when it names no year, since Zotero accepts no other form."""
    date = _ris_date(value)
    if date is None or date.year is None or date.year < 1000:
        return None
    return f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}"


def _typed_fields(get: _Tags, item_type: str, fields: dict[str, str]) -> None:
    """The fields whose tag means something else for each item type (see TYPED_FIELDS)."""
    for tag, by_type in TYPED_FIELDS:
        field = by_type.get(item_type, by_type.get("*"))
        value = get.first(tag) if field else None
        if field and value and not (tag == "M3" and value.startswith("10.")):
            fields.setdefault(field, value)


def _more_fields(get: _Tags, item_type: str, fields: dict[str, str]) -> None:
    if accessed := _access_date(get.first("Y2")):
        fields["accessDate"] = accessed
    for tag, target in (("ET", "edition"), ("ST", "shortTitle"),
                        ("CN", "callNumber"), ("H2", "callNumber"),
                        ("DB", "archive"), ("AN", "archiveLocation"), ("DP", "libraryCatalog")):
        value = get.first(tag)
        if value:
            fields.setdefault(target, value)
    if item_type == "patent":
        for tag, target in (("A2", "issuingAuthority"), ("PB", "assignee"),
                            ("M1", "applicationNumber")):
            if value := get.first(tag):
                fields.setdefault(target, value)
    publisher = get.first("PB")
    if publisher and item_type in ("thesis", "report"):
        fields["university" if item_type == "thesis" else "institution"] = publisher
    genre = get.first("M3")
    if genre and item_type in ("thesis", "report") and not genre.startswith("10."):
        fields["thesisType" if item_type == "thesis" else "reportType"] = genre
    _typed_fields(get, item_type, fields)
