"""One BibTeX/BibLaTeX entry (as bibtexparser reads it, TeX still in it) turned into a Record.

Entry types and fields follow Zotero's BibTeX import where it is sound (`booktitle` is the
container, `school`/`institution` the publisher, `number` an issue or a report number), with
arXiv entries (`eprint` + `archivePrefix`/`eprinttype`, or `journal = {arXiv preprint ...}`)
read as preprints.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from zsync.inputs.exports.bibtex_names import parse_bibtex_names
from zsync.inputs.exports.exportkit import (
    IdCollector,
    clean,
    date_from_parts,
    normalize_pages,
    serial_numbers,
    split_keywords,
    unique,
)
from zsync.inputs.exports.latex import latex_to_text, latex_verbatim
from zsync.model.dates import parse_date
from zsync.model.partial_dates import month_number
from zsync.model.patterns import lazy
from zsync.model.records import (
    AUTHOR,
    BOOK_AUTHOR,
    EDITOR,
    TRANSLATOR,
    Creator,
    Origin,
    PartialDate,
    Record,
)

TYPES = {
    "article": "journalArticle",
    "book": "book",
    "booklet": "book",
    "manual": "book",
    "proceedings": "book",
    "collection": "book",
    "mvbook": "book",
    "mvcollection": "book",
    "reference": "book",
    "mvreference": "book",
    "periodical": "book",
    "inbook": "bookSection",
    "incollection": "bookSection",
    "bookinbook": "bookSection",
    "suppbook": "bookSection",
    "suppcollection": "bookSection",
    "inreference": "encyclopediaArticle",
    "inproceedings": "conferencePaper",
    "conference": "conferencePaper",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "misc": "document",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "patent": "patent",
    "dataset": "dataset",
    "software": "computerProgram",
    "standard": "standard",
    "preprint": "preprint",
    "article-journal": "journalArticle",
    "letter": "letter",
    "movie": "film",
    "video": "videoRecording",
    "audio": "audioRecording",
    "artwork": "artwork",
    "legislation": "bill",
    "jurisdiction": "case",
    # Mendeley's and other exporters' own spellings
    "web_page": "webpage",
    "webpage": "webpage",
    "book_section": "bookSection",
    "masterthesis": "thesis",
    "bachelorthesis": "thesis",
    "generic": "document",
    "journal": "journalArticle",
    "conference_paper": "conferencePaper",
    "newspaper_article": "newspaperArticle",
    "magazine_article": "magazineArticle",
    "computer_program": "computerProgram",
    "hearing": "hearing",
    "film": "film",
}
_PREPRINT_TYPES = {"misc", "online", "electronic", "www", "unpublished", "preprint", "article"}
_PREPRINT_SERVER = lazy(r"^\s*(arxiv|biorxiv|medrxiv|chemrxiv|ssrn|research square)\b", re.I)
_THESIS_TYPES = {"phdthesis": "PhD Thesis", "mastersthesis": "Master's Thesis",
                 "masterthesis": "Master's Thesis"}
_URL_IN_TEX = lazy(r"https?://(?:\\[{}%&_#~]|[^\s{}])+")
_ARXIV_NEW = lazy(r"^\d{4}\.\d{4,5}(v\d+)?$")
_FOUR_DIGITS = lazy(r"\d{4}")


def entry_to_record(
    entry: Mapping[str, str], origin: Origin, warnings: list[str], citekey: str | None = None
) -> Record:
    """The Record for one parsed entry; `warnings` carries what was noticed on the way.
    `citekey` (the entry's key) is kept when the entry names a work (an identifier or a
    title): a key alone is not a work."""
    kind = entry.get("ENTRYTYPE", "").lower()
    get = _Getter(entry)
    item_type = TYPES.get(kind)
    if item_type is None:
        warnings.append(f"unknown BibTeX entry type @{kind}")
    urls = _urls(get)
    ids = _identifiers(get, urls)
    container = get.text("journaltitle") or get.text("journal") or get.text("booktitle")
    abbreviation = get.text("shortjournal") or get.text("journalabbreviation")
    full_journal = get.text("fjournal")  # MathSciNet: `journal` abbreviated, `fjournal` full
    if full_journal:
        abbreviation = abbreviation or (container if container != full_journal else None)
        container = full_journal
    fields = _extra_fields(get, kind, item_type)
    if ids.arxiv and kind in _PREPRINT_TYPES and (kind != "article" or _is_server(container)):
        item_type = "preprint"
    server = _PREPRINT_SERVER.match(container or "")
    if server and item_type in ("journalArticle", "preprint"):
        item_type = "preprint"
        fields.setdefault("repository", server.group(1))
        container = None
    issue, number_field = _number(get, item_type)
    if number_field:
        fields[number_field[0]] = number_field[1]
    publisher = get.text("publisher") or get.text("school") or get.text("institution")
    if not publisher and kind in ("inproceedings", "manual", "proceedings"):
        publisher = get.text("organization")
    identifiers = ids.build()
    title = _title(get)
    return Record(
        origin=origin,
        ids=identifiers,
        title=title,
        citekey=citekey if citekey and (title or not identifiers.is_empty()) else None,
        creators=_creators(get),
        container=container,
        date=_date(get),
        volume=get.text("volume"),
        issue=issue,
        pages=normalize_pages(get.verbatim("pages")),
        abstract=get.text("abstract"),
        language=get.text("language") or get.text("langid"),
        item_type=item_type,
        publisher=publisher,
        place=get.text("address") or get.text("location"),
        series=get.text("series"),
        issn=tuple(_issns(get)),
        journal_abbreviation=abbreviation,
        keywords=tuple(split_keywords(get.text("keywords") or get.text("keyword"))),
        tags=tuple(split_keywords(get.text("mendeley-tags"))),
        urls=tuple(urls),
        fields=fields,
        note="\n\n".join(unique([get.text("note"), get.text("annote"), get.text("annotation")])),
        warnings=tuple(warnings),
    )


class _Getter:
    """Field values of an entry, read as plain text or verbatim."""

    __slots__ = ("entry",)

    def __init__(self, entry: Mapping[str, str]) -> None:
        self.entry = {k.lower(): v for k, v in entry.items() if v and not v.isspace()}

    def raw(self, name: str) -> str | None:
        return self.entry.get(name)

    def text(self, name: str) -> str | None:
        raw = self.entry.get(name)
        return _as_text(raw) if raw else None

    def verbatim(self, name: str) -> str | None:
        raw = self.entry.get(name)
        return _as_verbatim(raw) if raw else None


@lru_cache(maxsize=50_000)
def _as_text(raw: str) -> str | None:
    return clean(latex_to_text(raw))


@lru_cache(maxsize=50_000)
def _as_verbatim(raw: str) -> str | None:
    return clean(latex_verbatim(raw))


def _is_server(container: str | None) -> bool:
    return bool(container and _PREPRINT_SERVER.match(container))


def _title(get: _Getter) -> str | None:
    title = get.text("title")
    subtitle = get.text("subtitle")
    return f"{title}: {subtitle}" if title and subtitle else title


def _issns(get: _Getter) -> list[str]:
    return unique(i for name in ("issn", "eissn") for i in serial_numbers(get.verbatim(name))[0])


def _creators(get: _Getter) -> tuple[Creator, ...]:
    out: list[Creator] = []
    for name, role in (
        ("author", AUTHOR),
        ("editor", EDITOR),
        ("bookauthor", BOOK_AUTHOR),
        ("translator", TRANSLATOR),
    ):
        raw = get.raw(name)
        if raw:
            out.extend(parse_bibtex_names(raw, role))
    return tuple(out)


def _identifiers(get: _Getter, urls: list[str]) -> IdCollector:
    ids = IdCollector()
    ids.add_doi(get.verbatim("doi"))
    ids.add_pmid(get.verbatim("pmid"))
    ids.add_pmcid(get.verbatim("pmcid") or get.verbatim("pmc"))
    eprint = get.verbatim("eprint")
    kind = (get.verbatim("archiveprefix") or get.verbatim("eprinttype") or "").lower()
    if eprint and (kind == "arxiv" or (not kind and _ARXIV_NEW.match(eprint))):
        ids.add_arxiv(eprint)
    elif eprint and kind == "pubmed":
        ids.add_pmid(eprint)
    elif eprint and kind in ("pmc", "pubmedcentral"):
        ids.add_pmcid(eprint)
    ids.add_isbns(" ".join(filter(None, (get.verbatim("isbn"), get.verbatim("issn")))))
    for url in urls:
        ids.scan_url(url)
    for name in ("note", "journal", "journaltitle", "howpublished", "annote", "extra", "eprint"):
        ids.scan_labelled(get.verbatim(name))
    return ids


def _urls(get: _Getter) -> list[str]:
    found = [get.verbatim("url")]  # the whole field: an address may hold spaces
    for name in ("howpublished", "note"):  # addresses end at a brace: `\href{URL}{text}`
        found.extend(latex_verbatim(url) for url in _URL_IN_TEX.findall(get.raw(name) or ""))
    return unique(found)


def _date(get: _Getter) -> PartialDate | None:
    date = parse_date(get.verbatim("date"))
    if date:
        return date
    year = get.verbatim("year")
    if not year:
        return None
    month = month_number((get.text("month") or "").split("-")[0].split("/")[0])
    day = get.verbatim("day")
    digits = _FOUR_DIGITS.search(year)
    raw = " ".join(filter(None, (year, get.text("month"), day)))
    return date_from_parts(digits.group(0) if digits else None, month, day, raw=raw)


def _number(get: _Getter, item_type: str | None) -> tuple[str | None, tuple[str, str] | None]:
    """(issue, (Zotero field, value) for a number that is not an issue)."""
    number = get.text("number")
    issue = get.text("issue")
    if not number:
        return issue, None
    target = {"report": "reportNumber", "patent": "patentNumber"}.get(item_type or "")
    if target is None and item_type in ("book", "bookSection", "conferencePaper"):
        target = "seriesNumber" if get.raw("series") else None
    if target:
        return issue, (target, number)
    return issue or number, None


def _extra_fields(get: _Getter, kind: str, item_type: str | None) -> dict[str, str]:
    fields: dict[str, str] = {}
    for source, target in (
        ("edition", "edition"),
        ("shorttitle", "shortTitle"),
        ("eventtitle", "conferenceName"),
        ("urldate", "accessDate"),
        ("school", "university"),
        ("copyright", "rights"),
        ("lccn", "callNumber"),
    ):
        value = get.text(source)
        if value:
            fields[target] = value
    isbn = get.verbatim("isbn")
    if isbn and not serial_numbers(isbn)[1]:
        fields["ISBN"] = isbn  # not a valid ISBN: kept as written, as Zotero keeps it
    institution = get.text("institution")
    if item_type == "report" and institution:
        fields["institution"] = institution
    if item_type != "thesis":
        fields.pop("university", None)
    genre = get.text("type")
    if item_type == "thesis" and (genre or kind in _THESIS_TYPES):
        fields["thesisType"] = genre or _THESIS_TYPES[kind]
    elif item_type == "report" and genre:
        fields["reportType"] = genre
    return fields
