"""Benchmark: `zsync refresh` over a generated 10,000-item library on the local emulators.

The library (seeded straight into the Zotero emulator's app, as another client's items)
holds incomplete copies of generated works: title, authors, journal, year and DOI, no
abstract, PMID, volume/issue/pages, ISSN or MeSH tags; a few (`--no-doi`) lack the DOI
and must be found by title. Crossref and PubMed emulators hold the same works
(`tests/servers/generate.py`, about 3% retracted and 3% corrected) and enforce their rate
limits (Crossref polite pools, NCBI with an API key: 10/s), with `--latency` added per
request. zsync runs as a subprocess with its default pacing:

1. `zsync refresh` on the fresh library (first run: everything);
2. `zsync refresh` again with nothing changed.

The last line printed is a JSON object: `requests_per_item` per service (Crossref: DOI
lookups per item with a DOI, title searches counted apart; PubMed: all E-utilities and
idconv requests per item), `rerun_requests` (all requests of the second run, Zotero
included), and `ratio_to_bound`: the first run's wall time over the time the sources'
rate limits alone require for the requests it made (the busiest pool's count / rate).

    python bench/refresh.py [--items 10000] [--no-doi 40] [--latency 0.02] [--seed 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.servers.base import LocalServer  # noqa: E402
from tests.servers.crossref import crossref_server  # noqa: E402
from tests.servers.generate import crossref_work, iter_generate, pubmed_article  # noqa: E402
from tests.servers.pubmed import pubmed_server  # noqa: E402
from tests.servers.zotero import ZoteroServer, zotero_server  # noqa: E402
from tests.servers.zotero.library import Library  # noqa: E402

KEY = "benchRefreshKey0123456789abcdef"
NCBI_KEY = "bench-ncbi-key-0123456789abcdef"
USER = 1
# The rates zsync paces to and the emulators enforce (polite Crossref, NCBI with a key).
RATES = {"crossref-list": 3.0, "crossref-single": 10.0, "ncbi": 10.0}


def index_emulator_children() -> None:
    """Give the Zotero emulator's `Library.children` an index kept up to date by `put` and
    `remove`. The emulator scans the whole library for every item it renders (its
    `numChildren`), so at 10,000 items each request costs it ~0.1 s, time the real API does
    not take and that would be counted against zsync. Answers are unchanged."""
    put, remove = Library.put, Library.remove

    def parents(lib: Library) -> dict[str, set[str]]:
        return lib.__dict__.setdefault("_bench_children", {})

    def indexed_put(self: Library, kind: str, data: dict[str, Any]) -> Any:
        entry = put(self, kind, data)
        if kind == "items" and data.get("parentItem"):
            parents(self).setdefault(str(data["parentItem"]), set()).add(data["key"])
        return entry

    def indexed_remove(self: Library, kind: str, key: str, version: int) -> None:
        remove(self, kind, key, version)
        for children in parents(self).values():
            children.discard(key)

    def children(self: Library, key: str) -> list[Any]:
        found = (self.items.get(k) for k in sorted(parents(self).get(key, ())))
        return [e for e in found if e is not None and e.data.get("parentItem") == key]

    Library.put, Library.remove, Library.children = (  # type: ignore[method-assign]
        indexed_put, indexed_remove, children)


def seed_library(server: ZoteroServer, works: list[Any], no_doi: int) -> int:
    """Items for the works, straight into the app; every `step`-th without its DOI."""
    step = max(1, len(works) // no_doi) if no_doi else 0
    with_doi = 0
    for work in works:
        item: dict[str, Any] = {
            "itemType": "journalArticle", "title": work.title,
            "creators": [{"creatorType": "author", "firstName": a.given,
                          "lastName": a.family} for a in work.authors[:3]],
            "publicationTitle": work.journal.title, "date": str(work.year),
        }
        if not (step and work.index % step == step - 1):
            item["DOI"] = work.doi
            with_doi += 1
        server.app.seed_item(item)
    return with_doi


def env_for(tmp: Path, zotero: LocalServer, crossref: LocalServer, pubmed: LocalServer
            ) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ZOTERO_", "ZSYNC_", "NCBI_", "CROSSREF_"))}
    env.update({
        "ZOTERO_API_URL": zotero.url, "ZOTERO_API_KEY": KEY, "ZOTERO_LIBRARY_ID": str(USER),
        "CROSSREF_API_URL": crossref.url, "DOI_RESOLVER_URL": f"{crossref.url}/doi",
        "CROSSREF_MAILTO": "bench@example.org", "NCBI_EMAIL": "bench@example.org",
        "NCBI_API_KEY": NCBI_KEY, "NCBI_EUTILS_URL": f"{pubmed.url}/entrez/eutils",
        "NCBI_IDCONV_URL": f"{pubmed.url}/tools/idconv/api/v1/articles/",
        "ZSYNC_STATE": str(tmp / "state.sqlite"), "ZSYNC_CACHE_DIR": str(tmp / "cache"),
        "XDG_CONFIG_HOME": str(tmp / "xdg"), "PYTHONPATH": str(REPO),
    })
    return env


def run_refresh(env: dict[str, str], report: Path) -> tuple[float, int, dict[str, Any]]:
    command = [sys.executable, "-c", "from zsync.cli.app import main; main()", "--quiet",
               "refresh", "--report", str(report), "--format", "json"]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"zsync refresh failed ({done.returncode}):\n{done.stderr[-3000:]}")
    print(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "", flush=True)
    return wall, done.returncode, json.loads(report.read_text(encoding="utf-8"))


def counts(crossref: LocalServer, pubmed: LocalServer, zotero: LocalServer) -> dict[str, int]:
    cr, pm = crossref.counts, pubmed.counts
    return {
        "crossref-doi": sum(cr[k] for k in ("works-filter", "work", "agency", "doi",
                                            "transform", "datacite")),
        "crossref-search": cr["works-query"],
        "crossref-list": cr["works-filter"] + cr["works-query"] + cr["works-other"],
        "crossref-single": cr["work"] + cr["agency"],
        "crossref-429": sum(1 for r in crossref.log if r.status == 429),
        "ncbi": pm["esearch"] + pm["efetch"] + pm["idconv"],
        "ncbi-429": sum(1 for r in pubmed.log if r.status == 429),
        "crossref": len(crossref.log), "pubmed": len(pubmed.log), "zotero": len(zotero.log),
    }


def reset(*servers: LocalServer) -> None:
    for server in servers:
        server.reset_log()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--no-doi", type=int, default=40, help="items without a DOI")
    parser.add_argument("--latency", type=float, default=0.02, help="seconds per request")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    index_emulator_children()
    works = list(iter_generate(args.items, args.seed))
    with crossref_server(recorded=False, latency=args.latency) as crossref, \
            pubmed_server(recorded=False, latency=args.latency) as pubmed, \
            zotero_server(user_id=USER, key=KEY) as zotero, \
            tempfile.TemporaryDirectory(prefix="zsync-bench-refresh-") as tmp_name:
        crossref.app.add_works(crossref_work(w) for w in works)
        pubmed.app.add_articles(pubmed_article(w) for w in works)
        with_doi = seed_library(zotero, works, args.no_doi)
        tmp = Path(tmp_name)
        env = env_for(tmp, zotero, crossref, pubmed)
        print(f"set-up: {args.items} items ({with_doi} with a DOI) and their records in "
              f"{time.perf_counter() - started:.1f} s", flush=True)

        reset(crossref, pubmed, zotero)
        wall, code, report = run_refresh(env, tmp / "first.json")
        first = counts(crossref, pubmed, zotero)
        bound = max(first[pool] / rate for pool, rate in RATES.items())
        summary = report["summary"]
        print(f"first run: {wall:.1f} s (bound {bound:.1f} s), exit {code}, "
              f"{summary['update']} updated, {summary['failed']} failed, "
              f"{len(report['retracted'])} retracted/corrected; requests {first}", flush=True)

        reset(crossref, pubmed, zotero)
        rewall, recode, _ = run_refresh(env, tmp / "second.json")
        second = counts(crossref, pubmed, zotero)
        rerun = second["crossref"] + second["pubmed"] + second["zotero"]
        print(f"second run: {rewall:.1f} s, exit {recode}; requests {second}", flush=True)

    result = {
        "items": args.items,
        "items_with_doi": with_doi,
        "requests_per_item": {
            "crossref": round(first["crossref-doi"] / max(1, with_doi), 4),
            "pubmed": round(first["ncbi"] / max(1, args.items), 4),
        },
        "title_searches_per_item_without_doi": round(
            first["crossref-search"] / max(1, args.items - with_doi), 4),
        "rerun_requests": rerun,
        "rerun_requests_by_service": {k: second[k] for k in ("zotero", "crossref", "pubmed")},
        "wall_s": round(wall, 1),
        "bound_s": round(bound, 1),
        "ratio_to_bound": round(wall / bound, 2) if bound else None,
        "rate_limited": first["crossref-429"] + first["ncbi-429"],
        "updated": summary["update"],
        "failed": summary["failed"],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
