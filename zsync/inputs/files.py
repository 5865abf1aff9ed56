"""Reading the user's input files: walking folders, reading and decoding, parsing each file.

This is the one place parsing meets the file system; the parsers themselves get text.
Nothing a file holds takes a run down: a file that cannot be read or parsed becomes a
problem naming it and the reason, and the other files are read. Special files (named
pipes, sockets, devices) are never opened; symbolic links are followed, a loop of them is
named; `parse_paths` parses in worker processes that bound each file's time and memory
(see `guard`).

Files that are not notes by kind (PDFs, images, Obsidian canvases, office documents,
archives, audio and video) are left out without an error, and so are files matched by the
exclude patterns (`--exclude`, `notes.exclude`) or by a `.zsyncignore` file (gitignore
syntax) in a folder named as input; `Scan` counts both.
"""

from __future__ import annotations

import logging
import os
import stat
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from zsync.inputs import parse_text
from zsync.inputs.decoding import UnreadableInput, decode
from zsync.model.records import FileResult, InputProblem, Record
from zsync.model.serialize import FileJson

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

# Folders that hold an application's own files, not the user's notes.
_SKIP_DIRS = {".git", ".obsidian", ".trash", ".logseq", "node_modules", "__pycache__", ".venv"}
IGNORE_FILE = ".zsyncignore"
_NOT_NOTES = {
    kind: frozenset(suffixes.split())
    for kind, suffixes in (
        ("PDF", ".pdf"),
        ("image", ".png .jpg .jpeg .gif .webp .svg .bmp .tif .tiff .heic .heif .avif .ico"),
        ("Obsidian canvas", ".canvas"),
        ("office document", ".doc .docx .odt .rtf .xls .xlsx .ods .ppt .pptx .odp .pages "
                            ".numbers .key"),
        ("archive", ".zip .tar .gz .tgz .bz2 .xz .7z .rar .zst"),
        ("audio or video", ".mp3 .m4a .wav .ogg .flac .mp4 .m4v .mov .mkv .webm .avi"),
        ("e-book", ".epub .mobi .djvu"),
    )
}
_KIND_OF = {suffix: kind for kind, suffixes in _NOT_NOTES.items() for suffix in suffixes}
log = logging.getLogger(__name__)
# Larger than any note or export zsync reads: reading it would only exhaust memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)


@dataclass(frozen=True, slots=True)
class InputFile:
    """A file found below the inputs, or a place that could not be walked (`problem`)."""

    path: Path
    problem: str | None = None

    @property
    def name(self) -> str:
        return display_name(self.path)


@dataclass
class Scan:
    """What walking the inputs left out: files that are not notes, by kind, and files
    matched by an exclude pattern; folders that held no notes at all."""

    not_notes: Counter[str] = field(default_factory=Counter)
    excluded: int = 0
    empty_folders: list[str] = field(default_factory=list)

    def summary(self) -> str | None:
        """One line for the user, or None when nothing was left out."""
        parts = []
        if self.not_notes:
            total = sum(self.not_notes.values())
            kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.not_notes.items()))
            parts.append(f"{total} file(s) that are not notes ({kinds})")
        if self.excluded:
            parts.append(f"{self.excluded} excluded by pattern")
        return "skipped " + "; ".join(parts) if parts else None


def display_name(path: Path | str) -> str:
    """A path as valid Unicode: bytes of a non-UTF-8 file name are shown as `\\xNN`."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def not_a_note(path: Path) -> str | None:
    """The kind of file `path` is when its name says it is not a note (PDF, image ...)."""
    return _kind_of_name(path.name)


def _kind_of_name(name: str) -> str | None:
    """`not_a_note` of a file name (its suffix as `Path.suffix` gives it)."""
    dot = name.rfind(".")
    return _KIND_OF.get(name[dot:].lower()) if 0 < dot < len(name) - 1 else None


def iter_input_files(paths: Iterable[str | Path], exclude: Sequence[str] = (),
                     scan: Scan | None = None) -> Iterator[InputFile]:
    """Every file named, and every file below every folder named, in a stable order,
    without files that are not notes or that `exclude` (gitignore patterns, relative to
    each folder named) or the folder's `.zsyncignore` match; `scan` counts them."""
    for where, problem in iter_input_paths(paths, exclude, scan):
        yield InputFile(Path(where), problem)


