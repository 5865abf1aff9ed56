"""The outline of an Org file: file-level keywords and drawer, headings with their TODO
keyword, tags and `:PROPERTIES:` drawer, and which lines belong to which heading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zsync.model.patterns import lazy

_HEADING = lazy(r"^(\*+)[ \t]+(.*?)[ \t]*$")
_TAGS = lazy(r"[ \t]+:([\w@#%:]+):[ \t]*$")
_PRIORITY = lazy(r"^\[#[A-Za-z0-9]\][ \t]*")
_COOKIE = lazy(r"[ \t]*\[(?:\d*%|\d+/\d+)\]")
_KEYWORD = lazy(r"^[ \t]*#\+([A-Za-z_][\w-]*)(?:\[[^\]]*\])?:[ \t]*(.*?)[ \t]*$")
_DRAWER = lazy(r"^[ \t]*:([A-Za-z_][\w-]*):[ \t]*$")
_DRAWER_END = lazy(r"^[ \t]*:END:[ \t]*$", re.IGNORECASE)
_PROPERTY = lazy(r"^[ \t]*:([^\s:]+?)\+?:(?:[ \t]+(.*?))?[ \t]*$")
_BLOCK = lazy(r"^[ \t]*#\+begin_(\w+)", re.IGNORECASE)
_TODO_LINE = lazy(r"^[ \t]*#\+(?:seq_|typ_)?todo:(.*)$", re.IGNORECASE | re.MULTILINE)
_PLANNING = lazy(r"^[ \t]*(?:SCHEDULED|DEADLINE|CLOSED):")
TODO_KEYWORDS = frozenset(
    [
        "TODO",
        "DONE",
        "NEXT",
        "WAITING",
        "WAIT",
        "HOLD",
        "READING",
        "READ",
        "TOREAD",
        "TO-READ",
        "STARTED",
        "DOING",
        "INPROGRESS",
        "IN-PROGRESS",
        "CANCELLED",
        "CANCELED",
        "SOMEDAY",
        "MAYBE",
        "SKIM",
        "SKIMMED",
        "PROJ",
        "KILL",
        "LATER",
        "NOW",
        "REVIEW",
    ]
)
_VERBATIM_BLOCKS = frozenset(["src", "example", "export", "comment"])


@dataclass
class OrgNode:
    """A heading (level >= 1) or the file itself (level 0, index -1)."""

    index: int
    level: int
    position: int = -1  # place in `OrgDoc.headings`
    keyword: str | None = None
    title: str = ""
    tags: list[str] = field(default_factory=list)
    props: list[tuple[str, str, int]] = field(default_factory=list)  # name, value, 1-based line
    body: list[int] = field(default_factory=list)  # 0-based indices of text lines
    end: int = -1  # last line index of the heading's own text (before the next heading)


@dataclass
class OrgDoc:
    lines: list[str]
    file: OrgNode
    headings: list[OrgNode]
    keywords: list[tuple[str, str, int]]  # file-level `#+key: value`, 1-based line


def read(text: str) -> OrgDoc:
    lines = text.split("\n")
    todo = TODO_KEYWORDS | _declared_keywords(text)
    file_node = OrgNode(-1, 0)
    doc = OrgDoc(lines, file_node, [], [])
    node = file_node
    drawer: str | None = None
    block: str | None = None
    for i, line in enumerate(lines):
        if block is not None:
            if line.strip().lower().startswith(f"#+end_{block}"):
                block = None
            continue
        if drawer is not None:
            drawer = _drawer_line(node, drawer, line, i)
            continue
        heading = _HEADING.match(line) if line.startswith("*") else None
        if heading:
            node.end = i - 1
            node = _heading(i, heading, todo)
            node.position = len(doc.headings)
            doc.headings.append(node)
            continue
        drawer, block = _other_line(doc, node, line, i)
    node.end = len(lines) - 1
    return doc


def _drawer_line(node: OrgNode, drawer: str, line: str, i: int) -> str | None:
    if _DRAWER_END.match(line):
        return None
    if drawer == "PROPERTIES":
        prop = _PROPERTY.match(line)
        if prop and prop.group(2):
            node.props.append((prop.group(1), prop.group(2), i + 1))
    return drawer


def _other_line(doc: OrgDoc, node: OrgNode, line: str, i: int) -> tuple[str | None, str | None]:
    """Returns the drawer or verbatim block this line opens, if any."""
    stripped = line.strip()
    if stripped.startswith(":"):
        drawer = _DRAWER.match(line)
        if drawer and drawer.group(1).upper() != "END":
            return drawer.group(1).upper(), None
    if stripped.startswith("#+"):
        block = _BLOCK.match(line)
        if block:
            name = block.group(1).lower()
            return None, (name if name in _VERBATIM_BLOCKS else None)
        keyword = _KEYWORD.match(line)
        if keyword and node.level == 0:
            doc.keywords.append((keyword.group(1).lower(), keyword.group(2), i + 1))
        return None, None
    if stripped and not stripped.startswith("# ") and not _PLANNING.match(line):
        node.body.append(i)
    return None, None


def _heading(i: int, m: re.Match[str], todo: frozenset[str]) -> OrgNode:
    node = OrgNode(i, len(m.group(1)))
    text = m.group(2)
    tags = _TAGS.search(text)
    if tags:
        node.tags = [t for t in tags.group(1).split(":") if t]
        text = text[: tags.start()]
    first, _, rest = text.partition(" ")
    if first in todo:
        node.keyword, text = first, rest
    node.title = _COOKIE.sub("", _PRIORITY.sub("", text.strip())).strip()
    return node


def _declared_keywords(text: str) -> frozenset[str]:
    """Keywords declared by `#+TODO: A B | C` lines (with `(t)` shortcuts removed)."""
    if "#+" not in text:
        return frozenset()
    words = set()
    for line in _TODO_LINE.findall(text):
        for word in line.split():
            word = re.sub(r"\(.*\)$", "", word)
            if word and word != "|":
                words.add(word)
    return frozenset(words)


def filetags(value: str) -> list[str]:
    """`:a:b:` or `a b` as a list of tags."""
    if ":" in value:
        return [t for t in value.strip().split(":") if t.strip()]
    return value.split()


# --- Org markup in values ---------------------------------------------------------------------

_LINK = lazy(r"\[\[([^\[\]]+)\](?:\[([^\[\]]*)\])?\]")
_CITE = lazy(r"\[cite(?:/[\w/]+)?:[^\]]*\]|\b(?:cite[a-z]*|parencite|textcite):[\w:.\-/@,]+")
_BRACED = lazy(r"^\{(.*)\}$")
_URL_KEYS = frozenset(["url", "doi", "pmid", "pmcid", "arxiv", "citation"])


def value_text(value: str, key: str) -> str:
    """An Org property or keyword value as plain text: links become their description (their
    target too for identifier keys) and BibTeX braces are dropped (kept around names)."""
    text = _LINK.sub(lambda m: _link_text(m, key), value).strip()
    braced = _BRACED.match(text)
    if braced and key not in ("authors", "editors"):
        text = braced.group(1)
    return text.replace("{", "").replace("}", "") if key == "title" else text


def _link_text(m: re.Match[str], key: str) -> str:
    target, desc = m.group(1), m.group(2)
    if key in _URL_KEYS:
        return f"{desc or ''} {target}".strip()
    return desc or target


def link_targets(text: str) -> list[str]:
    """Targets of `[[links]]` and bare URLs in `text`."""
    targets = [m.group(1) for m in _LINK.finditer(text)]
    return targets + [w for w in _LINK.sub(" ", text).split() if "://" in w]


def heading_title(text: str) -> str | None:
    """Heading text without citation links; a described link (`Read [[url][Title]]`) with at
    most two words around it gives its description."""
    text = _CITE.sub("", text)
    link = _LINK.search(text)
    if link and link.group(2) and len(_LINK.sub("", text).split()) <= 2:
        return " ".join(link.group(2).split()) or None
    title = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return " ".join(title.split()) or None


def plain_links(line: str) -> str:
    """`[[target][text]]` as `target text`, so identifiers in targets stand alone."""
    if "[[" not in line:
        return line
    return _LINK.sub(lambda m: f"{m.group(1)} {m.group(2) or ''}", line)
