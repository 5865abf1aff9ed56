"""The rich console zsync prints through (imported when something is printed with it)."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from zsync.logs import printable


class SafeConsole(Console):
    """A rich console through which no secret and no raw control character passes: every
    text given to `print` goes through `printable` (styles rich adds are not touched)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(printable(o) if isinstance(o, str) else o for o in objects), **kwargs)
