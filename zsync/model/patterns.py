"""Regular expressions compiled when first used, so that importing a module whose patterns
a run never needs (a sync with nothing to do parses no note; a worker parsing a Markdown
note needs no BibTeX pattern) costs nothing.

A `LazyPattern` compiles on its first match; from then on its methods are the compiled
pattern's own (kept in the object), so a pattern used in a loop costs what `re.Pattern`
costs."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

# The `re.Pattern` methods a LazyPattern offers, taken over from the compiled pattern.
_METHODS = ("match", "search", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """`re.compile(pattern, flags)`, done on the first use of a method (`re.Pattern`'s)."""

    __slots__ = ("_compiled", "_flags", "_source", *_METHODS)

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:  # two threads may both compile: the same pattern either way
            compiled = re.compile(self._source, self._flags)
            for name in _METHODS:
                setattr(self, name, getattr(compiled, name))
            self._compiled = compiled
        return compiled

    @property
    def pattern(self) -> str:
        return self._source

    @property
    def flags(self) -> int:
        return self.compiled.flags

    @property
    def groups(self) -> int:
        return self.compiled.groups

    def __getattr__(self, name: str) -> Any:
        """A method not yet taken over from the compiled pattern: compile now."""
        if name not in _METHODS:
            raise AttributeError(name)
        return getattr(self.compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source!r}, {self._flags!r})"

    if TYPE_CHECKING:  # what the methods taken over look like to a type checker
        def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize
                  ) -> re.Match[str] | None: ...

        def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize
                   ) -> re.Match[str] | None: ...

        def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize
                      ) -> re.Match[str] | None: ...

        def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize
                     ) -> Iterator[re.Match[str]]: ...

        def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize
                    ) -> list[Any]: ...

        def sub(self, repl: str | Callable[[re.Match[str]], str], string: str,
                count: int = 0) -> str: ...

        def subn(self, repl: str | Callable[[re.Match[str]], str], string: str,
                 count: int = 0) -> tuple[str, int]: ...

        def split(self, string: str, maxsplit: int = 0) -> list[str | Any]: ...


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    """A pattern compiled on first use (see `LazyPattern`)."""
    return LazyPattern(pattern, flags)
