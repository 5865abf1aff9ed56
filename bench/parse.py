"""Benchmark: parse 10,000 generated notes in the two seed forms, and one BibTeX export
of 10,000 entries.

Writes the notes to a temporary folder (half Markdown bullet notes like
seeds/markdown-bullets-*.txt, half VuFind records like seeds/vufind-*.txt, each with its
own title, authors, year and identifiers), parses the folder the way `zsync parse` does,
checks every note gave one record with its DOI; then parses one .bib file of
--bibtex-entries entries the same way, and once more end to end, as `zsync parse FILE --json`
in its own process (the best of --cli-runs runs: start-up, workers, JSON written). Prints a
JSON summary as the last line (notes and BibTeX entries per second, `bibtex_cli_s`, the
machine's load while measuring, peak memory).

    python bench/parse.py [--notes 10000] [--bibtex-entries 10000] [--cli-runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zsync.inputs.files import parse_paths

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
WORDS = (
    "implementation digital health volunteers collaboration municipal care qualitative "
    "evaluation knowledge sharing hospital programme adherence technology systematic review "
    "behaviour change intervention normalisation process theory learning networks"
).split()
FAMILIES = "Fredriksen Thygesen Moe Martinez Hinder Cresswell Sheikh Franklin Lane Potts".split()
GIVENS = "Erica Elin Carl Santiago Susan Kathrin Aziz Bryony Wendy Henry".split()


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 14))).capitalize()


def _people(rng: random.Random) -> list[tuple[str, str]]:
    return [(rng.choice(FAMILIES), rng.choice(GIVENS)) for _ in range(rng.randint(1, 12))]


def markdown_note(i: int, rng: random.Random, abstract: str) -> str:
    people = ", ".join(f"[[{g} {f}]]" for f, g in _people(rng))
    return (
        f"- **Status**: [[{rng.choice(['New', 'Reading', 'Read'])}]]\n"
        f"- **Title**: {_title(rng)}.\n- **By**: {people}\n"
        f"- **In**: [[BMC Health Services Research]]\n- **Year**: [[{rng.randint(1990, 2025)}]]\n"
        f"- **DOI**: https://doi.org/10.1186/bench-{i:06d}\n"
        f"- **Keywords**: {', '.join(rng.sample(WORDS, 4))}\n- **Abstract**:\n{abstract}"
    )


def vufind_note(i: int, rng: random.Random, template: str) -> str:
    authors = ", ".join(f"{f}, {g}" for f, g in _people(rng))
    title = _title(rng)
    return (
        template.replace("__TITLE__", title)
        .replace("__AUTHORS__", authors)
        .replace("__DOI__", f"10.1371/bench.{i:07d}")
        .replace("__PMID__", str(30000000 + i))
        .replace("__PMC__", str(8000000 + i))
    )


def _vufind_template() -> str:
    seed = next(SEEDS.glob("vufind-*.txt")).read_text(encoding="utf-8")
    head, _, _rest = seed.partition("\nDescripción completa")
    lines = head.splitlines()
    title_line = next(line for line in lines if line.strip() and "Cargando" not in line)
    template = seed.replace(title_line, "__TITLE__")
    template = template.replace("10.1371/journal.pone.0255220", "__DOI__")
    template = template.replace("34339429", "__PMID__").replace("8328305", "__PMC__")
    return template


def generate(folder: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    md_seed = next(SEEDS.glob("markdown-*.txt")).read_text(encoding="utf-8")
    abstract = md_seed.split("- **Abstract**:\n", 1)[1]
    template = _vufind_template()
    for i in range(count):
        if i % 2 == 0:
            text, suffix = markdown_note(i, rng, abstract), "md"
        else:
            text, suffix = vufind_note(i, rng, template), "txt"
        (folder / f"note-{i:06d}.{suffix}").write_text(text, encoding="utf-8")


def bibtex_export(count: int, seed: int = 11) -> str:
    """A BibTeX file of `count` entries as reference managers export them."""
    rng = random.Random(seed)
    entries = []
    for i in range(count):
        authors = " and ".join(f"{f}, {g}" for f, g in _people(rng))
        entries.append(
            f"@article{{bench{i:06d},\n  title = {{{_title(rng)}}},\n  author = {{{authors}}},\n"
            f"  journal = {{BMC Health Services Research}},\n  year = {{{rng.randint(1990, 2025)}}},\n"
            f"  volume = {{{rng.randint(1, 30)}}},\n  pages = {{{rng.randint(1, 500)}--{rng.randint(501, 999)}}},\n"
            f"  doi = {{10.1186/bib-{i:06d}}},\n  keywords = {{{', '.join(rng.sample(WORDS, 3))}}}\n}}\n"
        )
    return "\n".join(entries)


def parse_bibtex(count: int, cli_runs: int = 3) -> tuple[int, float, float]:
    """(records with their DOI, seconds through the guarded workers a sync uses, seconds
    for `zsync parse FILE --json` as its own process, the best of `cli_runs`) for one .bib
    file of `count` entries."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.bib"
        path.write_text(bibtex_export(count), encoding="utf-8")
        start = time.perf_counter()
        results = list(parse_paths([path]))
        elapsed = time.perf_counter() - start
        end_to_end = min(_cli_seconds(path, count) for _ in range(max(cli_runs, 1)))
    found = sum(1 for res in results for r in res.records if r.ids.doi and "bib-" in r.ids.doi)
    return found, elapsed, end_to_end


