"""What parsing depends on besides the file: zsync's own source, the Python version and
the versions of the libraries zsync runs on (`code_fingerprint`).

Finding it means reading every source file and asking the installed packages' metadata
for their versions, on every run. `remember_fingerprint` keeps it in the cache folder
instead, under a digest of everything it was found from as a `stat` shows it: each source
file, each folder on the import path, and each installed package's metadata there. Any
change to one of these (a source edited, a package installed, upgraded or removed) moves
the digest, and the fingerprint is found again by reading. As with the stat index
(`filestat`), nothing modified just before it was looked at is trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import sys
import time
from pathlib import Path

from zsync import __version__
from zsync.inputs.filestat import settled
from zsync.model.patterns import lazy

PACKAGE = Path(__file__).resolve().parents[1]
KEEP_SECONDS = 30 * 86400
_NAME = lazy(r"[A-Za-z0-9._-]*")  # compiled on first use
_METADATA_DIRS = (".dist-info", ".egg-info")
_FOUND: dict[str, bytes] = {}


def code_fingerprint() -> bytes:
    """What parsing depends on besides the file: zsync's source, the Python version and
    the versions of zsync's dependencies (found once per process)."""
    found = _FOUND.get("code")
    if found is None:
        found = _FOUND["code"] = _read_fingerprint(_sources())
    return found


def remember_fingerprint(db: sqlite3.Connection) -> None:
    """Take `code_fingerprint` from the `code_fingerprints` table of `db` when a row
    there was made from the same files as they are now; else find it by reading, and
    keep it there when nothing it was found from moved while it was read."""
    if "code" in _FOUND:
        return
    with contextlib.suppress(sqlite3.Error):  # then it is found by reading
        _remember(db)


def _remember(db: sqlite3.Connection) -> None:
    db.execute("""CREATE TABLE IF NOT EXISTS code_fingerprints (
        stat_key BLOB PRIMARY KEY, fingerprint BLOB NOT NULL, used_ns INTEGER NOT NULL)""")
    now = time.time_ns()
    sources = _sources()
    before = _stat_key(sources, now)
    if before is not None:
        row = db.execute("SELECT fingerprint FROM code_fingerprints WHERE stat_key = ?",
                         (before,)).fetchone()
        if row is not None:
            _FOUND["code"] = bytes(row[0])
            return
    fingerprint = _FOUND["code"] = _read_fingerprint(sources)
    if before is None or _stat_key(_sources(), now) != before:
        return
    with db:
        db.execute("INSERT OR REPLACE INTO code_fingerprints (stat_key, fingerprint, used_ns) "
                   "VALUES (?, ?, ?)", (before, fingerprint, now))
        db.execute("DELETE FROM code_fingerprints WHERE used_ns < ?",
                   (now - KEEP_SECONDS * 1_000_000_000,))


def _sources() -> list[tuple[str, str]]:
    """zsync's source files: (path relative to the package, path), in a stable order."""
    found = []
    for folder, dirs, files in os.walk(PACKAGE):
        dirs.sort()
        relative = os.path.relpath(folder, PACKAGE)
        for name in sorted(files):
            if name.endswith(".py"):
                inside = name if relative == "." else f"{relative}/{name}"
                found.append((inside.replace(os.sep, "/"), os.path.join(folder, name)))
    return sorted(found)


def _read_fingerprint(sources: list[tuple[str, str]]) -> bytes:
    from importlib import metadata

    digest = hashlib.sha256(f"{__version__} {sys.version}".encode())
    for inside, path in sources:
        with open(path, "rb") as handle:
            digest.update(inside.encode() + b"\0" + handle.read())
    try:
        requirements = metadata.requires("zsync") or []
    except metadata.PackageNotFoundError:
        requirements = []
    for requirement in sorted(requirements):
        name = _NAME.match(requirement).group(0)  # type: ignore[union-attr]
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?".encode())
    return digest.digest()


def _stat_key(sources: list[tuple[str, str]], now_ns: int) -> bytes | None:
    """A digest of the stat of everything `code_fingerprint` is found from: the sources,
    the folders on the import path and the installed packages' metadata in them (a
    package installed, upgraded or removed adds, renames or removes one). None when any
    of it was modified too recently before `now_ns` to be trusted (`filestat.settled`)."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0{sys.path!r}\n".encode())
    stamped = list(sources)
    for entry in sys.path:
        stamped.append(("path", entry or "."))
        stamped.extend(("metadata", path) for path in _package_metadata(entry or "."))
    for kind, path in stamped:
        try:
            info = os.stat(path)
        except OSError:
            digest.update(f"{kind}\0{path}\0missing\n".encode("utf-8", "surrogatepass"))
            continue
        if not settled(info.st_mtime_ns, now_ns):
            return None
        digest.update(f"{kind}\0{path}\0{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:"
                      f"{info.st_ino}:{info.st_dev}\n".encode("utf-8", "surrogatepass"))
    return digest.digest()


def _package_metadata(folder: str) -> list[str]:
    """The metadata folders of the packages installed in `folder`, and their metadata
    files (which give a package's version and requirements)."""
    found = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(_METADATA_DIRS):
                found += [entry.path, os.path.join(entry.path, "METADATA"),
                          os.path.join(entry.path, "PKG-INFO")]
    return sorted(found)
