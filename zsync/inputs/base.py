"""What every parser shares."""

from __future__ import annotations

from zsync.errors import InputError


class ParseFailure(InputError):
    """An input this parser recognised but could not read; `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset in `text`."""
    return text.count("\n", 0, offset) + 1
