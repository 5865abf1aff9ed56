"""The walk of the folders named: whatever way a folder is named, every file is found in
the same order (a folder's files by name, then its folders), under the same path as the
parse of the same folder gives it, with the same files left out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zsync.inputs import filecache
from zsync.inputs.files import Scan, iter_input_files


def vault(folder: Path) -> Path:
    for name in ("b.md", "a.md", "z/c.md", "m/d.md", "m/e.pdf", "m/deeper/f.bib", ".hidden.md",
                 ".git/x.md", "node_modules/y.md", "m/.obsidian/w.md"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f"- **Title**: {name}\n")
    return folder


@pytest.mark.parametrize("named", ["absolute", "trailing slash", "dot slash", "dot",
                                   "relative"])
@pytest.mark.parametrize(("exclude", "expected"), [
    ((), ["a.md", "b.md", "m/d.md", "m/deeper/f.bib", "z/c.md"]),
    (("z/**", "*.bib"), ["a.md", "b.md", "m/d.md"]),
])
def test_every_way_of_naming_a_folder_finds_the_same_files_in_the_same_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: str,
        exclude: tuple[str, ...], expected: list[str]) -> None:
    folder = vault(tmp_path / "notes")
    monkeypatch.chdir(folder if named == "dot" else tmp_path)
    root = {"absolute": str(folder), "trailing slash": f"{folder}{os.sep}",
            "dot slash": f".{os.sep}notes", "dot": ".", "relative": "notes"}[named]
    prefix = "" if named == "dot" else ("notes/" if named in ("dot slash", "relative")
                                         else f"{folder}/")
    want = [str(Path(prefix + name)) for name in expected]
    scan = Scan()
    assert [str(f.path) for f in iter_input_files([root], exclude, scan)] == want
    assert scan.not_notes["PDF"] == 1 and scan.excluded == (2 if exclude else 0)
    assert [path for path, _ in filecache.input_digests([root], exclude)] == want
    cache = tmp_path / "cache"
    for _ in range(2):  # reading the files, then vouched for by the stat index
        digests = filecache.input_digests([root], exclude, cache_dir=cache)
        assert digests == filecache.input_digests([root], exclude)
