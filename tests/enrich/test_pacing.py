"""At the services' real limits: Crossref and PubMed are asked at the same time, and neither
sees more requests in a second than it allows (so none is refused)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tests.enrich.env import CORPUS, load_corpus, note
from tests.servers.base import Fault, LocalServer, Request
from tests.servers.crossref import crossref_server
from tests.servers.pubmed import pubmed_server
from tests.support import config_for, make_stack
from zsync.enrich.enricher import Enricher


def arrivals(server: LocalServer) -> list[float]:
    """Arrival times of requests (a fault that never applies, asked about each request)."""
    times: list[float] = []
    lock = threading.Lock()

    def seen(_request: Request) -> bool:
        with lock:
            times.append(time.monotonic())
        return False

    server.inject(Fault("delay", seen))
    return times


def most_in_one_second(times: list[float]) -> int:
    times = sorted(times)
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


def test_both_services_at_once_within_their_limits(tmp_path: Path) -> None:
    with crossref_server(recorded=False, latency=0.05) as crossref, \
            pubmed_server(recorded=False, latency=0.05) as pubmed:
        load_corpus(crossref, pubmed)
        cr_times, pm_times = arrivals(crossref), arrivals(pubmed)
        stack = make_stack(config_for(tmp_path, crossref, pubmed), paced=True)
        source = Enricher(stack.crossref(max_batch=5), stack.pubmed(esearch_batch=5))
        results = source.enrich([note(i, doi=w.doi) for i, w in enumerate(CORPUS[:25])])
        statuses = [e.status for s in (crossref, pubmed) for e in s.log]
    assert all(r.sources == ("crossref", "pubmed") for r in results)
    assert statuses.count(429) == 0 and len(cr_times) == 5 and len(pm_times) == 6
    assert most_in_one_second(cr_times) <= 3 and most_in_one_second(pm_times) <= 3
    assert min(cr_times) < max(pm_times) and min(pm_times) < max(cr_times)  # overlapping
