"""Markdown literature notes: Obsidian, Logseq, Zettlr, Foam, Dataview and plain notes.

Reads YAML front matter, labelled lines (`- **Title**: …`, `Title: …`, `title:: …`),
callouts (`> [!Cite]`, `> [!Abstract]`), `#hashtags` and the title heading. A file may hold
several records (a reading list); each becomes its own `Record` with its line span and
position. Markdown is the fallback format: it accepts any text, and a note that names no
work gives a record that is not usable (reported by the registry).
"""

from __future__ import annotations

from zsync.inputs.notes import frontmatter
from zsync.inputs.notes.fields import assemble, plain_newlines
from zsync.inputs.notes.mdrecords import FORMAT, record_parts
from zsync.inputs.notes.mdscan import scan
from zsync.model.records import Record

__all__ = ["FORMAT", "parse", "sniff"]


def sniff(text: str) -> bool:
    """Markdown takes any text the formats tried before it did not claim."""
    return True


def parse(text: str, path: str) -> list[Record]:
    """Every record the note describes, in order (at least one, possibly not usable)."""
    text = plain_newlines(text)
    front = frontmatter.find(text)
    doc = scan(text, front)
    return [assemble(parts) for parts in record_parts(doc, path)]
