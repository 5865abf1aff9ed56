"""MEDLINE/nbib files: PubMed's "PubMed" (MEDLINE) text format, as saved from pubmed.gov.

Each line is `TAG - value` with the tag padded to four characters (`PMID- `, `TI  - `,
`FAU - `); long values continue on lines indented by six spaces; records are separated by
blank lines (a new `PMID-` line also starts one). No maintained PyPI parser reads this
better than these few lines do (Biopython's `Medline` module would be a large dependency
for the same splitting), so the format is read here and mapped in `medline_fields`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zsync.inputs.base import ParseFailure
from zsync.model.patterns import lazy
from zsync.model.records import Origin, Record

FORMAT = "medline"

_TAG_LINE = lazy(r"^([A-Z][A-Z0-9]{1,3})\s*-(?:\s(.*))?$")
_FIRST = lazy(r"^(?:PMID\s*-\s*\d|OWN\s*-\s*ERIC)")


@dataclass
class _Chunk:
    line: int
    end_line: int
    pairs: list[tuple[str, str]] = field(default_factory=list)
    stray: list[int] = field(default_factory=list)

    def has(self, tag: str) -> bool:
        return any(t == tag for t, _ in self.pairs)


_FIRST_CONTENT = lazy(r"\S[^\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*")


def sniff(text: str) -> bool:
    """True when the first non-blank line is a `PMID- ` line (or ERIC's `OWN - ERIC`)."""
    first = _FIRST_CONTENT.search(text.lstrip("\ufeff"))
    return bool(first and _FIRST.match(first.group(0).strip()))


def parse(text: str, path: str) -> list[Record]:
    """Every record in the file, in order."""
    # Here, not with the module: telling a file's format (`sniff`) does not need it.
    from zsync.inputs.exports.medline_fields import tags_to_record

    records: list[Record] = []
    for chunk in _chunks(text):
        warnings = [f"line {n}: not a MEDLINE tag line, ignored" for n in chunk.stray[:5]]
        origin = Origin(path, chunk.line, chunk.end_line, FORMAT, len(records) + 1)
        records.append(tags_to_record(chunk.pairs, origin, warnings))
    if not records:
        raise ParseFailure("no MEDLINE record (a line starting 'PMID- ') found", None)
    return records


def _chunks(text: str) -> list[_Chunk]:
    """Records as (tag, value) pairs in file order, continuation lines joined."""
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            current = None
            continue
        match = _TAG_LINE.match(line)
        if match and (current is None or (match.group(1) == "PMID" and current.has("PMID"))):
            current = _Chunk(line=number, end_line=number)
            chunks.append(current)
        if current is None:
            continue
        current.end_line = number
        if match:
            current.pairs.append((match.group(1), (match.group(2) or "").strip()))
        elif line[:1].isspace() and current.pairs:
            tag, value = current.pairs[-1]
            current.pairs[-1] = (tag, f"{value} {line.strip()}".strip())
        else:
            current.stray.append(number)
    return chunks
