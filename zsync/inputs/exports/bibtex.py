"""BibTeX and BibLaTeX files (Zotero, Better BibTeX, JabRef, Mendeley, Google Scholar exports).

The file is first cut into `@...{...}` blocks (see `bibtex_blocks`); `@string` macros are
read, then every entry is parsed on its own (see `bibtex_reader`), so a broken entry costs only
itself: it becomes a record carrying a warning (with whatever could still be read from it)
while the other entries parse normally. Only when no entry at all can be read does the file
fail, with the line of the first broken entry.
"""

from __future__ import annotations

import re
from typing import Any

from zsync.inputs.base import ParseFailure
from zsync.inputs.exports.bibtex_blocks import SPECIAL, Block, split_blocks
from zsync.inputs.exports.bibtex_reader import read_block
from zsync.model.identifiers import normalize_citekey
from zsync.model.patterns import lazy
from zsync.model.records import Origin, Record

FORMAT = "bibtex"

_FIRST_LINE = lazy(r"@[ \t]*([A-Za-z][\w-]*)[ \t]*[{(]")
_ENTRY_HEAD = lazy(
    r"@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]\s*(?:[^\s,={}()\"#%]*\s*,|[A-Za-z][\w-]*\s*=)"
)
_SALVAGED = r"(title|doi|pmid|pmcid|eprint|archiveprefix|year|date|url|journal|booktitle|author)"
# `name = {value}` (one level of inner braces), `name = "value"` or `name = 2020`, anywhere ...
_SALVAGE = lazy(
    rf"(?<![\w-]){_SALVAGED}\s*=\s*(?:\{{((?:[^{{}}]|\{{[^{{}}]*\}})*)\}}|\"([^\"]*)\"|(\w+))",
    re.IGNORECASE,
)
# ... or, for a value left open, the rest of its line.
_SALVAGE_LINE = lazy(
    rf"^\s*{_SALVAGED}\s*=\s*[{{\"]?(.*?)[}}\"]?\s*,?\s*$", re.IGNORECASE | re.MULTILINE
)
_CROSSREF = lazy(r"\bcrossref\s*=", re.IGNORECASE)
_SWALLOWED = lazy(r"\n\s*[\w-]+\s*=\s*[{\"\w]")


def sniff(text: str) -> bool:
    """True when the first content (after `%` comment lines) opens a BibTeX block."""
    for line in _leading_lines(text.lstrip("\ufeff")):
        stripped = line.strip()
        if not stripped or stripped.startswith("%"):
            continue
        match = _FIRST_LINE.match(stripped)
        if not match:
            return False
        if match.group(1).lower() in SPECIAL:
            return True
        start = text.find(stripped)
        return bool(_ENTRY_HEAD.match(text, start))
    return False


def _leading_lines(text: str, head: int = 65536) -> list[str]:
    """The first lines of `text` as `splitlines` gives them: those wholly within its first
    `head` characters, or all of them when these are all blank or comments."""
    if len(text) <= head:
        return text.splitlines()
    lines = text[:head].splitlines()[:-1]  # the last may be cut: left to the whole text
    if any(line.strip() and not line.strip().startswith("%") for line in lines):
        return lines
    return text.splitlines()


def parse(text: str, path: str, part: tuple[int, int] | None = None) -> list[Record]:
    """Every entry in the file, in order; a broken entry gives a record with a warning.

    With `part` (`(i, n)`), only the i-th of n equal shares of the entries, numbered as in
    the whole file, so that n processes can read a large file together; the file is then
    never refused as a whole (the caller reads it whole when no share gave a record). A
    file whose entries `crossref` others is not shared: part 0 reads it all."""
    # Here, not with the module: it brings bibtexparser and pylatexenc, which telling a
    # file's format (`sniff`) does not need.
    from zsync.inputs.exports.bibtex_fields import entry_to_record

    blocks = split_blocks(text.lstrip("\ufeff"))
    strings: dict[str, str] = {}
    for block in blocks:
        if block.kind == "string":
            read_block(block.text, strings, [])
    entries = [block for block in blocks if block.kind not in SPECIAL]
    first = 0
    if part is not None:
        first, last = _share(len(entries), *part, whole=bool(_CROSSREF.search(text)))
        entries = entries[first:last]
    read = [(block, *_read_entry(strings, block)) for block in entries]
    _inherit_crossrefs([entry for _, entry, _, _ in read])
    records: list[Record] = []
    for block, entry, notes, _ in read:
        origin = Origin(path, block.line, block.end_line, FORMAT, first + len(records) + 1)
        citekey = normalize_citekey(str(entry.get("ID") or ""))
        records.append(entry_to_record(entry, origin, notes, citekey))
    failures = [(problem, block.line) for block, _, _, problem in read if problem]
    if (part is None and failures and len(failures) == len(read)
            and not any(r.is_usable() for r in records)):
        message, line = failures[0]
        raise ParseFailure(message, line)
    return records


def _share(total: int, index: int, count: int, whole: bool) -> tuple[int, int]:
    """The entries (first, last + 1) that share `index` of `count` reads; with `whole`,
    share 0 reads them all."""
    if whole:
        return (0, total) if index == 0 else (0, 0)
    return total * index // count, total * (index + 1) // count


def _read_entry(
    strings: dict[str, str], block: Block
) -> tuple[dict[str, Any], list[str], str | None]:
    """The block's fields, notes on them, and a message when the entry is broken."""
    notes: list[str] = []
    label = f"@{block.kind}{{{block.key}}}" if block.key else f"@{block.kind}"
    label += f" at line {block.line}"
    entry = read_block(block.text, strings, notes) if block.complete else None
    if entry is not None:
        return entry, notes, None
    problem = (
        f"BibTeX entry {label} is not closed (unbalanced braces or truncated file)"
        if not block.complete
        else f"BibTeX entry {label} could not be read (syntax error)"
    )
    repaired = read_block(_balanced(block.text), strings, notes) or {}
    # A value that swallowed the next field (`author = {A` + newline + `title = ...`) is wrong.
    entry = {k: v for k, v in repaired.items() if not _SWALLOWED.search(str(v))}
    salvaged = [(n, next((v for v in vs if v), "")) for n, *vs in _SALVAGE.findall(block.text)]
    for name, value in [*salvaged, *_SALVAGE_LINE.findall(block.text)]:
        value = value.strip().rstrip(",").strip()
        if value and not _SWALLOWED.search(value):
            entry.setdefault(name.lower(), value)
    entry.setdefault("ENTRYTYPE", block.kind)
    entry.setdefault("ID", block.key)
    notes.insert(0, f"{problem}; fields read from it may be incomplete")
    return entry, notes, problem


def _inherit_crossrefs(entries: list[dict[str, Any]]) -> None:
    """Fields a `crossref`ed entry (a proceedings, a book) gives the entries citing it."""
    by_key = {str(e.get("ID", "")).lower(): e for e in entries if e.get("ID")}
    for entry in entries:
        parent = by_key.get(str(entry.get("crossref", "")).strip().lower())
        if parent is None or parent is entry:
            continue
        for name, value in parent.items():
            if name in ("ID", "ENTRYTYPE", "crossref"):
                continue
            target = "booktitle" if name == "title" else name
            entry.setdefault(target, value)


def _balanced(text: str) -> str:
    """`text` with the braces it leaves open closed at its end."""
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
    return text + "}" * depth
