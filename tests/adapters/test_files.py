"""Reading a folder of notes: every bad file is named with its reason, the others are read."""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from pathlib import Path

import pytest

from zsync.inputs import files, guard
from zsync.inputs.files import parse_paths
from zsync.model.records import FileResult

NOTE = "- **Title**: {title}\n- **DOI**: {doi}\n- **Year**: 2020\n"


def note(title: str = "Learning from notes", doi: str = "10.1000/good") -> str:
    return NOTE.format(title=title, doi=doi)


def results(*paths: Path) -> dict[str, FileResult]:
    return {Path(r.path).name: r for r in parse_paths(paths)}


def error(result: FileResult) -> str:
    assert not result.records and result.problems
    return result.problems[0].message


def test_one_stray_byte_keeps_the_note_utf8_and_warns_with_its_line(tmp_path: Path) -> None:
    text = note(title="Étude naïve des réseaux").encode().replace("ï".encode(), b"\xef")
    (tmp_path / "mixed.md").write_bytes(b"# A note\n" + text)
    record = results(tmp_path)["mixed.md"].records[0]
    assert record.title == "Étude naïve des réseaux"
    assert len(record.warnings) == 1
    assert "not all UTF-8" in record.warnings[0] and "line 2" in record.warnings[0]


def test_a_legacy_encoded_note_is_read_without_a_warning(tmp_path: Path) -> None:
    (tmp_path / "latin.md").write_bytes(note(title="Über Gedächtnis").encode("cp1252"))
    record = results(tmp_path)["latin.md"].records[0]
    assert record.title == "Über Gedächtnis"
    assert record.warnings == ()


def test_utf16_and_utf32_notes_are_read_and_a_cut_one_is_flagged(tmp_path: Path) -> None:
    (tmp_path / "whole16.md").write_bytes(note(doi="10.1000/a").encode("utf-16"))
    (tmp_path / "whole32.md").write_bytes(note(doi="10.1000/b").encode("utf-32"))
    (tmp_path / "cut16.md").write_bytes(note(doi="10.1000/c").encode("utf-16-be")[:-1]
                                        .join([b"\xfe\xff", b""]))
    found = results(tmp_path)
    assert found["whole16.md"].records[0].ids.doi == "10.1000/a"
    assert found["whole32.md"].records[0].ids.doi == "10.1000/b"
    assert found["whole16.md"].records[0].warnings == ()
    cut = found["cut16.md"].records[0]
    assert cut.ids.doi == "10.1000/c"
    assert any("truncated" in w for w in cut.warnings)


def test_a_byte_order_mark_before_junk_is_named_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "junk.md").write_bytes(b"\xef\xbb\xbf\xff\xfe\x80\x81\x9f\xc0\xc1\xf5\xfa")
    (tmp_path / "junk16.md").write_bytes(b"\xff\xfe" + b"\x00\xd8\x00\xd8" * 40)
    (tmp_path / "good.md").write_text(note())
    found = results(tmp_path)
    assert "UTF-8 byte-order mark" in error(found["junk.md"])
    assert "UTF-16" in error(found["junk16.md"])
    assert found["good.md"].records


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_special_files_are_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "good.md").write_text(note())
    found = results(tmp_path)
    assert "named pipe" in error(found["pipe.md"])
    assert found["good.md"].records
    device = Path("/dev/zero")
    if device.exists():
        assert "character device" in error(results(device)["zero"])


def test_links_are_followed_once_and_loops_named(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    (notes / "inner").mkdir(parents=True)
    (notes / "inner" / "good.md").write_text(note())
    (notes / "inner" / "back").symlink_to(notes, target_is_directory=True)
    (notes / "again").symlink_to(notes / "inner", target_is_directory=True)
    (notes / "a.md").symlink_to(notes / "b.md")
    (notes / "b.md").symlink_to(notes / "a.md")
    found = list(parse_paths([notes]))
    names = [Path(r.path).name for r in found]
    assert names.count("good.md") == 1
    by_name = {Path(r.path).name: r for r in found}
    assert "loop" in error(by_name["back"])
    assert "symbolic links" in error(by_name["a.md"])


def test_a_non_utf8_file_name_is_shown_as_valid_text(tmp_path: Path) -> None:
    with open(os.fsencode(tmp_path) + b"/r\xe9sum\xe9.md", "wb") as handle:
        handle.write(note().encode())
    (result,) = parse_paths([tmp_path])
    assert result.path.endswith("r\\xe9sum\\xe9.md")
    assert result.records[0].origin.path == result.path
    result.path.encode("utf-8")  # no lone surrogates


def test_huge_and_deep_files_are_read_or_named_quickly(tmp_path: Path) -> None:
    (tmp_path / "long-line.md").write_text("# Title\n" + "word " * 400_000)
    (tmp_path / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
    (tmp_path / "deep.md").write_text("---\ntitle: " + "[" * 100_000 + "\n---\n")
    (tmp_path / "good.md").write_text(note())
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = results(tmp_path)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    assert cpu < 30, f"{cpu:.1f} s of processor time"
    assert found["good.md"].records
    assert set(found) == {"long-line.md", "deep.json", "deep.md", "good.md"}


def test_a_file_over_the_size_limit_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    (tmp_path / "big.bib").write_text("%" * 2000)
    assert "too large" in error(results(tmp_path)["big.bib"])


# The guard: a parser that crashes, hangs or eats memory costs one file, never the run.
# Parsers are replaced in the workers by forking after the replacement.

forked = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                            reason="the replaced parser reaches workers only by fork")


def misbehaving(text: str, path: str) -> FileResult:
    if "CRASH" in text:
        raise KeyError("boom")
    if "SEGFAULT" in text:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "HANG" in text:
        while True:
            pass
    if "DEAF" in text:  # a hang no timer inside the worker can stop
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF})
        time.sleep(60)
    if "GREEDY" in text:
        hoard = bytearray(3 * 1024 * 1024 * 1024)  # over the budget: refused at once
        return FileResult(path, problems=(), format=str(len(hoard)))
    return files.parse_text(text, path)


