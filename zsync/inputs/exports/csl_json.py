"""CSL-JSON files (Zotero's and Better BibTeX's "CSL JSON" exports, citeproc/pandoc data),
and Zotero's own item JSON (Better BibTeX's "BetterBibTeX JSON", Zotero API answers).

Accepted shapes: an array of items, a single item, an object holding an `items` array, or
several such values one after another (JSON Lines). The array is walked element by element
with `json.JSONDecoder.raw_decode`, so every item keeps the line it starts on; invalid JSON
fails the file with the line the decoder reports.
"""

from __future__ import annotations

import json
import re
from typing import Any

from zsync.inputs.base import ParseFailure
from zsync.inputs.exports.csl_items import TYPES, csl_to_record
from zsync.inputs.exports.exportkit import LineIndex
from zsync.model.patterns import lazy
from zsync.model.records import Origin, Record

FORMAT = "csl-json"

_DECODER = json.JSONDecoder()
_WS = lazy(r"\s*")
# Keys only CSL-JSON or Zotero item JSON use (case matters: `"DOI"`, not `"doi"`).
_ITEM_KEY = lazy(
    r'"(?:itemType|issued|container-title|DOI|URL|PMID|PMCID|ISBN|ISSN|citation-key|'
    r'citationKey|creators|collection-title|publisher-place)"\s*:'
    r'|"type"\s*:\s*"(?:' + "|".join(re.escape(t) for t in TYPES) + r')"'
    r'|"(?:author|editor)"\s*:\s*\[\s*\{\s*"(?:family|given|literal)"'
)
_WRAPPERS = ("items", "references", "data")


def sniff(text: str) -> bool:
    """True for a JSON array/object (or JSON Lines) whose first item has keys only CSL-JSON
    or Zotero item JSON use: a CSL `type`, `issued`, `container-title`, `DOI`, `itemType` ..."""
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    if head.startswith("["):
        if not re.match(r"\[\s*\{\s*\"", head):
            return False
    elif not re.match(r"\{\s*\"", head):
        return False
    return _ITEM_KEY.search(head) is not None


def parse(text: str, path: str) -> list[Record]:
    """Every item in the file, in order; non-object elements are skipped."""
    lines = LineIndex(text)
    records: list[Record] = []
    for item, start, end in _items(text):
        origin = Origin(
            path, lines.line(start), lines.line(max(end - 1, start)), FORMAT, len(records) + 1
        )
        record = _record(item, origin)
        if record is not None:
            records.append(record)
    return records


def _record(item: Any, origin: Origin) -> Record | None:
    if not isinstance(item, dict):
        return None
    inner = item.get("data")
    data: dict[str, Any] = inner if isinstance(inner, dict) else item
    if "itemType" in data:
        # Here, not with the module: telling a file's format (`sniff`) does not need it.
        from zsync.inputs.exports.zotero_items import zotero_to_record

        return zotero_to_record(data, origin)
    return csl_to_record(item, origin)


def _items(text: str) -> list[tuple[Any, int, int]]:
    """(item, start offset, end offset) of every item, from any accepted shape."""
    found: list[tuple[Any, int, int]] = []
    index = _skip(text, 1 if text.startswith("\ufeff") else 0)
    while index < len(text):
        if text[index] == "[":
            items, end = _array(text, index)
        elif text[index] == "{":
            items, end = _object(text, index)
        else:
            raise ParseFailure("invalid JSON: expected '[' or '{'", _line(text, index))
        found.extend(items)
        index = _skip(text, end)
    return found


def _object(text: str, index: int) -> tuple[list[tuple[Any, int, int]], int]:
    """The object at `index` as one item, or the items of its `items` array; and its end."""
    value, end = _decode(text, index)
    for wrapper in _WRAPPERS:
        if isinstance(value, dict) and isinstance(value.get(wrapper), list):
            start = _member_start(text, index, wrapper)
            if start is not None:
                return _array(text, start)[0], end
    return [(value, index, end)], end


def _array(text: str, index: int) -> tuple[list[tuple[Any, int, int]], int]:
    """The elements of the array starting at `index`, with their offsets; and its end."""
    out: list[tuple[Any, int, int]] = []
    index = _skip(text, index + 1)
    if text.startswith("]", index):
        return out, index + 1
    while True:
        value, end = _decode(text, index)
        out.append((value, index, end))
        index = _skip(text, end)
        if text.startswith(",", index):
            index = _skip(text, index + 1)
        elif text.startswith("]", index):
            return out, index + 1
        else:
            raise ParseFailure("invalid JSON: expected ',' or ']'", _line(text, index))


def _member_start(text: str, index: int, name: str) -> int | None:
    """Offset of the value of member `name` in the object starting at `index`."""
    index = _skip(text, index + 1)
    while index < len(text) and text[index] == '"':
        key, end = _decode(text, index)
        index = _skip(text, end)
        if not text.startswith(":", index):
            return None
        index = _skip(text, index + 1)
        if key == name:
            return index
        _, end = _decode(text, index)
        index = _skip(text, end)
        if text.startswith(",", index):
            index = _skip(text, index + 1)
    return None


def _decode(text: str, index: int) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(text, index)
    except json.JSONDecodeError as exc:
        raise ParseFailure(f"invalid JSON: {exc.msg}", exc.lineno) from exc
    except RecursionError as exc:
        raise ParseFailure("invalid JSON: nested too deeply", _line(text, index)) from exc


def _skip(text: str, index: int) -> int:
    match = _WS.match(text, index)
    return match.end() if match else index


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1