def iter_input_paths(paths: Iterable[str | Path], exclude: Sequence[str] = (),
                     scan: Scan | None = None) -> Iterator[tuple[str, str | None]]:
    """`iter_input_files` as (path, problem) pairs, each path the text of the `Path`
    that `iter_input_files` gives: a walk of a large folder makes no `Path` per file."""
    scan = scan if scan is not None else Scan()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            spec = _spec(exclude, path / IGNORE_FILE)
            found = 0
            start = len(_prefix(path))
            for where, name, problem in _walk(path):
                if problem is None and _left_out(name, _relative(where, start, spec), spec,
                                                 scan):
                    continue
                found += 1
                yield where, problem
            if not found:
                scan.empty_folders.append(display_name(path))
                log.warning("no notes in %s%s", display_name(path),
                            f" ({scan.summary()})" if scan.summary() else "")
        elif not _left_out(path.name, path.name, _spec(exclude, None), scan):
            yield str(path), None


def _prefix(folder: Path) -> str:
    """What the text of `folder / name` starts with (nothing for ".", as `Path` drops it)."""
    return str(folder / "_")[:-1]


def _relative(where: str, start: int, spec: GitIgnoreSpec | None) -> str:
    """`where` relative to the folder named, as gitignore patterns see it (only needed
    when there are patterns)."""
    if spec is None:
        return ""
    relative = where[start:]
    return relative if os.sep == "/" else relative.replace(os.sep, "/")


def _spec(patterns: Sequence[str], ignore_file: Path | None) -> GitIgnoreSpec | None:
    """The exclusions as one gitignore spec; None when there are none."""
    lines = list(patterns)
    if ignore_file is not None and ignore_file.is_file():
        lines += ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
    if not lines:
        return None
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(lines)


def _left_out(name: str, relative: str, spec: GitIgnoreSpec | None, scan: Scan) -> bool:
    """Whether the file `name` (`relative` to the folder named) is left out, counted."""
    if spec is not None and spec.match_file(relative):
        scan.excluded += 1
        return True
    kind = _kind_of_name(name)
    if kind is not None:
        scan.not_notes[kind] += 1
        return True
    return False


_Found = tuple[str, str, str | None]


def _walk(folder: Path) -> Iterator[_Found]:
    """(path, name, problem) of the files below `folder`: each folder's files in order of
    name, then its folders, top down, as `os.walk` finds them; links to folders are
    followed once each: a link back to a folder being walked (a loop) is named, a second
    link to a folder already read is not read twice. A folder that cannot be read is a
    problem in its place."""
    seen: set[tuple[int, int]] = set()
    yield from _walk_folder(str(folder), _prefix(folder), seen)


def _walk_folder(where: str, prefix: str, seen: set[tuple[int, int]]) -> Iterator[_Found]:
    listed = _listing(where)
    if isinstance(listed, OSError):
        yield _unreadable(listed, where)
        return
    folders, files = listed
    seen.add(_identity(where))
    kept = []
    for name in sorted(d for d in folders if d not in _SKIP_DIRS and not d.startswith(".")):
        child = prefix + name
        identity = _identity(child)
        if identity in seen:
            if os.path.islink(child) and _is_ancestor(Path(child), Path(where)):
                yield child, name, ("not followed: a symbolic link loop (a link to a folder "
                                    "that contains it)")
            continue
        seen.add(identity)
        kept.append(name)
    for name in sorted(files):
        if not name.startswith("."):
            yield prefix + name, name, None
    for name in kept:
        yield from _walk_folder(prefix + name, prefix + name + os.sep, seen)


def _listing(where: str) -> tuple[list[str], list[str]] | OSError:
    """The names of the folders (links to folders too) and of the other entries in
    `where`, or why it cannot be listed."""
    folders: list[str] = []
    files: list[str] = []
    try:
        with os.scandir(where) as entries:
            for entry in entries:
                try:
                    is_folder = entry.is_dir()
                except OSError:
                    is_folder = False
                (folders if is_folder else files).append(entry.name)
    except OSError as error:
        return error
    return folders, files


def _unreadable(error: OSError, where: str) -> _Found:
    path = str(Path(error.filename or where))
    return path, os.path.basename(path), f"cannot read folder: {error.strerror or error}"


