"""The lines that link a note back to its Zotero item, in the note's own idiom. Pure.

YAML front matter gets a `zotero:` field; a Logseq page (`key:: value` properties) a
`zotero::` property; Markdown whose fields are `- Label: value` bullets a `- Zotero:` bullet;
an Org file or heading a `:ZOTERO:` property in its drawer. Other Markdown gets front matter.
Only whole lines are added: every other byte of the text stays as it was (line endings
included, which the caller keeps by passing the text's own newline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LOGSEQ = re.compile(r"^[\w-]+::\s")
_BULLET_FIELD = re.compile(r"^\s*[-*+]\s+\**[\w][\w ]{0,30}\**\s*:\s+\S")
_ORG_HEADING = re.compile(r"^\*+\s")


@dataclass(frozen=True)
class Link:
    app: str  # zotero://select/...
    web: str | None = None  # https://www.zotero.org/.../items/KEY


def item_link(library: str, item_key: str) -> Link:
    """The links to item `item_key` of library `users/N` or `groups/N`."""
    kind, _, ident = library.partition("/")
    if kind == "groups":
        return Link(f"zotero://select/groups/{ident}/items/{item_key}",
                    f"https://www.zotero.org/groups/{ident}/items/{item_key}")
    return Link(f"zotero://select/library/items/{item_key}")


def _lines(link: Link, form: str) -> list[str]:
    pairs = [("zotero", link.app), *([("zotero-web", link.web)] if link.web else [])]
    if form == "yaml":
        return [f"{name}: {value}" for name, value in pairs]
    if form == "logseq":
        return [f"{name}:: {value}" for name, value in pairs]
    if form == "bullet":
        return [f"- {name.capitalize()}: {value}" for name, value in pairs]
    return [f":{name.upper()}: {value}" for name, value in pairs]


def _front_matter_end(lines: list[str]) -> int | None:
    if not lines or lines[0].strip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)


def _markdown(lines: list[str], link: Link) -> tuple[int, list[str]]:
    """Where to insert, and what, in a Markdown note's lines."""
    end = _front_matter_end(lines)
    if end is not None:
        return end, _lines(link, "yaml")
    top = 0
    while top < len(lines) and not lines[top].strip():
        top += 1
    if top < len(lines) and _LOGSEQ.match(lines[top].lstrip("- ")):
        last = top
        while last + 1 < len(lines) and _LOGSEQ.match(lines[last + 1].lstrip("- ")):
            last += 1
        return last + 1, _lines(link, "logseq")
    bullets = [i for i, line in enumerate(lines[:60]) if _BULLET_FIELD.match(line)]
    if len(bullets) >= 2:
        return bullets[-1] + 1, _lines(link, "bullet")
    return 0, ["---", *_lines(link, "yaml"), "---"]


def _org(lines: list[str], line: int, link: Link) -> tuple[int, list[str]]:
    """Into the drawer of the record's heading (1-based `line`) or of the file."""
    start = line - 1 if 0 < line <= len(lines) and _ORG_HEADING.match(lines[line - 1]) else -1
    first = start + 1
    if first < len(lines) and lines[first].strip().upper() == ":PROPERTIES:":
        end = next((i for i in range(first, len(lines))
                    if lines[i].strip().upper() == ":END:"), None)
        if end is not None:
            return end, _lines(link, "org")
    return first, [":PROPERTIES:", *_lines(link, "org"), ":END:"]


def add_link(text: str, fmt: str, line: int, link: Link, newline: str) -> tuple[str, list[str]]:
    """`text` with the link lines added, and the lines added (none when the note already
    links to the item)."""
    if link.app in text:
        return text, []
    lines = text.split(newline)
    at, added = _org(lines, line, link) if fmt == "org" else _markdown(lines, link)
    if at >= len(lines) and lines and lines[-1] == "":  # after the last line, before the end
        at = len(lines) - 1
    return newline.join([*lines[:at], *added, *lines[at:]]), added
