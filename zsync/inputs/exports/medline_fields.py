"""MEDLINE/nbib tags mapped to a Record, the same way zsync reads PubMed XML.

Tags as PubMed documents them (MEDLINE/PubMed Data Element descriptions) and as Zotero's
MEDLINE/nbib translator imports them: FAU ("Family, Given") preferred to AU ("Family AB"),
CN group authors kept in author order, FED/ED editors, JT journal (Title Case as NLM titles
are in Zotero) and TA abbreviation, IS ISSNs (with their "(Print)"/"(Linking)" labels
dropped) or ISBNs, PG page ranges expanded (`132-42` -> `132-142`), else the `[pii]` of an
e-only article, DP date, AID/LID `[doi]`, PMC, MH MeSH headings (`*` = major topic,
`/qualifier`), OT keywords, PT publication types (Book, Book Chapter, Preprint ... give the
item type) and the `...In` comment/correction links (RIN, EIN, ECI, UIN ...) as notices.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from zsync.inputs.exports.exportkit import IdCollector, clean, serial_numbers, unique
from zsync.model.cleanup import capitalize_name, dot_initials
from zsync.model.names import parse_name
from zsync.model.notices import pubmed_notices
from zsync.model.pages import expand_page_range
from zsync.model.partial_dates import pubmed_date
from zsync.model.patterns import lazy
from zsync.model.records import AUTHOR, EDITOR, Creator, MeshHeading, Origin, PartialDate, Record
from zsync.sources.pubmed.parts import journal_title, language, strip_final_period

Pairs = Sequence[tuple[str, str]]

# Link tags on the concerned work -> PubMed XML CommentsCorrections RefType.
_LINKS = {
    "RIN": "RetractionIn",
    "RRI": "RetractedandRepublishedIn",
    "PRIN": "PartialRetractionIn",
    "EIN": "ErratumIn",
    "CRI": "CorrectedandRepublishedIn",
    "ECI": "ExpressionOfConcernIn",
    "UIN": "UpdateIn",
}
_TYPES = (  # publication type -> item type, most specific first
    ("Preprint", "preprint"),
    ("Book Chapter", "bookSection"),
    ("Book", "book"),
    ("Books", "book"),
    ("Dissertation", "thesis"),
    ("Academic Dissertation", "thesis"),
    ("Technical Report", "report"),
    ("Newspaper Article", "newspaperArticle"),
    ("Video-Audio Media", "videoRecording"),
    ("Legal Case", "case"),
    ("Legislation", "statute"),
)
_DP = lazy(r"^(\d{4})(?:\s+([A-Za-z]{3,9})\.?(?:\s+(\d{1,2}))?)?$")
_TAGGED = lazy(r"^(.*?)\s*\[(\w+)\]\s*$")
# Section labels of a structured abstract (`BACKGROUND: ... METHODS: ...`).
_LABEL = r"[A-Z][A-Z0-9 ,/&'()-]{2,60}: "
_NEXT_LABEL = lazy(rf"(?<=[.?!])\s+(?={_LABEL})")


def tags_to_record(pairs: Pairs, origin: Origin, warnings: list[str]) -> Record:
    """The Record for one MEDLINE record's (tag, value) pairs."""
    tags: dict[str, list[str]] = {}
    for tag, value in pairs:
        if value:
            tags.setdefault(tag, []).append(value)

    def first(tag: str) -> str | None:
        values = tags.get(tag)
        return values[0] if values else None

    types = tuple(unique(tags.get("PT", [])))
    item_type = next((z for pt, z in _TYPES if pt in types), None) or _eric_type(
        types, bool(first("VI") or first("IP"))
    )
    # ERIC names the publisher of a report or thesis where a journal would stand.
    issuer = first("JT") if item_type in ("report", "thesis", "book") else None
    school = re.search(r"(?:Dissertation|Thesis), (.+)$", first("SO") or "")
    if item_type == "thesis" and school and issuer:  # `Ph.D. Dissertation, Drexel University`
        fields_from_source = {"archive": issuer}
        issuer = school.group(1)
    else:
        fields_from_source = {}
    book = item_type == "book"
    ids, pii = _identifiers(tags)
    issns, isbns = _serials(tags)
    ids.isbn = unique([*ids.isbn, *isbns])
    journal = journal_title(first("JT"))
    title = strip_final_period(first("TI") or (first("BTI") if book else None) or first("TT"))
    fields = {"libraryCatalog": "PubMed", **fields_from_source}
    if item_type == "preprint":
        fields.update({k: v for k, v in (("archiveID", pii), ("repository", journal)) if v})
    pages = expand_page_range(first("PG")) or (pii if item_type != "preprint" else None)
    for tag, name in (("EN", "edition"), ("CI", "rights")):
        if kept := first(tag):
            fields[name] = kept
    if not ids.pmid:
        warnings.append("MEDLINE record without a PMID")
    return Record(
        origin=origin,
        ids=ids.build(),
        title=title,
        creators=_creators(pairs),
        container=strip_final_period(first("BTI"))
        if item_type == "bookSection"
        else (None if book or issuer else journal or first("TA")),
        date=_date(first("DP") or first("DEP")),
        volume=first("VI"),
        issue=first("IP"),
        pages=pages,
        abstract=_abstract(first("AB")),
        language=language(tags.get("LA", [])),
        item_type=item_type,
        publisher=first("PB") or issuer,
        place=first("PL") if item_type in ("book", "bookSection") else None,
        series=first("CTI"),
        issn=tuple(issns),
        journal_abbreviation=first("TA"),
        keywords=tuple(unique(clean(k) for k in tags.get("OT", []) + tags.get("KW", []))),
        mesh=tuple(m for m in (mesh_heading(v) for v in tags.get("MH", [])) if m),
        publication_types=types,
        notices=pubmed_notices(_links(pairs), types),
        fields=fields,
        warnings=tuple(warnings),
    )


