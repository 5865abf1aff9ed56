"""Split a scanned Markdown note into the records it describes and gather each one's parts.

A note with bibliographic front matter is one record. Otherwise a new record starts where
a field block names a different work than the record so far: a different title, DOI, PMID,
PMCID, arXiv id or year; an identifying field after a `---` rule; or a field block under a
new heading of the same level as the record's title heading. It starts at the boundary
before that block (the highest heading, else the rule, else the blank line).
"""

from __future__ import annotations

from collections.abc import Iterator

from zsync.inputs.notes.fields import Field, RecordParts
from zsync.inputs.notes.idscan import has_identifier, scan_lines
from zsync.inputs.notes.labels import points_elsewhere
from zsync.inputs.notes.mdscan import (
    BLANK,
    CONT,
    FIELD,
    HEADING,
    LABELLED,
    RULE,
    TEXT,
    Heading,
    MdDoc,
)
from zsync.inputs.notes.sections import OTHER, is_section_name, title_from_heading
from zsync.inputs.notes.tags import find_hashtags
from zsync.model import identifiers as ids
from zsync.model.dates import parse_date
from zsync.model.patterns import lazy
from zsync.model.records import Origin

FORMAT = "markdown"
_DEFINING = frozenset(
    ["title", "authors", "doi", "pmid", "pmcid", "arxiv", "isbn", "date", "container"]
)
_CONFLICT = frozenset(["title", "doi", "pmid", "pmcid", "arxiv", "date"])
_IDENTIFYING = frozenset(["title", "doi", "pmid", "pmcid", "arxiv", "isbn"])
_NOT_BIBLIOGRAPHIC = frozenset(["tags", "status", "keywords", "alias"])
# Front matter keys that name the page's writer (Roam, Hugo, Jekyll) when the body names
# the work's authors itself.
_WRITER_KEYS = frozenset(["author", "creator", "by"])
_TAG_KINDS = frozenset([TEXT, HEADING, CONT, LABELLED])
_NON_WORD = lazy(r"\W+")
_TOP_BULLET = lazy(r"^[-*+][ \t]+\S")
_YEAR = lazy(r"(?<!\d)(?:1[89]|20)\d\d[a-z]?(?!\d)")


def record_parts(doc: MdDoc, path: str) -> Iterator[RecordParts]:
    """One `RecordParts` per record in the note, in order."""
    starts = _record_starts(doc)
    single = len(starts) == 1
    front_fields = doc.front.fields if doc.front else []
    warnings = doc.front.warnings if doc.front else []
    bounds = [*starts[1:], len(doc.lines)]
    for position, (start, stop) in enumerate(zip(starts, bounds, strict=True), 1):
        parts = _parts(doc, path, start, stop - 1, position)
        if single:
            parts.fields = _without_writer(front_fields, parts.fields) + parts.fields
        else:
            parts.defaults = list(front_fields)
        if position == 1:
            parts.warnings = list(warnings)
        yield parts


def _without_writer(front: list[Field], body: list[Field]) -> list[Field]:
    """Front matter without its `author:` when the body names the work's authors: there it
    is the page's writer (a Roam export's `author: Joel Chan`), not the work's."""
    if not any(f.key == "authors" for f in body):
        return front
    return [f for f in front if not (f.key == "authors" and f.label in _WRITER_KEYS)]


def _record_starts(doc: MdDoc) -> list[int]:
    if doc.front and any(f.key not in _NOT_BIBLIOGRAPHIC for f in doc.front.fields):
        return [0]
    starts = [0]
    seen: dict[str, str] = {}
    last = -1  # 0-based index of the current record's last defining field line
    level: int | None = None
    for item in doc.fields:
        if item.key not in _DEFINING:
            continue
        index = item.line - 1
        if seen and index > last + 1 and _splits(doc, seen, item, range(last + 1, index), level):
            starts.append(_choose_start(doc, range(last + 1, index), index))
            seen = {}
        if not seen:
            heading = _title_heading(doc, starts[-1], index)
            level = heading.level if heading else None
        seen.setdefault(item.key, _comparable(item))
        last = max(last, doc.field_ends.get(item.line, item.line) - 1)
    return starts


def _splits(doc: MdDoc, seen: dict[str, str], item: Field, gap: range, level: int | None) -> bool:
    kinds = [doc.kinds[j] for j in gap]
    if not any(k in (BLANK, HEADING, RULE) for k in kinds) and not _outline_blocks(doc, gap):
        return False
    value = _comparable(item)
    if item.key in _CONFLICT and value and seen.get(item.key) and seen[item.key] != value:
        return True
    if RULE in kinds and item.key in _IDENTIFYING and any(k in seen for k in _IDENTIFYING):
        return True
    heading = _title_heading(doc, gap.start, gap.stop)
    return heading is not None and level is not None and heading.level <= level


def _outline_blocks(doc: MdDoc, gap: range) -> list[int]:
    """Top-level bullets in the gap (Logseq and Roam blocks: `- [[@Paper]]` above its
    indented `title::` properties), each a block of its own."""
    return [j for j in gap if doc.kinds[j] == TEXT and _TOP_BULLET.match(doc.lines[j])]


def _choose_start(doc: MdDoc, gap: range, index: int) -> int:
    headings = [h for h in doc.headings if gap.start <= h.index < gap.stop]
    if headings:
        return min(headings, key=lambda h: (h.level, h.index)).index
    blocks = _outline_blocks(doc, gap)
    if blocks and not any(doc.kinds[j] in (BLANK, RULE) for j in gap):
        return blocks[-1]
    rules = [j for j in gap if doc.kinds[j] == RULE]
    if rules:
        return rules[-1] + 1
    for j in range(index - 1, gap.start - 1, -1):
        if doc.kinds[j] == CONT:
            break
        if doc.kinds[j] == BLANK:
            return j + 1
    return index


