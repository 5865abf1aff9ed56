"""Tell an input's format from its content and parse it with the right parser.

Each format is a module offering the `InputFormat` interface (`zsync.inputs.base`). They
are asked in the order `parsers()` lists them: the most distinctive first, Markdown (which
accepts any text) last.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from zsync.inputs.base import InputFormat, ParseFailure, SharedInputFormat
from zsync.model.itemtypes import with_item_type
from zsync.model.records import FileResult, InputProblem, Record


@cache
def parsers() -> tuple[InputFormat, ...]:
    """Every input format, in the order their `sniff` is asked."""
    return tuple(_in_sniff_order())


def _in_sniff_order() -> Iterator[InputFormat]:
    """The formats in the order their `sniff` is asked, each imported only when reached:
    a parser brings lxml, bibtexparser, pylatexenc or more, which a process reading only
    BibTeX (or parsing nothing) need not load."""
    from zsync.inputs.exports import pubmed_xml
    yield pubmed_xml
    from zsync.inputs.exports import csl_json
    yield csl_json
    from zsync.inputs.exports import bibtex
    yield bibtex
    from zsync.inputs.exports import ris
    yield ris
    from zsync.inputs.exports import medline
    yield medline
    from zsync.inputs.vufind import parser as vufind
    yield vufind
    from zsync.inputs.notes import org
    yield org
    from zsync.inputs.notes import markdown
    yield markdown


@cache
def shared_formats() -> dict[str, SharedInputFormat]:
    """The formats a large input of which several processes read together, by name."""
    from zsync.inputs.exports import bibtex

    formats: list[SharedInputFormat] = [bibtex]
    return {f.FORMAT: f for f in formats}


def detect_format(text: str) -> InputFormat | None:
    """The format of `text`, or None when the text is empty."""
    if not text.strip():
        return None
    for parser in _in_sniff_order():
        if parser.sniff(text):
            return parser
    return None


def parse_text(text: str, path: str, part: tuple[int, int] | None = None) -> FileResult:
    """Parse one input's text; every problem is reported in the result, never raised.

    `part` (`(i, n)`): the i-th of n shares of a large input, for n processes reading it
    together (see `merge_parts`); a format that is not read in shares is read whole by
    share 0 and the others give nothing."""
    parser = detect_format(text)
    if parser is None:
        return FileResult(path, problems=(InputProblem(path, "empty input: nothing to read"),))
    fmt = parser.FORMAT
    if fmt == "markdown" and _looks_like_json(text):
        message = "JSON that is not CSL-JSON or Zotero item JSON: not a format zsync reads"
        return FileResult(path, problems=(InputProblem(path, message, 1, "json"),))
    try:
        shared = shared_formats().get(fmt)
        if part is None:
            records = parser.parse(text, path)
        elif shared is not None:
            records = shared.parse(text, path, part=part)
            if not records:
                return FileResult(path, format=fmt)
        elif part[0] == 0:
            return parse_text(text, path)
        else:
            return FileResult(path, format=fmt)
    except ParseFailure as exc:
        return FileResult(
            path, problems=(InputProblem(path, exc.message, exc.line, fmt),), format=fmt
        )
    usable = tuple(with_item_type(r) for r in records if _usable(r))
    problems = tuple(_unusable(r, fmt) for r in records if not _usable(r))
    if not records:
        problems = (InputProblem(path, "no bibliographic record found", None, fmt),)
    return FileResult(path, usable, problems, fmt)


def merge_parts(path: str, parts: list[FileResult]) -> FileResult | None:
    """The result of reading an input in shares (`parse_text(..., part=...)`), or None
    when no share gave a usable record: the input must then be read whole, so that it is
    refused or named as a whole one would be."""
    records = tuple(record for part in parts for record in part.records)
    if not records:
        return None
    problems = tuple(problem for part in parts for problem in part.problems)
    return FileResult(path, records, problems, next((p.format for p in parts if p.format), None))


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
