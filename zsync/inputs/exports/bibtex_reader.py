"""One BibTeX block (`@type{key, name = value, ...}` or `@string{name = value}`) read into
its fields, fast: a single left-to-right scan, no grammar engine.

Values are given as BibTeX writes them: `{...}` (outer braces removed, inner ones kept for
the TeX decoding that follows), `"..."`, a number, or a `@string` macro name, joined with
`#`. A macro nobody defined is kept as written (`journal = AIJ` gives `AIJ`), with a note.
Field names are lower case. `read_block` returns None for a block it cannot read.
"""

from __future__ import annotations

from zsync.errors import InputError
from zsync.model.patterns import lazy

MONTHS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May",
    "jun": "June", "jul": "July", "aug": "August", "sep": "September", "oct": "October",
    "nov": "November", "dec": "December",
}
_HEAD = lazy(r"\s*@\s*([A-Za-z][\w-]*)\s*([{(])\s*")
_KEY = lazy(r"([^\s,={}()\"#%]*)\s*,")
_NAME = lazy(r"\s*([^\s\"#%'(),={}]+)\s*=\s*")
_BARE = lazy(r"[^\s\"#%'(),={}]+")
_SPACE = lazy(r"\s*")
_BRACE = lazy(r"(?<!\\)[{}]")
_BRACE_OR_QUOTE = lazy(r'(?<!\\)[{}"]')
# The common field, read in one match: `name = {text}` with no brace inside, `name =
# "text"` with no brace or quote inside, or `name = 2020`; then the comma after it, if any.
# Anything else (nested braces, `#`, macros) takes the general path, which reads the same.
_SIMPLE = lazy(
    r"\s*+([^\s\"#%'(),={}]+)\s*=\s*"
    r'(?:\{([^{}]*)(?<!\\)\}|"([^"{}]*)(?<!\\)"|(\d++)(?![^\s\"#%\'(),={}]))'
    r"\s*+(,)?"
)


class _Unreadable(InputError):
    pass


def read_block(text: str, strings: dict[str, str], notes: list[str]) -> dict[str, str] | None:
    """The entry's fields plus `ENTRYTYPE` and `ID`; for `@string`, the macros are added to
    `strings` (keys lower case) and `{}` is returned. None when the block is broken."""
    head = _HEAD.match(text)
    if head is None:
        return None
    kind = head.group(1).lower()
    closer = "}" if head.group(2) == "{" else ")"
    position = head.end()
    entry: dict[str, str] = {}
    if kind not in ("string", "preamble", "comment"):
        key = _KEY.match(text, position)
        if key is None:
            return None
        entry = {"ENTRYTYPE": kind, "ID": key.group(1)}
        position = key.end()
    try:
        fields, position = _fields(text, position, closer, strings, notes)
    except _Unreadable:
        return None
    if text[position:position + 1] != closer or text[position + 1:].strip():
        return None
    if kind == "string":
        strings.update({name: value for name, value in fields})
        return {}
    entry.update({name: value for name, value in fields if name not in entry})
    return entry


def _fields(
    text: str, position: int, closer: str, strings: dict[str, str], notes: list[str]
) -> tuple[list[tuple[str, str]], int]:
    fields: list[tuple[str, str]] = []
    while True:
        simple = _SIMPLE.match(text, position)
        if simple is not None and (simple.group(5) or text.startswith(closer, simple.end())):
            value = simple.group(2)
            if value is None:
                value = simple.group(3) if simple.group(4) is None else simple.group(4)
            fields.append((simple.group(1).lower(), value))
            position = simple.end()
            continue
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        if text.startswith(closer, position) or position >= len(text):
            return fields, position
        name = _NAME.match(text, position)
        if name is None:
            raise _Unreadable
        value, position = _value(text, name.end(), strings, notes)
        fields.append((name.group(1).lower(), value))
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        if text.startswith(",", position):
            position += 1
        elif not text.startswith(closer, position):
            raise _Unreadable


def _value(text: str, position: int, strings: dict[str, str], notes: list[str]) -> tuple[str, int]:
    parts: list[str] = []
    while True:
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        char = text[position:position + 1]
        if char == "{":
            end = _closing_brace(text, position)
            parts.append(text[position + 1:end])
            position = end + 1
        elif char == '"':
            end = _closing_quote(text, position)
            parts.append(text[position + 1:end])
            position = end + 1
        else:
            bare = _BARE.match(text, position)
            if bare is None:
                raise _Unreadable
            parts.append(_macro(bare.group(0), strings, notes))
            position = bare.end()
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        if not text.startswith("#", position):
            return "".join(parts), position
        position += 1


def _macro(name: str, strings: dict[str, str], notes: list[str]) -> str:
    if name.isdigit():
        return name
    folded = name.lower()
    if folded in strings:
        return strings[folded]
    if folded in MONTHS:
        return MONTHS[folded]
    notes.append(f"undefined @string macro '{name}' kept as written")
    return name


def _closing_brace(text: str, start: int) -> int:
    depth = 0
    for match in _BRACE.finditer(text, start):
        depth += 1 if match.group(0) == "{" else -1
        if depth == 0:
            return match.start()
    raise _Unreadable


def _closing_quote(text: str, start: int) -> int:
    depth = 0
    for match in _BRACE_OR_QUOTE.finditer(text, start + 1):
        char = match.group(0)
        if char == '"' and depth == 0:
            return match.start()
        depth += {"{": 1, "}": -1}.get(char, 0)
    raise _Unreadable
