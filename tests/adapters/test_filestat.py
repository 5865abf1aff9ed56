"""Finding which notes changed by a stat of each file: a run with nothing changed opens no
note, and whatever happens to the files (edits that keep size and time, replacements,
renames, touches, special and unreadable files, a broken cache) the digests are exactly
those of reading every file."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from zsync.inputs import filecache, files, filestat

OLD_NS = 1_600_000_000 * 10**9  # a time long past: a note not written in this run
SECOND = 10**9


def note(title: str) -> bytes:
    return f"- **Title**: {title}\n- **Year**: 2020\n".encode()


def aged(path: Path, mtime_ns: int = OLD_NS) -> Path:
    os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def vault(folder: Path, count: int = 3) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"note-{i}.md").write_bytes(note(f"Note {i}"))
        aged(folder / f"note-{i}.md")
    return folder


def plain(folder: Path) -> list[tuple[str, str]]:
    """What reading every file gives."""
    return filecache.input_digests([folder])


def quick(folder: Path, cache: Path, read: list[str] | None = None) -> list[tuple[str, str]]:
    """What the stat index gives; `read` receives the files that had to be read."""
    return filecache.input_digests([folder], cache_dir=cache, read_out=read)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files opened to find their digest, in order."""
    reads: list[Path] = []
    original = filecache.read_input

    def counting(path: Path) -> bytes:
        reads.append(path)
        return original(path)

    monkeypatch.setattr(filecache, "read_input", counting)
    return reads


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filecache, "_WARNED", set())


def rows(cache: Path) -> list[str]:
    with sqlite3.connect(cache / filecache.PARSED_FILE) as db:
        return sorted(os.fsdecode(p) for (p,) in db.execute("SELECT path FROM file_stats"))


def test_a_second_run_with_nothing_changed_opens_no_file(tmp_path: Path,
                                                         opened: list[Path]) -> None:
    folder, cache = vault(tmp_path / "notes"), tmp_path / "cache"
    expected = plain(folder)
    opened.clear()
    read: list[str] = []
    assert quick(folder, cache, read) == expected
    assert len(opened) == len(read) == 3
    opened.clear()
    read.clear()
    assert quick(folder, cache, read) == expected
    assert opened == [] and read == []


