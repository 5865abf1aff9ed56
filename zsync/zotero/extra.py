"""Zotero's Extra field: free text in which Zotero, Better BibTeX and users keep one
`Field: value` a line for what an item type has no field for (`DOI: …` on a book
section, `PMID: …`, `Citation Key: …`, `arXiv: …`). CSL-JSON exports carry it as `note`.

The one reader and writer of those lines; zsync's own memory line (`zotero.memory`) is one
of them too, kept apart by that module. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from zsync.model.patterns import lazy

_LINE = lazy(r"^\s*([A-Za-z][\w .-]*?)\s*:\s*(.+?)\s*$", re.MULTILINE)


def extra_fields(extra: object) -> dict[str, str]:
    """`Field: value` lines of `extra`, by lower-case field name (the first of each);
    nothing when `extra` is not text."""
    out: dict[str, str] = {}
    for name, value in _LINE.findall(extra if isinstance(extra, str) else ""):
        out.setdefault(name.strip().lower(), value.strip())
    return out


def extra_lines(extra: str | None) -> list[str]:
    """The lines of `extra` that hold something."""
    return [line for line in (extra or "").splitlines() if line.strip()]


def extra_line(name: str, value: str) -> str:
    """A `Field: value` line (the value on one line)."""
    return f"{name}: {' '.join(value.split())}"


def with_lines(extra: str | None, lines: Iterable[str]) -> str:
    """`extra` (its trailing blank space dropped) followed by `lines`."""
    have = (extra or "").rstrip()
    return "\n".join([have, *lines]) if have else "\n".join(lines)
