"""Org-mode literature notes: org-roam files and org-ref style reading lists.

Every heading whose `:PROPERTIES:` drawer holds bibliographic properties (`:AUTHOR:`,
`:DOI:`, `:TITLE:` …) is a record; its TODO keyword is the reading status, its text the
title unless `:TITLE:` says otherwise. A file without such headings is one record, read
from the file-level drawer (`:ROAM_REFS:`), `#+title` and labelled lines. `#+filetags`
and heading tags (inherited by sub-headings) are the user's tags.
"""

from __future__ import annotations

import re

from zsync.inputs.notes.fields import Field, RecordParts, assemble, plain_newlines
from zsync.inputs.notes.idscan import has_identifier, ids_in, scan_lines
from zsync.inputs.notes.labels import CITEKEY, lookup, points_elsewhere
from zsync.inputs.notes.mdfields import clean_value, format_abstract, match_line
from zsync.inputs.notes.orgdoc import (
    OrgDoc,
    OrgNode,
    filetags,
    heading_title,
    link_targets,
    plain_links,
    read,
    value_text,
)
from zsync.inputs.notes.sections import (
    ABSTRACT,
    COMMENTARY,
    classify,
    is_section_name,
    title_from_heading,
)
from zsync.model.patterns import lazy
from zsync.model.records import Origin, Record

FORMAT = "org"

_SNIFF_KEYWORD = lazy(
    r"^#\+(?!begin_|end_)(?:title|filetags|author|date|roam_\w+|startup|options|todo|seq_todo"
    r"|setupfile|bibliography|cite_export|latex_\w+|property|category|tags|created):",
    re.IGNORECASE | re.MULTILINE,
)
_SNIFF_DRAWER = lazy(
    r"^[ \t]*:PROPERTIES:[ \t]*\n(?:[ \t]*:[^\n]*\n)*?[ \t]*:END:", re.IGNORECASE | re.MULTILINE
)
_SNIFF_HEADING = lazy(
    r"^\*+ (?:TODO|DONE|NEXT|WAITING|READING)\b|^\*+ .*\s:[\w@#%:]+:\s*$", re.MULTILINE
)
_SNIFF_MARKUP = lazy(r"\[\[[^\[\]\n]+\]\[[^\[\]\n]+\]\]|^\s*[-+] .+ :: ", re.MULTILINE)
_CITE_REF = lazy(r"(?:^|\s)(?:cite[a-z]*:&?|@)[\w:.\-/]+")
_BIB_KEYS = frozenset(
    [
        "title",
        "authors",
        "editors",
        "doi",
        "pmid",
        "pmcid",
        "arxiv",
        "isbn",
        "date",
        "container",
        "url",
        "publisher",
        "item_type",
    ]
)
_PROPERTY_KEYS = {
    "roam_refs": "refs",
    "year": "date",
    "journaltitle": "container",
    "number": "issue",
    "address": "place",
    "btype": "item_type",
    "=type=": "item_type",
    "entry_type": "item_type",
    "type": "item_type",
    "eprint": "arxiv",
    "author": "authors",
    "editor": "editors",
}
_IGNORED_PROPERTIES = frozenset(["id", "custom_id", "roam_aliases", "category", "archiveprefix"])
_FILE_KEYWORDS = frozenset(["doi", "pmid", "pmcid", "arxiv", "isbn", "url", "container"])


def sniff(text: str) -> bool:
    """Org syntax: `#+title:`-style keywords, a `:PROPERTIES:` … `:END:` drawer, or a file
    that opens with a heading and uses Org markup (TODO keyword, `[[target][text]]` link,
    `:tags:`, `- term :: value`)."""
    if "#+" in text and _SNIFF_KEYWORD.search(text):
        return True
    if (":PROPERTIES:" in text or ":properties:" in text) and _SNIFF_DRAWER.search(text):
        return True
    first = text[:2000].lstrip()
    return first.startswith("* ") and bool(
        _SNIFF_HEADING.search(first) or _SNIFF_MARKUP.search(first)
    )


def parse(text: str, path: str) -> list[Record]:
    """Every record the file describes, in order (at least one, possibly not usable)."""
    text = plain_newlines(text)
    doc = read(text)
    records = [h for h in doc.headings if _is_record(doc, h)]
    file_tags = [t for k, v, _ in doc.keywords if k == "filetags" for t in filetags(v)]
    if not records:
        return [assemble(_file_parts(doc, path, text, file_tags))]
    defaults = _node_fields(doc.file) if len(records) == 1 else []
    out = []
    for position, node in enumerate(records, 1):
        parts = _heading_parts(doc, node, {r.index for r in records}, path, position)
        parts.hashtags = file_tags + parts.hashtags
        parts.defaults = [f for f in defaults if f.key not in ("title", "status")]
        if len(records) == 1:
            parts.note = text.strip("\n")
        out.append(assemble(parts))
    return out


def _is_record(doc: OrgDoc, node: OrgNode) -> bool:
    """A heading with bibliographic properties, or labelled bibliographic lines of its own."""
    for name, value, _ in node.props:
        key = _property_key(name)
        if key in _BIB_KEYS or (key == "refs" and has_identifier(value)):
            return True
    if is_section_name(node.title):
        return False
    return any(f.key in _BIB_KEYS for f in _body_fields(doc, node.body))


def _property_key(name: str) -> str | None:
    lower = name.lower()
    if lower in _IGNORED_PROPERTIES or lower.startswith("noter_"):
        return None
    if lower.startswith("roam_") and lower != "roam_refs":
        return None
    if lower in _PROPERTY_KEYS:
        return _PROPERTY_KEYS[lower]
    found = lookup(name)
    return found[0] if found else None


