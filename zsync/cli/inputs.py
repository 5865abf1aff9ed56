"""The option every command that reads notes shares: `--exclude PATTERN`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

Exclude = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        metavar="PATTERN",
        help="Leave out files matching this gitignore-style pattern, relative to each "
             "folder named (repeatable; adds to notes.exclude and .zsyncignore).",
    ),
]


def exclude_setting(exclude: list[str] | None) -> dict[str, Any]:
    """The config override for `--exclude`: the patterns add to `notes.exclude`."""
    return {"notes.exclude": exclude or None}