def _cli_seconds(path: Path, count: int) -> float:
    """Wall time of `zsync parse PATH --json` in a new process: start-up, the guarded
    workers, the records sent back and written as JSON."""
    command = [sys.executable, "-c", "from zsync.cli import main; main()", "parse", str(path),
               "--json"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False,
                          cwd=Path(__file__).resolve().parents[1])
    elapsed = time.perf_counter() - start
    printed = json.loads(done.stdout)
    if len(printed) != count:
        raise SystemExit(f"zsync parse printed {len(printed)} records, not {count}: "
                         f"{done.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--bibtex-entries", type=int, default=10_000)
    parser.add_argument("--cli-runs", type=int, default=3,
                        help="runs of `zsync parse FILE --json`; the best is reported")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.notes)
        start = time.perf_counter()
        results = list(parse_paths([folder]))
        elapsed = time.perf_counter() - start
    records = [r for res in results for r in res.records]
    with_doi = sum(1 for r in records if r.ids.doi and "bench" in r.ids.doi)
    failed = sum(1 for res in results if res.problems)
    print(f"parsed {len(results)} files: {len(records)} records, {with_doi} with their DOI, "
          f"{failed} with problems, in {elapsed:.2f} s", file=sys.stderr)
    bib_found, bib_elapsed, bib_cli = (parse_bibtex(args.bibtex_entries, args.cli_runs)
                                       if args.bibtex_entries else (0, 0.0, 0.0))
    if args.bibtex_entries:
        print(f"parsed a BibTeX file of {args.bibtex_entries} entries: {bib_found} records with "
              f"their DOI, in {bib_elapsed:.2f} s; `zsync parse FILE --json` took {bib_cli:.2f} s",
              file=sys.stderr)
    peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({
        "notes": args.notes,
        "records": len(records),
        "records_with_doi": with_doi,
        "files_with_problems": failed,
        "wall_s": round(elapsed, 3),
        "notes_per_s": round(args.notes / elapsed, 1),
        "bibtex_entries": args.bibtex_entries,
        "bibtex_records_with_doi": bib_found,
        "bibtex_wall_s": round(bib_elapsed, 3),
        "bibtex_entries_per_s": round(args.bibtex_entries / bib_elapsed, 1) if bib_elapsed else None,
        "bibtex_cli_s": round(bib_cli, 3),
        # Other processes share the machine: the 1-minute load average before and after.
        "load_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }))


if __name__ == "__main__":
    main()
