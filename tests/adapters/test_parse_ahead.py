"""The changed notes of a sync are parsed, and their child notes rendered, in the guard's
workers as soon as the walk has found them; what the run then reads and sends is what a
parse and a render in the run itself give."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from tests.servers.generate import make_work
from tests.sync.notes import markdown_note
from zsync.inputs import filecache
from zsync.inputs.files import parse_paths
from zsync.zotero.notehtml import render_note

forked = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                            reason="a parser replaced in the tests reaches workers only by fork")


def write_notes(folder: Path, count: int, thoughts: str = "*mine*, see [[elsewhere]]") -> None:
    folder.mkdir(exist_ok=True)
    for i in range(count):
        (folder / f"note-{i}.md").write_text(markdown_note(make_work(i, 5), thoughts=thoughts))


def walked(folder: Path, cache: Path) -> tuple[list[tuple[str, str]], list[str]]:
    read: list[str] = []
    return filecache.input_digests([folder], cache_dir=cache, read_out=read), read


def no_rendering(markdown: str, source: str) -> str:
    raise AssertionError(f"{source} rendered again")


def test_changed_notes_parsed_ahead_give_what_a_parse_gives(
        tmp_path: Path, counted: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = tmp_path / "notes", tmp_path / "cache"
    write_notes(folder, 4)
    list(filecache.parse_paths_cached([folder], cache))
    (folder / "note-2.md").write_text(markdown_note(make_work(2, 5), thoughts="read again"))
    (folder / "note-9.md").write_text(markdown_note(make_work(9, 5), thoughts="new"))
    digests, read = walked(folder, cache)
    counted.clear()
    ahead = filecache.parse_ahead(digests, read, cache)
    assert ahead is not None
    try:
        changed = [Path(p) for p in sorted(ahead.digests)]
        found = list(filecache.parse_paths_cached(changed, cache, ahead=ahead))
    finally:
        ahead.close()
    assert [p.name for p in changed] == ["note-2.md", "note-9.md"]
    assert counted == []  # nothing left to parse
    assert found == list(parse_paths(changed))
    monkeypatch.setattr(filecache, "render_note", no_rendering)
    with filecache.rendered_notes(cache) as render:  # rendered in the workers already
        for result in found:
            (record,) = result.records
            assert render(record.note, Path(result.path).name) == \
                render_note(record.note, Path(result.path).name)


def test_nothing_is_parsed_ahead_when_no_note_changed(tmp_path: Path) -> None:
    folder, cache = tmp_path / "notes", tmp_path / "cache"
    write_notes(folder, 3)
    list(filecache.parse_paths_cached([folder], cache))
    for path in folder.iterdir():  # read again by the walk, the same content
        path.write_bytes(path.read_bytes())
    digests, read = walked(folder, cache)
    assert len(read) == 3
    assert filecache.parse_ahead(digests, read, cache) is None


def test_a_note_changed_after_it_was_parsed_ahead_is_parsed_again(
        tmp_path: Path, counted: list[Path]) -> None:
    folder, cache = tmp_path / "notes", tmp_path / "cache"
    write_notes(folder, 2)
    list(filecache.parse_paths_cached([folder], cache))
    note = folder / "note-1.md"
    note.write_text(markdown_note(make_work(1, 5), thoughts="first edit"))
    digests, read = walked(folder, cache)
    ahead = filecache.parse_ahead(digests, read, cache)
    assert ahead is not None
    note.write_text(markdown_note(make_work(1, 5), thoughts="second edit, longer"))
    counted.clear()
    try:
        (found,) = filecache.parse_paths_cached([note], cache, ahead=ahead)
    finally:
        ahead.close()
    assert counted == [note]
    assert "second edit" in found.records[0].note


@forked
def test_a_note_the_renderer_fails_on_is_still_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = tmp_path / "notes", tmp_path / "cache"
    write_notes(folder, 2, thoughts="BREAKS THE RENDERER")

    def failing(markdown: str, source: str) -> str:
        raise RecursionError("too deep")

    monkeypatch.setattr(filecache, "render_note", failing)  # in the workers, by fork
    found = list(filecache.parse_paths_cached([folder], cache))
    assert found == list(parse_paths([folder]))
    assert all("BREAKS THE RENDERER" in r.records[0].note for r in found)
    monkeypatch.undo()
    with filecache.rendered_notes(cache) as render:  # rendered by the run, as before
        note = found[0].records[0].note
        assert render(note, "note-0.md") == render_note(note, "note-0.md")
