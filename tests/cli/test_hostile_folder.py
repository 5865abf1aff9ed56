"""`zsync parse --json` on a folder of hostile and broken files, run as a user runs it."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_NOTE = next((ROOT / "seeds").glob("markdown-*"))
GOOD_DOI = "10.1186/s12913-021-06429-w"
ZSYNC = Path(sys.executable).with_name("zsync")


def alias_bomb(levels: int = 9) -> str:
    """YAML front matter whose aliases expand to 9**levels strings: a few hundred bytes."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    lines += [f"tags: *a{levels - 1}", f"author: *a{levels - 2}", "title: Bomb"]
    return "---\n" + "\n".join(lines) + "\n---\n# Bomb\n"


def utf16_truncated(text: str) -> bytes:
    data = text.encode("utf-16")  # with its byte-order mark
    return data[:-1]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_hostile_files_are_named_and_the_good_note_is_read_within_seconds(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    note = GOOD_NOTE.read_text(encoding="utf-8")
    (folder / "good.md").write_text(note, encoding="utf-8")
    (folder / "bom-then-junk.md").write_bytes(b"\xef\xbb\xbf\xff\xfe\x80\x81\x00\x9f\xc0\xc1\xf5")
    other_note = note.replace(GOOD_DOI, "10.1000/utf16-note")
    (folder / "utf16-cut.md").write_bytes(utf16_truncated(other_note))
    (folder / "bomb.md").write_text(alias_bomb(), encoding="utf-8")
    os.mkfifo(folder / "pipe.md")
    odd_name = os.fsencode(folder) + b"/caf\xe9 note.md"
    with open(odd_name, "wb") as handle:
        handle.write(note.replace(GOOD_DOI, "10.1000/odd-name").encode())

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    run = subprocess.run([ZSYNC, "parse", "--json", str(folder)],
                         capture_output=True, timeout=120, cwd=tmp_path)
    elapsed = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    peak_kb = max(before.ru_maxrss, after.ru_maxrss)

    assert run.returncode == 1, run.stderr
    entries = json.loads(run.stdout.decode("utf-8"))  # strict: valid UTF-8 or it raises
    by_name: dict[str, list[dict]] = {}
    for entry in entries:
        by_name.setdefault(Path(entry["source"]["path"]).name, []).append(entry)

    assert [e["doi"] for e in by_name["good.md"]] == [GOOD_DOI]
    assert "byte-order mark" in by_name["bom-then-junk.md"][0]["error"]
    assert "named pipe" in by_name["pipe.md"][0]["error"]
    bomb = by_name["bomb.md"][0]
    assert "error" in bomb and ("longer than" in bomb["error"] or "memory" in bomb["error"])
    cut = by_name["utf16-cut.md"][0]
    assert cut["doi"] == "10.1000/utf16-note"
    assert any("truncated" in w for w in cut["warnings"])
    assert [e["doi"] for e in by_name["caf\\xe9 note.md"]] == ["10.1000/odd-name"]
    for name in ("bom-then-junk.md", "pipe.md", "bomb.md"):
        assert name in run.stderr.decode("utf-8")

    # Processor time, which a busy machine does not stretch; wall time only bounds a hang.
    assert cpu < 20, f"took {cpu:.1f} s of processor time"
    assert elapsed < 120, f"took {elapsed:.1f} s"
    assert peak_kb < 1024 * 1024, f"peak memory {peak_kb // 1024} MB"