def with_misbehaving_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files named `bad...` misbehave as their content says, under a 1 s time budget."""
    monkeypatch.setattr(guard, "BASE_SECONDS", 1.0)
    monkeypatch.setattr(guard, "_GRACE", 1.0)
    original = files.parse_text
    monkeypatch.setattr(files, "parse_text",
                        lambda text, path: misbehaving(text, path) if "bad" in path
                        else original(text, path))


@forked
@pytest.mark.parametrize(("content", "reason"), [
    ("CRASH", "KeyError"),
    ("SEGFAULT", "stopped the process"),
    ("HANG", "took longer than"),
    ("DEAF", "took longer than"),
    ("GREEDY", "memory"),
])
def test_a_misbehaving_parser_costs_one_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             content: str, reason: str) -> None:
    with_misbehaving_parser(monkeypatch)
    for index in range(3):
        (tmp_path / f"a{index}.md").write_text(note(doi=f"10.1000/a{index}"))
    (tmp_path / "bad.md").write_text(content)
    (tmp_path / "z.md").write_text(note(doi="10.1000/z"))
    found = list(parse_paths([tmp_path], workers=2))
    assert [Path(r.path).name for r in found] == ["a0.md", "a1.md", "a2.md", "bad.md", "z.md"]
    bad = found[3]
    assert reason in error(bad)
    assert all(r.records for r in found if r is not bad)


# `zsync parse --json`: the JSON is made by the worker that parsed the file.


def test_json_made_in_the_workers_is_the_json_of_the_records(tmp_path: Path) -> None:
    from zsync.inputs.files import parse_paths_json
    from zsync.model.serialize import file_result_to_json, json_text

    entries = "".join(f"@article{{e{i}, title = {{Entry {i} {'x' * 300}}}, year = 2020,\n"
                      f"  doi = {{10.1000/e{i}}}, author = {{Doe, J. and {{WHO}}}}}}\n"
                      for i in range(2000))
    broken = "@article{open, title = {No end,\n"
    (tmp_path / "large.bib").write_text(entries[:len(entries) // 2] + broken
                                        + entries[len(entries) // 2:])
    assert (tmp_path / "large.bib").stat().st_size >= guard.SHARE_BYTES  # read in shares
    (tmp_path / "note.md").write_text(note())
    (tmp_path / "empty.md").write_text("")
    mixed = note(title="Étude naïve des réseaux").encode().replace("ï".encode(), b"\xef")
    (tmp_path / "odd.md").write_bytes(mixed)  # a record with a warning
    printed = list(parse_paths_json([tmp_path], workers=2))
    parsed = list(parse_paths([tmp_path], workers=2))
    assert [Path(p.path).name for p in printed] == ["empty.md", "large.bib", "note.md", "odd.md"]
    assert [e for p in printed for e in p.entries()] == [
        json_text(e) for r in parsed for e in file_result_to_json(r)]
    assert [p.problems for p in printed] == [r.problems for r in parsed]
    warnings = [(w.path, w.line, w.message) for p in printed for w in p.warnings]
    assert warnings == [(r.origin.path, r.origin.line, w) for result in parsed
                        for r in result.records for w in r.warnings]
    assert any("not closed" in w for _, _, w in warnings)
    assert any("odd.md" in path for path, _, _ in warnings)


# Parsers are imported when a file first needs them, under the file's timer.


def test_reading_bibtex_does_not_load_the_note_parsers() -> None:
    import subprocess
    import sys

    code = ("import sys; from zsync.inputs import parse_text; "
            "result = parse_text('@article{k, title = {T}}', 'a.bib'); "
            "print(result.format, 'zsync.inputs.notes.markdown' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["bibtex", "False"]


@pytest.mark.skipif(not hasattr(signal, "ITIMER_PROF"), reason="no processor-time timer here")
def test_a_file_timer_falling_in_an_import_lets_the_import_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib
    import sys

    (tmp_path / "zsync_slow_module.py").write_text(
        "import time\nstart = time.process_time()\n"
        "while time.process_time() - start < 0.3:\n    pass\nWHOLE = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "zsync_slow_module", raising=False)
    previous = signal.signal(signal.SIGPROF, guard._Deadline(0.05))
    start = time.process_time()
    try:
        signal.setitimer(signal.ITIMER_PROF, 0.05)  # falls inside the import
        with pytest.raises(guard.FileTooSlow):
            importlib.import_module("zsync_slow_module")
            after_import = time.process_time()
            while True:  # the file goes on past its time: given it once more, then stopped
                pass
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    assert sys.modules["zsync_slow_module"].WHOLE
    assert after_import - start >= 0.3
    assert time.process_time() - after_import >= 0.04  # its time again after the import


@forked
def test_a_hanging_file_is_named_in_the_json_the_others_are_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zsync.inputs.files import parse_paths_json

    with_misbehaving_parser(monkeypatch)
    (tmp_path / "a.md").write_text(note(doi="10.1000/a"))
    (tmp_path / "bad.md").write_text("HANG")
    (tmp_path / "z.md").write_text(note(doi="10.1000/z"))
    found = list(parse_paths_json([tmp_path], workers=2))
    assert [Path(r.path).name for r in found] == ["a.md", "bad.md", "z.md"]
    assert [len(r.records) for r in found] == [1, 0, 1]
    assert "took longer than" in found[1].problems[0].message
    assert '"error": "took longer than' in found[1].entries()[0]