def _comparable(item: Field) -> str:
    value = item.value
    if item.key == "title":
        return _NON_WORD.sub("", value.lstrip("@").casefold())
    if item.key == "date":
        date = parse_date(value)
        return str(date.year) if date and date.year else ""
    normalise = {
        "doi": ids.normalize_doi,
        "pmid": ids.normalize_pmid,
        "pmcid": ids.normalize_pmcid,
        "arxiv": ids.normalize_arxiv,
    }.get(item.key)
    return (normalise(value) or "") if normalise else value.casefold()


def _title_heading(doc: MdDoc, start: int, stop: int) -> Heading | None:
    """The nearest heading before `stop` (from `start`) that can be a work's title."""
    for heading in reversed(doc.headings):
        if heading.index < start:
            return None
        if heading.index < stop and _can_be_title(doc, heading):
            return heading
    return None


def _can_be_title(doc: MdDoc, heading: Heading) -> bool:
    return (
        heading.section == OTHER
        and heading.index not in doc.unfilled
        and not is_section_name(heading.text)
    )


def _opening_heading(doc: MdDoc, start: int, end: int) -> Heading | None:
    """The heading a note opens with (before any text of its own), when it can be a title:
    what a note whose fields are all in front matter is titled by."""
    for j in range(max(start, doc.body_start), end + 1):
        kind = doc.kinds[j]
        if kind == HEADING:
            heading = next(h for h in doc.headings if h.index == j)
            return heading if _can_be_title(doc, heading) else None
        if kind in (TEXT, LABELLED, CONT) and not doc.meta[j]:
            return None
    return None


def _parts(doc: MdDoc, path: str, start: int, end: int, position: int) -> RecordParts:
    fields = [f for f in doc.fields if start <= f.line - 1 <= end]
    first_defining = next((f.line - 1 for f in fields if f.key in _DEFINING), None)
    if first_defining is None:
        heading = _opening_heading(doc, start, end)
    else:
        heading = _title_heading(doc, start, first_defining)
    lines = doc.lines
    first, last = _content_bounds(doc, start, end)
    own_lines = _own_lines(doc, start, end)
    return RecordParts(
        origin=Origin(path, first + 1, last + 1, FORMAT, position),
        fields=fields,
        heading_title=title_from_heading(heading.text) if heading else None,
        heading_text=heading.text if heading else None,
        hashtags=find_hashtags(_tag_lines(doc, fields, start, end)),
        scanned_ids=scan_lines(own_lines),
        templated=any(start <= j <= end for j in doc.template_fields),
        reference_lines=[*own_lines, *_opening_lines(doc, start, end)],
        note="\n".join(lines[first : last + 1]),
    )


def _opening_lines(doc: MdDoc, start: int, end: int, limit: int = 12) -> list[str]:
    """The first lines of text of a record, up to its second heading: where templates print
    the work's formatted reference."""
    out: list[str] = []
    headings = 0
    for j in range(max(start, doc.body_start), end + 1):
        kind = doc.kinds[j]
        if doc.commentary[j] or len(out) >= limit:
            break
        if kind == HEADING:
            headings += 1
            if headings > 1:
                break
        elif kind == TEXT and j not in doc.unfilled:
            out.append(doc.lines[j])
    return out


def _tag_lines(doc: MdDoc, fields: list[Field], start: int, end: int) -> Iterator[str]:
    """Lines whose `#hashtags` are user tags: text, headings, and fields other than the
    keyword and status fields (`Type: #literature` tags the note; `status:: #toread` not)."""
    not_tags = {f.line - 1 for f in fields if f.key in ("keywords", "status")}
    for j in range(start, end + 1):
        kind = doc.kinds[j]
        if j in doc.unfilled:
            continue
        if kind in _TAG_KINDS or (kind == FIELD and j not in not_tags):
            yield doc.lines[j]


def _content_bounds(doc: MdDoc, start: int, end: int) -> tuple[int, int]:
    """First and last line of the record's own content (no blank lines, no closing rule)."""
    lines, kinds = doc.lines, doc.kinds
    first = next((j for j in range(start, end + 1) if lines[j].strip()), start)
    last = next(
        (j for j in range(end, first - 1, -1) if lines[j].strip() and kinds[j] != RULE), first
    )
    return first, last


def _own_lines(doc: MdDoc, start: int, end: int) -> list[str]:
    """Unlabelled lines that describe the work itself: the record's opening lines up to
    its first prose paragraph or section, citation callouts and metadata sections."""
    return _head_zone(doc, start, end) + [
        doc.lines[j]
        for j in range(start, end + 1)
        if doc.meta[j] and not doc.commentary[j] and doc.kinds[j] in (TEXT, LABELLED)
    ]


def _head_zone(doc: MdDoc, start: int, end: int) -> list[str]:
    zone: list[str] = []
    content = False
    for j in range(max(start, doc.body_start), end + 1):
        kind, line = doc.kinds[j], doc.lines[j]
        if doc.commentary[j] or kind == CONT or (kind == HEADING and content):
            break
        if kind == FIELD:
            content = True
        elif kind == HEADING:
            zone.append(line)
        elif kind == LABELLED:
            content = True
            if not points_elsewhere(doc.labels.get(j, "")):
                zone.append(line)
        elif kind == TEXT:
            content = True
            if _is_prose(line) or (len(line.split()) >= 12 and not has_identifier(line)):
                break
            zone.append(line)
    return zone


def _is_prose(line: str) -> bool:
    """A sentence of commentary, not a reference: many words and no publication year."""
    words = [w for w in line.split() if "/" not in w and not w.lower().startswith("doi:")]
    return len(words) >= 12 and not _YEAR.search(" ".join(words))