def test_a_file_written_just_now_is_read_until_its_time_is_safely_past(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = vault(tmp_path / "notes", 1), tmp_path / "cache"
    path = folder / "note-0.md"
    written = time.time_ns()
    aged(path, written)
    clock = [written]
    monkeypatch.setattr(filestat.time, "time_ns", lambda: clock[0])
    for now, read_again in ((written, True), (written + SECOND, True),
                            (written + 5 * SECOND, True), (written + 6 * SECOND, False)):
        clock[0] = now
        read: list[str] = []
        assert quick(folder, cache, read) == plain(folder)
        assert (read == [str(path)]) is read_again, now - written


def test_an_edit_that_keeps_size_and_time_is_seen(tmp_path: Path) -> None:
    folder, cache = vault(tmp_path / "notes"), tmp_path / "cache"
    before = quick(folder, cache)
    path = folder / "note-1.md"
    kept = path.stat()
    path.write_bytes(note("Note 9"))
    os.utime(path, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert path.stat().st_size == kept.st_size and path.stat().st_mtime_ns == kept.st_mtime_ns
    after = quick(folder, cache)
    assert after == plain(folder) and after != before


def test_rows_in_an_older_form_are_read_again_never_trusted(tmp_path: Path) -> None:
    """Rows whose stamp an older zsync kept as text never vouch for a file, even one
    that did not change: each is read once, then kept in the present form."""
    folder, cache = vault(tmp_path / "notes"), tmp_path / "cache"
    expected = quick(folder, cache)
    with sqlite3.connect(cache / filecache.PARSED_FILE) as db:
        for (path,) in db.execute("SELECT path FROM file_stats").fetchall():
            info = os.stat(path)
            text = f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:" \
                   f"{info.st_dev}"
            db.execute("UPDATE file_stats SET stamp = ?, digest = ? WHERE path = ?",
                       (text, "a digest no file has", path))
    read: list[str] = []
    assert quick(folder, cache, read) == expected and len(read) == 3
    read.clear()
    assert quick(folder, cache, read) == expected and read == []


def test_an_edit_inside_the_racy_window_is_seen_where_the_change_time_tells_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the change time left out of the stat (as on a file system that does not keep
    it well), only the racy rule tells a file recorded in the second it was written, then
    written again within that second, from an unchanged one."""
    monkeypatch.setattr(filestat, "stamp_of", lambda info: f"{info.st_size}:"
                        f"{info.st_mtime_ns}:{info.st_ino}:{info.st_dev}")
    folder, cache = vault(tmp_path / "notes", 1), tmp_path / "cache"
    path = aged(folder / "note-0.md", time.time_ns())
    kept = path.stat().st_mtime_ns
    first = quick(folder, cache)
    path.write_bytes(note("Note 7"))
    aged(path, kept)
    second = quick(folder, cache)
    assert second == plain(folder) and second != first


def test_a_file_replaced_by_another_is_seen(tmp_path: Path) -> None:
    folder, cache = vault(tmp_path / "notes"), tmp_path / "cache"
    before = quick(folder, cache)
    path = folder / "note-2.md"
    other = tmp_path / "other.md"
    other.write_bytes(note("Note 8"))
    aged(other)
    os.replace(other, path)
    after = quick(folder, cache)
    assert after == plain(folder) and after != before


def test_a_renamed_file_is_seen_under_its_new_name_and_its_old_row_goes(
        tmp_path: Path) -> None:
    folder, cache = vault(tmp_path / "notes"), tmp_path / "cache"
    quick(folder, cache)
    (folder / "note-0.md").rename(folder / "renamed.md")
    read: list[str] = []
    assert quick(folder, cache, read) == plain(folder)
    assert read == [str(folder / "renamed.md")]
    assert rows(cache) == sorted(str(p) for p in folder.iterdir())


def test_a_touched_file_keeps_its_digest_and_is_not_parsed_again(
        tmp_path: Path, counted: list[Path]) -> None:
    parsed = counted
    folder, cache = vault(tmp_path / "notes"), tmp_path / "cache"
    first = list(filecache.parse_paths_cached([folder], cache, workers=1))
    before = quick(folder, cache)
    aged(folder / "note-1.md", OLD_NS + 60 * SECOND)
    parsed.clear()
    read: list[str] = []
    digests: list[tuple[str, str]] = []
    again = list(filecache.parse_paths_cached([folder], cache, workers=1,
                                              digests_out=digests, read_out=read))
    assert again == first and digests == before == plain(folder)
    assert read == [str(folder / "note-1.md")] and parsed == []
    read.clear()
    list(filecache.parse_paths_cached([folder], cache, workers=1, read_out=read))
    assert read == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_special_and_unreadable_files_are_reported_as_when_every_file_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = vault(tmp_path / "notes"), tmp_path / "cache"
    os.mkfifo(folder / "pipe.md")
    (folder / "gone.md").symlink_to(folder / "nowhere.md")
    (folder / "big.md").write_bytes(b"x" * 2000)
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    assert quick(folder, cache) == plain(folder)
    assert quick(folder, cache) == plain(folder)
    (folder / "note-0.md").unlink()
    os.mkfifo(folder / "note-0.md")  # a note that became a pipe since it was recorded
    (folder / "note-1.md").unlink()
    (folder / "note-1.md").symlink_to(folder / "nowhere.md")
    found = dict(quick(folder, cache))
    assert list(found.items()) == plain(folder)
    assert "named pipe" in found[str(folder / "note-0.md")]
    assert found[str(folder / "note-1.md")].startswith("unreadable: FileNotFoundError")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="permissions do not stop the superuser from reading")
def test_a_file_made_unreadable_after_it_was_recorded_is_reported(tmp_path: Path) -> None:
    folder, cache = vault(tmp_path / "notes"), tmp_path / "cache"
    quick(folder, cache)
    (folder / "note-0.md").chmod(0)
    try:
        found = dict(quick(folder, cache))
        assert list(found.items()) == plain(folder)
        assert found[str(folder / "note-0.md")].startswith("unreadable: PermissionError")
    finally:
        (folder / "note-0.md").chmod(0o600)


def test_a_new_zsync_reads_every_file_again(tmp_path: Path, opened: list[Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = vault(tmp_path / "notes"), tmp_path / "cache"
    quick(folder, cache)
    monkeypatch.setattr(filecache, "code_fingerprint", lambda: b"another version")
    opened.clear()
    assert quick(folder, cache) == plain(folder)
    assert len(opened) == 6  # the stat index's three, and three to compare with


@pytest.mark.parametrize("damage", ["not a database", "a file for a folder", "fails saving"])
def test_an_unusable_index_only_costs_reading_every_file_with_one_warning(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        damage: str) -> None:
    folder, cache = vault(tmp_path / "notes"), tmp_path / "cache"
    if damage == "not a database":
        cache.mkdir()
        (cache / filecache.PARSED_FILE).write_bytes(b"this is not a database" * 100)
    elif damage == "a file for a folder":
        cache.write_text("a file where the folder should be")
    else:
        def failing(self: filestat.StatIndex) -> None:
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(filestat.StatIndex, "save", failing)
    caplog.set_level(logging.WARNING, logger="zsync")
    for _ in range(2):
        read: list[str] = []
        assert quick(folder, cache, read) == plain(folder)
        assert len(read) == 3
    list(filecache.parse_paths_cached([folder], cache, workers=1))
    assert len([r for r in caplog.records if "file stats" in r.getMessage()]) == 1


def test_two_folders_keep_their_rows_and_one_not_read_for_a_month_loses_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = vault(tmp_path / "first"), vault(tmp_path / "second", 2)
    cache = tmp_path / "cache"
    quick(first, cache)
    quick(second, cache)
    read: list[str] = []
    quick(first, cache, read)
    assert read == [] and len(rows(cache)) == 5
    later = time.time_ns() + (filestat.KEEP_SECONDS + 86400) * SECOND
    monkeypatch.setattr(filestat.time, "time_ns", lambda: later)
    quick(first, cache)
    assert rows(cache) == sorted(str(p) for p in first.iterdir())


# The first three of the same size, so that an edit need not change the size.
CONTENTS = [note("Same size A"), note("Same size B"), note("Same size C"), note("Longer title"),
            b"", b"\x00\x01 not text"]
NAMES = ["a.md", "b.md", "sub/c.md", "d.bib"]
MTIMES = st.one_of(st.tuples(st.just("old"), st.integers(0, 5 * SECOND)),
                   st.tuples(st.just("recent"), st.integers(0, SECOND)),
                   st.tuples(st.just("keep"), st.just(0)))


class StatShortcut(RuleBasedStateMachine):
    """Random writes, touches, renames, replacements and deletions of a few files, with
    modification times set explicitly (long past, within the racy window, or kept as they
    were); after each step the stat index gives what reading every file gives, the
    settled files no step touched were not read, and the index has a row per file."""

    CTIME_BLIND = False

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp())
        self.folder, self.cache = self.tmp / "notes", self.tmp / "cache"
        (self.folder / "sub").mkdir(parents=True)
        os.mkfifo(self.folder / "pipe.md")
        self.touched: set[str] = set()
        self.settled: set[str] = set()
        self.patch = mock.patch.object(
            filestat, "stamp_of", lambda i: f"{i.st_size}:{i.st_mtime_ns}:{i.st_ino}:{i.st_dev}")
        if self.CTIME_BLIND:
            self.patch.start()

    def teardown(self) -> None:
        if self.CTIME_BLIND:
            self.patch.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _time(self, path: Path, choice: tuple[str, int], before: int | None) -> None:
        kind, offset = choice
        recent = time.time_ns() - SECOND
        if kind == "keep" and before is not None and (not self.CTIME_BLIND or before >= recent):
            mtime = before  # in place with the old time: only the change time tells
        elif kind == "old":
            mtime = OLD_NS + offset
            if self.CTIME_BLIND and mtime == before:
                # Set back to the very time it had: without change times no one can tell
                # (git cannot either); keeping the time is made only in the racy window.
                mtime += 1
        else:
            mtime = time.time_ns() - offset
        os.utime(path, ns=(mtime, mtime))

    def _mark(self, *paths: Path) -> None:
        self.touched.update(str(p) for p in paths)

    @initialize(names=st.lists(st.sampled_from(NAMES), unique=True, max_size=3))
    def start(self, names: list[str]) -> None:
        for name in names:
            (self.folder / name).write_bytes(note(name))
            aged(self.folder / name)

    @rule(name=st.sampled_from(NAMES), content=st.sampled_from(CONTENTS), when=MTIMES)
    def write(self, name: str, content: bytes, when: tuple[str, int]) -> None:
        path = self.folder / name
        before = path.stat().st_mtime_ns if path.is_file() else None
        if path.exists() and not path.is_file():
            path.unlink()
        path.write_bytes(content)  # in place: the same inode
        self._time(path, when, before)
        self._mark(path)

    @rule(name=st.sampled_from(NAMES), content=st.sampled_from(CONTENTS[:3]))
    def edit_keeping_size_and_time(self, name: str, content: bytes) -> None:
        self.write(name, content, ("keep", 0))

    @rule(name=st.sampled_from(NAMES), when=MTIMES)
    def touch(self, name: str, when: tuple[str, int]) -> None:
        path = self.folder / name
        if path.is_file():
            self._time(path, when, path.stat().st_mtime_ns)
            self._mark(path)

    @rule(name=st.sampled_from(NAMES), content=st.sampled_from(CONTENTS), when=MTIMES)
    def replace(self, name: str, content: bytes, when: tuple[str, int]) -> None:
        path = self.folder / name
        before = path.stat().st_mtime_ns if path.is_file() else None
        other = self.tmp / "other"
        other.write_bytes(content)
        self._time(other, when, before)
        os.replace(other, path)
        self._mark(path)

    @rule(source=st.sampled_from(NAMES), to=st.sampled_from(NAMES))
    def rename(self, source: str, to: str) -> None:
        if (self.folder / source).exists() and source != to:
            os.replace(self.folder / source, self.folder / to)
            self._mark(self.folder / source, self.folder / to)

    @rule(name=st.sampled_from(NAMES))
    def delete(self, name: str) -> None:
        if (self.folder / name).exists():
            (self.folder / name).unlink()
            self._mark(self.folder / name)

    @rule(name=st.sampled_from(NAMES))
    def make_pipe(self, name: str) -> None:
        path = self.folder / name
        path.unlink(missing_ok=True)
        os.mkfifo(path)
        self._mark(path)

    @invariant()
    def agrees_with_reading_every_file(self) -> None:
        read: list[str] = []
        assert quick(self.folder, self.cache, read) == plain(self.folder)
        assert not (self.settled - self.touched) & set(read)
        regular = sorted(str(p) for p in self.folder.rglob("*") if p.is_file())
        assert rows(self.cache) == regular
        past = time.time_ns() - 3 * SECOND
        self.settled = {p for p in regular if os.stat(p).st_mtime_ns < past}
        self.touched.clear()


class CtimeBlindStatShortcut(StatShortcut):
    """The same where the stat leaves the change time out: an edit in place that keeps the
    size and the modification time is possible only within the time's granularity, so it
    is made only within the racy window, where the racy rule must catch it."""

    CTIME_BLIND = True


STATEFUL = settings(max_examples=40, stateful_step_count=12, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.filter_too_much])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_the_stat_index_agrees_with_reading_every_file_over_random_changes() -> None:
    run_state_machine_as_test(StatShortcut, settings=STATEFUL)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_without_change_times_the_racy_rule_catches_edits_that_keep_size_and_time() -> None:
    run_state_machine_as_test(CtimeBlindStatShortcut, settings=STATEFUL)


@pytest.mark.skipif(os.name != "posix", reason="file names as bytes are a POSIX matter")
def test_a_note_whose_name_is_not_utf8_is_read_kept_and_vouched_for(tmp_path: Path) -> None:
    folder, cache = vault(tmp_path / "notes", 1), tmp_path / "cache"
    odd = Path(os.fsdecode(bytes(folder) + b"/caf\xe9.md"))
    odd.write_bytes(note("Café"))
    aged(odd)
    expected = plain(folder)
    assert [r.path for r in filecache.parse_paths_cached([folder], cache, workers=1)] == \
        [files.display_name(odd), files.display_name(folder / "note-0.md")]
    read: list[str] = []
    assert quick(folder, cache, read) == expected and read == []
