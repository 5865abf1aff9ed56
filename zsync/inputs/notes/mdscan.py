"""One pass over a Markdown note: what each line is, the fields, headings and sections.

The result (`MdDoc`) is what `mdrecords` splits into records. Each line gets a kind
(text, heading, field, continuation of a block value, code …) and two flags: inside a
commentary section (Notes, Related, References …: its fields are not the work's) and inside
a metadata area (a `> [!Cite]` callout, a "Citation" or "Metadata" section).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zsync.inputs.notes.fields import Field, is_placeholder
from zsync.inputs.notes.frontmatter import FrontMatter
from zsync.inputs.notes.labels import is_singular_author, lookup
from zsync.inputs.notes.mdfields import (
    BLOCK_KEYS,
    LineField,
    clean_value,
    format_abstract,
    match_line,
)
from zsync.inputs.notes.sections import ABSTRACT, COMMENTARY, METADATA, classify
from zsync.model.patterns import lazy

BLANK, TEXT, HEADING, RULE, CODE, FIELD, CONT, LABELLED, FRONT, MARK = range(10)

_FENCE = lazy(r"^\s*(`{3,}|~{3,})")
_HEADING = lazy(r"^\s{0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_RULE = lazy(r"^\s{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = lazy(r"^[ \t]*((?:>[ \t]?)+)")
_CALLOUT = lazy(r"^\[!([\w-]+)\][+-]?\s*(.*)$")
_BULLET = lazy(r"^([ \t]*)(?:([-*+]|\d{1,3}[.)])(?:[ \t]+|$))?")
_MEDLINE_PAIR = lazy(r"[^,]+ [A-Z]{1,3}, [^,]+ [A-Z]{1,3}")
_EMPHASIS_LABEL = lazy(r"^(\*\*|__|\*|_)[^*_\n]{1,60}?\1(?:\s*:|$)")
_CITE_CALLOUTS = frozenset(["cite", "citation", "reference", "info", "md", "metadata", "bib"])
# Fields that only a note about a work has (in a template, even unfilled).
_WORK_KEYS = frozenset(["title", "authors", "date", "doi", "container", "pmid", "isbn"])
# HackMD's tag line: `###### tags: `paper` `ml``, a heading only in its form.
_HEADING_TAGS = lazy(r"^tags\s*:\s*(.*)$", re.IGNORECASE)
_CODE_TAG = lazy(r"`([^`]+)`")


@dataclass(slots=True)
class Heading:
    index: int  # 0-based line index
    level: int
    text: str
    section: int


@dataclass
class MdDoc:
    lines: list[str]
    kinds: list[int]
    commentary: list[bool]
    meta: list[bool]
    front: FrontMatter | None
    body_start: int
    fields: list[Field] = field(default_factory=list)
    field_ends: dict[int, int] = field(default_factory=dict)  # field line -> last line (1-based)
    headings: list[Heading] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)  # unknown label of a LABELLED line
    unfilled: set[int] = field(default_factory=set)  # lines under an unfilled template heading
    template_fields: list[int] = field(default_factory=list)  # 0-based lines of unfilled fields


@dataclass
class _Block:
    """A field whose value goes on over the next lines (abstract, list of names …)."""

    key: str
    rank: int
    line: int
    indent: int
    bullet: bool
    mode: str  # "text", "list", "scalar", "quote", "section"
    entries: list[str] = field(default_factory=list)
    has_value: bool = False
    blank: bool = False
    end: int = 0


def scan(text: str, front: FrontMatter | None) -> MdDoc:
    lines = text.split("\n")
    start = 0 if front is None else front.end
    n = len(lines)
    kinds = [FRONT] * start + [BLANK] * (n - start)
    doc = MdDoc(lines, kinds, [False] * n, [False] * n, front, start)
    _Scanner(doc).run()
    doc.fields.sort(key=lambda f: f.line)
    return doc


class _Scanner:
    def __init__(self, doc: MdDoc) -> None:
        self.doc = doc
        self.fence: str | None = None
        self.block: _Block | None = None
        self.callout: str | None = None
        self.sections: list[tuple[int, int]] = []  # (level, section class)
        self.in_commentary = False
        self.in_metadata = False
        self.unfilled_level: int | None = None  # level of an unfilled template's heading

    def run(self) -> None:
        doc = self.doc
        for i in range(doc.body_start, len(doc.lines)):
            self.line(i, doc.lines[i])
            doc.commentary[i] = self.in_commentary
            doc.meta[i] = doc.meta[i] or self.in_metadata
            if self.unfilled_level is not None:
                doc.unfilled.add(i)
        self.end_block()

    def line(self, i: int, line: str) -> None:
        kinds = self.doc.kinds
        if self.fence is not None:
            kinds[i] = CODE
            if line.strip().startswith(self.fence):
                self.fence = None
            return
        stripped = line.strip()
        if not stripped:
            self.callout = None
            if self.block is not None:
                self.block.blank = True
                if self.block.mode == "text":
                    self.block.entries.append("")
            return
        fence = _FENCE.match(line) if stripped[0] in "`~" else None
        if fence:
            self.end_block()
            self.fence, kinds[i] = fence.group(1)[:3], CODE
            return
        if line[:4].lstrip().startswith("#") and self.heading(i, line):
            return
        if stripped[0] in "-*_" and _RULE.match(line):
            self.end_block()
            self.callout, kinds[i] = None, RULE
            return
        self.content_line(i, line)

    def heading(self, i: int, line: str) -> bool:
        m = _HEADING.match(line)
        if not m:
            return False
        level, text = len(m.group(1)), m.group(2).strip()
        tags = _HEADING_TAGS.match(text)
        if tags:
            self.end_block()
            self.doc.kinds[i] = FIELD
            value = ", ".join(_CODE_TAG.findall(tags.group(1))) or tags.group(1)
            self.emit(Field("tags", value, i + 1))
            return True
        self.end_block()
        self.callout = None
        if self.unfilled_level is not None and level <= self.unfilled_level:
            self.unfilled_level = None
        if is_placeholder(text):
            self.unfilled_level = level
        section = COMMENTARY if self.unfilled_level is not None else classify(text)
        while self.sections and self.sections[-1][0] >= level:
            self.sections.pop()
        self.sections.append((level, section))
        self.in_commentary = any(s == COMMENTARY for _, s in self.sections)
        self.in_metadata = any(s == METADATA for _, s in self.sections)
        self.doc.kinds[i] = HEADING
        self.doc.headings.append(Heading(i, level, text, section))
        if section == ABSTRACT:
            known = lookup(text)
            self.block = _Block("abstract", known[1] if known else 0, i + 1, -1, False, "section")
        return True

    def content_line(self, i: int, line: str) -> None:
        quoted = False
        quote = _QUOTE.match(line) if ">" in line[:8] else None
        if quote:
            quoted, line = True, line[quote.end() :]
            callout = _CALLOUT.match(line.strip())
            if callout:
                self.callout_start(i, callout.group(1).lower())
                return
        else:
            self.callout = None
        if self.callout in _CITE_CALLOUTS:
            self.doc.meta[i] = True
        bullet_match = _BULLET.match(line)
        assert bullet_match is not None  # the pattern matches any line
        indent = len(bullet_match.group(1).expandtabs(4))
        bullet = bullet_match.group(2) is not None
        content = line[bullet_match.end() :].strip()
        block = self.block
        if block is not None and _plainly_inside(block, indent, content):
            self.absorb(i, content)
            return
        found = match_line(content)
        if block is not None:
            if self.continues(block, indent, bullet, content, found, quoted):
                self.absorb(i, content)
                return
            self.end_block()
        self.fields_line(i, indent, bullet, found)

    def callout_start(self, i: int, kind: str) -> None:
        self.end_block()
        self.callout = kind
        self.doc.kinds[i] = MARK
        if lookup(kind) == ("abstract", 0):
            self.block = _Block("abstract", 0, i + 1, -1, False, "quote")

    def continues(
        self,
        b: _Block,
        indent: int,
        bullet: bool,
        content: str,
        found: list[LineField],
        quoted: bool,
    ) -> bool:
        if b.mode == "quote":
            return quoted and self.callout is not None
        if any(f.key for f in found) and (found[0].strong or indent <= b.indent):
            return False
        if b.mode == "section":
            return True
        if b.mode == "list":
            return bullet and (indent > b.indent or (not b.bullet and indent >= b.indent))
        if b.mode == "scalar":
            return not b.entries and (indent > b.indent or (not b.bullet and not b.blank))
        if indent > b.indent:
            return True
        if b.bullet:
            return bullet and indent == b.indent and not b.has_value and _is_emphasis_label(content)
        if b.blank and b.entries and b.entries[-1] == "":
            return not b.has_value and _is_emphasis_label(content)
        return True

    def absorb(self, i: int, content: str) -> None:
        assert self.block is not None
        self.doc.kinds[i] = CONT
        self.block.entries.append(content)
        self.block.blank = False
        self.block.end = i + 1

    def fields_line(self, i: int, indent: int, bullet: bool, found: list[LineField]) -> None:
        doc = self.doc
        known = [f for f in found if f.key]
        if not known:
            doc.kinds[i] = LABELLED if found else TEXT
            if found:
                doc.labels[i] = found[0].label
            return
        doc.kinds[i] = FIELD
        for f in known:
            assert f.key is not None
            value = clean_value(f.value, f.key)
            if f.key in BLOCK_KEYS and (not value or f.key == "abstract") and len(known) == 1:
                mode = "text" if f.key == "abstract" else "list"
                self.block = _Block(f.key, f.rank, i + 1, indent, bullet, mode)
                self.block.has_value = bool(value)
                if value:
                    self.block.entries.append(value)
                continue
            if not value:
                self.block = _Block(f.key, f.rank, i + 1, indent, bullet, "scalar")
                continue
            self.emit(Field(f.key, value, i + 1, f.rank, _one_name(f.label, f.key, value)))

    def emit(self, item: Field, end: int | None = None) -> None:
        unfilled = self.unfilled_level is not None or is_placeholder(item.value)
        if item.key in _WORK_KEYS and unfilled:
            self.doc.template_fields.append(item.line - 1)
        if self.in_commentary:
            return
        self.doc.fields.append(item)
        self.doc.field_ends[item.line] = end or item.line

    def end_block(self) -> None:
        b, self.block = self.block, None
        if b is None or not b.entries:
            return
        end = b.end or b.line
        if b.mode in ("text", "quote", "section"):
            text = format_abstract(b.entries)
            if text:
                self.emit(Field("abstract", text, b.line, b.rank), end)
            return
        for entry in b.entries:
            value = clean_value(entry, b.key)
            if value:
                single = b.mode == "list"
                self.emit(Field(b.key, value, b.line, b.rank, single), end)


def _plainly_inside(block: _Block, indent: int, content: str) -> bool:
    """A deeper-indented line of a text block that cannot be a field (no need to match it)."""
    return (
        block.mode == "text"
        and indent > block.indent
        and content[:1] not in "*_"
        and "::" not in content
    )


def _one_name(label: str, key: str, value: str) -> bool:
    """`Author:: Family, Given` (one name per line), not `Author: Smith J, Jones K`."""
    if key not in ("authors", "editors") or not is_singular_author(label):
        return False
    if value.count(",") != 1 or "[[" in value or ";" in value or " and " in value:
        return False
    return not _MEDLINE_PAIR.fullmatch(value)


def _is_emphasis_label(content: str) -> bool:
    """`*Background*`, `**Methods:**` or `*Results*: text`: a section label of an abstract."""
    return bool(_EMPHASIS_LABEL.match(content.strip()))
