"""The record model every stage of zsync shares.

A `Record` is what a parser read from one appearance of a work in the user's notes.
It is immutable: later stages make changed copies with `dataclasses.replace`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Zotero creator types zsync uses most; any creatorType valid in Zotero's schema is allowed.
AUTHOR = "author"
EDITOR = "editor"
BOOK_AUTHOR = "bookAuthor"
SERIES_EDITOR = "seriesEditor"
TRANSLATOR = "translator"
CONTRIBUTOR = "contributor"


@dataclass(frozen=True, slots=True)
class Creator:
    """A person (family/given) or an organisation (one `name`), with a Zotero creator role."""

    family: str | None = None
    given: str | None = None
    name: str | None = None
    role: str = AUTHOR

    @property
    def is_organisation(self) -> bool:
        return self.name is not None

    @property
    def sort_name(self) -> str:
        """Family name, or the organisation's name: what duplicate checks compare."""
        return (self.name if self.name is not None else self.family) or ""

    def display(self) -> str:
        if self.name is not None:
            return self.name
        if self.given:
            return f"{self.family}, {self.given}"
        return self.family or ""

    def to_json(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.name is not None:
            out["name"] = self.name
        else:
            out["family"] = self.family or ""
            if self.given:
                out["given"] = self.given
        out["role"] = self.role
        return out


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date as written in the source, and the parts of it that could be read."""

    raw: str
    year: int | None = None
    month: int | None = None
    day: int | None = None

    def iso(self) -> str | None:
        """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precise as the source allows."""
        if self.year is None:
            return None
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
            if self.day:
                out += f"-{self.day:02d}"
        return out


@dataclass(frozen=True, slots=True)
class Identifiers:
    """The work's own identifiers, each already normalised (see `zsync.model.identifiers`).

    doi: bare and lower case; pmid: digits; pmcid: `PMC` + digits; isbn: ISBN-13 digits;
    arxiv: new-style `2101.00001` or old-style `hep-th/9901001`, without version.
    """

    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    isbn: tuple[str, ...] = ()
    arxiv: str | None = None

    def is_empty(self) -> bool:
        return not (self.doi or self.pmid or self.pmcid or self.isbn or self.arxiv)

    def to_json(self) -> dict[str, Any]:
        return {
            "doi": self.doi,
            "pmid": self.pmid,
            "pmcid": self.pmcid,
            "isbn": list(self.isbn),
            "arxiv": self.arxiv,
        }


@dataclass(frozen=True, slots=True)
class MeshHeading:
    """A MeSH descriptor with its qualifiers; `major` marks a major topic of the work."""

    descriptor: str
    major: bool = False
    qualifiers: tuple[str, ...] = ()
    ui: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateNotice:
    """A retraction, correction or similar notice that concerns this work.

    kind: "retraction", "correction", "expression_of_concern", "withdrawal", "update".
    `doi`/`pmid` identify the notice itself, not the work it updates.
    """

    kind: str
    doi: str | None = None
    pmid: str | None = None
    label: str | None = None
    date: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from: file, 1-based line span, detected format, position in file."""

    path: str
    line: int = 1
    end_line: int | None = None
    format: str = "unknown"
    position: int = 1

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "end_line": self.end_line,
            "format": self.format,
            "position": self.position,
        }


@dataclass(frozen=True, slots=True)
class Record:
    """One appearance of a work in the user's notes or records."""

    origin: Origin
    ids: Identifiers = field(default_factory=Identifiers)
    title: str | None = None
    creators: tuple[Creator, ...] = ()
    container: str | None = None
    date: PartialDate | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    abstract: str | None = None
    language: str | None = None
    item_type: str | None = None
    publisher: str | None = None
    place: str | None = None
    series: str | None = None
    issn: tuple[str, ...] = ()
    journal_abbreviation: str | None = None
    keywords: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    status: str | None = None
    urls: tuple[str, ...] = ()
    mesh: tuple[MeshHeading, ...] = ()
    publication_types: tuple[str, ...] = ()
    notices: tuple[UpdateNotice, ...] = ()
    # Further Zotero fields by their Zotero name (e.g. "conferenceName", "university").
    fields: dict[str, str] = field(default_factory=dict)
    note: str = ""
    warnings: tuple[str, ...] = ()
    # The citation key the note names the work by (Better BibTeX, Pandoc `@key`), if any.
    citekey: str | None = None

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    @property
    def first_author(self) -> Creator | None:
        for c in self.creators:
            if c.role in (AUTHOR, BOOK_AUTHOR):
                return c
        return self.creators[0] if self.creators else None

    def is_usable(self) -> bool:
        """A record zsync can act on: it names the work by an identifier, a title or a
        citation key."""
        return (not self.ids.is_empty() or bool(self.title and self.title.strip())
                or bool(self.citekey))


@dataclass(frozen=True, slots=True)
class InputProblem:
    """An input (or part of one) that could not be read; reported, never raised past a file."""

    path: str
    message: str
    line: int | None = None
    format: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class FileResult:
    """What parsing one file gave: its usable records and the problems found on the way.

    A file with no usable record has at least one problem; `failed` says so.
    """

    path: str
    records: tuple[Record, ...] = ()
    problems: tuple[InputProblem, ...] = ()
    format: str | None = None

    @property
    def failed(self) -> bool:
        return not self.records and bool(self.problems)
