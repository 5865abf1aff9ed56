"""What every command that reads notes shares: `--exclude PATTERN`, and the check that
the files and folders named exist. Imports nothing heavy: `zsync parse` stays quick."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from zsync.cli.app import fail

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


def require_paths(paths: Sequence[Path]) -> None:
    """Stop with exit 2 when a named file or folder does not exist."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(missing)}")
