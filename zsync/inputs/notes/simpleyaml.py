"""A fast reader for the plain YAML most front matter uses; None for anything else.

Handles `key: scalar`, `key: "quoted"`, `key: [a, b]`, and under `key:` a list of scalars
or of flat maps (`- family: X` / `given: Y`), with consistent indentation. Whatever it is
not sure to read exactly as YAML would (flow maps, anchors, block scalars, ragged
indentation, `: ` inside a plain value …) makes it return None, and the caller uses PyYAML.
Values are returned as strings, as written (None for empty/null): `01234567`, `010`, `yes`
and `2020-01-01` stay text, exactly as the caller's YAML loader (no typing) gives them.
"""

from __future__ import annotations

from typing import Any

from zsync.model.patterns import lazy

_KEY = lazy(r"^([A-Za-z_][\w .-]*?)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_ITEM = lazy(r"^([ \t]*)-[ \t]+(.*?)[ \t]*$")
_SUB = lazy(r"^([ \t]+)([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_UNSAFE_START = frozenset("[{&*!|>%@`#-?,]}")
# A plain item of a flow list that reads the same in any YAML parser.
_FLOW_ITEM = lazy(r"[\w.()/+][\w .()/+\-]*")
_NULLS = frozenset(["", "~", "null", "Null", "NULL"])


class _NotSimple(Exception):
    pass


def load(text: str) -> dict[str, Any] | None:
    """The mapping in `text` if it is plain enough to read here, else None."""
    try:
        return _load(text)
    except _NotSimple:
        return None


def _load(text: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    key: str | None = None
    item_indent: int | None = None
    map_indent: int | None = None
    for line in text.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("-"):
            match = _KEY.match(line)
            if not match or match.group(1) in data:
                raise _NotSimple
            key, item_indent, map_indent = match.group(1), None, None
            data[key] = _inline(match.group(2) or "")
            continue
        if key is None or (data[key] is not None and not isinstance(data[key], list)):
            raise _NotSimple
        item_indent, map_indent = _nested(data, key, line, item_indent, map_indent)
    return data


def _nested(
    data: dict[str, Any], key: str, line: str, item_indent: int | None, map_indent: int | None
) -> tuple[int | None, int | None]:
    """A `- item` line or a `given: Y` line of the current list item map."""
    item = _ITEM.match(line)
    if item:
        indent = len(item.group(1))
        if item_indent is not None and indent != item_indent:
            raise _NotSimple
        items = data[key] if isinstance(data[key], list) else []
        sub = _SUB.match(" " + item.group(2))
        items.append({sub.group(2): _scalar(sub.group(3) or "")} if sub else _scalar(item.group(2)))
        data[key] = items
        return indent, (indent + 2 if sub else None)
    sub = _SUB.match(line)
    items = data[key]
    if not sub or map_indent is None or len(sub.group(1)) != map_indent:
        raise _NotSimple
    if not isinstance(items, list) or not isinstance(items[-1], dict) or sub.group(2) in items[-1]:
        raise _NotSimple
    items[-1][sub.group(2)] = _scalar(sub.group(3) or "")
    return item_indent, map_indent


def _inline(value: str) -> Any:
    if value.startswith("[") and value.endswith("]"):
        inner = value[1:-1].strip()
        items = [v.strip() for v in inner.split(",")] if inner else []
        if not all(_FLOW_ITEM.fullmatch(v) for v in items):
            raise _NotSimple
        return [_scalar(v) for v in items]
    return _scalar(value)


def _scalar(value: str) -> Any:
    if value in _NULLS:
        return None
    first = value[0]
    if first in "\"'":
        if len(value) < 2 or value[-1] != first or first in value[1:-1] or "\\" in value:
            raise _NotSimple
        return value[1:-1]
    if first in _UNSAFE_START or ": " in value or " #" in value or value.endswith(":"):
        raise _NotSimple
    return value
