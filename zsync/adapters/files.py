"""Reading the user's input files: walking folders, decoding text, parsing each file.

This is the one place parsing meets the file system; the parsers themselves get text.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from charset_normalizer import from_bytes

from ..core.records import FileResult, InputProblem
from ..parsing import parse_text

# Folders that hold an application's own files, not the user's notes.
_SKIP_DIRS = {".git", ".obsidian", ".trash", ".logseq", "node_modules", "__pycache__", ".venv"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class UnreadableInput(Exception):
    """A file that holds no text zsync can read (binary, or not decodable)."""


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every file named, and every file below every folder named, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def decode(data: bytes) -> str:
    """Text from bytes: BOM-marked Unicode, UTF-8, else the most likely legacy encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _newlines(data.decode(encoding))
    if b"\x00" in data[:4096]:
        raise UnreadableInput("binary file (contains NUL bytes), not text")
    try:
        return _newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableInput("not text in any known encoding")
    return _newlines(str(best))


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_file(path: Path) -> FileResult:
    """Read and parse one file; problems are reported in the result, never raised."""
    name = str(path)
    try:
        text = decode(path.read_bytes())
    except (OSError, UnreadableInput) as exc:
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return FileResult(name, problems=(InputProblem(name, f"cannot read: {message}"),))
    return parse_text(text, name)


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 500


def parse_paths(paths: Iterable[str | Path], workers: int | None = None) -> Iterator[FileResult]:
    """Parse every input file below `paths`, one result per file, in a stable order.

    Large folders are parsed on all cores (`workers` processes; default: the CPU count).
    """
    files = list(iter_input_files(paths))
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers < 2 or len(files) < PARALLEL_FROM:
        yield from map(parse_file, files)
        return
    with ProcessPoolExecutor(max_workers=min(workers, 8)) as pool:
        yield from pool.map(parse_file, files, chunksize=64)