def _identity(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino


def _is_ancestor(link: Path, here: Path) -> bool:
    target = link.resolve()
    return target == here.resolve() or target in here.resolve().parents


def read_input(path: str | Path) -> bytes:
    """The bytes of a regular file. Special files are refused before they are opened (a
    named pipe would block the run), and again after (the file may have been swapped)."""
    info = os.stat(path)
    _require_regular(info.st_mode)
    if info.st_size > MAX_FILE_BYTES:
        raise UnreadableInput(f"too large for a note or an export ({_mb(info.st_size)}; "
                              f"zsync reads files up to {_mb(MAX_FILE_BYTES)})")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        _require_regular(os.fstat(fd).st_mode)
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableInput(f"too large for a note or an export (over {_mb(MAX_FILE_BYTES)})")
    return data


def _require_regular(mode: int) -> None:
    for test, kind in _KINDS:
        if test(mode):
            raise UnreadableInput(f"not a regular file ({kind}): not read")
    if not stat.S_ISREG(mode):
        raise UnreadableInput("not a regular file: not read")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def parse_file(path: Path, part: tuple[int, int] | None = None) -> FileResult:
    """Read and parse one file (or one share of it, see `parse_text`); problems are
    reported in the result, never raised."""
    name = display_name(path)
    try:
        decoded = decode(read_input(path))
    except (OSError, UnreadableInput) as exc:
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return failed(name, f"cannot read: {message}")
    result = parse_contained(decoded.text, name, part)
    return with_warning(result, decoded.warning) if decoded.warning else result


def parse_contained(text: str, name: str, part: tuple[int, int] | None = None) -> FileResult:
    """`parse_text`, with any failure of a parser turned into a problem naming the file."""
    try:
        return parse_text(text, name) if part is None else parse_text(text, name, part)
    except RecursionError:
        return failed(name, "nested too deeply to read (a parser ran out of stack)")
    except MemoryError:
        return failed(name, "needs more memory to read than zsync allows for one file")
    except Exception as exc:
        return failed(name, f"could not be parsed: zsync's parser failed with "
                            f"{type(exc).__name__}: {_short(exc)} (a bug in zsync)")


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:160] + "…" if len(text) > 160 else text


def failed(name: str, message: str) -> FileResult:
    return FileResult(name, problems=(InputProblem(name, message),))


def with_warning(result: FileResult, warning: str) -> FileResult:
    """`result` with a warning on every record, or added to its problems when it has none."""
    if result.records:
        records = tuple(replace(r, warnings=(*r.warnings, warning)) for r in result.records)
        return replace(result, records=records)
    problems = tuple(replace(p, message=f"{p.message} ({warning})") for p in result.problems)
    return replace(result, problems=problems)


def parse_paths(paths: Iterable[str | Path], workers: int | None = None,
                exclude: Sequence[str] = (), scan: Scan | None = None) -> Iterator[FileResult]:
    """Parse every input file below `paths`, one result per file, in a stable order.

    Files are parsed in worker processes (`workers`; default: the CPU count, at most
    `guard.MAX_WORKERS`) that bound the time and memory any one file may take. Files that
    are not notes, or that `exclude` or a `.zsyncignore` match, are left out and counted
    in `scan` (and logged).
    """
    from zsync.inputs.guard import RECORDS, parse_guarded_as

    yield from parse_guarded_as(_inputs(paths, exclude, scan), RECORDS, workers)


def parse_paths_json(paths: Iterable[str | Path], workers: int | None = None,
                     exclude: Sequence[str] = (), scan: Scan | None = None
                     ) -> Iterator[FileJson]:
    """`parse_paths`, each file's result in its JSON form (`zsync parse --json`), made by
    the worker that parsed the file."""
    from zsync.inputs.guard import JSON, parse_guarded_as

    yield from parse_guarded_as(_inputs(paths, exclude, scan), JSON, workers)


def _inputs(paths: Iterable[str | Path], exclude: Sequence[str],
            scan: Scan | None) -> list[InputFile]:
    scan = scan if scan is not None else Scan()
    inputs = list(iter_input_files(paths, exclude, scan))
    if scan.summary():
        log.info("%s", scan.summary())
    return inputs


def records_and_problems(results: Iterable[FileResult]
                         ) -> tuple[list[Record], list[InputProblem]]:
    """Every record and every problem of `results` (one per file), in file order."""
    records: list[Record] = []
    problems: list[InputProblem] = []
    for result in results:
        records.extend(result.records)
        problems.extend(result.problems)
    return records, problems
