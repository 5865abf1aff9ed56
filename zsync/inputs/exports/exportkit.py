"""Helpers shared by the parsers of exported records (BibTeX, RIS, MEDLINE, CSL-JSON).

Exports name their fields, so these parsers need no guessing about labels; what they share
is cleaning values, telling ISSNs from ISBNs, collecting identifiers with "first good value
wins", and reading dates given in parts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from zsync.model import identifiers as ids
from zsync.model.dates import parse_date
from zsync.model.patterns import lazy
from zsync.model.records import Identifiers, PartialDate

_ISSN = lazy(r"(?<![\dA-Za-z-])(\d{4})\s?[-\u2010-\u2013]?\s?(\d{3}[\dXx])(?![\dA-Za-z-])")
_DASHES = lazy(r"\s*(?:--+|[\u2010-\u2015\u2212])\s*")
_KEYWORD_LINE = lazy(r"[;\n\r]")
_KEYWORD_LINES = lazy(r"[;\n\r]+")
_SMALL_INT = lazy(r"-?\d{1,4}")


class LineIndex:
    """1-based line numbers of character offsets, in O(log n) each (for long files)."""

    def __init__(self, text: str) -> None:
        # Each line's start: the one before plus its length and its "\n" (summed in C).
        with_newline = map((1).__add__, map(len, text.split("\n")[:-1]))
        self._starts = list(accumulate(with_newline, initial=0))

    def line(self, offset: int) -> int:
        return bisect_right(self._starts, offset)


def clean(value: object) -> str | None:
    """`value` as one line of text with single spaces; None when nothing is left."""
    if value is None:
        return None
    return " ".join(str(value).split()) or None  # `split` knows Unicode's white space too


def unique(values: Iterable[str | None]) -> list[str]:
    """The non-empty values, each once, in order of first appearance."""
    out: list[str] = []
    for value in values:
        if value and value not in out:
            out.append(value)
    return out


def normalize_pages(value: object) -> str | None:
    """Page ranges with a plain hyphen: `132--142`, `132–142` and `132 - 142` give `132-142`."""
    text = clean(value)
    if not text:
        return None
    return _DASHES.sub("-", text).strip("-") or None


def split_keywords(value: str | None) -> list[str]:
    """Keywords written in one field: separated by `;` or new lines if any, else by `,`."""
    if not value:
        return []
    parts = _KEYWORD_LINES.split(value) if _KEYWORD_LINE.search(value) else value.split(",")
    return unique(clean(part) for part in parts)


# --- ISSN and ISBN -------------------------------------------------------------------------


def _issn_checksum_ok(digits: str) -> bool:
    total = sum((8 - i) * int(c) for i, c in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    return digits[7].upper() == ("X" if check == 10 else str(check))


def normalize_issn(value: str | None) -> str | None:
    """`1234-567X` for a valid ISSN (checksum verified) in `value`, else None."""
    if not value:
        return None
    match = _ISSN.search(value)
    if not match:
        return None
    digits = (match.group(1) + match.group(2)).upper()
    return f"{digits[:4]}-{digits[4:]}" if _issn_checksum_ok(digits) else None


def serial_numbers(value: str | None) -> tuple[list[str], list[str]]:
    """The ISSNs and the ISBNs (ISBN-13) in a field that may hold either or both.

    Tells them apart by shape and checksum: an ISSN has 8 characters, an ISBN 10 or 13.
    """
    if not value:
        return [], []
    isbns = ids.find_isbns(value)
    single = ids.normalize_isbn(value)
    if single and single not in isbns:
        isbns.insert(0, single)
    issns: list[str] = []
    for match in _ISSN.finditer(value):
        issn = normalize_issn(match.group(0))
        if issn and issn not in issns:
            issns.append(issn)
    return issns, isbns


# --- identifiers ---------------------------------------------------------------------------


@dataclass
class IdCollector:
    """Collects a record's identifiers; the first valid value of each kind wins."""

    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    arxiv: str | None = None
    isbn: list[str] = field(default_factory=list)

    def add_doi(self, value: object) -> None:
        if self.doi is None and value:
            self.doi = ids.normalize_doi(str(value))
        if self.arxiv is None and self.doi:
            self.arxiv = _first(ids.find_arxiv_ids(self.doi))

    def add_pmid(self, value: object) -> None:
        if self.pmid is None and value:
            self.pmid = ids.normalize_pmid(str(value).strip())

    def add_pmcid(self, value: object) -> None:
        if self.pmcid is None and value:
            self.pmcid = ids.normalize_pmcid(str(value).strip())

    def add_arxiv(self, value: object) -> None:
        if self.arxiv is None and value:
            self.arxiv = ids.normalize_arxiv(str(value).strip())

    def add_isbns(self, value: object) -> None:
        if value:
            self.isbn = unique([*self.isbn, *serial_numbers(str(value))[1]])

    def scan_url(self, url: str | None) -> None:
        """Identifiers a link names: doi.org, PubMed, PMC and arXiv addresses."""
        if not url:
            return
        if _DOI_LINK.search(url):
            self.add_doi(url)
        self.scan_labelled(url)

    def scan_labelled(self, text: str | None) -> None:
        """Identifiers `text` marks as such (`PMID: 1`, `PMC2`, `arXiv:3`), never bare numbers."""
        if not text:
            return
        pmid, pmcid, arxiv = _labelled(text)
        self.add_pmid(pmid)
        self.add_pmcid(pmcid)
        self.add_arxiv(arxiv)

    def build(self) -> Identifiers:
        return Identifiers(
            doi=self.doi, pmid=self.pmid, pmcid=self.pmcid, isbn=tuple(self.isbn), arxiv=self.arxiv
        )


_DOI_LINK = lazy(r"doi\.org/|info:doi/", re.IGNORECASE)


@lru_cache(maxsize=20_000)
def _labelled(text: str) -> tuple[str | None, str | None, str | None]:
    """(PMID, PMCID, arXiv id) `text` labels; the same journal names recur in an export."""
    return (_first(ids.find_pmids(text)), _first(ids.find_pmcids(text)),
            _first(ids.find_arxiv_ids(text)))


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


# --- dates ---------------------------------------------------------------------------------


def date_from_parts(
    year: object, month: object = None, day: object = None, raw: str | None = None
) -> PartialDate | None:
    """A date given as separate parts (numbers or strings); None without a usable year."""
    y = _int(year)
    if y is None or not 1 <= y <= 2999:
        return parse_date(raw) if raw else None
    m = _int(month)
    m = m if m is not None and 1 <= m <= 12 else None
    d = _int(day) if m else None
    d = d if d is not None and 1 <= d <= 31 else None
    text = PartialDate(raw="", year=y, month=m, day=d).iso() or str(y)
    return PartialDate(raw=raw or text, year=y, month=m, day=d)


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip() if value is not None else ""
    return int(text) if _SMALL_INT.fullmatch(text) else None
