"""Cut a pasted VuFind text into records, and each record into its three parts.

A record is the display page (labels), the raw Solr dump of the staff view and/or a MARC
staff view. A new record starts at a second `Loading...` header, a second `LEADER`/`001`
line, a Solr field printed again where the field order starts over (`_version_`, `id`),
or text after a blank line that ends a Solr dump.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zsync.inputs.vufind.fields import (
    is_dump_start,
    is_record_restart,
    split_field_line,
    starts_field,
)
from zsync.inputs.vufind.labels import is_boilerplate, is_loading
from zsync.inputs.vufind.marc import marc_tag

_LOOKAHEAD = 40


@dataclass
class Chunk:
    """The raw lines of one record; `start`/`end` are 1-based line numbers."""

    start: int
    end: int
    header: bool = False
    display: list[str] = field(default_factory=list)
    solr: list[tuple[str, list[str]]] = field(default_factory=list)
    marc: list[str] = field(default_factory=list)
    marc_tags: set[str] = field(default_factory=set)
    solr_seen: set[str] = field(default_factory=set)

    def has_content(self) -> bool:
        return bool(self.solr or self.marc or any(line.strip() for line in self.display))


@dataclass
class _State:
    chunks: list[Chunk]
    mode: str = "display"
    current: str | None = None
    ordered: bool = True
    blank: bool = False
    previous: str = ""

    @property
    def chunk(self) -> Chunk:
        return self.chunks[-1]

    def restart(self, lineno: int) -> Chunk:
        if self.chunk.has_content():
            self.chunks.append(Chunk(lineno, lineno))
        else:
            self.chunk.start = lineno
        self.current, self.ordered = None, True
        return self.chunk


def split_records(text: str) -> list[Chunk]:
    lines = text.lstrip("\ufeff").splitlines()
    state = _State([Chunk(1, 1)])
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            state.blank = True
            if state.mode == "display":
                state.chunk.display.append("")
            continue
        _step(state, lines, index, line)
        state.chunk.end = index + 1
        state.blank, state.previous = False, line
    return [c for c in state.chunks if c.has_content()]


def _step(state: _State, lines: list[str], index: int, line: str) -> None:
    lineno = index + 1
    if is_loading(line):
        state.restart(lineno).header = True
        state.mode = "display"
        return
    tag = marc_tag(line, state.mode == "marc")
    if tag:
        _marc_line(state, lineno, tag, line)
        return
    if state.mode == "marc":
        if not state.blank and not is_dump_start(line) and not is_boilerplate(line):
            state.chunk.marc[-1] += " " + line
            return
        state.mode = "display"
    parts = split_field_line(line)
    if state.mode == "solr":
        _solr_line(state, lineno, line, parts)
    elif parts and is_dump_start(line) and _confirmed(lines, index):
        state.mode = "solr"
        _start_field(state, lineno, *parts)
    else:
        state.chunk.display.append(line)


def _marc_line(state: _State, lineno: int, tag: str, line: str) -> None:
    chunk = state.chunk
    if tag in ("LEADER", "LDR", "001") and tag in chunk.marc_tags:
        chunk = state.restart(lineno)
    chunk.marc.append(line)
    chunk.marc_tags.add(tag)
    state.mode = "marc"


def _solr_line(state: _State, lineno: int, line: str, parts: tuple[str, str] | None) -> None:
    if parts and starts_field(parts[0], parts[1], state.current, state.previous, state.ordered):
        _start_field(state, lineno, *parts)
    elif state.blank:  # text after a blank line ends the dump: the next record's page
        state.restart(lineno).display.append(line)
        state.mode = "display"
    else:
        state.chunk.solr[-1][1].append(line)


def _start_field(state: _State, lineno: int, name: str, value: str) -> None:
    chunk = state.chunk
    if is_record_restart(name, chunk.solr_seen, state.current):
        chunk = state.restart(lineno)
    if state.current is not None and name < state.current:
        state.ordered = False
    chunk.solr.append((name, [value] if value else []))
    chunk.solr_seen.add(name)
    state.current = name


def _confirmed(lines: list[str], index: int) -> bool:
    """A first Solr-looking line is a dump only if another field line follows soon."""
    first = split_field_line(lines[index].strip())
    for line in lines[index + 1 : index + 1 + _LOOKAHEAD]:
        parts = split_field_line(line.strip())
        if parts and first and parts[0] != first[0] and is_dump_start(line.strip()):
            return True
    return False
