"""PubMed XML files (EFetch `PubmedArticleSet`, single `PubmedArticle`/`PubmedBookArticle`).

A thin parser module: reading the XML is `zsync.sources.pubmed.mapping.parse_pubmed_xml`'s job (the
same code reads PubMed's answers); here the format is recognised and its errors turned
into `ParseFailure`s with the line lxml reports.
"""

from __future__ import annotations

import re
from dataclasses import replace

from zsync.inputs.base import ParseFailure
from zsync.model.patterns import lazy
from zsync.model.records import Record

FORMAT = "pubmed-xml"

_ROOTS = ("PubmedArticleSet", "PubmedArticle", "PubmedBookArticle")
# Declarations, comments and a DOCTYPE may come before the root element.
_PROLOG = lazy(r"\s*(?:<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)", re.S)
_ROOT = lazy(r"\s*<(" + "|".join(_ROOTS) + r")[\s>/]")
_PLACE = lazy(r" \(([^()]+)\)$")
_LINE = lazy(r"\bline (\d+)")


def sniff(text: str) -> bool:
    """True when the root element (after any XML declaration, comments or DOCTYPE) is one of
    PubMed's: `PubmedArticleSet`, `PubmedArticle` or `PubmedBookArticle`."""
    head = text[:8192].lstrip("\ufeff")
    index = 0
    while True:
        match = _PROLOG.match(head, index)
        if not match or match.end() == index:
            break
        index = match.end()
    return bool(_ROOT.match(head, index))


def parse(text: str, path: str) -> list[Record]:
    """Every article and book article in the file, in document order."""
    try:
        from zsync.sources.pubmed.mapping import parse_pubmed_xml
    except ImportError as exc:  # the mapping module is missing from this installation
        raise ParseFailure(f"PubMed XML cannot be read here: {exc}", None) from exc
    try:
        records = parse_pubmed_xml(text.lstrip("\ufeff"), origin_path=path)
    except ParseFailure:
        raise
    except Exception as exc:  # lxml and the mapping raise several kinds; all mean "unreadable"
        raise ParseFailure(_message(exc), _line(exc)) from exc
    return [
        _place_apart(_with_origin(record, path, position))
        for position, record in enumerate(records, start=1)
    ]


def _place_apart(record: Record) -> Record:
    """`Arthritis & Rheumatology (Hoboken, N.J.)`: NLM's place that tells same-named journals
    apart goes to the place field, as Zotero's PubMed XML import does."""
    match = _PLACE.search(record.container or "") if record.item_type == "journalArticle" else None
    if match is None:
        return record
    return replace(record, container=record.container[: match.start()],  # type: ignore[index]
                   place=record.place or match.group(1))


def _with_origin(record: Record, path: str, position: int) -> Record:
    origin = record.origin
    if origin.path == path and origin.format == FORMAT and origin.position == position:
        return record
    return replace(record, origin=replace(origin, path=path, format=FORMAT, position=position))


def _message(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return (
        text
        if text.lower().startswith(("pubmed", "not ", "invalid"))
        else (f"invalid PubMed XML: {text}")
    )


def _line(exc: BaseException) -> int | None:
    """The line of an lxml syntax error, also when it is wrapped in another exception."""
    seen: BaseException | None = exc
    while seen is not None:
        lineno = getattr(seen, "lineno", None)
        if isinstance(lineno, int) and lineno > 0:
            return lineno
        position = getattr(seen, "position", None)
        if isinstance(position, tuple) and position and isinstance(position[0], int):
            return position[0]
        seen = seen.__cause__ or seen.__context__
    match = _LINE.search(str(exc))
    return int(match.group(1)) if match else None
