"""Front matter (YAML between `---` lines, or TOML between `+++` lines, at the top of a
note) read into `Field`s.

Values are read as the strings they are written as: no YAML 1.1 typing, so `pmid: 01234567`
is "01234567" (never an octal number) and `issue: 010` stays "010", whatever else the block
holds. Handles Obsidian/Zettlr/CSL-YAML shapes: names as strings, lists or `{family, given}`
maps, `issued` as a year or `{date-parts: [[2016, 5]]}`, tags as lists or strings. When the
YAML is invalid, the block is read line by line (`key: value` and `- item` lines) and a
warning says so. YAML whose aliases would expand into a huge structure is refused.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from zsync.inputs.base import ParseFailure
from zsync.inputs.notes import simpleyaml
from zsync.inputs.notes.fields import Field
from zsync.inputs.notes.labels import lookup, normalise
from zsync.model.patterns import LazyPattern, lazy

_NULLS = frozenset(["", "~", "null", "Null", "NULL"])
_OPEN = lazy(r"---[ \t]*\n")
_CLOSE = lazy(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_TOML_OPEN = lazy(r"\+\+\+[ \t]*\n")
_TOML_CLOSE = lazy(r"^\+\+\+[ \t]*$", re.MULTILINE)
_TOML_KEY = lazy(r"^([\w\"'-][\w .\"'-]*?)[ \t]*=", re.MULTILINE)
_TOP_KEY = lazy(r"^([^\s#:\-][^:\n]*?)[ \t]*:(?=\s|$)", re.MULTILINE)
# Zettlr and CSL keep subject keywords here; the README counts them as user tags.
_AS_TAGS = frozenset(["keywords", "keyword"])


@dataclass
class FrontMatter:
    """Where the block stands (1-based lines of the opening and closing `---`) and its fields."""

    start: int
    end: int
    body_offset: int
    fields: list[Field] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def find(text: str) -> FrontMatter | None:
    """The front matter block at the start of `text`, if there is one that closes.

    Raises `ParseFailure` for YAML whose aliases would expand without limit."""
    if text.startswith("+++"):
        return _find_toml(text)
    opening = _OPEN.match(text)
    if not opening:
        return None
    close = _CLOSE.search(text, opening.end())
    if not close:
        return None
    yaml_text = text[opening.end() : close.start()]
    end_line = 2 + yaml_text.count("\n")
    body_offset = min(len(text), close.end() + 1)
    block = FrontMatter(1, end_line, body_offset)
    _read(yaml_text, block)
    if not block.fields and block.warnings and not _TOP_KEY.search(yaml_text):
        return None  # a horizontal rule pair around body text, not front matter
    return block


def _find_toml(text: str) -> FrontMatter | None:
    """Hugo's TOML front matter between `+++` lines."""
    opening = _TOML_OPEN.match(text)
    close = _TOML_CLOSE.search(text, opening.end()) if opening else None
    if not opening or not close:
        return None
    toml_text = text[opening.end() : close.start()]
    block = FrontMatter(1, 2 + toml_text.count("\n"), min(len(text), close.end() + 1))
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        block.warnings.append(f"line 1: front matter is not valid TOML ({exc}); not read")
        data = {}
    block.fields = _fields(data, _key_lines(toml_text, 2, _TOML_KEY))
    return block


def _read(yaml_text: str, block: FrontMatter) -> None:
    data: Any = simpleyaml.load(yaml_text)
    if data is None and yaml_text.strip():
        data = _read_yaml(yaml_text, block)
    elif data is None:
        data = {}
    if not isinstance(data, dict):
        block.warnings.append(
            f"line {block.start}: front matter is not a YAML mapping; read it line by line"
        )
        data = read_loose(yaml_text)
    block.fields = _fields(data, _key_lines(yaml_text, block.start + 1))


def _read_yaml(yaml_text: str, block: FrontMatter) -> Any:
    """What PyYAML reads (only for YAML `simpleyaml` leaves to it: importing PyYAML costs
    more than reading most notes), or the block read line by line when it is not YAML."""
    from zsync.inputs.notes import yamlblock

    try:
        return yamlblock.load(yaml_text)
    except yamlblock.TooLarge as exc:
        raise ParseFailure(f"front matter refused: {exc}", block.start) from None
    except RecursionError:
        raise ParseFailure("front matter refused: nested too deeply", block.start) from None
    except yamlblock.NotYaml as exc:
        line = block.start + 1 + exc.line if exc.line is not None else block.start
        block.warnings.append(
            f"line {line}: front matter is not valid YAML ({exc.problem}); read it line by line"
        )
        return read_loose(yaml_text)


def _key_lines(text: str, first_line: int, pattern: LazyPattern = _TOP_KEY) -> dict[str, int]:
    return {
        m.group(1).strip().strip("\"'"): first_line + text.count("\n", 0, m.start())
        for m in pattern.finditer(text)
    }


