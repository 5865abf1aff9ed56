"""The citation key a note names its work by, in the forms literature-note templates write.

Front matter `citekey:`/`citationKey:` (Obsidian Zotero Integration, Citations, ZotLit),
org-roam's `:ROAM_REFS: cite:key` or `cite:&key`, a file named `@key.md`, a title heading
opening with `@key`, and Pandoc's `[@key]` as a note's own reference line (`[@key]`,
`Source: [@key, p. 3]`); a citation in running text names another work and is not read.
Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

from zsync.model.identifiers import normalize_citekey
from zsync.model.patterns import lazy

_ZOTERO_ITEM_KEY = lazy(r"[23456789ABCDEFGHIJKLMNPQRSTUVWXYZ]{8}")
_HEADING_KEY = lazy(r"^@([^\s\]\[{}(),;]+)")
# A line that is only a Pandoc citation, perhaps after a short label or a list/quote mark.
_PANDOC_LINE = lazy(
    r"^[\s>*+-]*(?:[^\W\d][\w ]{0,24}:\s*)?\[-?@([^\s\];,]+)(?:[,;][^\]]*)?\][\s.]*$")


def _key(value: str) -> str | None:
    """A citation key in a field's value; not a Zotero item key or a link, which share
    the field's labels (`zotero key`, `zotero link`)."""
    text = value.strip().strip("\"'`").strip()
    if "://" in text or _ZOTERO_ITEM_KEY.fullmatch(text):
        return None
    return normalize_citekey(text.split()[0]) if text else None


def _from_file_name(path: str) -> str | None:
    stem = PurePath(path).stem
    return normalize_citekey(stem) if stem.startswith("@") else None


def _from_reference_lines(lines: Iterable[str]) -> str | None:
    keys = {m.group(1) for line in lines if (m := _PANDOC_LINE.match(line))}
    return normalize_citekey(keys.pop()) if len(keys) == 1 else None


def note_citekey(field_values: Iterable[str], path: str, heading: str | None,
                 reference_lines: Iterable[str]) -> str | None:
    """The note's citation key: a labelled field's, else the file name's, the heading's,
    or its Pandoc reference line's; None when it names none."""
    for value in field_values:
        key = _key(value)
        if key:
            return key
    match = _HEADING_KEY.match(heading.strip()) if heading else None
    return (_from_file_name(path) or (normalize_citekey(match.group(1)) if match else None)
            or _from_reference_lines(reference_lines))
