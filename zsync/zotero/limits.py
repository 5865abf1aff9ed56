"""Values kept within what the Zotero server accepts, so no item is refused whole.

The server refuses an object with a tag or creator name over 255 characters, a field over
65,535 bytes or a note over 500,000 characters. zsync shortens such a value with a visible
marker and says so in the report. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import nh3

from zsync.zotero.notehtml import ATTRIBUTES as _NOTE_ATTRIBUTES
from zsync.zotero.notehtml import TAGS as _NOTE_TAGS

TAG_CHARS = 255
CREATOR_CHARS = 255
FIELD_BYTES = 65_535
NOTE_CHARS = 500_000
ELLIPSIS = "…"
FIELD_MARK = " […shortened by zsync]"
NOTE_MARK = ("<p><strong>[zsync: the rest of this note was left out: Zotero keeps notes of "
             "up to 500,000 characters; the whole text is in the source file]</strong></p>")
_SKIP = frozenset({"key", "version", "tags", "creators", "collections", "relations",
                   "itemType", "parentItem", "deleted", "note"})


def _cut_chars(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS


def _cut_bytes(text: str, limit: int) -> str:
    raw = text.encode()
    if len(raw) <= limit:
        return text
    room = limit - len(FIELD_MARK.encode())
    return raw[:room].decode(errors="ignore") + FIELD_MARK


def fit_item(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Item data within Zotero's limits, and a sentence for each value shortened."""
    out = dict(data)
    said: list[str] = []
    for name, value in data.items():
        if name in _SKIP or not isinstance(value, str):
            continue
        fitted = _cut_bytes(value, FIELD_BYTES)
        if fitted != value:
            out[name] = fitted
            said.append(f"{name} shortened to Zotero's limit of {FIELD_BYTES:,} bytes")
    if "tags" in data:
        out["tags"] = [_fit_tag(t, said) for t in data["tags"]]
    if "creators" in data:
        out["creators"] = [_fit_creator(c, said) for c in data["creators"]]
    return out, said


def fit_tag_name(name: str) -> str:
    return _cut_chars(name, TAG_CHARS)


def _fit_tag(tag: Mapping[str, Any], said: list[str]) -> dict[str, Any]:
    name = str(tag.get("tag", ""))
    if len(name) <= TAG_CHARS:
        return dict(tag)
    said.append(f"tag '{name[:40]}…' shortened to Zotero's limit of {TAG_CHARS} characters")
    return {**tag, "tag": _cut_chars(name, TAG_CHARS)}


def _fit_creator(creator: Mapping[str, Any], said: list[str]) -> dict[str, Any]:
    out = dict(creator)
    for part in ("name", "lastName", "firstName"):
        value = creator.get(part)
        if isinstance(value, str) and len(value) > CREATOR_CHARS:
            out[part] = _cut_chars(value, CREATOR_CHARS)
            said.append(f"creator name '{value[:40]}…' shortened to Zotero's limit of "
                        f"{CREATOR_CHARS} characters")
    return out


def fit_note(note_html: str) -> str:
    """A child note's HTML within Zotero's limit: its middle replaced by a visible marker,
    its last paragraph (the line naming its source file) kept."""
    if len(note_html) <= NOTE_CHARS:
        return note_html
    tail_at = note_html.rfind("<p>")
    tail = note_html[tail_at:] if tail_at >= 0 and len(note_html) - tail_at < 2_000 else ""
    room = NOTE_CHARS - len(NOTE_MARK) - len(tail) - 2_000  # closing open tags needs room
    head = nh3.clean(note_html[:room], tags=_NOTE_TAGS, attributes=_NOTE_ATTRIBUTES,
                          link_rel=None)
    while len(head) + len(NOTE_MARK) + len(tail) > NOTE_CHARS:
        room -= 2_000
        head = nh3.clean(note_html[:room], tags=_NOTE_TAGS, attributes=_NOTE_ATTRIBUTES,
                          link_rel=None)
    return head + NOTE_MARK + nh3.clean(tail, tags=_NOTE_TAGS, attributes=_NOTE_ATTRIBUTES,
                          link_rel=None)


def note_shortened(note_html: str | None) -> bool:
    return bool(note_html) and NOTE_MARK in str(note_html)
