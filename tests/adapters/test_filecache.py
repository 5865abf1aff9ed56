"""A sync parses only the notes that changed, and what it reads is what a full parse reads:
over random edits, moves, renames, deletions and additions of note files, the cached parse
gives the same results as parsing every file again."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.servers.generate import make_work
from tests.sync.notes import markdown_note
from zsync.inputs import filecache
from zsync.inputs.files import parse_paths


def bibtex(index: int) -> str:
    work = make_work(index, 5)
    return (f"@article{{w{index},\n  title = {{{work.title}}},\n  doi = {{{work.doi}}},\n"
            f"  year = {{{work.year}}},\n  journal = {{{work.journal.title}}}\n}}\n")


def note_text(index: int, variant: int) -> bytes:
    """Note `index` in one of several forms: Markdown with or without the user's thoughts,
    BibTeX, a broken note, a binary file."""
    work = make_work(index, 5)
    forms = [
        markdown_note(work).encode(),
        markdown_note(work, thoughts=f"read on day {variant}").encode(),
        bibtex(index).encode(),
        b"- **Title**: \n",  # no usable record: a problem, kept like a record
        b"\x00\x01 not text",
    ]
    return forms[variant % len(forms)]


OPERATION = st.tuples(st.sampled_from(["edit", "move", "rename", "delete", "add"]),
                      st.integers(0, 5), st.integers(0, 9))


def apply(folder: Path, operation: tuple[str, int, int]) -> None:
    kind, index, variant = operation
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    if kind == "add" or not files:
        suffix = ".bib" if variant % 5 == 2 else ".md"
        (folder / f"new-{index}-{variant}{suffix}").write_bytes(note_text(index, variant))
        return
    path = files[(index * 7 + variant) % len(files)]
    if kind == "edit":
        path.write_bytes(note_text(index, variant))  # the same size may come back
    elif kind == "move":
        target = folder / f"sub{variant % 2}" / path.name
        target.parent.mkdir(exist_ok=True)
        if not target.exists():
            path.rename(target)
    elif kind == "rename":
        path.rename(path.with_name(f"renamed-{variant}-{path.name}"))
    else:
        path.unlink()


def fresh_parse(folder: Path) -> list[object]:
    return list(parse_paths([folder], workers=1))


def cached_parse(folder: Path, cache: Path) -> list[object]:
    return list(filecache.parse_paths_cached([folder], cache, workers=1))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPERATION, min_size=1, max_size=12))
def test_cached_and_full_parses_agree_over_random_changes(
    operations: list[tuple[str, int, int]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder, cache = tmp / "notes", tmp / "cache"
        folder.mkdir()
        for i in range(4):
            (folder / f"note-{i}.md").write_bytes(note_text(i, i))
        assert cached_parse(folder, cache) == fresh_parse(folder)
        for operation in operations:
            apply(folder, operation)
            assert cached_parse(folder, cache) == fresh_parse(folder), operation


def test_only_new_and_changed_files_are_parsed_again(tmp_path: Path, counted: list[Path]) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    for i in range(3):
        (folder / f"note-{i}.md").write_bytes(note_text(i, 0))
    cached_parse(folder, tmp_path / "cache")
    assert len(counted) == 3
    counted.clear()
    assert cached_parse(folder, tmp_path / "cache") == fresh_parse(folder)
    assert counted == []
    (folder / "note-1.md").write_bytes(note_text(1, 1))
    (folder / "note-3.md").write_bytes(note_text(3, 0))
    cached_parse(folder, tmp_path / "cache")
    assert sorted(p.name for p in counted) == ["note-1.md", "note-3.md"]


def test_a_new_zsync_parses_everything_again(tmp_path: Path, counted: list[Path],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "note-0.md").write_bytes(note_text(0, 0))
    cached_parse(folder, tmp_path / "cache")
    monkeypatch.setattr(filecache, "code_fingerprint", lambda: b"another version")
    cached_parse(folder, tmp_path / "cache")
    assert len(counted) == 2


def test_an_unusable_cache_only_costs_a_full_parse(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "note-0.md").write_bytes(note_text(0, 0))
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / filecache.PARSED_FILE).write_bytes(b"this is not a database" * 100)
    assert cached_parse(folder, cache) == fresh_parse(folder)
    shutil.rmtree(cache)
    cache.write_text("a file where the folder should be")
    assert cached_parse(folder, cache) == fresh_parse(folder)


def test_child_notes_are_rendered_once_and_then_taken_from_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[str] = []
    original = filecache.render_note

    def counting(markdown: str, source: str) -> str:
        rendered.append(source)
        return original(markdown, source)

    monkeypatch.setattr(filecache, "render_note", counting)
    notes = [(markdown_note(make_work(i, 5), thoughts="*mine* [[link]]"), f"note-{i}.md")
             for i in range(3)]
    expected = [original(text, source) for text, source in notes]
    with filecache.rendered_notes(tmp_path) as render:
        assert [render(text, source) for text, source in notes] == expected
    assert rendered == ["note-0.md", "note-1.md", "note-2.md"]
    rendered.clear()
    with filecache.rendered_notes(tmp_path) as render:
        assert [render(text, source) for text, source in notes] == expected
        assert render(notes[0][0], "moved/note-0.md") == original(notes[0][0], "moved/note-0.md")
    assert rendered == ["moved/note-0.md"]  # the source name is part of the note
    monkeypatch.setattr(filecache, "code_fingerprint", lambda: b"another version")
    rendered.clear()
    with filecache.rendered_notes(tmp_path) as render:
        render(*notes[1])
    assert rendered == ["note-1.md"]


def test_an_unusable_cache_still_renders_every_note(tmp_path: Path) -> None:
    (tmp_path / filecache.PARSED_FILE).write_bytes(b"this is not a database" * 100)
    text = markdown_note(make_work(1, 5))
    with filecache.rendered_notes(tmp_path) as render:
        assert render(text, "a.md") == filecache.render_note(text, "a.md")


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners are a POSIX matter")
def test_a_cache_others_may_write_to_is_not_trusted(tmp_path: Path, counted: list[Path]) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "note-0.md").write_bytes(note_text(0, 0))
    cache = tmp_path / "cache"
    cached_parse(folder, cache)
    (cache / filecache.PARSED_FILE).chmod(0o666)
    counted.clear()
    assert cached_parse(folder, cache) == fresh_parse(folder)
    assert len(counted) == 1  # parsed again, the cache left alone


@pytest.mark.parametrize("table", ["parsed", "rendered", "mapped"])
def test_dropping_the_rows_unused_for_a_month_reads_only_those(tmp_path: Path,
                                                               table: str) -> None:
    """Every run drops the cache's rows unused for `KEEP_SECONDS`; in a large vault's
    cache (100,000 mapped records) scanning every row for it cost 0.2 s a run."""
    mapped = filecache.MappedRecords(tmp_path)  # makes the `parsed` and `mapped` tables
    db = mapped.cache.db
    mapped.cache.rendered_table()
    steps = [str(row[-1]) for row in db.execute(
        f"EXPLAIN QUERY PLAN DELETE FROM {table} WHERE used_at < ?", (0.0,))]
    assert steps and all(step.startswith("SEARCH") for step in steps), steps
    mapped.new = {"old": b"x", "new": b"y"}
    mapped.save()
    db.execute("UPDATE mapped SET used_at = ? WHERE digest = 'old'",
               (mapped.cache.now - filecache.KEEP_SECONDS - 1,))
    mapped.new = {}
    mapped.save()
    assert [d for (d,) in db.execute("SELECT digest FROM mapped")] == ["new"]
    mapped.cache.close()