def _node_fields(node: OrgNode) -> list[Field]:
    out: list[Field] = []
    for name, value, line in node.props:
        key = _property_key(name)
        if key == "refs":
            out.extend(Field(kind, found, line) for kind, found in ids_in(value).items())
            out.extend(Field("url", u, line) for u in link_targets(value) if u.startswith("http"))
            citekey = _CITE_REF.search(value)
            if citekey:
                out.append(Field(CITEKEY, citekey.group(0), line))
        elif key is not None:
            rank = (lookup(name) or (key, 0))[1]
            out.append(Field(key, value_text(value, key), line, rank))
    return out


def _heading_parts(
    doc: OrgDoc, node: OrgNode, records: set[int], path: str, position: int
) -> RecordParts:
    end = _subtree_end(doc, node, records)
    fields = _node_fields(node)
    if node.keyword:
        fields.append(Field("status", node.keyword, node.index + 1, -1))
    title = heading_title(node.title)
    if title:
        fields.append(Field("title", title_from_heading(title) or title, node.index + 1, 1))
    body, abstract = _subtree_text(doc, node, end)
    fields += _body_fields(doc, body) + abstract
    head = [plain_links(line) for line in (doc.lines[node.index], *_head_zone(doc, node))]
    return RecordParts(
        origin=Origin(path, node.index + 1, _last_content(doc, end) + 1, FORMAT, position),
        fields=fields,
        hashtags=_inherited_tags(doc, node),
        scanned_ids=scan_lines(head),
        reference_lines=[doc.lines[i] for i in node.body[:12]],
        note="\n".join(doc.lines[node.index : end + 1]).strip("\n"),
    )


def _file_parts(doc: OrgDoc, path: str, text: str, tags: list[str]) -> RecordParts:
    fields = _node_fields(doc.file)
    for key, value, line in doc.keywords:
        found = lookup(key)
        if found and found[0] in _FILE_KEYWORDS:
            fields.append(Field(found[0], value_text(value, found[0]), line, found[1]))
    body, abstract = _subtree_text(doc, doc.file, len(doc.lines) - 1)
    title = next((v for k, v, _ in doc.keywords if k == "title"), None)
    return RecordParts(
        origin=Origin(path, 1, _last_content(doc, len(doc.lines) - 1) + 1, FORMAT, 1),
        fields=fields + _body_fields(doc, body) + abstract,
        heading_title=_file_title(title),
        heading_text=title,
        hashtags=tags + [t for h in doc.headings for t in h.tags],
        scanned_ids=scan_lines(plain_links(line) for line in _head_zone(doc, doc.file)),
        reference_lines=[doc.lines[i] for i in doc.file.body[:12]],
        note=text.strip("\n"),
    )


def _file_title(title: str | None) -> str | None:
    """`#+title:` without what org-roam-bibtex templates put before the work's title
    (`Smith et al. (2019): `)."""
    text = heading_title(title) if title else None
    return title_from_heading(text) or text if text else None


def _subtree_end(doc: OrgDoc, node: OrgNode, records: set[int]) -> int:
    for other in doc.headings[node.position + 1 :]:
        if other.level <= node.level or other.index in records:
            return other.index - 1
    return len(doc.lines) - 1


def _subtree_text(doc: OrgDoc, node: OrgNode, end: int) -> tuple[list[int], list[Field]]:
    """Body lines of the node and its sub-headings (not commentary ones), and the text of
    an `Abstract` sub-heading."""
    body = list(node.body)
    abstract: list[Field] = []
    skip_below: int | None = None
    for sub in doc.headings[node.position + 1 :]:
        if sub.index > end:
            break
        if skip_below is not None and sub.level > skip_below:
            continue
        skip_below = None
        section = classify(sub.title)
        if section == COMMENTARY:
            skip_below = sub.level
        elif section == ABSTRACT:
            text = format_abstract([doc.lines[i] for i in sub.body])
            abstract.append(Field("abstract", text, sub.index + 1))
        else:
            body.extend(sub.body)
    return body, abstract


def _body_fields(doc: OrgDoc, body: list[int]) -> list[Field]:
    out = []
    for i in body:
        content = doc.lines[i].strip()
        if content[:2] in ("- ", "+ "):
            content = content[2:].strip()
        for found in match_line(content):
            if found.key:
                value = clean_value(value_text(found.value, found.key), found.key)
                out.append(Field(found.key, value, i + 1, found.rank))
    return out


def _head_zone(doc: OrgDoc, node: OrgNode) -> list[str]:
    """The node's own text up to its first prose paragraph without an identifier."""
    zone = []
    for i in node.body:
        line = doc.lines[i]
        words = [w for w in line.split() if "://" not in w and not w.startswith("[[")]
        if len(words) >= 12 and not has_identifier(line):
            break
        found = match_line(line.strip().lstrip("-+").strip())
        if not (found and found[0].key is None and points_elsewhere(found[0].label)):
            zone.append(line)
    return zone


def _inherited_tags(doc: OrgDoc, node: OrgNode) -> list[str]:
    tags = list(node.tags)
    level = node.level
    for other in reversed(doc.headings[: node.position]):
        if other.level < level:
            tags = other.tags + tags
            level = other.level
    return tags


def _last_content(doc: OrgDoc, end: int) -> int:
    for i in range(end, -1, -1):
        if doc.lines[i].strip():
            return i
    return end
