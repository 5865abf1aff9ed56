"""What every parser shares: the interface an input format offers, and its failure."""

from __future__ import annotations

from typing import Protocol

from zsync.errors import InputError
from zsync.model.records import Record


class InputFormat(Protocol):
    """An input format: a parser module that offers `FORMAT` (its name, shown in reports),
    `sniff(text)` (whether the text is in this format) and `parse(text, source)` (its
    records; `ParseFailure` for text it recognised but cannot read). A new format is one
    such module and one line in `zsync.inputs.registry`; mypy checks the module against
    this interface there."""

    @property
    def FORMAT(self) -> str: ...  # a module constant, only read

    def sniff(self, text: str, /) -> bool: ...

    def parse(self, text: str, source: str, /) -> list[Record]: ...


class SharedInputFormat(InputFormat, Protocol):
    """A format a large input of which several processes can read together, each its
    `part=(i, n)`: the i-th of n shares of the entries."""

    def parse(self, text: str, source: str, /,
              part: tuple[int, int] | None = None) -> list[Record]: ...



class ParseFailure(InputError):
    """An input this parser recognised but could not read; `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
