"""RIS files (Zotero, Mendeley, EndNote, PubMed, Scopus, Web of Science, publisher exports).

Records run from a `TY  - ` line to an `ER  - ` line. The file is first cut into records
with their line numbers (a record missing its `ER` ends where the next `TY` begins, as
Zotero allows, and is flagged); each record's tag lines are then read by rispy, after
writing them in the strict `XX  - value` layout rispy expects (exporters also write
`TY - ` with one space). Tags are mapped to Zotero fields as Zotero's RIS translator
does (see `ris_fields`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from zsync.inputs.base import ParseFailure
from zsync.model.patterns import lazy
from zsync.model.records import Origin, Record

FORMAT = "ris"

_TAG_LINE = lazy(r"^\s{0,3}([A-Z][A-Z0-9])\s{1,3}-(?:\s+(.*?))?\s*$")
_END_TAG = lazy(r"ER\s{1,3}-")
_TYPE = lazy(r"^[A-Z]{3,8}\b")  # a RIS reference type: JOUR, BOOK, CHAP, CONF ...
_HEADER = lazy(r"^[A-Z][A-Za-z ]{1,30}:\s")  # e.g. `Provider: ...` before the first TY
_LIST_TAGS = [
    "AU",
    "A1",
    "A2",
    "A3",
    "A4",
    "A5",
    "A6",
    "ED",
    "KW",
    "UR",
    "L1",
    "L2",
    "L3",
    "L4",
    "N1",
    "SN",
    "DO",
    "AN",
    "M1",
    "M3",
    "AD",
    "C1",
    "C2",
    "C3",
    "C4",
    "C5",
    "C6",
    "C7",
    "C8",
]


@dataclass
class _Chunk:
    line: int
    lines: list[str] = field(default_factory=list)
    end_line: int = 0
    closed: bool = False


def sniff(text: str) -> bool:
    """True when the text is built of RIS records.

    Either the first content line is `TY  - ` (after at most a few `Key: value` lines), or
    the text holds `TY  - ` ... `ER  - ` records that make up much of it, whatever stands
    between them: Ovid's record numbers (`1.`), a preamble, or other junk.
    """
    seen = 0
    for line in _lines(text):
        if not line.strip():
            continue
        match = _TAG_LINE.match(line)
        if match and match.group(1) == "TY":
            return True
        seen += 1
        if seen > 4 or not _HEADER.match(line):
            break
    return _built_of_records(text)


def _built_of_records(text: str) -> bool:
    if not _closes_a_record(text):  # not worth reading every line
        return False
    content = tagged = opened = closed = 0
    for line in _lines(text):
        if not line.strip():
            continue
        content += 1
        match = _TAG_LINE.match(line)
        if not match:
            continue
        tagged += 1
        if match.group(1) == "TY" and _TYPE.match(match.group(2) or ""):
            opened += 1
        elif match.group(1) == "ER" and opened > closed:
            closed += 1
    return closed > 0 and tagged >= 0.5 * content


def _closes_a_record(text: str) -> bool:
    """Whether some line may be an `ER  - ` line: a quick test before reading every line
    (a literal search is many times faster than a line-anchored one)."""
    for match in _END_TAG.finditer(text):
        start = max(text.rfind("\n", 0, match.start()), text.rfind("\r", 0, match.start())) + 1
        if match.start() - start <= 3 and not text[start : match.start()].strip():
            return True
    return False


def parse(text: str, path: str) -> list[Record]:
    """Every record in the file, in order."""
    # Here, not with the module: telling a file's format (`sniff`) does not need it.
    from zsync.inputs.exports.ris_fields import tags_to_record

    records: list[Record] = []
    for chunk in _chunks(text):
        warnings = (
            []
            if chunk.closed
            else [
                f"RIS record starting at line {chunk.line} has no closing ER line (truncated file?)"
            ]
        )
        origin = Origin(path, chunk.line, chunk.end_line, FORMAT, len(records) + 1)
        records.append(tags_to_record(_read(chunk, warnings), origin, warnings))
    if not records:
        raise ParseFailure("no RIS record (a line starting 'TY  - ') found", None)
    return records


def _lines(text: str) -> Iterator[str]:
    for line in text.lstrip("\ufeff").splitlines():
        yield line.replace("\u2028", " ").replace("\u2029", " ").replace("\ufeff", "")


def _chunks(text: str) -> list[_Chunk]:
    """Cut the file into records; lines outside a TY..ER span are skipped."""
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    for number, line in enumerate(_lines(text), start=1):
        match = _TAG_LINE.match(line)
        tag = match.group(1) if match else None
        if tag == "TY":
            current = _Chunk(line=number)
            chunks.append(current)
        if current is None:
            continue
        if tag == "ER":
            current.end_line, current.closed = number, True
            current = None
            continue
        if match:
            current.lines.append(f"{tag}  - {match.group(2) or ''}")
        elif line.strip():
            current.lines.append(" " + line.strip())
        else:
            continue
        current.end_line = number
    return chunks


def _read(chunk: _Chunk, warnings: list[str]) -> dict[str, list[str]]:
    """The record's values by tag, each a list in file order, as read by rispy."""
    # Here, not with the module: telling a file's format (`sniff`) does not need it.
    import rispy

    tags = {line[:2] for line in chunk.lines if not line.startswith(" ")}
    mapping = {tag: tag for tag in tags} | {"UK": "_continued"}
    text = "\n".join([*chunk.lines, "ER  - "])
    try:
        found = rispy.loads(text, mapping=mapping, list_tags=_LIST_TAGS, delimiter_tags_mapping={})
    except Exception as exc:  # rispy raises plain exceptions on odd input; keep the file going
        warnings.append(f"RIS record at line {chunk.line} could not be read: {exc}")
        return {}
    if not found:
        return {}
    values: dict[str, list[str]] = {}
    for tag, value in found[0].items():
        if isinstance(value, list):
            values[tag] = [str(v).strip() for v in value if str(v).strip()]
        elif isinstance(value, str) and value.strip():
            values[tag] = [value.strip()]
    return values