def _identifiers(tags: dict[str, list[str]]) -> tuple[IdCollector, str | None]:
    """The record's identifiers, and its `[pii]` (publisher item id) if any."""
    ids = IdCollector()
    for value in tags.get("PMID", []):
        ids.add_pmid(value)
    pii = None
    for value in tags.get("LID", []) + tags.get("AID", []):
        match = _TAGGED.match(value)
        if not match:
            continue
        kind = match.group(2).lower()
        if kind == "doi":
            ids.add_doi(match.group(1))
        elif kind == "pii" and pii is None:
            pii = match.group(1)
    for value in tags.get("PMC", []):
        ids.add_pmcid(value)
    return ids, pii


def _eric_type(types: tuple[str, ...], in_a_volume: bool) -> str:
    """ERIC's publication types (`Reports - Research`, `Dissertations/Theses - ...`) for
    records that are not journal articles."""
    if "Journal Articles" not in types and not in_a_volume:
        if any(t.startswith("Dissertations/Theses") for t in types):
            return "thesis"
        if any(t.startswith("Reports - ") for t in types):
            return "report"
    return "journalArticle"


def _serials(tags: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    issns: list[str] = []
    isbns: list[str] = []
    for value in tags.get("IS", []) + tags.get("ISSN", []) + tags.get("ISBN", []):
        value = re.sub(r"\bE?ISSN-", "", value)  # ERIC writes `EISSN-2375-5636`
        found_issns, found_isbns = serial_numbers(
            re.sub(r"\((?:Print|Electronic|Linking)\)", "", value)
        )
        issns.extend(found_issns)
        isbns.extend(found_isbns)
    return unique(issns), unique(isbns)


def _creators(pairs: Pairs) -> tuple[Creator, ...]:
    """Authors then editors, in file order; FAU/FED preferred to AU/ED, CN groups kept."""
    tags = {tag for tag, _ in pairs}
    wanted = {
        "FAU": AUTHOR,
        "FED": EDITOR,
        "CN": AUTHOR,
        **({} if "FAU" in tags else {"AU": AUTHOR}),
        **({} if "FED" in tags else {"ED": EDITOR}),
    }
    out: list[Creator] = []
    for tag, value in pairs:
        role = wanted.get(tag)
        creator = None if role is None else _creator(tag, value, role)
        if creator is not None:
            out.append(creator)
    return tuple(sorted(out, key=lambda c: c.role != AUTHOR))


def _creator(tag: str, value: str, role: str) -> Creator | None:
    value = value.strip()
    if not value:
        return None
    if tag == "CN":
        return Creator(name=value, role=role)
    if "," in value:  # FAU / FED: "Family, Given"
        family, given = (p.strip() for p in value.split(",", 1))
    else:  # AU / ED: "Family AB"
        found = re.match(r"^(.*\S)\s+([A-Z]{1,4})$", value)
        if not found:
            return parse_name(value, role)
        family, given = found.group(1), found.group(2)
    given = capitalize_name(dot_initials(given, family)) if given else ""
    return Creator(family=capitalize_name(family), given=given or None, role=role)


def _abstract(value: str | None) -> str | None:
    """A structured abstract with one `LABEL: text` section a line, as in PubMed XML."""
    if value and re.match(_LABEL, value):
        return _NEXT_LABEL.sub("\n", value)
    return value


def _date(value: str | None) -> PartialDate | None:
    if not value:
        return None
    match = _DP.match(value.strip())
    if match:
        return pubmed_date(match.group(1), match.group(2), match.group(3))
    if re.fullmatch(r"\d{8}", value.strip()):  # DEP: 20200315
        text = value.strip()
        return pubmed_date(text[:4], text[4:6], text[6:])
    return pubmed_date(None, medline_date=value)


def mesh_heading(value: str) -> MeshHeading | None:
    """`Aurovertins/*chemistry/metabolism`, `*Protein Structure, Secondary` as a heading."""
    descriptor, *qualifiers = (p.strip() for p in value.split("/"))
    major = descriptor.startswith("*") or any(q.startswith("*") for q in qualifiers)
    descriptor = descriptor.lstrip("*").strip()
    if not descriptor:
        return None
    names = tuple(q.lstrip("*").strip() for q in qualifiers if q.lstrip("*").strip())
    return MeshHeading(descriptor=descriptor, major=major, qualifiers=names)


def _links(pairs: Pairs) -> list[tuple[str, str | None, str | None]]:
    """(RefType, RefSource, PMID) for the `...In` links, as PubMed XML gives them."""
    out = []
    for tag, value in pairs:
        ref_type = _LINKS.get(tag)
        if ref_type is None:
            continue
        source, _, pmid = value.partition("PMID:")
        digits = re.match(r"\s*(\d+)", pmid)
        out.append((ref_type, source.strip() or None, digits.group(1) if digits else None))
    return out
