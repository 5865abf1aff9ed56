"""`--link-notes`: after a sync, each note gets a link to its Zotero item (opt-in).

Byte-careful: a note is read as bytes and only whole lines are added (its encoding, BOM,
line endings and final newline stay); the new file replaces the old atomically (temporary
file, then rename) with the old one's permissions. A note whose bytes changed since zsync
read it, or that is not UTF-8, is left alone and reported. A dry run says what it would add.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from zsync.model.records import Record
from zsync.sync.notelink import add_link, item_link
from zsync.sync.plan import Action, Plan

LINKED_FORMATS = frozenset({"markdown", "org"})
BOM = b"\xef\xbb\xbf"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot(records: Iterable[Record]) -> dict[str, str]:
    """The digest of each note file the records were read from, taken right after reading."""
    out: dict[str, str] = {}
    for record in records:
        path = record.origin.path
        if record.origin.format in LINKED_FORMATS and path not in out:
            try:
                out[path] = _digest(Path(path).read_bytes())
            except OSError:
                continue
    return out


def _targets(planned: Plan, failed: set[str]) -> dict[str, list[tuple[int, str, str]]]:
    """Note path -> (line, format, item key) of each record to link, from applied works."""
    out: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for work in planned.works:
        if work.action == Action.ERROR or not work.item_key or work.identity in failed:
            continue
        for origin in work.origins:
            if origin.format in LINKED_FORMATS:
                out[origin.path].append((origin.line, origin.format, work.item_key))
    return out


def _write_atomically(path: Path, data: bytes) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _link_file(path: str, targets: list[tuple[int, str, str]], library: str, digest: str,
               dry_run: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": path, "lines": []}
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return {**entry, "status": "left alone", "why": f"could not read it: {exc}"}
    if _digest(data) != digest:
        return {**entry, "status": "left alone", "why": "changed since zsync read it"}
    bom = data.startswith(BOM)
    try:
        text = data[len(BOM) if bom else 0:].decode("utf-8")
    except UnicodeDecodeError:
        return {**entry, "status": "left alone", "why": "not UTF-8"}
    newline = "\r\n" if "\r\n" in text else "\n"
    added: list[str] = []
    for line, fmt, key in sorted(targets, reverse=True):  # later records first: lines hold
        text, lines = add_link(text, fmt, line, item_link(library, key), newline)
        added = [*lines, *added]
    if not added:
        return {**entry, "status": "linked already"}
    if not dry_run:
        if _digest(Path(path).read_bytes()) != digest:
            return {**entry, "status": "left alone", "why": "changed since zsync read it"}
        _write_atomically(Path(path), (BOM if bom else b"") + text.encode("utf-8"))
    return {**entry, "status": "would add" if dry_run else "added", "lines": added}


def link_notes(planned: Plan, library: str | None, digests: Mapping[str, str],
               failed: set[str], dry_run: bool) -> list[dict[str, Any]]:
    """Link each note read to its item; one entry per note that needed (or got) lines."""
    if library is None:
        return []
    entries = []
    for path, targets in _targets(planned, failed).items():
        if path in digests:
            entry = _link_file(path, targets, library, digests[path], dry_run)
            if entry["status"] != "linked already":
                entries.append(entry)
    return entries
