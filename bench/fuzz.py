"""Fuzzing: parse 100,000 mutations of real notes and exports; count crashes and hangs.

Seeds are the real files in ../shared/examples, ../shared/realworld, ../shared/realnotes,
../shared/seeds and this repository's seeds/ (whichever exist). Each input is a window of
a seed (its head or a stretch starting at a line), mutated one to four times: cut, junk
bytes inserted (structural characters, byte-order marks, invalid UTF-8), a span deleted,
a span repeated (long lines, deep nesting), bytes flipped, line ends changed, or a piece
of another seed spliced in. Every input goes the way a file does in `zsync parse`: bytes
decoded (`inputs.decoding`), then `parsing.parse_text`, which must return a result for
any text. Anything else it raises is a crash; an input taking longer than --hang-seconds
is a hang (processor time, so a busy machine does not make hangs of slow inputs). Each
kind of crash or hang is shrunk to a small reproducer.

    python bench/fuzz.py [--inputs 100000] [--seed 1] [--workers 2] [--out DIR]

The last line printed is a JSON summary: inputs, crashes, hangs, peak memory (MB), and
one reproducer per kind of failure.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import signal
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from multiprocessing import Pool
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zsync.inputs import registry
from zsync.inputs.decoding import UnreadableInput, decode
from zsync.inputs.guard import load_parsers

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_FOLDERS = [SHARED / "examples", SHARED / "realworld", SHARED / "realnotes",
                SHARED / "seeds", REPO / "seeds"]
CHUNK = 250
MAX_INPUT = 8 * 1024
JUNK = [b"{", b"}", b"[", b"]", b"(", b")", b"<", b">", b"\\", b"@", b'"', b",", b"=", b":",
        b";", b"-", b"#", b"*", b"|", b"&", b"%", b"$", b"'", b"`", b"~", b"\n", b"\r", b"\t",
        b" ", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff", b"\xc3", b"\xe2\x80",
        b"\xe2\x80\xa8", b"\xc2\xa0", b"\xed\xa0\x80", "é".encode(), "ß".encode(), b"&amp;",
        b"&#x0;", b"---\n", b"#+", b":PROPERTIES:\n", b"TY  - ", b"ER  - \n", b"PMID- ",
        b"@article{", b"<![CDATA[", b"]]>", b"\\'{", b"$", b"{\\", b"*a", b"&a ", b"[[", b"]]",
        b"\"\\u", b"1e999", b"-0", b"9" * 40]
_SEEDS: list[bytes] = []


class Hang(BaseException):
    """An input ran past its time (not an Exception, so no parser can swallow it)."""


def seed_files() -> list[Path]:
    found: list[Path] = []
    for folder in SEED_FOLDERS:
        if folder.is_dir():
            found += sorted(p for p in folder.rglob("*") if p.is_file())
    return found


def _load(paths: list[str]) -> None:
    logging.disable(logging.CRITICAL)  # bibtexparser logs every odd entry it meets
    load_parsers()  # before any timer runs: an import cut short breaks every later input
    _SEEDS[:] = [Path(p).read_bytes() for p in paths]


# Mutations.


def window(rng: random.Random, data: bytes, size: int) -> bytes:
    """The seed's head, or a stretch starting at one of its lines."""
    if len(data) <= size or rng.random() < 0.4:
        return data[: rng.randint(1, size)]
    start = data.find(b"\n", rng.randrange(len(data) - size)) + 1
    return data[start:start + rng.randint(1, size)]


def _span(rng: random.Random, data: bytes) -> tuple[int, int]:
    at = rng.randint(0, len(data))
    return at, min(len(data), at + rng.randint(0, 200))


def cut(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randint(0, len(data))]


def insert(rng: random.Random, data: bytes) -> bytes:
    at = rng.randint(0, len(data))
    junk = b"".join(rng.choice(JUNK) for _ in range(rng.randint(1, 8)))
    return data[:at] + junk + data[at:]


def delete(rng: random.Random, data: bytes) -> bytes:
    at, end = _span(rng, data)
    return data[:at] + data[end:]


