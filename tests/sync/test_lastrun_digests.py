"""The digests a kept plan is reused under: the library's side says which note files
named in zsync's records still exist, exactly as asking for each file would."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from zsync.state.store import StateStore
from zsync.sync.lastrun import library_digest


def store_naming(paths: list[str]) -> StateStore:
    """A state store whose records name `paths` as note files (with a repeat)."""
    rows = [(p,) for p in paths + paths[:1]]
    db = SimpleNamespace(library_id="users/1", execute=lambda sql, params: iter(rows))
    return cast(StateStore, SimpleNamespace(db=db, planning_changes=lambda: 7))


def asked_one_by_one(paths: list[str]) -> str:
    """The digest as its definition gives it: each path asked of the file system (after
    the state file's change counter, which is compared first)."""
    digest = hashlib.sha256(b"users/1\x007\n")
    for path in sorted(set(paths)):
        digest.update(f"{path}\0{os.path.lexists(path)}\n".encode("utf-8", "surrogatepass"))
    return f"7/{digest.hexdigest()}"


def test_each_note_file_is_present_or_gone_as_the_file_system_says(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes, other = tmp_path / "notes", tmp_path / "other"
    notes.mkdir()
    other.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (notes / name).write_text("x")
    (notes / "link.md").symlink_to(notes / "nowhere.md")  # a broken link is still there
    (other / "only.md").write_text("x")
    monkeypatch.chdir(tmp_path)
    paths = [str(notes / "a.md"), str(notes / "b.md"), str(notes / "gone.md"),
             str(notes / "A.MD"), str(notes / "link.md"), str(notes / "c.md") + "/",
             str(other / "only.md"), str(tmp_path / "missing" / "x.md"), "notes/c.md",
             "rel.md", str(notes / "sub" / ".." / "a.md")]
    before = library_digest(store_naming(paths))
    assert before == asked_one_by_one(paths)
    (notes / "b.md").unlink()
    (tmp_path / "rel.md").write_text("x")
    after = library_digest(store_naming(paths))
    assert after == asked_one_by_one(paths) and after != before
