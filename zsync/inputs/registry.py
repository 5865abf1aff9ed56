"""Tell an input's format from its content and parse it with the right parser.

Each parser module offers `FORMAT` (its name), `sniff(text) -> bool` and
`parse(text, path) -> list[Record]`, raising `ParseFailure` for input it cannot read.
Formats are tried in `_ORDER`: the most distinctive first, Markdown (which accepts any
text) last.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from types import ModuleType

from zsync.inputs.base import ParseFailure
from zsync.model.itemtypes import with_item_type
from zsync.model.records import FileResult, InputProblem, Record

_ORDER = (
    "exports.pubmed_xml",
    "exports.csl_json",
    "exports.bibtex",
    "exports.ris",
    "exports.medline",
    "vufind.parser",
    "notes.org",
    "notes.markdown",
)


@cache
def parsers() -> tuple[ModuleType, ...]:
    """Every input format's parser, in the order their `sniff` is asked."""
    return tuple(import_module(f"{__package__}.{name}") for name in _ORDER)


def detect_format(text: str) -> ModuleType | None:
    """The parser module for `text`, or None when the text is empty."""
    if not text.strip():
        return None
    for parser in parsers():
        if parser.sniff(text):
            return parser
    return None


def parse_text(text: str, path: str) -> FileResult:
    """Parse one input's text; every problem is reported in the result, never raised."""
    parser = detect_format(text)
    if parser is None:
        return FileResult(path, problems=(InputProblem(path, "empty input: nothing to read"),))
    fmt: str = parser.FORMAT
    if fmt == "markdown" and _looks_like_json(text):
        message = "JSON that is not CSL-JSON or Zotero item JSON: not a format zsync reads"
        return FileResult(path, problems=(InputProblem(path, message, 1, "json"),))
    try:
        records: list[Record] = parser.parse(text, path)
    except ParseFailure as exc:
        return FileResult(
            path, problems=(InputProblem(path, exc.message, exc.line, fmt),), format=fmt
        )
    usable = tuple(with_item_type(r) for r in records if _usable(r))
    problems = tuple(_unusable(r, fmt) for r in records if not _usable(r))
    if not records:
        problems = (InputProblem(path, "no bibliographic record found", None, fmt),)
    return FileResult(path, usable, problems, fmt)


def _usable(record: Record) -> bool:
    """Named by an identifier or a title, or cited by author, container, year and pages
    (`Smith J, Phys Rev B 12, 345 (1975)`), which is how Zotero imports such records too."""
    if record.is_usable():
        return True
    return bool(record.creators and record.container and record.year
                and (record.pages or record.volume))


def _looks_like_json(text: str) -> bool:
    """Data, not a note: the text opens as a JSON object or array."""
    head = text.lstrip("\ufeff \t\n")[:2]
    return head[:1] == "{" or head in ("[{", '["', "[\n", "[]")


def _unusable(record: Record, fmt: str) -> InputProblem:
    message = (
        "no identifier (DOI, PMID, PMCID, ISBN, arXiv) and no title: nothing to match a work by"
    )
    if record.warnings:
        message += f" ({'; '.join(record.warnings)})"
    return InputProblem(record.origin.path, message, record.origin.line, fmt)
