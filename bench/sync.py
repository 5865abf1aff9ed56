"""Benchmark: `zsync sync` of N generated notes into an empty Zotero library, then again.

N notes in the seeds' Markdown bullet form (tests/sync/notes.py; status, title, authors,
journal, year, DOI, keywords) go into a temporary folder. The Crossref and PubMed emulators
hold the same N works (tests/servers/generate.py: `generate_works`/`generate_articles` of
one seed, so DOIs, titles and authors agree) with their rate limits enforced; the Zotero
emulator starts with an empty user library. All three run on 127.0.0.1 in this process.

zsync runs the production path (`zsync.sync.run.sync` with `runtime.enricher` and the default
Zotero client, retries and throttles) twice over the same folder and the same state and
cache: a first run that creates everything, and a rerun that has nothing new.

Request counts come from the emulators' logs:
- zotero_write_requests: POST/PUT/PATCH/DELETE of the first run. The target is
  ceil(N/50) item batches + ceil(notes/50) note batches + the collection writes; zsync
  sends item and note creates in one list, parents first, cut into batches of 50, so a
  batch may hold the last items and the first notes (never more batches than the target).
  About 6% of generated works are retracted or corrected and get one more note (a notice)
  besides the user's; `notes_created` counts all notes.
- rerun_zotero_requests / rerun_source_requests: every request of the rerun (target <= 3
  and 0).

    python bench/sync.py [--n 1000] [--seed 3] [--latency 0.0]

Progress goes to stderr; the last line on stdout is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.servers.crossref import crossref_server, generate_works
from tests.servers.crossref.app import CrossrefApp
from tests.servers.generate import iter_generate
from tests.servers.pubmed import generate_articles, pubmed_server
from tests.servers.pubmed.app import PubMedApp
from tests.servers.zotero import zotero_server
from tests.servers.zsync_env import emulated_env
from tests.sync.notes import markdown_note
from zsync.config.settings import load
from zsync.runtime import enricher
from zsync.sync.run import SyncResult, sync

KEY = "benchZoteroKey0123456789abcdef"
USER = 1
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def write_notes(folder: Path, n: int, seed: int) -> None:
    folder.mkdir(parents=True)
    for work in iter_generate(n, seed):
        (folder / f"note-{work.index:06d}.md").write_text(markdown_note(work), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds the emulators add to every request")
    args = parser.parse_args()
    n = args.n
    with tempfile.TemporaryDirectory() as tmp_name, \
            crossref_server(recorded=False, latency=args.latency) as cr, \
            pubmed_server(recorded=False, latency=args.latency) as pm, \
            zotero_server(user_id=USER, key=KEY, latency=args.latency) as zot:
        tmp = Path(tmp_name)
        cast(CrossrefApp, cr.app).add_works(generate_works(n, args.seed))
        cast(PubMedApp, pm.app).add_articles(generate_articles(n, args.seed))
        notes = tmp / "notes"
        write_notes(notes, n, args.seed)
        config = load(None, env=emulated_env(tmp, zotero=zot.url, crossref=cr.url,
                                             pubmed=pm.url, key=KEY, user=USER))

        def run() -> tuple[SyncResult, float]:
            start = time.perf_counter()
            with enricher(config) as source:
                result = sync(config, [notes], source, dry_run=False)
            return result, time.perf_counter() - start

        say(f"first run: {n} notes into an empty library ...")
        first, wall = run()
        first_log = list(zot.log)
        first_sources = len(cr.log) + len(pm.log)
        items = zot.app.items()
        say(f"  {wall:.1f} s, {len(first_log)} Zotero requests, {first_sources} source "
            f"requests, summary {first.report['summary']}")
        zot.reset_log()
        cr.reset_log()
        pm.reset_log()

        say("rerun with nothing new ...")
        rerun, rerun_wall = run()
        say(f"  {rerun_wall:.1f} s, {len(zot.log)} Zotero requests: "
            f"{[r.target.split('?')[0] for r in zot.log]}")

        top = [i for i in items.values() if i["itemType"] != "note"]
        notes_made = [i for i in items.values() if i["itemType"] == "note"]
        dois = Counter(str(i.get("DOI", "")).lower() for i in top)
        collections = zot.app.collections()
        writes = [r for r in first_log if r.method in WRITES]
        by_endpoint = Counter(f"{r.method} {r.endpoint}" for r in writes)
        target = math.ceil(len(top) / 50) + math.ceil(len(notes_made) / 50) + by_endpoint[
            "POST collections"]
        summary: dict[str, Any] = {
            "n": n,
            "items_created": len(top),
            "notes_created": len(notes_made),
            "collections_created": len(collections),
            "duplicate_dois": sum(1 for c in dois.values() if c > 1),
            "failed": first.failed,
            "zotero_write_requests": len(writes),
            "zotero_write_requests_by_endpoint": dict(by_endpoint),
            "zotero_write_target": target,
            "zotero_requests_first_run": len(first_log),
            "source_requests_first_run": first_sources,
            "rerun_zotero_requests": len(zot.log),
            "rerun_source_requests": len(cr.log) + len(pm.log),
            "rerun_changes": rerun.plan.has_changes,
            "rerun_wall_s": round(rerun_wall, 2),
            "wall_s": round(wall, 2),
        }
    ok = (summary["items_created"] == n and summary["duplicate_dois"] == 0
          and not summary["failed"] and not summary["rerun_changes"])
    summary["ok"] = ok
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
