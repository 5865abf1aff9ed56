"""`--link-notes`: a link from each note to its item, and not one byte more."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from tests.servers.generate import make_work
from tests.sync.conftest import GENERATED_SEED
from tests.sync.env import SyncEnv
from zsync.model.records import Origin
from zsync.sync.notelink_files import link_notes, snapshot
from zsync.sync.plan import Action, Plan, WorkPlan


def _notes(folder: Path) -> dict[str, bytes]:
    w = [make_work(i, GENERATED_SEED) for i in (20, 21, 22, 23, 24)]
    notes = {
        "yaml.md": f"---\ntitle: {w[0].title}\ndoi: {w[0].doi}\n---\n\n# Notes\n\ntext\n",
        "bullets.md": (f"# {w[1].title}\r\n\r\n- DOI: {w[1].doi}\r\n- Status: reading\r\n"
                       "\r\nMy notes.\r\n"),
        "logseq.md": f"title:: {w[2].title}\ndoi:: {w[2].doi}\n\n- a block\n- another",
        "paper.org": (f":PROPERTIES:\n:ID: 1234\n:END:\n#+title: {w[3].title}\n\n"
                      f"DOI: {w[3].doi}\n\nbody\n"),
        "bom.md": f"\ufeff---\ntitle: {w[4].title}\ndoi: {w[4].doi}\n---\nbody\n",
    }
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, text in notes.items():
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        out[name] = data
    os.chmod(folder / "paper.org", 0o640)
    return out


def _inserted(before: bytes, after: bytes) -> list[bytes]:
    """The lines `after` has that `before` lacks, checking that nothing else changed."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    added = []
    i = 0
    for line in new:
        if i < len(old) and line == old[i]:
            i += 1
        else:
            added.append(line)
    assert i == len(old), "a line of the note was changed or removed"
    return added


def test_link_lines_are_added_in_each_idiom_and_nothing_else(world: SyncEnv) -> None:
    folder = world.tmp / "notes"
    before = _notes(folder)

    dry = world.cli("sync", str(folder), "--link-notes", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "would add" in dry.stdout and "zotero://select/library/items/" in dry.stdout
    assert {n: (folder / n).read_bytes() for n in before} == before

    result = world.cli("sync", str(folder), "--link-notes", "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    library = world.library()
    keys = {k for k, v in library.items.items() if v["itemType"] not in ("note",)}
    for name, data in before.items():
        after = (folder / name).read_bytes()
        added = _inserted(data, after)
        assert len(added) == 1, (name, added) if name != "bullets.md" else added
        line = added[0].decode("utf-8")
        key = line.rstrip().rsplit("/", 1)[-1]
        assert key in keys
        expected_prefix = {"yaml.md": "zotero: ", "bom.md": "zotero: ",
                           "bullets.md": "- Zotero: ", "logseq.md": "zotero:: ",
                           "paper.org": ":ZOTERO: "}[name]
        assert line.startswith(expected_prefix + "zotero://select/library/items/"), line
        newline = "\r\n" if name == "bullets.md" else "\n"
        assert line.endswith(newline)
    assert (folder / "bom.md").read_bytes().startswith(b"\xef\xbb\xbf---\n")
    assert not (folder / "logseq.md").read_bytes().endswith(b"\n")  # as it was
    assert stat.S_IMODE((folder / "paper.org").stat().st_mode) == 0o640
    org = (folder / "paper.org").read_text(encoding="utf-8")
    assert org.index(":ZOTERO:") < org.index(":END:")
    report = json.loads(result.stdout)
    assert {e["status"] for e in report["note_links"]} == {"added"}

    linked = {n: (folder / n).read_bytes() for n in before}
    again = world.cli("sync", str(folder), "--link-notes", "--json")
    assert again.exit_code == 0
    assert json.loads(again.stdout)["note_links"] == []
    assert {n: (folder / n).read_bytes() for n in before} == linked


def test_without_the_flag_notes_are_never_written(world: SyncEnv) -> None:
    folder = world.tmp / "notes"
    before = _notes(folder)
    assert world.cli("sync", str(folder)).exit_code == 0
    assert {n: (folder / n).read_bytes() for n in before} == before


def test_a_note_edited_after_zsync_read_it_is_left_alone(tmp_path: Path) -> None:
    from zsync.model.records import Record

    note = tmp_path / "n.md"
    note.write_bytes(b"---\ntitle: A\n---\nbody\n")
    origin = Origin(str(note), 1, format="markdown")
    digests = snapshot([Record(origin, title="A")])
    note.write_bytes(b"---\ntitle: A\n---\nbody, edited meanwhile\n")
    planned = Plan((), (WorkPlan("title:a", Action.CREATE, "A", (origin,), item_key="ABCD2345"),))

    [entry] = link_notes(planned, "users/1", digests, set(), dry_run=False)

    assert entry["status"] == "left alone" and "changed since" in entry["why"]
    assert note.read_bytes() == b"---\ntitle: A\n---\nbody, edited meanwhile\n"
    digests = snapshot([Record(origin, title="A")])
    [done] = link_notes(planned, "groups/5", digests, set(), dry_run=False)
    assert done["lines"] == ["zotero: zotero://select/groups/5/items/ABCD2345",
                             "zotero-web: https://www.zotero.org/groups/5/items/ABCD2345"]
