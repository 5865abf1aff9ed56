"""Benchmark: enrich N DOIs against the local Crossref and PubMed emulators.

Both emulators run with their real rate limits enforced (Crossref polite pools: lists 3/s,
single works 10/s, 3 in flight; E-utilities 3/s without an API key) and 50 ms added to
every request. zsync enriches N in-memory DOI records through `runtime.enricher` (the
production stack: default throttles, retries and caches, in a fresh cache folder), then
the same input again (the rerun must ask nothing), then one new DOI among the cached ones.

The naive baseline is what a plain habanero-and-requests loop does: per DOI
`Crossref.works(ids=doi)`, then ESearch `<doi>[doi]` and EFetch of the PMID, paced per
service at the same limits (so it gets no 429s). It costs three requests per DOI and is
slow, so it runs over the first `--naive-sample` DOIs and its time and requests are scaled
to N (the loop is sequential, so its time grows linearly); `naive_measured` says so.

`bound_s` is the time the rate limits alone allow for the requests zsync made: each
service's requests divided by its rate (list and single-work pools separately), and the
largest of those, since the services (and Crossref's pools) have separate limits and
zsync queries Crossref and PubMed at the same time. `ratio_to_bound` is wall_s / bound_s.
`bound_window_s` is the strictest reading of a sliding one-second window (N requests may
go at once, so n take floor((n - 1) / N) seconds, network time ignored), for reference.

    python bench/enrich.py [--n 1000] [--latency 0.05] [--naive-sample 100] [--api-key K]

Prints progress to stderr and, as the last line on stdout, a JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from enrich_naive import NaiveResult, naive_loop

from tests.servers.base import LocalServer
from tests.servers.crossref import DEFAULT_LIMITS, crossref_server, generate_works
from tests.servers.pubmed import generate_articles, pubmed_server
from zsync.config.settings import Config, load
from zsync.enrich.merge import Enriched
from zsync.model.records import Identifiers, Origin, Record
from zsync.runtime import enricher

MAILTO = "bench@example.org"
NCBI_RATE = {False: 3.0, True: 10.0}  # requests/s without / with an API key
CROSSREF_RATE = {"list": DEFAULT_LIMITS["polite-array"].rate,
                 "single": DEFAULT_LIMITS["polite-single"].rate}
CROSSREF_LIST = ("works-filter", "works-query", "works-other")
CROSSREF_SINGLE = ("work", "work-head", "agency", "transform")


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def config(folder: Path, crossref: LocalServer, pubmed: LocalServer, key: str | None) -> Config:
    env = {"ZSYNC_CACHE_DIR": str(folder / "cache"), "CROSSREF_MAILTO": MAILTO,
           "NCBI_EMAIL": MAILTO, "CROSSREF_API_URL": crossref.url,
           "DOI_RESOLVER_URL": f"{crossref.url}/doi",
           "NCBI_EUTILS_URL": f"{pubmed.url}/entrez/eutils",
           "NCBI_IDCONV_URL": f"{pubmed.url}/tools/idconv/api/v1/articles/"}
    if key:
        env["NCBI_API_KEY"] = key
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text("", encoding="utf-8")
    return load(path, env=env)


def records_for(dois: list[str]) -> list[Record]:
    return [Record(Origin(f"bench/note-{i:05d}.md", format="markdown"), Identifiers(doi=doi))
            for i, doi in enumerate(dois)]


def run(cfg: Config, records: list[Record], servers: list[LocalServer]) -> tuple[
        list[Enriched], float, dict[str, int]]:
    for server in servers:
        server.reset_log()
    start = time.perf_counter()
    with enricher(cfg) as source:
        out = source.enrich(records)
    wall = time.perf_counter() - start
    counts: dict[str, int] = {}
    for server in servers:
        counts.update(server.counts)
    return out, wall, counts


def bound(counts: dict[str, int], keyed: bool) -> dict[str, float]:
    pubmed = sum(counts.get(k, 0) for k in ("esearch", "efetch")) / NCBI_RATE[keyed]
    listed = sum(counts.get(k, 0) for k in CROSSREF_LIST) / CROSSREF_RATE["list"]
    single = sum(counts.get(k, 0) for k in CROSSREF_SINGLE) / CROSSREF_RATE["single"]
    return {"crossref_list": listed, "crossref_single": single, "pubmed": pubmed}


def window_bound(counts: dict[str, int], keyed: bool) -> float:
    """The strictest reading: a sliding window lets `limit` requests go at once, so n of
    them need only floor((n - 1) / limit) windows of one second (network time ignored)."""
    def windows(n: int, limit: float) -> float:
        return float((n - 1) // int(limit)) if n else 0.0
    return max(windows(sum(counts.get(k, 0) for k in ("esearch", "efetch")), NCBI_RATE[keyed]),
               windows(sum(counts.get(k, 0) for k in CROSSREF_LIST), CROSSREF_RATE["list"]),
               windows(sum(counts.get(k, 0) for k in CROSSREF_SINGLE), CROSSREF_RATE["single"]))


def check(out: list[Enriched], dois: list[str]) -> int:
    """How many records came back with Crossref and PubMed data and their PMID."""
    ok = 0
    for enriched, doi in zip(out, dois, strict=True):
        record = enriched.record
        ok += bool(record.ids.doi == doi and record.ids.pmid and record.title
                   and {"crossref", "pubmed"} <= set(enriched.sources))
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--naive-sample", type=int, default=100)
    parser.add_argument("--api-key", default=None, help="NCBI api_key (10/s instead of 3/s)")
    args = parser.parse_args()
    n, keyed = args.n, bool(args.api_key)

    works = generate_works(n + 1, seed=args.seed)
    dois = [str(w["DOI"]) for w in works]
    say(f"{n} works generated; starting the emulators (limits on, {args.latency * 1000:.0f} ms)")
    with crossref_server(recorded=False, latency=args.latency) as crossref, \
            pubmed_server(recorded=False, latency=args.latency) as pubmed, \
            tempfile.TemporaryDirectory() as tmp:
        crossref.app.add_works(works)
        pubmed.app.add_articles(generate_articles(n + 1, seed=args.seed))
        servers = [crossref, pubmed]
        cfg = config(Path(tmp), crossref, pubmed, args.api_key)
        records = records_for(dois[:n])

        out, wall, counts = run(cfg, records, servers)
        say(f"first run: {wall:.2f} s, {counts}")
        enriched_ok = check(out, dois[:n])
        _, rerun_wall, rerun = run(cfg, records, servers)
        say(f"rerun: {rerun_wall:.2f} s, {rerun}")
        _, _, one_new = run(cfg, records_for(dois[:n + 1]), servers)
        say(f"one new DOI: {one_new}")

        naive_cfg = config(Path(tmp) / "naive", crossref, pubmed, args.api_key)
        sample = dois[:min(args.naive_sample, n)]
        for server in servers:
            server.reset_log()
        naive: NaiveResult = naive_loop(naive_cfg, sample, keyed=keyed, log=say)
        refused = sum(1 for s in servers for e in s.log if e.status == 429)

    cr_requests = sum(counts.get(k, 0) for k in (*CROSSREF_LIST, *CROSSREF_SINGLE, "doi",
                                                 "datacite"))
    pm_requests = sum(counts.get(k, 0) for k in ("esearch", "efetch", "idconv"))
    bounds = bound(counts, keyed)
    bound_s = max(bounds.values())
    scale = n / len(sample)
    naive_wall = naive.wall_s * scale
    result: dict[str, Any] = {
        "n": n,
        "crossref_requests": cr_requests,
        "crossref_target": math.ceil(n / 50) + 1,
        "pubmed_requests": pm_requests,
        "pubmed_target": math.ceil(n / 50) + math.ceil(n / 200) + 1,
        "wall_s": round(wall, 2),
        "bound_s": round(bound_s, 2),
        "ratio_to_bound": round(wall / bound_s, 3) if bound_s else None,
        "rerun_requests": sum(rerun.values()),
        "rerun_wall_s": round(rerun_wall, 2),
        "one_new_requests": one_new,
        "enriched_ok": enriched_ok,
        "requests_by_endpoint": counts,
        "bound_by_pool_s": {k: round(v, 2) for k, v in bounds.items()},
        "bound_window_s": window_bound(counts, keyed),
        "naive_requests": round(naive.requests * scale),
        "naive_wall_s": round(naive_wall, 1),
        "speedup_vs_naive": round(naive_wall / wall, 1),
        "naive_measured": {"dois": len(sample), "requests": naive.requests,
                           "wall_s": round(naive.wall_s, 2), "http_429": refused,
                           "scaled_to_n": scale != 1},
        "ncbi_api_key": keyed,
        "latency_s": args.latency,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
