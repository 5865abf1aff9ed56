"""zsync's code fingerprint kept in the cache folder: a run with nothing changed reads no
source file to find it, and whatever changes in the code or the installed packages (an
edit that keeps size and time, a file added or removed, a package installed, a source
written just now) gives the fingerprint that reading every source gives."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from zsync.inputs import fingerprint

OLD_NS = 1_600_000_000 * 10**9  # long past: nothing written in this run


def aged(path: Path, mtime_ns: int = OLD_NS) -> Path:
    os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small package standing in for zsync's source, and a fresh process's memory."""
    root = tmp_path / "package"
    (root / "inner").mkdir(parents=True)
    for name, text in (("__init__.py", "VERSION = 1\n"), ("inner/parse.py", "A = 'a'\n"),
                       ("inner/data.txt", "not a source\n")):
        (root / name).write_text(text)
        aged(root / name)
    monkeypatch.setattr(fingerprint, "PACKAGE", root)
    monkeypatch.setattr(fingerprint, "_FOUND", {})
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often the sources were read to find the fingerprint."""
    counted: list[int] = []
    original = fingerprint._read_fingerprint

    def counting(sources: list[tuple[str, str]]) -> bytes:
        counted.append(len(sources))
        return original(sources)

    monkeypatch.setattr(fingerprint, "_read_fingerprint", counting)
    return counted


def new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fingerprint, "_FOUND", {})


def kept(db: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The fingerprint a new run finds with the cache `db`."""
    new_process(monkeypatch)
    fingerprint.remember_fingerprint(db)
    return fingerprint.code_fingerprint()


def read(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The fingerprint a new run finds by reading every source."""
    new_process(monkeypatch)
    return fingerprint.code_fingerprint()


def test_a_run_with_nothing_changed_reads_no_source(
        package: Path, tmp_path: Path, reads: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    db = sqlite3.connect(tmp_path / "cache.sqlite")
    first = kept(db, monkeypatch)
    assert reads == [2]  # the two .py files
    assert kept(db, monkeypatch) == first == read(monkeypatch)
    assert reads == [2, 2]  # the second run took it from the cache; `read` read again


@pytest.mark.parametrize("change", ["edit keeping size and time", "new source",
                                    "source removed", "non-source added"])
def test_a_change_to_the_code_gives_the_fingerprint_of_reading_it(
        package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    db = sqlite3.connect(tmp_path / "cache.sqlite")
    before = kept(db, monkeypatch)
    source = package / "inner" / "parse.py"
    if change == "edit keeping size and time":
        source.write_text("A = 'b'\n")
        aged(source)
    elif change == "new source":
        (package / "inner" / "more.py").write_text("B = 2\n")
        aged(package / "inner" / "more.py")
    elif change == "source removed":
        source.unlink()
    else:
        (package / "inner" / "notes.txt").write_text("x\n")
        aged(package / "inner" / "notes.txt")
    after = kept(db, monkeypatch)
    assert after == read(monkeypatch)
    assert (after == before) is (change == "non-source added")


def test_a_package_installed_or_changed_on_the_import_path_is_seen(
        package: Path, tmp_path: Path, reads: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    aged(site)
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    db = sqlite3.connect(tmp_path / "cache.sqlite")
    kept(db, monkeypatch)
    (site / "something-1.0.dist-info").mkdir()
    (site / "something-1.0.dist-info" / "METADATA").write_text("Name: something\n")
    for path in (site / "something-1.0.dist-info" / "METADATA",
                 site / "something-1.0.dist-info", site):
        aged(path)
    reads.clear()
    kept(db, monkeypatch)
    assert reads == [2]
    metadata = site / "something-1.0.dist-info" / "METADATA"
    metadata.write_text("Name: something\nVersion: 1.1\n")  # in place: its folders stay
    aged(metadata)
    kept(db, monkeypatch)
    assert reads == [2, 2]


def test_a_source_written_just_now_is_read_until_its_time_is_safely_past(
        package: Path, tmp_path: Path, reads: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    db = sqlite3.connect(tmp_path / "cache.sqlite")
    written = time.time_ns()
    aged(package / "__init__.py", written)
    clock = [written]
    monkeypatch.setattr(fingerprint.time, "time_ns", lambda: clock[0])
    for now, read_again in ((written, True), (written + 10**9, True),
                            (written + 5 * 10**9, True), (written + 6 * 10**9, False)):
        clock[0] = now
        reads.clear()
        kept(db, monkeypatch)
        assert bool(reads) is read_again, now - written


def test_an_unusable_cache_only_costs_reading(package: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    assert kept(sqlite3.connect(broken), monkeypatch) == read(monkeypatch)
