"""The baseline for bench/enrich.py: one record at a time, as a plain script would do it.

Per DOI: habanero `Crossref.works(ids=doi)`, then requests to ESearch (`"<doi>"[doi]`)
and EFetch (the PMID found). Each service is paced at its limit (Crossref's polite
single-work pool 10/s, E-utilities 3/s or 10/s with a key, spaced 5% wider like zsync)
so the loop is not refused; a 429 anyway is waited out for a second and repeated.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from habanero import Crossref

from zsync.config.settings import Config

SAFETY = 1.05


class Pacer:
    def __init__(self, rate: float) -> None:
        self.interval = SAFETY / rate
        self.next = 0.0

    def wait(self) -> None:
        now = time.monotonic()
        if now < self.next:
            time.sleep(self.next - now)
        self.next = max(now, self.next) + self.interval


@dataclass
class NaiveResult:
    requests: int
    wall_s: float
    found: int


def naive_loop(config: Config, dois: list[str], *, keyed: bool,
               log: Callable[[str], None]) -> NaiveResult:
    cr = Crossref(base_url=config.crossref.api_url, mailto=config.crossref.mailto)
    eutils = str(config.pubmed.eutils_url).rstrip("/")
    identity: dict[str, Any] = {"tool": "naive-bench", "email": config.crossref.mailto}
    if keyed:
        identity["api_key"] = config.pubmed.api_key.reveal()
    crossref_pace, ncbi_pace = Pacer(10.0), Pacer(10.0 if keyed else 3.0)
    session = requests.Session()
    sent = found = 0

    def ncbi(name: str, params: dict[str, Any]) -> str:
        nonlocal sent
        while True:
            ncbi_pace.wait()
            sent += 1
            response = session.get(f"{eutils}/{name}.fcgi", params={**params, **identity})
            if response.status_code != 429:
                return response.text
            time.sleep(1.0)

    start = time.perf_counter()
    for i, doi in enumerate(dois):
        while True:
            crossref_pace.wait()
            sent += 1
            try:
                work = cr.works(ids=doi)
                break
            except Exception as exc:  # habanero raises on a 429
                if "429" not in str(exc):
                    raise
                time.sleep(1.0)
        search = ncbi("esearch", {"db": "pubmed", "term": f'"{doi}"[doi]'})
        pmids = re.findall(r"<Id>(\d+)</Id>", search)
        if pmids:
            article = ncbi("efetch", {"db": "pubmed", "id": pmids[0], "retmode": "xml"})
            found += bool(work and "<PubmedArticle>" in article)
        if (i + 1) % 25 == 0:
            log(f"naive: {i + 1}/{len(dois)} DOIs, {time.perf_counter() - start:.1f} s")
    return NaiveResult(sent, time.perf_counter() - start, found)
