"""Labelled values found in a note, and how they become one `Record`.

Note parsers (Markdown, Org) find `Field`s: a builder key (see `labels`), the value as
written and where it stands. `assemble` turns a record's fields, plus what the note says
outside fields (a title heading, hashtags, identifiers in citation lines), into a `Record`
the same way for every note format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core import identifiers as ids
from ..core.itemtypes import from_label
from ..core.names import parse_name, parse_names
from ..core.records import AUTHOR, EDITOR, Creator, Origin, Record
from .builder import RecordBuilder, unwrap_wikilinks
from .idscan import ID_KINDS, ids_in
from .labels import CITATION, CITEKEY
from .tags import split_tag_value, unique_tags


@dataclass(slots=True)
class Field:
    """One labelled value; `single` marks one name or one tag (never split as a list)."""

    key: str
    value: str
    line: int
    rank: int = 0
    single: bool = False


@dataclass
class RecordParts:
    """Everything a note says about one work, before it is read into a `Record`."""

    origin: Origin
    fields: list[Field] = field(default_factory=list)
    defaults: list[Field] = field(default_factory=list)  # file-level, used when missing
    heading_title: str | None = None
    hashtags: list[str] = field(default_factory=list)
    scanned_ids: dict[str, str] = field(default_factory=dict)
    note: str = ""
    warnings: list[str] = field(default_factory=list)


_TEMPLATE = re.compile(r"\{\{.*?\}\}|<%.*?%>|\$\{[^}]*\}|^\{[a-z_][\w.-]*\}$", re.DOTALL)
_EMPTY = frozenset(
    [
        "-",
        "--",
        "---",
        "—",
        "–",
        "n/a",
        "na",
        "none",
        "null",
        "nil",
        "~",
        "tbd",
        "tba",
        "?",
        "??",
        "...",
        "…",
        "[[]]",
        "[]",
        '""',
        "''",
        "xxx",
    ]
)
_URL = re.compile(r"https?://[^\s<>\"'\]\[)]+(?:\([^\s)]*\))?[^\s<>\"'\]\[),.;]*")
_NOT_WORK_URL = re.compile(r"zotero\.org/(?:users|groups)/|^https?://localhost", re.IGNORECASE)
_EVIDENCE = (
    "date",
    "container",
    "doi",
    "pmid",
    "pmcid",
    "arxiv",
    "isbn",
    "publisher",
    "item_type",
    "abstract",
    "keywords",
    "volume",
    "pages",
    "series",
)
_NAME_NOISE = re.compile(r"[\s.\-]+")
_SCANNED_KEYS = frozenset(["title", "container", "url", "authors", "date", "pages"])


def plain_newlines(text: str) -> str:
    """`\n` line ends and no byte-order mark (files arrive so; direct callers may not)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def is_placeholder(value: str) -> bool:
    """An unfilled template value (`{{title}}`, `<% tp.file.title %>`) or an empty marker."""
    text = value.strip()
    if len(text) <= 4 and text.lower() in _EMPTY:
        return True
    if "{" not in text and "<%" not in text:
        return False
    return bool(_TEMPLATE.search(text))


def urls_in(text: str) -> list[str]:
    """http(s) links in `text` that can point at the work (not Zotero's own pages)."""
    return [u for u in _URL.findall(text) if not _NOT_WORK_URL.search(u)]


def assemble(parts: RecordParts) -> Record:
    """Read a record's fields (best-ranked first) into a `Record`."""
    builder = RecordBuilder(parts.origin, note=parts.note, warnings=list(parts.warnings))
    own = sorted(parts.fields, key=lambda f: f.rank)
    present = {f.key for f in own}
    inherited = [f for f in parts.defaults if f.key not in present or f.key == "tags"]
    cited: dict[str, str] = {}
    seen_names: set[tuple[str, str]] = set()
    for item in [*own, *sorted(inherited, key=lambda f: f.rank)]:
        if not is_placeholder(item.value):
            _add(builder, item, cited, seen_names)
    _add_found_ids(builder, cited, parts.scanned_ids)
    cites = any(f.key == CITEKEY for f in parts.fields)
    if not builder.has("title") and parts.heading_title and (cites or _has_evidence(builder)):
        builder.add("title", parts.heading_title)
    builder.extend("tags", parts.hashtags)
    return builder.build()


def _add(builder: RecordBuilder, item: Field, cited: dict[str, str], seen: set) -> None:
    key, value = item.key, item.value.strip()
    if key in ("authors", "editors"):
        _add_names(builder, item, seen)
    elif key in ("tags", "keywords"):
        tags = [value.lstrip("#").strip()] if item.single else split_tag_value(value)
        builder.extend(key, unique_tags(t for t in tags if not is_placeholder(t)))
    elif key == "url":
        builder.extend("url", urls_in(value))
    elif key == "item_type":
        if from_label(unwrap_wikilinks(value).strip()):
            builder.add(key, value)
    elif key == "status":
        builder.add(key, unwrap_wikilinks(value).strip().lstrip("#").strip())
    elif key == "title":
        builder.add(key, _title_value(value))
    elif key not in (CITATION, CITEKEY):
        builder.add(key, value)
    if key in _SCANNED_KEYS or key == CITATION:
        for kind, found in ids_in(value).items():
            cited.setdefault(kind, found)


def _add_names(builder: RecordBuilder, item: Field, seen: set[tuple[str, str]]) -> None:
    role = AUTHOR if item.key == "authors" else EDITOR
    if item.single:
        one = parse_name(item.value, role)
        creators: Iterable[Creator] = [one] if one else []
    else:
        creators = parse_names(item.value, role)
    for creator in creators:
        given = _NAME_NOISE.sub("", creator.given or "").casefold()
        name_key = (creator.sort_name.casefold(), given)
        if name_key not in seen and not is_placeholder(creator.sort_name):
            seen.add(name_key)
            builder.add_creator(creator)


def _title_value(value: str) -> str | None:
    """A title field's text; a citekey (`@smith2019`) is not a title."""
    text = unwrap_wikilinks(value).strip()
    if text.startswith("@"):
        return text[1:].strip() if " " in text else None
    return text


def _add_found_ids(builder: RecordBuilder, cited: dict[str, str], scanned: dict[str, str]) -> None:
    """Identifiers from citations and opening lines, for kinds no labelled field gave."""
    urls = " ".join(builder.values.get("url", []))
    normalise = {
        "doi": ids.normalize_doi,
        "pmid": ids.normalize_pmid,
        "pmcid": ids.normalize_pmcid,
        "arxiv": ids.normalize_arxiv,
    }
    for kind in ID_KINDS:
        labelled = any(normalise[kind](v) for v in builder.values.get(kind, []))
        if labelled or kind in ids_in(urls):
            continue
        value = cited.get(kind) or scanned.get(kind)
        if value:
            builder.add(kind, value)


def _has_evidence(builder: RecordBuilder) -> bool:
    """Something besides a heading says the note is about a publication."""
    return bool(builder.creators) or any(builder.has(k) for k in _EVIDENCE)