def _fields(data: dict[Any, Any], lines: dict[str, int]) -> list[Field]:
    out: list[Field] = []
    for raw_key, value in data.items():
        key_text = str(raw_key)
        found = lookup(key_text)
        if found is None:
            continue
        key, rank = found
        if normalise(key_text) in _AS_TAGS:
            key = "tags"
        line = lines.get(key_text, 1)
        for text, single in _values(key, value):
            out.append(Field(key, text, line, rank, single, normalise(key_text)))
    return out


def _values(key: str, value: Any) -> list[tuple[str, bool]]:
    """(text, single) pairs: list items are single names or tags; scalars may be lists."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, str) and value.strip() in _NULLS:
        return []
    if key == "date":
        date = _date_text(value)
        return [(date, False)] if date else []
    if isinstance(value, dict):
        return [(t, True) for t in [_map_text(key, value)] if t]
    if isinstance(value, list):
        out: list[tuple[str, bool]] = []
        for item in value:
            out.extend((t, True) for t, _ in _values(key, item))
        return out
    return [(_scalar(value), False)]


def _scalar(value: Any) -> str:
    """A value's text: YAML gives strings as written; TOML may give numbers and dates."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _map_text(key: str, value: dict[Any, Any]) -> str | None:
    """A CSL name map as `Family, Given` (`{Organisation}` for a literal); else its text."""
    if key in ("authors", "editors"):
        if value.get("literal"):
            return "{" + str(value["literal"]).strip() + "}"
        family = " ".join(
            str(value[k]).strip() for k in ("non-dropping-particle", "family") if value.get(k)
        )
        given = str(value.get("given") or "").strip()
        return f"{family}, {given}" if family and given else family or given or None
    for name in ("value", "name", "text", "url", "literal"):
        if value.get(name):
            return _scalar(value[name])
    return None


def _date_text(value: Any) -> str | None:
    """CSL `issued` shapes (`{date-parts: [[2016, 5]]}`, `[{year: 2016}]`) or a plain date."""
    if isinstance(value, list):
        return _date_text(value[0]) if value else None
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts:
            first = parts[0] if isinstance(parts[0], list) else parts
            return "-".join(f"{int(p):02d}" for p in first if _is_int(p)) or None
        for name in ("raw", "literal", "year", "date"):
            if value.get(name) is not None:
                return _scalar(value[name])
        return None
    return _scalar(value)


def _is_int(value: Any) -> bool:
    try:
        int(value)
    except (TypeError, ValueError):
        return False
    return True


# --- line-by-line reading of broken YAML ----------------------------------------------------

_LOOSE_KEY = lazy(r"^([^\s#:\-][^:]*?)\s*:(?:\s+(.*?))?\s*$")
_LOOSE_ITEM = lazy(r"^\s*-\s+(.*?)\s*$")
_LOOSE_SUB = lazy(r"^\s+([A-Za-z][\w-]*)\s*:\s*(.*?)\s*$")


def read_loose(yaml_text: str) -> dict[str, Any]:
    """`key: value` lines, `- item` lists (any indentation) and `- family: X` name maps."""
    data: dict[str, Any] = {}
    current: str | None = None
    for line in yaml_text.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key = _LOOSE_KEY.match(line)
        if key:
            current = key.group(1).strip()
            data[current] = _loose_value(key.group(2) or "")
            continue
        if current is not None:
            _loose_continue(data, current, line)
    return data


def _loose_continue(data: dict[str, Any], current: str, line: str) -> None:
    item = _LOOSE_ITEM.match(line)
    if item:
        items = data[current] if isinstance(data[current], list) else []
        sub = _LOOSE_SUB.match(" " + item.group(1))
        items.append({sub.group(1): _unquote(sub.group(2))} if sub else _unquote(item.group(1)))
        data[current] = items
        return
    sub = _LOOSE_SUB.match(line)
    value = data[current]
    if sub and isinstance(value, list) and value and isinstance(value[-1], dict):
        value[-1][sub.group(1)] = _unquote(sub.group(2))
    elif isinstance(value, str) and line[:1].isspace():
        data[current] = f"{value} {_unquote(line.strip())}".strip()


def _loose_value(text: str) -> Any:
    text = text.strip()
    if text.startswith("[") and text.endswith("]") and not text.startswith("[["):
        return [_unquote(v) for v in text[1:-1].split(",") if v.strip()]
    return _unquote(text) if text else None


def _unquote(text: str) -> str:
    """Drop the quotes around a value, also a quote that was opened and never closed."""
    text = text.strip()
    if text[:1] in "\"'":
        text = text[1:]
        if text[-1:] in "\"'":
            text = text[:-1]
    return text.strip()
