"""CrossrefClient against the Crossref emulator: batching, odd DOIs, agencies, failures, cache."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.adapters.enrich_env import config_for, dead_url, make_stack
from tests.servers.base import Fault, LocalServer, Request, Response
from tests.servers.crossref import PoolLimit, arxiv_csl, crossref_server, generate_works
from zsync.sources.outcomes import CslWork, NotEnriched, NotFound

WORKS = generate_works(160, seed=11)
DOIS = [w["DOI"] for w in WORKS]
ODD = ["10.1234/abc#def", "10.1234/x;y(1999)<z>", "10.1890/0012-9615(1999)069[0569:EDILSA]2.0.CO;2",
       "10.1234/comma,inside#and(more)"]
LONG = [f"10.1002/(SICI)1097-4636(199706)35:4<517::AID-JBM{n:05d}>3.0.CO;2-F#s{n}"
        for n in range(150)]
ARXIV = arxiv_csl("2101.00001", "A preprint", [("Ada", "Lovelace")], 2021)


@pytest.fixture(scope="module")
def emulator() -> Iterator[LocalServer]:
    """The tests get it as `server` (conftest.py), cleared for each."""
    fast = {pool: PoolLimit(1000, 10) for pool in ("polite-single", "polite-array")}
    with crossref_server(recorded=False, enforce_limits=False, limits=fast) as server:
        server.app.add_works(WORKS)
        for doi in ODD + LONG:
            server.app.add_work({"DOI": doi, "type": "journal-article", "title": [doi]})
        server.app.add_datacite(ARXIV)
        yield server


def filter_requests(server: LocalServer) -> list[tuple[str, list[str], int]]:
    """(request line, DOIs asked, rows) of every batch request in the log."""
    out = []
    for entry in server.requests_to("works-filter"):
        query = parse_qs(urlsplit(entry.target).query)
        dois = [part[4:] for part in query["filter"][0].split(",")]
        out.append((f"{entry.method} {entry.target} HTTP/1.1", dois, int(query["rows"][0])))
    return out


@pytest.mark.parametrize("n", [30, 120])
def test_batches_cost_ceil_n_over_b_requests_with_rows(
    tmp_path: Path, server: LocalServer, n: int
) -> None:
    client = make_stack(config_for(tmp_path, crossref=server)).crossref()
    asked = [doi.upper() for doi in DOIS[:n]]  # Crossref answers in lower case
    result = client.works_by_doi(asked)
    batches = filter_requests(server)
    largest = max(len(dois) for _, dois, _ in batches)
    assert len(batches) == math.ceil(n / largest) == (1 if n == 30 else 2)
    assert all(rows == len(dois) for _, dois, rows in batches)
    assert all(len(line.encode()) <= 3500 for line, _, _ in batches)
    assert set(server.counts) == {"works-filter"}
    assert all(result[doi]["DOI"] == doi.lower() for doi in asked)  # type: ignore[index]


def test_long_dois_stay_under_the_request_line_limit(tmp_path: Path, server: LocalServer) -> None:
    client = make_stack(config_for(tmp_path, crossref=server)).crossref()
    result = client.works_by_doi(LONG)
    batches = filter_requests(server)
    assert all(len(line.encode()) <= 3500 < 4096 for line, _, _ in batches)
    assert sum(len(dois) for _, dois, _ in batches) == len(LONG)
    assert all(entry.status == 200 for entry in server.log)  # no 414
    assert all(isinstance(result[doi], dict) for doi in LONG)


def test_unknown_dois_are_not_found_at_one_agency_request_each(
    tmp_path: Path, server: LocalServer
) -> None:
    client = make_stack(config_for(tmp_path, crossref=server)).crossref()
    unknown = ["10.9999/nope.1", "10.9999/nope.2"]
    result = client.works_by_doi([*DOIS[:5], *unknown])
    assert all(isinstance(result[doi], NotFound) for doi in unknown)
    assert server.counts == {"works-filter": 1, "agency": 2}


def test_odd_dois_are_fetched_as_themselves(tmp_path: Path, server: LocalServer) -> None:
    client = make_stack(config_for(tmp_path, crossref=server)).crossref()
    result = client.works_by_doi(ODD)
    for doi in ODD:
        assert result[doi]["DOI"].lower() == doi.lower()  # type: ignore[index]
    # the comma one cannot go in a filter: agency + singleton, both percent-encoded paths
    single = [e.target for e in server.log if e.endpoint in ("agency", "work")]
    assert len(single) == 2 and all("%23and%28more%29" in target for target in single)


def test_a_datacite_doi_comes_back_as_csl_json(tmp_path: Path, server: LocalServer) -> None:
    client = make_stack(config_for(tmp_path, crossref=server)).crossref()
    doi = ARXIV["DOI"]
    answer = client.works_by_doi([doi])[doi]
    assert isinstance(answer, CslWork)
    assert (answer.agency, answer.format, answer.csl["title"]) == ("datacite", "csl-json",
                                                                   "A preprint")
    again = make_stack(config_for(tmp_path, crossref=server)).crossref()
    server.reset_log()
    assert again.works_by_doi([doi])[doi] == answer and not server.log  # cached


def test_search_bibliographic_returns_scored_candidates(
    tmp_path: Path, server: LocalServer
) -> None:
    client = make_stack(config_for(tmp_path, crossref=server)).crossref()
    work = WORKS[3]
    found = client.search_bibliographic(work["title"][0], work["author"][0]["family"], 2020)
    assert isinstance(found, list) and found[0]["DOI"] == work["DOI"]
    assert all("score" in item for item in found) and len(found) <= 5
    assert "rows=5" in server.log[0].target
    assert client.search_bibliographic(work["title"][0], work["author"][0]["family"],
                                       2020) == found
    assert len(server.log) == 1  # the second search came from the record cache


def _html_429(retry_after: str) -> Response:
    return Response(429, b"<html>429 Too Many Requests</html>",
                    {"Content-Type": "text/html", "Retry-After": retry_after})


def _is_list(request: Request) -> bool:
    return request.path.rstrip("/").endswith("/works")


def test_a_429_with_retry_after_is_honoured(tmp_path: Path, server: LocalServer) -> None:
    client = make_stack(config_for(tmp_path, crossref=server)).crossref()
    server.inject(Fault("respond", _is_list, _html_429("1")))
    started = time.monotonic()
    result = client.works_by_doi(DOIS[:10])
    assert time.monotonic() - started >= 0.9
    assert all(isinstance(result[doi], dict) for doi in DOIS[:10])
    assert [e.status for e in server.log] == [429, 200]


def test_rate_limiting_that_does_not_stop_degrades_per_doi(
    tmp_path: Path, server: LocalServer
) -> None:
    client = make_stack(config_for(tmp_path, crossref=server)).crossref()
    server.inject(Fault("respond", _is_list, _html_429("0"), times=100))
    result = client.works_by_doi(DOIS[:150])
    assert all(isinstance(v, NotEnriched) and "429" in str(v) for v in result.values())
    assert str(result[DOIS[0]]).startswith("not enriched: crossref: HTTP 429")
    assert len(server.log) == 4  # one batch tried 4 times; the next degraded without asking


def test_a_source_that_is_down_yields_not_enriched(tmp_path: Path) -> None:
    client = make_stack(config_for(tmp_path, crossref=dead_url())).crossref()
    result = client.works_by_doi(DOIS[:3])
    assert all(isinstance(v, NotEnriched) and "connection refused" in v.reason
               for v in result.values())
    assert isinstance(client.search_bibliographic("A title"), NotEnriched)


def test_an_error_body_with_a_string_message_degrades(
    tmp_path: Path, server: LocalServer
) -> None:
    client = make_stack(config_for(tmp_path, crossref=server)).crossref()
    body = Response.json({"status": "failed", "message": "Something broke"}, 400)
    server.inject(Fault("respond", _is_list, body))
    found = client.search_bibliographic("Any title at all")
    assert isinstance(found, NotEnriched) and "unreadable" in found.reason


def test_a_rerun_asks_nothing_and_a_new_doi_costs_one_request(
    tmp_path: Path, server: LocalServer
) -> None:
    config = config_for(tmp_path, crossref=server)
    first = make_stack(config).crossref().works_by_doi([*DOIS[:120], "10.9999/gone"])
    server.reset_log()
    second = make_stack(config).crossref().works_by_doi([*DOIS[:120], "10.9999/gone"])
    assert not server.log
    assert {k: type(v) for k, v in second.items()} == {k: type(v) for k, v in first.items()}
    assert second[DOIS[0]] == first[DOIS[0]]
    third = make_stack(config).crossref().works_by_doi([*DOIS[:121], "10.9999/gone"])
    assert server.counts == {"works-filter": 1} and isinstance(third[DOIS[120]], dict)
    assert "rows=1" in server.log[0].target


def test_offline_answers_from_the_cache_only(tmp_path: Path, server: LocalServer) -> None:
    make_stack(config_for(tmp_path, crossref=server)).crossref().works_by_doi(DOIS[:5])
    server.reset_log()
    offline = make_stack(config_for(tmp_path, crossref=server, ZSYNC_OFFLINE="true")).crossref()
    result = offline.works_by_doi(DOIS[:6])
    assert all(isinstance(result[doi], dict) for doi in DOIS[:5])
    assert str(result[DOIS[5]]) == "not enriched: crossref: offline (answered from the cache only)"
    assert isinstance(offline.search_bibliographic("Whatever"), NotEnriched)
    assert not server.log


def test_default_pacing_keeps_within_the_pool_limits(tmp_path: Path) -> None:
    with crossref_server(recorded=False, enforce_limits=True) as limited:
        limited.app.add_works(WORKS)
        stack = make_stack(config_for(tmp_path, crossref=limited), paced=True)
        client = stack.crossref(max_batch=20)
        result = client.works_by_doi(DOIS[:100])
        assert all(isinstance(v, dict) for v in result.values())
        # Five list requests at the announced 3/s. Arrival jitter on a loaded machine may
        # push one into the server's window; it is then waited out, never repeated blindly.
        statuses = [e.status for e in limited.log]
        assert statuses.count(200) == 5 and statuses.count(429) <= 1
        assert re.search(r"\bmailto:", limited.log[0].headers["user-agent"])
        assert stack.http.throttles["crossref-list"].rate == 3.0  # polite-array, as announced
