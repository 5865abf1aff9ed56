"""Benchmark: match generated records with known duplicates against a generated library.

For N = 10,000 and N = 100,000 it generates a Zotero library of N items and N records:

* duplicates of library items (the truth names the item): same DOI; no DOI with the title
  re-cased, re-punctuated, with a trailing period, HTML markup, a `RETRACTED:` prefix,
  accents dropped, one or two typos, the subtitle dropped; the year one off; only the
  first author ("et al."); a particle dropped from a family name; a PMID instead of the DOI;
* look-alikes that must stay apart (the truth is "no item"): the same title by other
  authors in another year; "Part 1" of a library item's "Part 2"; a reprint with its own
  DOI; a "Correction:" notice; a book with an article's title and authors; the arXiv
  preprint of a published item (must be reported as related, not as the item);
* new works.

Each size runs in its own subprocess (peak memory from `ru_maxrss`); the wall time covers
indexing the library and matching every record (`zsync.dedupe.libmatch`), not generating
the data, and is the best of a few runs (5 at 10k, 3 at 100k; `--repeat`), caches
cleared before each, since the machine may be shared; CPU time is reported alongside. The last line printed is a JSON object with precision, recall, wall_s_10k,
wall_s_100k, growth (wall_s_100k / wall_s_10k) and peak_mb_100k.

    python bench/dedupe.py [--small 10000] [--large 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from itertools import accumulate
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zsync.dedupe.libmatch import LibraryIndex, match_library
from zsync.dedupe.signature import _sorted_keys as sorted_keys
from zsync.dedupe.signature import name_keys
from zsync.model.records import Creator, Identifiers, Origin, PartialDate, Record
from zsync.zotero.library import LibraryItem, LibraryView

SYLLABLES = ("ka ri to mo na se lu vi en ar os ta me do ul fi ne ho pa gre sto bri tan "
             "del mar qui zen lor ath ix oph").split()
COMMON = ("the of and in a for on with to analysis study effect effects model patients "
          "health care data learning review systematic clinical trial risk cell cells "
          "treatment disease based using approach new method evaluation outcomes").split()
ACCENTED = {"a": "á", "e": "é", "o": "ö", "u": "ü", "i": "í", "n": "ñ"}
PARTICLES = ("van", "de", "von", "van der", "del")
TYPES = (["journalArticle"] * 14 + ["conferencePaper"] * 2 + ["bookSection"] * 2
         + ["report", "thesis"])


class World:
    """Vocabulary and name pools with Zipf-like frequencies."""

    def __init__(self, rng: random.Random, words: int = 40_000, names: int = 30_000) -> None:
        self.rng = rng
        self.words = COMMON + [self._word(rng) for _ in range(words)]
        self.word_weights = list(accumulate(1.0 / (r + 1) ** 0.9 for r in range(len(self.words))))
        self.names = [self._name(rng) for _ in range(names)]
        self.name_weights = list(accumulate(1.0 / (r + 1) ** 0.8 for r in range(len(self.names))))

    @staticmethod
    def _word(rng: random.Random) -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))

    def _name(self, rng: random.Random) -> str:
        base = self._word(rng).capitalize()
        roll = rng.random()
        if roll < 0.05:
            return f"{rng.choice(PARTICLES)} {base}"
        if roll < 0.10:
            return f"{base}-{self._word(rng).capitalize()}"
        if roll < 0.25:
            return "".join(ACCENTED.get(c, c) if rng.random() < 0.3 else c for c in base)
        return base

    def title(self) -> str:
        count = self.rng.choice([2, 3, 4] + [*range(5, 16)] * 3)
        words = self.rng.choices(self.words, cum_weights=self.word_weights, k=count)
        text = " ".join(words).capitalize()
        if count >= 8 and self.rng.random() < 0.4:
            cut = self.rng.randint(4, count - 3)
            parts = text.split()
            text = " ".join(parts[:cut]) + ": " + " ".join(parts[cut:])
        return text

    def people(self, count: int | None = None) -> list[tuple[str, str]]:
        count = count or self.rng.choice([1, 2, 3, 3, 4, 5, 6, 8])
        families = self.rng.choices(self.names, cum_weights=self.name_weights, k=count)
        return [(f, self.rng.choice("ABCDEFGHJKLMNPRSTW") + ".") for f in families]


def item_data(key: str, world: World, index: int, rng: random.Random) -> dict[str, Any]:
    year = rng.randint(1975, 2024)
    data: dict[str, Any] = {
        "key": key, "version": 1, "itemType": rng.choice(TYPES), "title": world.title(),
        "creators": [{"creatorType": "author", "lastName": f, "firstName": g}
                     for f, g in world.people()],
        "date": f"{year}-{rng.randint(1, 12):02d}", "DOI": "", "extra": "",
        "dateAdded": f"20{rng.randint(10, 24)}-01-01T00:00:00Z", "tags": [], "collections": [],
        "relations": {},
    }
    if rng.random() < 0.03:
        data["title"] += ", Part 1"
    if rng.random() < 0.75:
        data["DOI"] = f"10.{1000 + index % 9000}/bench.{index}"
    return data


def typo(text: str, rng: random.Random) -> str:
    words = text.split()
    spots = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not spots:
        return text
    i = rng.choice(spots)
    w = words[i]
    p = rng.randint(1, len(w) - 2)
    op = rng.randint(0, 3)
    if op == 0:
        w = w[:p] + w[p + 1] + w[p] + w[p + 2:]
    elif op == 1:
        w = w[:p] + w[p + 1:]
    elif op == 2:
        w = w[:p] + rng.choice("aeiourstn") + w[p:]
    else:
        w = w[:p] + rng.choice("aeiourstn") + w[p + 1:]
    words[i] = w
    return " ".join(words)


def strip_accents(text: str) -> str:
    back = {v: k for k, v in ACCENTED.items()}
    return "".join(back.get(c, c) for c in text)


def _variant_title(title: str, rng: random.Random) -> str:
    roll = rng.randint(0, 8)
    short = len(title.split()) <= 4
    if roll == 0:
        return title.upper() if rng.random() < 0.5 else title.title()
    if roll == 1:
        return title.replace(":", " -") + "."
    if roll == 2:
        parts = title.split()
        return " ".join([*parts[:-1], f"<i>{parts[-1]}</i>"])
    if roll == 3:
        return "RETRACTED: " + title
    if roll == 4 and not short:
        return typo(title, rng)
    if roll == 5 and len(title.split()) >= 10:
        return typo(typo(title, rng), rng)
    if roll == 6 and ":" in title and len(title.split(":")[0].split()) >= 6:
        return title.split(":")[0]
    return title.lower() + "."


def duplicate(data: dict[str, Any], i: int, rng: random.Random) -> Record:
    """A record of the library item `data`, told differently."""
    people = [(c["lastName"], c["firstName"]) for c in data["creators"]]
    year = int(data["date"][:4])
    ids = Identifiers()
    if data["DOI"] and rng.random() < 0.35:
        ids = Identifiers(doi=data["DOI"])
    title = _variant_title(data["title"], rng)
    if rng.random() < 0.3:
        people = people[:1]
    if rng.random() < 0.3:
        people = [(strip_accents(f.split(" ")[-1]), g) for f, g in people]
    if rng.random() < 0.2:
        year += rng.choice((-1, 1))
    if not ids.doi and rng.random() < 0.2:
        ids = Identifiers(pmid=str(30_000_000 + i))
    return _record(i, title, people, year, ids, data["itemType"])


def lookalike(data: dict[str, Any], i: int, world: World, rng: random.Random) -> Record:
    """A different work that looks like the library item `data`."""
    people = [(c["lastName"], c["firstName"]) for c in data["creators"]]
    year = int(data["date"][:4])
    kind = rng.randint(0, 5)
    if kind == 0:  # same title, other authors, another year
        return _record(i, data["title"], world.people(), year + rng.choice((-6, -3, 3, 7)),
                       Identifiers(), data["itemType"])
    if kind == 1:  # another part of a series
        title = data["title"]
        title = title[:-1] + "2" if title.endswith("Part 1") else title + ", Part 2"
        return _record(i, title, people, year, Identifiers(), data["itemType"])
    if kind == 2 and data["DOI"]:  # a reprint with its own DOI (the original has one)
        return _record(i, data["title"], people, year + rng.choice((0, 1)),
                       Identifiers(doi=f"10.9999/reprint.{i}"), data["itemType"])
    if kind == 3:  # a correction notice
        return _record(i, "Correction: " + data["title"], people, year, Identifiers(),
                       data["itemType"])
    if kind == 4:  # a book with the same title and authors
        return _record(i, data["title"], people, year, Identifiers(), "book")
    return _record(i, data["title"], people, year - 1,  # the preprint: related, not it
                   Identifiers(arxiv=f"{1000 + i % 9000}.{i % 100000:05d}"), "preprint")


def _record(i: int, title: str, people: list[tuple[str, str]], year: int,
            ids: Identifiers, item_type: str) -> Record:
    creators = tuple(Creator(family=f, given=g) for f, g in people)
    return Record(origin=Origin(f"notes/{i}.md"), ids=ids, title=title, creators=creators,
                  date=PartialDate(str(year), year), item_type=item_type)


def generate(n: int, seed: int) -> tuple[LibraryView, list[Record], list[str | None], list[str]]:
    rng = random.Random(seed)
    world = World(rng)
    datas = [item_data(f"K{i:07d}", world, i, rng) for i in range(n)]
    for data in datas:  # a preprint must stay "preprint" only on the record side
        if data["itemType"] == "preprint":
            data["itemType"] = "journalArticle"
    records: list[Record] = []
    truth: list[str | None] = []
    kinds: list[str] = []
    for i in range(n):
        roll = rng.random()
        target = datas[rng.randrange(n)]
        if roll < 0.45:
            records.append(duplicate(target, i, rng))
            truth.append(target["key"])
            kinds.append("exact" if records[-1].ids.doi else "fuzzy")
        elif roll < 0.65:
            records.append(lookalike(target, i, world, rng))
            truth.append(None)
            kinds.append("preprint" if records[-1].item_type == "preprint" else "lookalike")
        else:
            records.append(_record(i, world.title(), world.people(), rng.randint(1975, 2024),
                                   Identifiers(), rng.choice(TYPES)))
            truth.append(None)
            kinds.append("new")
    items = [LibraryItem(d["key"], 1, d) for d in datas]
    return LibraryView.build(items), records, truth, kinds


def timed_match(library: LibraryView, records: list[Record]
                ) -> tuple[float, float, list[Any]]:
    """Index the library and match every record, caches cold: (wall s, CPU s, matches)."""
    name_keys.cache_clear()
    sorted_keys.cache_clear()
    start, cpu = time.perf_counter(), time.process_time()
    index = LibraryIndex.build(library)
    found = match_library(records, index)
    return time.perf_counter() - start, time.process_time() - cpu, found


def worker(n: int, seed: int, repeat: int) -> dict[str, Any]:
    library, records, truth, kinds = generate(n, seed)
    runs = [timed_match(library, records) for _ in range(repeat)]
    wall = min(r[0] for r in runs)
    cpu = min(r[1] for r in runs)
    found = runs[0][2]
    del runs
    counts: Counter[str] = Counter()
    misses: Counter[str] = Counter()
    for match, expected, kind in zip(found, truth, kinds, strict=True):
        got = match.key if match and match.kind == "duplicate" else None
        if got is not None and got == expected:
            counts["tp"] += 1
        elif got is not None:
            counts["fp"] += 1
            misses[f"fp_{kind}"] += 1
        if expected is not None and got != expected:
            counts["fn"] += 1
            misses[f"fn_{kind}"] += 1
        if match and match.kind == "related":
            counts["related_found"] += 1
            counts["related_right"] += kind == "preprint"
        counts["related_expected"] += kind == "preprint"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "repeat": repeat,
            "peak_mb": round(peak, 1),
            **counts,
            "errors": dict(misses)}


def run_in_subprocess(n: int, seed: int, repeat: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", str(n), "--seed", str(seed),
               "--repeat", str(repeat)]
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=0, help="timed runs (best counts)")
    parser.add_argument("--worker", type=int)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.seed, args.repeat or 1)))
        return
    small = run_in_subprocess(args.small, args.seed, args.repeat or 5)
    print(json.dumps(small))
    large = run_in_subprocess(args.large, args.seed, args.repeat or 3)
    print(json.dumps(large))
    tp = small.get("tp", 0) + large.get("tp", 0)
    fp = small.get("fp", 0) + large.get("fp", 0)
    fn = small.get("fn", 0) + large.get("fn", 0)
    print(json.dumps({
        "precision": round(tp / max(tp + fp, 1), 4),
        "recall": round(tp / max(tp + fn, 1), 4),
        "wall_s_10k": small["wall_s"], "wall_s_100k": large["wall_s"],
        "growth": round(large["wall_s"] / max(small["wall_s"], 1e-9), 2),
        "peak_mb_100k": large["peak_mb"],
        "cpu_s_10k": small["cpu_s"], "cpu_s_100k": large["cpu_s"],
        "growth_cpu": round(large["cpu_s"] / max(small["cpu_s"], 1e-9), 2),
        "records": [args.small, args.large], "tp": tp, "fp": fp, "fn": fn,
    }))


if __name__ == "__main__":
    main()