def repeat(rng: random.Random, data: bytes) -> bytes:
    at, end = _span(rng, data)
    piece = data[at:end] or rng.choice(JUNK)
    times = rng.choice((2, 3, 10, 100, 1000, 10000))
    return data[:at] + piece * max(2, min(times, MAX_INPUT // len(piece))) + data[end:]


def flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def line_ends(rng: random.Random, data: bytes) -> bytes:
    return data.replace(b"\n", rng.choice((b"\r\n", b"\r", b"\n\n", b"\x85", b"")))


def splice(rng: random.Random, data: bytes) -> bytes:
    other = window(rng, rng.choice(_SEEDS), 512)
    at = rng.randint(0, len(data))
    return data[:at] + other + data[at:]


MUTATIONS: tuple[Callable[[random.Random, bytes], bytes], ...] = (
    cut, insert, insert, delete, repeat, flip, line_ends, splice)


def mutant(rng: random.Random, size: int) -> bytes:
    data = window(rng, rng.choice(_SEEDS), size)
    for _ in range(rng.randint(1, 4)):
        data = rng.choice(MUTATIONS)(rng, data)
    return data[:MAX_INPUT]


# Running one input.


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


def run_one(data: bytes, hang_seconds: float) -> tuple[str, str | None]:
    """(outcome, signature): outcome is ok, unreadable, crash or hang, with the format
    found for ok and the failure's signature for crash and hang."""
    signal.signal(signal.SIGPROF, _on_alarm)
    signal.setitimer(signal.ITIMER_PROF, hang_seconds)
    try:
        text = decode(data).text
        result = registry.parse_text(text, "fuzz")
        return "ok", result.format or "none"
    except UnreadableInput:
        return "unreadable", None
    except Hang:
        return "hang", "hang in " + _where(sys.exc_info()[2])
    except Exception as exc:
        return "crash", f"{type(exc).__name__} at {_where(exc.__traceback__)}"
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)


def _where(tb: object) -> str:
    frames = [f for f in traceback.extract_tb(tb) if "/zsync/" in f.filename]  # type: ignore[arg-type]
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{frame.filename.split('/zsync/', 1)[1]}:{frame.lineno} ({frame.name})"


def run_chunk(job: tuple[int, int, int, int, float]) -> dict:
    seed, index, count, size, hang_seconds = job
    rng = random.Random(f"{seed}:{index}")
    outcomes: Counter[str] = Counter()
    formats: Counter[str] = Counter()
    failures: dict[str, tuple[int, bytes]] = {}
    slowest = 0.0
    for _ in range(count):
        data = mutant(rng, size)
        start = time.perf_counter()
        outcome, detail = run_one(data, hang_seconds)
        slowest = max(slowest, time.perf_counter() - start)
        outcomes[outcome] += 1
        if outcome == "ok" and detail:
            formats[detail] += 1
        elif detail:
            seen, shortest = failures.get(detail, (0, data))
            failures[detail] = (seen + 1, data if len(data) < len(shortest) else shortest)
    return {"outcomes": outcomes, "formats": formats, "failures": failures, "slowest": slowest,
            "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


# Shrinking a failure to a small reproducer.


def shrink(data: bytes, signature: str, hang_seconds: float, seconds: float) -> bytes:
    """Delete ever smaller chunks while the same failure remains (delta debugging), for at
    most `seconds`."""
    deadline = time.monotonic() + seconds
    chunk = max(1, len(data) // 2)
    while chunk >= 1 and time.monotonic() < deadline:
        at, changed = 0, False
        while at < len(data) and time.monotonic() < deadline:
            candidate = data[:at] + data[at + chunk:]
            if candidate and run_one(candidate, hang_seconds)[1] == signature:
                data, changed = candidate, True
            else:
                at += chunk
        if not changed:
            chunk //= 2
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--max-bytes", type=int, default=1000,
                        help="longest window taken from a seed before mutating it")
    parser.add_argument("--hang-seconds", type=float, default=2.0)
    parser.add_argument("--shrink-seconds", type=float, default=20.0,
                        help="time spent shrinking each kind of failure")
    parser.add_argument("--out", type=Path, help="write each reproducer here")
    args = parser.parse_args()
    seeds = seed_files()
    if not seeds:
        sys.exit("no seed files found")
    jobs = [(args.seed, i, min(CHUNK, args.inputs - i * CHUNK), args.max_bytes, args.hang_seconds)
            for i in range((args.inputs + CHUNK - 1) // CHUNK)]
    outcomes: Counter[str] = Counter()
    formats: Counter[str] = Counter()
    failures: dict[str, tuple[int, bytes]] = {}
    slowest, worker_rss = 0.0, 0
    start = time.perf_counter()
    paths = [str(p) for p in seeds]
    with Pool(args.workers, initializer=_load, initargs=(paths,)) as pool:
        for done, part in enumerate(pool.imap_unordered(run_chunk, jobs), 1):
            outcomes.update(part["outcomes"])
            formats.update(part["formats"])
            slowest = max(slowest, part["slowest"])
            worker_rss = max(worker_rss, part["rss_kb"])
            for signature, (seen, data) in part["failures"].items():
                before, shortest = failures.get(signature, (0, data))
                failures[signature] = (before + seen,
                                       data if len(data) <= len(shortest) else shortest)
            if done % 40 == 0:
                print(f"{done * CHUNK} inputs, {outcomes['crash']} crashes, "
                      f"{outcomes['hang']} hangs", file=sys.stderr)
    wall = time.perf_counter() - start
    _load(paths)
    examples = []
    for signature, (seen, data) in sorted(failures.items(), key=lambda kv: -kv[1][0]):
        small = shrink(data, signature, args.hang_seconds, args.shrink_seconds)
        examples.append({"failure": signature, "count": seen, "reproducer": repr(small)[:400]})
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            name = "".join(c if c.isalnum() else "-" for c in signature)[:80]
            (args.out / f"{name}.bin").write_bytes(small)
    peak_mb = max(worker_rss, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024
    total = sum(outcomes.values())
    for example in examples:
        print(f"{example['count']:6d} × {example['failure']}\n       {example['reproducer']}",
              file=sys.stderr)
    print(f"{total} inputs from {len(seeds)} seed files in {wall:.0f} s: "
          f"{outcomes['crash']} crashes, {outcomes['hang']} hangs, "
          f"{outcomes['unreadable']} not text, peak memory {peak_mb:.0f} MB", file=sys.stderr)
    print(json.dumps({
        "inputs": total,
        "seed_files": len(seeds),
        "crashes": outcomes["crash"],
        "hangs": outcomes["hang"],
        "failure_kinds": len(failures),
        "unreadable": outcomes["unreadable"],
        "parsed_as": dict(formats.most_common()),
        "slowest_input_s": round(slowest, 3),
        "peak_rss_mb": round(peak_mb, 1),
        "wall_s": round(wall, 1),
        "inputs_per_s": round(total / wall, 1),
        "failures": examples,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
