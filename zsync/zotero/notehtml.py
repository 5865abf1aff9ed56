"""A note's Markdown rendered to the safe HTML a Zotero child note holds."""

from __future__ import annotations

import html
import re
from functools import cache
from typing import TYPE_CHECKING

import nh3

from zsync.model.patterns import lazy
from zsync.zotero.memory import note_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# What Zotero's note editor keeps; everything else (scripts, styles, event handlers) goes.
TAGS = {
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
    "code", "em", "strong", "i", "b", "u", "s", "sub", "sup", "a", "hr", "table", "thead",
    "tbody", "tr", "th", "td", "span", "div",
}
ATTRIBUTES = {"a": {"href", "title"}, "span": {"class"}, "div": {"class"}}
_WIKILINK = lazy(r"\[\[([^\[\]|]+)(?:\|([^\[\]]+))?\]\]")
_FRONT_MATTER = lazy(r"\A---\n.*?\n---\n", re.DOTALL)
MARKER_CLASS = "zsync-note"


@cache
def _markdown() -> MarkdownIt:
    """The Markdown renderer, made when the first note is rendered."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


_SOURCE_LINE = lazy(r"From (.+?) \(synced by zsync\)\s*$")


def note_source(note_html: str | None) -> str | None:
    """The source file a child note names in its last line, if zsync wrote that line."""
    match = _SOURCE_LINE.search(note_text(note_html))
    return match.group(1) if match else None


def render_note(markdown: str, source: str) -> str:
    """HTML for a child note: the note's text, then a line naming the file it came from.

    Front matter is left out (its fields are the item's fields); wikilinks become plain
    text; raw HTML in the note is escaped, never passed through.
    """
    body = _FRONT_MATTER.sub("", markdown.lstrip("\ufeff"), count=1)
    body = _WIKILINK.sub(lambda m: m.group(2) or m.group(1), body)
    rendered = _markdown().render(body)
    footer = f"<p><em>From {html.escape(source)} (synced by zsync)</em></p>"
    content = f'<div class="{MARKER_CLASS}">{rendered}{footer}</div>'
    return nh3.clean(content, tags=TAGS, attributes=ATTRIBUTES, link_rel=None)
