"""Cut a BibTeX file into its `@...{...}` blocks, with line numbers, before parsing any.

Parsing each entry on its own keeps one broken entry from spoiling the others and tells
where every entry starts, which bibtexparser does not. A block ends at the brace (or
parenthesis) that closes its opening one; an entry whose braces never balance ends where
the next line starting with `@type{` begins (or at the end of the file) and is marked
incomplete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zsync.inputs.exports.exportkit import LineIndex
from zsync.model.patterns import lazy

# A block starts with `@type{` or `@type(` anywhere outside other blocks (as in BibTeX) ...
_START = lazy(r"(?<![\w@])@[ \t]*([A-Za-z][\w-]*)[ \t]*([{(])")
# ... but inside an unclosed block only one at the start of a line ends it.
_LINE_START = lazy(r"^[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]", re.MULTILINE)
_KEY = lazy(r"\s*([^\s,={}()\"#%]*)\s*,")
_KEYLESS = lazy(r"\s*[A-Za-z][\w-]*\s*=")  # `@article{ author = ...`: no key
# What `_closing` looks at: escapes (skipped whole), braces, the closer, new lines.
_SIGNS_BRACE = lazy(r"\\.|[{}\n]", re.DOTALL)
_SIGNS_PAREN = lazy(r"\\.|[{}()\n]", re.DOTALL)
SPECIAL = frozenset({"string", "comment", "preamble"})


def _braced_body(depth: int) -> str:
    """What `_closing` reads of a `{` block, as one pattern: text, escapes, new lines
    that start no block, and groups nested up to `depth` braces deep."""
    line_start = r"[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]"
    atoms = rf"[^{{}}\\\n]++|\\.|\n(?!{line_start})"
    body = f"(?:{atoms})*+"
    for _ in range(depth):
        body = rf"(?:{atoms}|\{{{body}\}})*+"
    return body


# The usual `{` block read in one match up to its closing brace; a block nested deeper,
# broken or unclosed does not match and is read by the loop in `_closing`.
_BRACED_BLOCK = lazy(_braced_body(4) + r"\}", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Block:
    """One `@kind{...}` block of a BibTeX file."""

    kind: str  # lower case: "article", "string", ...
    key: str
    text: str
    line: int
    end_line: int
    complete: bool


def split_blocks(text: str) -> list[Block]:
    """Every block in `text`, in order; text between blocks (comments) is skipped."""
    lines = LineIndex(text)
    blocks: list[Block] = []
    index = 0
    while (match := _START.search(text, index)) is not None:
        line_start = text.rfind("\n", 0, match.start()) + 1
        if "%" in text[line_start : match.start()]:  # a commented-out entry
            index = match.end()
            continue
        kind = match.group(1).lower()
        end = _closing(text, match.end(), match.group(2))
        complete = end is not None
        if end is None and kind == "comment":  # `@comment` runs to the end of its line
            newline = text.find("\n", match.end())
            end, complete = (len(text) if newline < 0 else newline), True
        if end is None:
            following = _LINE_START.search(text, match.end())
            end = following.start() if following else len(text)
        body = text[match.start() : end].rstrip()
        key_match = _KEY.match(text, match.end())
        key = key_match.group(1) if key_match and kind not in SPECIAL else ""
        if kind not in SPECIAL and key_match is None and _KEYLESS.match(text, match.end()):
            # EndNote writes entries without a key: give it one, so the entry can be read.
            key = f"entry-at-line-{lines.line(match.start())}"
            head = match.end() - match.start()
            body = f"{body[:head]}{key},{body[head:]}"
        blocks.append(
            Block(
                kind,
                key,
                body,
                lines.line(match.start()),
                lines.line(match.start() + max(len(body) - 1, 0)),
                complete,
            )
        )
        index = max(end, match.end())
    return blocks


def _closing(text: str, start: int, opener: str) -> int | None:
    """Index just past the delimiter that closes the block opened before `start`, or None.

    Gives up (None) at a line that starts a new `@type{` block while braces are still open:
    BibTeX values cannot legally contain one, so the entry before it is broken.
    """
    if opener == "{" and (block := _BRACED_BLOCK.match(text, start)) is not None:
        return block.end()
    closer = "}" if opener == "{" else ")"
    signs = _SIGNS_BRACE if opener == "{" else _SIGNS_PAREN
    depth = 0
    for match in signs.finditer(text, start):
        char = match.group(0)
        if char[0] == "\\":
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and closer == "}":
                return match.end()
            depth -= 1
        elif char == closer:
            if depth == 0:
                return match.end()
        elif char == "\n" and _LINE_START.match(text, match.end()):
            return None
    return None
