"""Contract and behaviour tests for the Crossref REST API emulator.

Contract tests replay the recorded requests in ../shared/fixtures/crossref/index.json and
compare status, the headers that matter and bodies; they skip without the shared folder.
"""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx2
import pytest
from habanero import Crossref

from tests.servers.base import LocalServer
from tests.servers.crossref import (
    CrossrefApp,
    PoolLimit,
    arxiv_csl,
    crossref_server,
    fixtures_dir,
    generate_works,
    make_app,
    recorded_fixtures,
)

FIXTURES = fixtures_dir()
needs_shared = pytest.mark.skipif(FIXTURES is None, reason="../shared/fixtures absent")
ENTRIES = recorded_fixtures()
GENERATED = generate_works(200, seed=3)
POLITE_UA = {"User-Agent": "zsync-tests/0.1 (mailto:dev@example.org)"}


def _entries(prefix: str) -> list[dict[str, Any]]:
    return [e for e in ENTRIES if e["file"].startswith(prefix)]


def _target(entry: dict[str, Any]) -> str:
    parts = urlsplit(entry["request"]["url"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with crossref_server(enforce_limits=False) as srv:
        assert isinstance(srv.app, CrossrefApp)
        srv.app.add_works(GENERATED)
        yield srv


@pytest.fixture
def client_headers() -> dict[str, str]:
    return POLITE_UA


# ------------------------------------------------------------------------ contract

@needs_shared
@pytest.mark.parametrize("entry", _entries("works/"), ids=lambda e: e["file"])
def test_recorded_work_is_served_verbatim(server: LocalServer, entry: dict[str, Any]) -> None:
    assert FIXTURES is not None
    ua = entry["request"].get("user_agent") or "zsync-tests"
    r = httpx2.get(server.url + _target(entry), headers={"User-Agent": ua})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.json() == json.loads((FIXTURES / entry["file"]).read_text(encoding="utf-8"))
    recorded = entry["response"]["headers"]
    if "x-concurrency-limit" in recorded:  # 2026 recordings; 2022 ones had 50/s
        pool = recorded["x-api-pool"]
        assert r.headers["x-api-pool"].split("-")[0] == pool.split("-")[0]
        if "-" in pool:
            assert r.headers["x-api-pool"] == pool
        for name in ("x-rate-limit-limit", "x-rate-limit-interval", "x-concurrency-limit"):
            assert r.headers[name] == recorded[name], name


@needs_shared
@pytest.mark.parametrize("entry", _entries("errors/"), ids=lambda e: e["file"])
def test_recorded_error_bodies(server: LocalServer, entry: dict[str, Any]) -> None:
    assert FIXTURES is not None
    r = httpx2.get(server.url + _target(entry))
    assert r.status_code == entry["response"]["status"]
    expected = (FIXTURES / entry["file"]).read_bytes()
    if entry["file"].endswith(".txt"):
        assert r.content == expected
        assert r.headers["content-type"].startswith("text/plain")
    else:
        assert r.json() == json.loads(expected)
        assert r.headers["content-type"].startswith("application/json")


@needs_shared
@pytest.mark.parametrize("entry", _entries("lists/"), ids=lambda e: e["file"])
def test_recorded_list_requests_have_the_recorded_shape(
    server: LocalServer, entry: dict[str, Any]
) -> None:
    assert FIXTURES is not None
    recorded = json.loads((FIXTURES / entry["file"]).read_text(encoding="utf-8"))
    r = httpx2.get(server.url + _target(entry), headers=POLITE_UA)
    assert r.status_code == 200
    got = r.json()
    assert {k: v for k, v in got.items() if k != "message"} == {
        k: v for k, v in recorded.items() if k != "message"
    }
    msg, rec = got["message"], recorded["message"]
    assert set(msg) == set(rec)
    assert msg["items-per-page"] == rec["items-per-page"]
    assert msg["query"]["search-terms"] == rec["query"]["search-terms"]
    assert isinstance(msg["total-results"], int)
    recorded_keys = set().union(*(set(i) for i in rec["items"]))
    for item in msg["items"]:
        if "select=" in entry["request"]["url"]:
            assert set(item) <= recorded_keys  # select cuts items, score included
        else:
            assert isinstance(item["score"], float)
    if "sample=" in entry["request"]["url"] or "query" not in entry["request"]["url"]:
        assert all(item["score"] == 0.0 for item in msg["items"])


@needs_shared
def test_list_pool_headers_match_july_2026_recording(client: httpx2.Client) -> None:
    r = client.get("/works", params={"filter": "prefix:10.5555,type:journal-article"})
    assert r.headers["x-api-pool"] == "polite-array"
    assert r.headers["x-rate-limit-limit"] == "3"
    assert r.headers["x-concurrency-limit"] == "3"
    r = httpx2.get(client.base_url.join("/works/10.1038/srep16696"))  # no mailto
    assert r.headers["x-api-pool"] == "public-single"


# ------------------------------------------------------------------------ singletons

def test_doi_lookup_is_case_insensitive_and_accepts_percent_encoding(
    client: httpx2.Client,
) -> None:
    doi = GENERATED[0]["DOI"]
    for path in (doi.upper(), quote(doi, safe=""), "/v1/works/" + doi):
        target = path if path.startswith("/v1/") else f"/works/{path}"
        r = client.get(target)
        assert r.status_code == 200, target
        assert r.json()["message"]["DOI"] == doi
    r = client.get("/works/10.5555/not-there")
    assert (r.status_code, r.text) == (404, "Resource not found.")


def test_head_reports_existence(client: httpx2.Client) -> None:
    assert client.head(f"/works/{GENERATED[1]['DOI']}").status_code == 200
    assert client.head("/works/10.5555/nope").status_code == 404
    assert client.head(f"/works/{GENERATED[1]['DOI']}").content == b""


def test_agency_and_datacite_content_negotiation(server: LocalServer,
                                                 client: httpx2.Client) -> None:
    app = server.app
    assert isinstance(app, CrossrefApp)
    doi = app.add_datacite(arxiv_csl(
        "1810.04805", "BERT: Pre-training of Deep Bidirectional Transformers for Language"
        " Understanding", [("Jacob", "Devlin"), ("Ming-Wei", "Chang")], 2018, version="2"))
    assert doi == "10.48550/arxiv.1810.04805"
    assert client.get(f"/works/{doi}").status_code == 404
    agency = client.get(f"/works/{doi}/agency").json()["message"]
    assert agency == {"DOI": doi, "agency": {"id": "datacite", "label": "DataCite"}}
    own = client.get(f"/works/{GENERATED[2]['DOI']}/agency").json()
    assert own["message-type"] == "work-agency"
    assert own["message"]["agency"]["id"] == "crossref"
    assert client.get("/works/10.5555/nope/agency").status_code == 404

    csl_accept = {"Accept": "application/vnd.citationstyles.csl+json"}
    r = client.get("/doi/10.48550/arXiv.1810.04805", headers=csl_accept)
    assert r.status_code == 302  # doi.org redirects; clients must follow
    r = client.get("/doi/10.48550/arXiv.1810.04805", headers=csl_accept,
                   follow_redirects=True)
    assert r.headers["content-type"].startswith("application/vnd.citationstyles.csl+json")
    item = r.json()
    assert (item["type"], item["DOI"], item["publisher"]) == (
        "article", "10.48550/ARXIV.1810.04805", "arXiv")
    assert item["author"][0] == {"family": "Devlin", "given": "Jacob"}
    r = client.get(f"/doi/{GENERATED[2]['DOI']}", headers=csl_accept, follow_redirects=True)
    assert r.json()["title"] == GENERATED[2]["title"][0]
    assert r.json()["type"] == "article-journal"
    landing = client.get(f"/doi/{GENERATED[2]['DOI']}")
    assert landing.headers["location"] == GENERATED[2]["resource"]["primary"]["URL"]
    assert client.get("/doi/10.5555/nope", headers=csl_accept).status_code == 404


@needs_shared
def test_field_query_on_singleton_is_refused(client: httpx2.Client) -> None:
    r = client.get("/works/10.1371/journal.pone.0033693", params={"query.title": "x"})
    assert r.status_code == 400
    assert r.json()["message"][0]["type"] == "parameter-not-allowed"


# ------------------------------------------------------------------------ batches

def test_doi_filter_batch_rows_default_and_unknown_dois(client: httpx2.Client) -> None:
    dois = [w["DOI"] for w in GENERATED[:30]]
    batch = ",".join(f"doi:{d}" for d in dois)
    r = client.get("/works", params={"filter": batch})
    msg = r.json()["message"]
    assert r.json()["message-type"] == "work-list"
    assert (msg["total-results"], len(msg["items"]), msg["items-per-page"]) == (30, 20, 20)

    unknown = ["10.5555/unknown.1", "10.5555/UNKNOWN.2"]
    mixed = [d.upper() for d in dois[:10]] + unknown + dois[10:]
    r = client.get("/works", params={"filter": ",".join(f"doi:{d}" for d in mixed),
                                     "rows": 40})
    items = r.json()["message"]["items"]
    got = [i["DOI"] for i in items]
    assert sorted(got) == sorted(dois)  # unknown ones silently absent
    assert got != dois  # not request order: match by DOI, never by position
    assert all(i["score"] == 0.0 for i in items)
    # same order every time
    again = client.get("/works", params={"filter": ",".join(f"doi:{d}" for d in mixed),
                                         "rows": 40})
    assert [i["DOI"] for i in again.json()["message"]["items"]] == got


def test_select_and_other_filters(client: httpx2.Client) -> None:
    dois = [w["DOI"] for w in GENERATED[:5]]
    r = client.get("/works", params={"filter": ",".join(f"doi:{d}" for d in dois),
                                     "select": "DOI,title"})
    assert all(set(i) == {"DOI", "title"} for i in r.json()["message"]["items"])
    year = GENERATED[0]["published"]["date-parts"][0][0]
    r = client.get("/works", params={"filter": f"prefix:10.5555,from-pub-date:{year},"
                                               f"until-pub-date:{year}", "rows": 1000})
    items = r.json()["message"]["items"]
    assert GENERATED[0]["DOI"] in {i["DOI"] for i in items}
    assert all(i["published"]["date-parts"][0][0] == year for i in items)
    retracted = [w for w in GENERATED if any(u["type"] == "retraction"
                                             for u in w.get("updated-by", []))]
    assert retracted, "the generator should produce some retractions"
    entry = retracted[0]["updated-by"][-1]
    assert entry["source"] == "retraction-watch" and "record-id" in entry


def test_request_line_over_4096_bytes_is_414(client: httpx2.Client) -> None:
    def target(n: int) -> str:
        dois = [f"10.5555/some.rather.long.suffix.{i:05d}" for i in range(n)]
        return "/works?filter=" + quote(",".join(f"doi:{d}" for d in dois)) + f"&rows={n}"

    fits = max(n for n in range(1, 200) if len(f"GET {target(n)} HTTP/1.1") <= 4096)
    assert client.get(target(fits)).status_code == 200
    r = client.get(target(fits + 1))
    assert r.status_code == 414


def test_validation_failures(client: httpx2.Client) -> None:
    r = client.get("/works", params={"rows": "1001"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == {"status": "failed", "message-type": "validation-failure", "message": [{
        "type": "integer-not-valid", "value": "1001",
        "message": "Integer specified as 1001 but must be a positive integer less than or"
                   " equal to 1000. "}]}
    r = client.get("/works", params={"filter": "doi:10.1/x,frobnicate:yes"})
    assert r.status_code == 400
    assert r.json()["message"][0]["type"] == "filter-not-available"
    assert r.json()["message"][0]["value"] == "frobnicate"
    r = client.get("/works", params={"select": "DOI,nonsense"})
    assert r.status_code == 400


# ------------------------------------------------------------------------ search

@pytest.mark.parametrize("index", [0, 17, 42, 99, 150, 199])
def test_bibliographic_query_ranks_the_work_first(client: httpx2.Client, index: int) -> None:
    work = GENERATED[index]
    query = (f"{work['title'][0]} {work['author'][0]['family']}"
             f" {work['issued']['date-parts'][0][0]}")
    r = client.get("/works", params={"query.bibliographic": query, "rows": 5})
    items = r.json()["message"]["items"]
    assert items[0]["DOI"] == work["DOI"]
    assert all(isinstance(i["score"], float) for i in items)
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)


@needs_shared
def test_bibliographic_query_on_recorded_work_and_unrelated_query(
    client: httpx2.Client,
) -> None:
    r = client.get("/works", params={
        "query.bibliographic": "Methylphenidate exposure induces dopamine neuron loss and"
                               " activation of microglia Sadasivan 2012", "rows": 3})
    items = r.json()["message"]["items"]
    assert items[0]["DOI"] == "10.1371/journal.pone.0033693"
    assert items[0]["score"] > 3 * items[1]["score"]
    r = client.get("/works", params={"query.bibliographic": "zyxwv qwertz", "rows": 5})
    assert r.json()["message"]["items"] == []


def test_cursor_paging(client: httpx2.Client) -> None:
    params = {"filter": "prefix:10.5555", "rows": "7", "cursor": "*"}
    first = client.get("/works", params=params).json()["message"]
    second = client.get("/works", params={**params,
                                          "cursor": first["next-cursor"]}).json()["message"]
    a = [i["DOI"] for i in first["items"]]
    b = [i["DOI"] for i in second["items"]]
    assert len(a) == 7 and len(b) == 7 and not set(a) & set(b)
    r = client.get("/works", params={**params, "cursor": "bogus"})
    assert r.status_code == 404
    assert r.json()["message-type"] == "resource-failure"


# ------------------------------------------------------------------------ habanero

def test_habanero_against_the_emulator(server: LocalServer) -> None:
    cr = Crossref(base_url=server.url, mailto="dev@example.org")
    one = cr.works(ids=GENERATED[5]["DOI"])
    assert isinstance(one, dict) and one["message"]["DOI"] == GENERATED[5]["DOI"]
    two = cr.works(ids=[GENERATED[5]["DOI"], GENERATED[6]["DOI"]])
    assert [e["message"]["DOI"] for e in two] == [GENERATED[5]["DOI"], GENERATED[6]["DOI"]]
    dois = [w["DOI"] for w in GENERATED[:30]]
    batch = cr.works(filter={"doi": list(dois)}, limit=30)
    assert sorted(i["DOI"] for i in batch["message"]["items"]) == sorted(dois)
    short = cr.works(filter={"doi": list(dois)})
    assert len(short["message"]["items"]) == 20
    work = GENERATED[8]
    found = cr.works(query_bibliographic=f"{work['title'][0]} {work['author'][0]['family']}",
                     limit=5)
    assert found["message"]["items"][0]["DOI"] == work["DOI"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert cr.works(ids=["10.5555/nope"], warn=True) is None
    with pytest.raises(httpx2.HTTPStatusError):
        cr.works(ids="10.5555/nope")


# ------------------------------------------------------------------------ runtime data

def test_add_work_and_counts(server: LocalServer, client: httpx2.Client) -> None:
    app = server.app
    assert isinstance(app, CrossrefApp)
    work = {**GENERATED[0], "DOI": "10.5555/ADDED.AT.RUNTIME", "title": ["Runtime addition"]}
    assert app.add_work(work) == "10.5555/added.at.runtime"
    before = server.counts["work"]
    assert client.get("/works/10.5555/added.at.runtime").status_code == 200
    assert server.counts["work"] == before + 1
    r = client.get("/works", params={"query.title": "runtime addition", "rows": 1})
    assert r.json()["message"]["items"][0]["DOI"] == "10.5555/ADDED.AT.RUNTIME"


def test_works_dir_and_generator(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(
        {"status": "ok", "message-type": "work", "message": GENERATED[0]}))
    (tmp_path / "b.json").write_text(json.dumps([GENERATED[1], GENERATED[2]]))
    app = make_app(tmp_path, recorded=False)
    assert len(app.store) == 3
    assert generate_works(3, seed=3) == GENERATED[:3]
    assert generate_works(3, seed=4) != GENERATED[:3]


# ------------------------------------------------------------------------ limits

def _burst(url: str, n: int, headers: dict[str, str] | None = None) -> list[int]:
    with httpx2.Client(headers=headers or {}) as c:
        return [c.get(url).status_code for _ in range(n)]


def test_rate_limits_per_pool() -> None:
    with crossref_server(recorded=False, generate=5) as srv:
        doi = generate_works(1)[0]["DOI"]
        single = f"{srv.url}/works/{doi}"
        assert _burst(single, 6) == [200] * 5 + [429]
        assert _burst(single, 11, POLITE_UA) == [200] * 10 + [429]
        statuses = _burst(f"{srv.url}/works?filter=doi:{doi}&mailto=dev@example.org", 4)
        assert statuses == [200] * 3 + [429]
        r = httpx2.get(single)
        assert r.status_code == 429
        assert r.headers["content-type"] == "text/html"
        assert "Too Many Requests" in r.text
        assert "x-rate-limit-limit" not in r.headers
        assert srv.counts["work"] == 18


def test_concurrency_limit_counts_added_latency() -> None:
    with crossref_server(recorded=False, generate=3, latency=0.3,
                         retry_after=1) as srv:
        url = f"{srv.url}/works/{generate_works(1)[0]['DOI']}"
        results: list[httpx2.Response] = []

        def fetch() -> None:
            results.append(httpx2.get(url, timeout=5))

        threads = [threading.Thread(target=fetch) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(r.status_code for r in results) == [200, 429]  # public: 1 in flight
        refused = next(r for r in results if r.status_code == 429)
        assert refused.headers["retry-after"] == "1"


def test_limits_can_be_switched_off_or_changed() -> None:
    with crossref_server(recorded=False, generate=2, enforce_limits=False) as srv:
        url = f"{srv.url}/works/{generate_works(1)[0]['DOI']}"
        assert set(_burst(url, 12)) == {200}
        srv.app.enforce_limits = True
        assert 429 in _burst(url, 12)
    with crossref_server(recorded=False, generate=2,
                         limits={"public-single": PoolLimit(50, 5)}) as srv:
        r = httpx2.get(f"{srv.url}/works/{generate_works(1)[0]['DOI']}")
        assert (r.headers["x-rate-limit-limit"], r.headers["x-concurrency-limit"]) == ("50", "5")
