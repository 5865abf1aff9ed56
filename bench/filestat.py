"""Benchmark: how long finding the digest of every input file takes when nothing changed,
reading every file (as without a cache folder) against a stat of each (the stat index).

Writes --files small notes to a temporary folder, their modification times an hour back
(as a vault's notes are between two scheduled runs; a file written in the last seconds
is read until its time is safely past), then times `input_digests`:

- read_all_s: without a cache folder, every file read and hashed (best of --repeat);
- first_s: the first run with a cache folder: every file read, the index filled;
- nothing_changed_s: a later run with nothing changed (best of --repeat), and
  nothing_changed_read: how many files it read (0 expected);
- some_changed_s / some_changed_read: a run after --changed files were edited;
- the same with _cpu_s: CPU seconds of this process, which other processes on the machine
  disturb less than wall time (the load average is reported with them).

    python bench/filestat.py [--files 10000] [--changed 10] [--repeat 3]

Progress goes to stderr; the last line on stdout is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zsync.inputs.filecache import code_fingerprint, input_digests

HOUR_NS = 3600 * 10**9


def make_vault(folder: Path, count: int) -> None:
    past = time.time_ns() - HOUR_NS
    for i in range(count):
        path = folder / f"note-{i:06d}.md"
        path.write_text(f"- **Title**: Note number {i}\n- **DOI**: 10.1000/bench.{i}\n"
                        f"- **Year**: {1990 + i % 35}\n", encoding="utf-8")
        os.utime(path, ns=(past, past))


CPU: dict[str, float] = {}  # CPU seconds of each timed step, less disturbed by other processes


def timed(name: str, call: Callable[[], object], repeat: int = 1) -> float:
    """The best wall time of `repeat` calls; their best CPU time goes to CPU[name]."""
    best = cpu = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    CPU[name] = round(cpu, 3)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    code_fingerprint()  # once per process, as in a run
    with tempfile.TemporaryDirectory() as tmp:
        notes, cache = Path(tmp) / "notes", Path(tmp) / "cache"
        notes.mkdir()
        make_vault(notes, args.files)
        expected = input_digests([notes])
        read_all = timed("read_all", lambda: input_digests([notes]), args.repeat)
        first = timed("first", lambda: input_digests([notes], cache_dir=cache))
        read: list[str] = []

        def again() -> None:
            read.clear()
            if input_digests([notes], cache_dir=cache, read_out=read) != expected:
                raise SystemExit("the stat index gave other digests than reading every file")

        nothing = timed("nothing_changed", again, args.repeat)
        nothing_read = len(read)
        past = time.time_ns() - HOUR_NS // 2
        for i in range(min(args.changed, args.files)):
            path = notes / f"note-{i:06d}.md"
            path.write_text(path.read_text(encoding="utf-8") + "Edited.\n", encoding="utf-8")
            os.utime(path, ns=(past, past))
        expected = input_digests([notes])
        some = timed("some_changed", again)
        some_read = len(read)
    say = f"{args.files} files: reading all {read_all:.3f} s; first run with the index " \
          f"{first:.3f} s; nothing changed {nothing:.3f} s ({nothing_read} read); " \
          f"{args.changed} changed {some:.3f} s ({some_read} read)"
    print(say, file=sys.stderr)
    print(json.dumps({
        "files": args.files,
        "read_all_s": round(read_all, 3),
        "first_s": round(first, 3),
        "nothing_changed_s": round(nothing, 3),
        "nothing_changed_read": nothing_read,
        "changed": args.changed,
        "some_changed_s": round(some, 3),
        "some_changed_read": some_read,
        "speedup": round(read_all / nothing, 1) if nothing else None,
        **{f"{name}_cpu_s": seconds for name, seconds in CPU.items()},
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }))


if __name__ == "__main__":
    main()
