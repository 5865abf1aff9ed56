"""User tags: values of tag fields and inline `#hashtags` in a note's text.

Tags are kept as written, without the leading `#`. A hashtag follows Obsidian's rules:
letters, digits, `_`, `-` and `/` (nested tags), at least one character that is not a
digit, preceded by the start of the line or a space. Hashtags inside code, URLs, link
targets, wikilinks (`[[Note#Heading]]`), HTML entities and colour codes are not tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from zsync.model.patterns import lazy
from zsync.model.text import WIKILINK

_CODE_SPAN = lazy(r"(`+).*?\1")
_URL = lazy(r"\b(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S*", re.IGNORECASE)
_LINK_TARGET = lazy(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_LOGSEQ_TAG = lazy(r"(?:^|(?<=[\s(,;]))#\[\[([^\[\]]+)\]\]")
_WIKILINK = lazy(r"!?\[\[[^\[\]]*\]\]")
_HEADING_MARK = lazy(r"^\s{0,3}#{1,6}(?=\s|$)")
# After a space, a list separator or a bracket that itself follows one: `F(#frame)` is text.
_HASHTAG = lazy(r"(?:^[(\[]?|(?<=[\s,;])[(\[]?|(?<=[\s,;][(\[]))#([\w/-]+)")
_COLOUR_CONTEXT = lazy(r"(?:colou?r|background|fill|stroke|border)\s*[:=]", re.IGNORECASE)
_HEX = lazy(r"[0-9a-fA-F]{3,8}")
_LIST_SEP = lazy(r"\s*[,;]\s*")
_FIELD_LINK = lazy(r"#?" + WIKILINK.pattern)  # Logseq writes a tag `#[[a b]]`


def find_hashtags(lines: Iterable[str]) -> list[str]:
    """`#tags` in lines of Markdown text (code blocks already left out by the caller)."""
    found: list[str] = []
    for line in lines:
        if "#" in line:
            found.extend(_line_hashtags(line))
    return unique_tags(found)


def _line_hashtags(line: str) -> list[str]:
    out: list[str] = []
    if "`" in line:
        line = _CODE_SPAN.sub(" ", line)
    if "[[" in line:
        out.extend(m.strip() for m in _LOGSEQ_TAG.findall(line))
        line = _WIKILINK.sub(" ", line)
    if "/" in line or "www." in line:
        line = _URL.sub(" ", line)
    if "](" in line:
        line = _LINK_TARGET.sub("]", line)
    line = _HEADING_MARK.sub("", line)
    colour_context = bool(_COLOUR_CONTEXT.search(line))
    for match in _HASHTAG.finditer(line):
        tag = match.group(1).rstrip("/-")
        if _is_tag(tag, colour_context):
            out.append(tag)
    return out


def _is_tag(tag: str, colour_context: bool) -> bool:
    if not tag or tag[0] in "/-" or tag.replace("_", "").replace("-", "").isdigit():
        return False
    if tag.isdigit() or not any(not c.isdigit() for c in tag):
        return False
    return not _looks_like_colour(tag, colour_context)


def _looks_like_colour(tag: str, colour_context: bool) -> bool:
    if len(tag) not in (3, 4, 6, 8) or not _HEX.fullmatch(tag):
        return False
    return colour_context or any(c.isdigit() for c in tag) or len(set(tag.lower())) == 1


def split_tag_value(value: str) -> list[str]:
    """The tags in a tag field's value: `[[a]], [[b]]`, `#a #b`, `a, b`, `#[[a b]]`."""
    links: list[str] = []
    if "[[" in value:

        def keep(m: re.Match[str]) -> str:
            links.append((m.group(2) or m.group(1)).strip())
            return f",\x00{len(links) - 1}\x00,"

        value = _FIELD_LINK.sub(keep, value)
    text = value.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    tags = [links[int(t[1:-1])] if t.startswith("\x00") else t for t in _split_plain(text)]
    return unique_tags(t.lstrip("#").strip().strip("\"'").strip() for t in tags)


def _split_plain(text: str) -> list[str]:
    parts = [p.strip() for p in _LIST_SEP.split(text) if p.strip()]
    out: list[str] = []
    for part in parts:
        words = part.split()
        if len(words) > 1 and all(w.startswith("#") for w in words):
            out.extend(words)
        else:
            out.append(part)
    return out


def unique_tags(tags: Iterable[str]) -> list[str]:
    """Tags in order, without empty ones and without repeats (compared case-insensitively)."""
    seen: set[str] = set()
    out: list[str] = []
    for tag in tags:
        key = tag.casefold()
        if tag and key not in seen:
            seen.add(key)
            out.append(tag)
    return out
