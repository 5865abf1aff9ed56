"""MARC staff views as VuFind's `record-marc.xsl` renders them, copied as text.

Each line is a tag, two indicators and `|a value |b value` subfields (`LEADER` and the
00X control fields carry a plain value). Only the work's own fields are read: linking
entries for other works (76X-78X except the 773 host, 856 links to related resources)
are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zsync.inputs.builder import strip_final_period
from zsync.inputs.vufind.harvest import Harvest, organisation, person
from zsync.inputs.vufind.values import clean_title, language_name, role_of, split_citation
from zsync.model import identifiers as ids
from zsync.model.patterns import lazy
from zsync.model.records import AUTHOR

_LINE = lazy(r"^(LEADER|LDR|\d{3})(?:\s+(.*))?$")
_DATA = lazy(r"^[0-9 _#\\]{0,6}(?:[|‡]\s?[a-z0-9]|\$[a-z0-9]\s)")
_SUBFIELD = lazy(r"(?:^|(?<=\s))[|‡]\s?([a-z0-9])\s?")
_DOLLAR = lazy(r"(?:^|(?<=\s))\$([a-z0-9])\s")
_PAGES = lazy(
    r"(?:pages?|pp?\.|s\.|seiten|páginas|págs?\.)\s*([A-Za-z]?\d+\s*[-–]\s*[A-Za-z]?\d+)", re.I
)
_YEAR = lazy(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)")


@dataclass
class MarcField:
    tag: str
    indicators: str = ""
    value: str = ""
    subfields: list[tuple[str, str]] = field(default_factory=list)

    def get(self, code: str) -> str | None:
        return next((v for c, v in self.subfields if c == code), None)

    def all(self, code: str) -> list[str]:
        return [v for c, v in self.subfields if c == code]


def marc_tag(line: str, in_marc: bool) -> str | None:
    """The tag of a MARC staff-view line, or None when `line` is not one."""
    match = _LINE.match(line)
    if not match:
        return None
    tag, rest = match.group(1), (match.group(2) or "")
    if tag in ("LEADER", "LDR"):
        return tag
    if tag.startswith("00"):
        return tag if rest.strip() and (in_marc or tag == "001") else None
    return tag if _DATA.match(rest) else None


def parse_field(line: str) -> MarcField:
    match = _LINE.match(line)
    tag, rest = (match.group(1), match.group(2) or "") if match else ("", line)
    if tag in ("LEADER", "LDR") or tag.startswith("00"):
        return MarcField(tag, value=rest.strip())
    pattern = _SUBFIELD if re.search(r"[|‡]\s?[a-z0-9]", rest) else _DOLLAR
    marks = list(pattern.finditer(rest))
    if not marks:
        return MarcField(tag, value=rest.strip())
    subfields = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(rest)
        subfields.append((mark.group(1), rest[mark.end() : end].strip()))
    return MarcField(tag, rest[: marks[0].start()].strip(), subfields=subfields)


def marc_harvest(lines: list[str]) -> Harvest:
    """The builder values of one MARC record."""
    h = Harvest()
    fields = [parse_field(line) for line in lines]
    if not fields:
        return h
    by_tag: dict[str, list[MarcField]] = {}
    for f in fields:
        by_tag.setdefault(f.tag, []).append(f)
    _title(h, by_tag)
    _creators(h, by_tag)
    _identifiers(h, by_tag)
    _publication(h, by_tag)
    _host(h, by_tag)
    _subjects_and_notes(h, by_tag)
    h.item_type = _item_type(by_tag)
    return h


def _title(h: Harvest, by_tag: dict[str, list[MarcField]]) -> None:
    for f in by_tag.get("245", [])[:1]:
        parts = [f.get("a") or "", *f.all("n"), *f.all("p")]
        main = clean_title(" ".join(p for p in parts if p))
        sub = clean_title(f.get("b"))
        h.add("title", f"{main}: {sub}" if main and sub else main or sub)


def _creators(h: Harvest, by_tag: dict[str, list[MarcField]]) -> None:
    for tag in ("100", "110", "111", "700", "710", "711"):
        for f in by_tag.get(tag, []):
            if f.get("t"):  # a name-title entry names another work
                continue
            relators = " ".join(f.all("e") + f.all("4") + f.all("j"))
            role = role_of(relators) or AUTHOR
            name = f.get("a") or ""
            if tag[1] == "0":
                creator = person(name, role)
            else:
                creator = organisation(" ".join([name, *f.all("b")]).strip(), role)
            if creator:
                h.creators.append(creator)


def _identifiers(h: Harvest, by_tag: dict[str, list[MarcField]]) -> None:
    for f in by_tag.get("020", []):
        h.extend("isbn", [v.split()[0] for v in f.all("a") if v.split()])
    for f in by_tag.get("022", []):
        h.extend("issn", [v.split()[0] for v in f.all("a") if v.split()])
    for f in by_tag.get("024", []):
        source = (f.get("2") or "").lower()
        for value in f.all("a"):
            if source == "doi" or (not source and ids.normalize_doi(value)):
                h.add("doi", value)
            elif source in ("pmid", "pubmed"):
                h.add("pmid", value)
            elif source in ("pmc", "pmcid"):
                h.add("pmcid", value)
    for f in by_tag.get("856", []):
        if f.indicators.replace(" ", "")[1:2] == "2":  # a related resource, not the work
            continue
        h.extend("url", f.all("u"))


def _publication(h: Harvest, by_tag: dict[str, list[MarcField]]) -> None:
    fields = [f for f in by_tag.get("264", []) if f.indicators.strip()[-1:] in ("1", "")]
    for f in (fields or by_tag.get("260", []) or by_tag.get("264", []))[:1]:
        h.add("place", (f.get("a") or "").strip(" :;,[]") or None)
        h.add("publisher", (f.get("b") or "").strip(" :;,[]") or None)
        year = _YEAR.search(f.get("c") or "")
        h.add("date", year.group(0) if year else None)
    for f in by_tag.get("008", [])[:1]:
        h.fallback.setdefault("date", []).extend(_YEAR.findall(f.value[7:11]))
        lang = f.value[35:38] if len(f.value) >= 38 else ""
        if re.fullmatch(r"[a-z]{3}", lang):
            h.fallback.setdefault("language", []).append(language_name(lang) or lang)
    for f in by_tag.get("041", [])[:1]:
        h.add("language", language_name(f.get("a")))
    for f in by_tag.get("300", [])[:1]:
        pages = _PAGES.search(f.get("a") or "")
        if pages:
            h.fallback.setdefault("pages", []).append(pages.group(1).replace(" ", ""))
    for f in by_tag.get("490", [])[:1] or by_tag.get("830", [])[:1]:
        h.add("series", (f.get("a") or "").strip(" ;,."))


def _host(h: Harvest, by_tag: dict[str, list[MarcField]]) -> None:
    for f in by_tag.get("773", [])[:1]:
        host = clean_title(f.get("t"), cut_statement=True)
        h.add("container", strip_final_period(host) if host else None)
        citation = split_citation(f.get("g") or "")
        h.add("volume", citation.volume)
        h.add("issue", citation.issue)
        pages = _PAGES.search(f.get("g") or "")
        h.add("pages", pages.group(1).replace(" ", "") if pages else citation.pages)
        year = _YEAR.search(" ".join([f.get("g") or "", f.get("d") or ""]))
        if year:
            h.fallback.setdefault("date", []).append(year.group(0))
        h.extend("issn", f.all("x"))


def _subjects_and_notes(h: Harvest, by_tag: dict[str, list[MarcField]]) -> None:
    for tag in ("650", "651", "653"):
        for f in by_tag.get(tag, []):
            h.extend("keywords", [v.rstrip(". ") for v in f.all("a")])
    for f in by_tag.get("520", [])[:1]:
        h.add("abstract", f.get("a"))


def _item_type(by_tag: dict[str, list[MarcField]]) -> str | None:
    leader = next((f.value for f in by_tag.get("LEADER", []) + by_tag.get("LDR", [])), "")
    level = leader[7:8]
    host = by_tag.get("773", [])
    serial_host = any(f.get("x") for f in host)
    if level in ("a", "b") or (host and not level):
        return "journalArticle" if level == "b" or serial_host else "bookSection"
    if by_tag.get("502"):
        return "thesis"
    if level == "m":
        return "book"
    return None
