"""Contract and behaviour tests for the E-utilities / PMC ID Converter emulator.

Contract tests replay the recorded requests in ../shared/fixtures/pubmed/index.json; they
skip without the shared folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2
import pytest
from lxml import etree

from tests.servers.base import LocalServer
from tests.servers.crossref import generate_works
from tests.servers.generate import work_for_doi
from tests.servers.pubmed import (
    PubMedApp,
    fixtures_dir,
    generate_articles,
    make_app,
    pubmed_server,
    recorded_fixtures,
)

FIXTURES = fixtures_dir()
needs_shared = pytest.mark.skipif(FIXTURES is None, reason="../shared/fixtures absent")
ENTRIES = recorded_fixtures()
SEED = 5
N = 120
ARTICLES = generate_articles(N, SEED)
WORKS = generate_works(N, SEED)
PARSER = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)


def _entries(prefix: str) -> list[dict[str, Any]]:
    return [e for e in ENTRIES if e["file"].startswith(prefix)]


def _target(entry: dict[str, Any]) -> str:
    parts = urlsplit(entry["request"]["url"])
    name = parts.path.rsplit("/", 2)
    path = "/" + name[-1] if parts.path.endswith(".fcgi") else parts.path
    return path + (f"?{parts.query}" if parts.query else "")


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, PARSER)


def _c14n(el: etree._Element) -> bytes:
    return etree.tostring(el, method="c14n")


def _pmid(el: etree._Element) -> str:
    return (el.findtext("MedlineCitation/PMID") or el.findtext("BookDocument/PMID") or "")


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with pubmed_server(enforce_limits=False) as srv:
        assert isinstance(srv.app, PubMedApp)
        srv.app.add_articles(ARTICLES)
        yield srv


def esearch(client: httpx2.Client, term: str, **params: str) -> etree._Element:
    r = client.get("/esearch.fcgi", params={"db": "pubmed", "term": term, **params})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/xml")
    return _xml(r.content)


def ids(result: etree._Element) -> list[str]:
    return [i.text or "" for i in result.findall("IdList/Id")]


# ------------------------------------------------------------------------ contract

@needs_shared
@pytest.mark.parametrize("entry", _entries("efetch/"), ids=lambda e: e["file"])
def test_efetch_returns_the_recorded_records(server: LocalServer,
                                             entry: dict[str, Any]) -> None:
    assert FIXTURES is not None
    r = httpx2.get(server.url + _target(entry))
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/xml; charset=UTF-8"
    got = _xml(r.content)
    assert got.tag == "PubmedArticleSet"
    recorded = _xml((FIXTURES / entry["file"]).read_bytes())
    assert [_pmid(el) for el in got] == [_pmid(el) for el in recorded]
    for mine, theirs in zip(got, recorded, strict=True):
        assert _c14n(mine) == _c14n(theirs)


@needs_shared
def test_esearch_no_hits_has_the_recorded_shape(client: httpx2.Client) -> None:
    assert FIXTURES is not None
    recorded = _xml((FIXTURES / "esearch/esearch_no_hits.xml").read_bytes())
    got = esearch(client, "abcXYZ")
    assert [c.tag for c in got] == [c.tag for c in recorded]
    for path in ("Count", "RetMax", "RetStart", "ErrorList/PhraseNotFound",
                 "WarningList/OutputMessage"):
        assert got.findtext(path) == recorded.findtext(path), path
    assert len(got.find("IdList")) == 0


@needs_shared
def test_esearch_hits_have_the_recorded_shape(client: httpx2.Client) -> None:
    assert FIXTURES is not None
    recorded = _xml((FIXTURES / "esearch/esearch_term_biopython.xml").read_bytes())
    got = esearch(client, "Journal Article[pt]")  # > 20 hits
    assert [c.tag for c in got] == [c.tag for c in recorded]
    assert int(got.findtext("Count") or 0) > 20
    assert got.findtext("RetMax") == recorded.findtext("RetMax") == "20"
    assert len(ids(got)) == 20


@needs_shared
def test_idconv_ok_matches_recording() -> None:
    assert FIXTURES is not None
    entry = next(e for e in _entries("idconv/") if e["response"]["status"] == 200)
    recorded = json.loads((FIXTURES / entry["file"]).read_text(encoding="utf-8"))
    rec = recorded["records"][0]
    # No EFetch record of this paper was recorded: give a generated one its ids.
    xml = generate_articles(1, 0, dois=[rec["doi"]])[0]
    work = work_for_doi(rec["doi"])
    xml = xml.replace(f">{work.pmid}<", f">{rec['pmid']}<")
    xml = xml.replace(f'IdType="doi">{work.doi}<', f'IdType="doi">{rec["doi"]}<')
    if work.pmcid:
        xml = xml.replace(work.pmcid, rec["pmcid"])
    else:
        xml = xml.replace('<ArticleId IdType="doi">',
                          f'<ArticleId IdType="pmc">{rec["pmcid"]}</ArticleId>'
                          '<ArticleId IdType="doi">', 1)
    url = urlsplit(entry["request"]["url"])
    with pubmed_server(recorded=False, enforce_limits=False) as srv:
        assert isinstance(srv.app, PubMedApp)
        srv.app.add_article(xml)
        r = httpx2.get(f"{srv.url}{url.path}?{url.query}")  # /pmc/utils/idconv/v1.0/
    assert r.status_code == 200
    assert r.headers["content-type"] == entry["response"]["headers"]["content-type"]
    got = r.json()
    assert set(got) == set(recorded)
    assert (got["status"], got["request"]) == (recorded["status"], recorded["request"])
    assert [set(x) for x in got["records"]] == [set(x) for x in recorded["records"]]
    assert {k: got["records"][0][k] for k in ("pmcid", "pmid", "doi")} == {
        k: rec[k] for k in ("pmcid", "pmid", "doi")}
    assert got["records"][0]["versions"][-1]["current"] == "true"


@needs_shared
def test_idconv_error_matches_recording(server: LocalServer) -> None:
    assert FIXTURES is not None
    entry = next(e for e in _entries("idconv/") if e["response"]["status"] == 404)
    recorded = json.loads((FIXTURES / entry["file"]).read_text(encoding="utf-8"))
    url = urlsplit(entry["request"]["url"])
    r = httpx2.get(f"{server.url}{url.path}?{url.query}")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json; charset=ISO-8859-1"
    got = r.json()
    assert set(got) == set(recorded)
    assert {k: v for k, v in got.items() if k != "responseDate"} == {
        k: v for k, v in recorded.items() if k != "responseDate"}


# ------------------------------------------------------------------------ ESearch

@needs_shared
def test_esearch_doi_tags_or_and_reference_list(client: httpx2.Client) -> None:
    term = ("10.1186/S12891-022-05070-W[doi] OR 10.1117/1.jmi.5.2.026002[AID] OR "
            "10.4045/tidsskr.22.0358[lid]")
    assert sorted(ids(esearch(client, term))) == ["29963580", "35123456", "36987902"]
    # A DOI cited in 35123456's ReferenceList is not that article's DOI.
    got = esearch(client, "10.1002/ajmg.c.31721[doi]")
    assert got.findtext("Count") == "0"
    assert got.findtext("ErrorList/PhraseNotFound") == "10.1002/ajmg.c.31721"
    # [lid] is the ELocationID only; 10.1006/cryo.2001.2328 is only in ArticleIdList.
    assert ids(esearch(client, "10.1006/cryo.2001.2328[aid]")) == ["11748933"]
    assert ids(esearch(client, "10.1006/cryo.2001.2328[lid]")) == []
    assert ids(esearch(client, "35123456[pmid] OR 9997[uid]")) == ["35123456", "9997"]


def test_esearch_generated_dois_paging_and_json(client: httpx2.Client) -> None:
    dois = [w["DOI"] for w in WORKS[:30]]
    got = esearch(client, " OR ".join(f"{d}[doi]" for d in dois), retmax="50")
    assert got.findtext("Count") == "30"
    assert len(ids(got)) == 30
    page = esearch(client, " OR ".join(f"{d}[doi]" for d in dois))
    assert (page.findtext("Count"), page.findtext("RetMax")) == ("30", "20")
    r = client.get("/esearch.fcgi", params={"db": "pubmed", "retmode": "json",
                                            "term": f"{dois[0]}[doi]"})
    assert r.headers["content-type"].startswith("application/json")
    result = r.json()["esearchresult"]
    assert (result["count"], result["retmax"], result["retstart"]) == ("1", "1", "0")
    assert result["idlist"] == [str(50_000_000 + 5 * 1_000_000 + 0)]
    none = client.get("/esearch.fcgi", params={"db": "pubmed", "retmode": "json",
                                               "term": "10.5555/none[doi]"}).json()
    assert none["esearchresult"]["count"] == "0"
    assert none["esearchresult"]["idlist"] == []


def test_esearch_title_author_year(client: httpx2.Client) -> None:
    work = WORKS[7]
    first = work["author"][0]["family"]
    year = work["issued"]["date-parts"][0][0]
    title_words = " ".join(work["title"][0].split()[:6])
    term = f"({title_words}[ti]) AND {first}[1au] AND {year}:{year + 1}[dp]"
    assert str(50_000_000 + 5 * 1_000_000 + 7) in ids(esearch(client, term, retmax="100"))


# ------------------------------------------------------------------------ EFetch

def test_efetch_unknown_malformed_and_empty_ids(client: httpx2.Client) -> None:
    known = str(50_000_000 + 5 * 1_000_000 + 3)
    r = client.get("/efetch.fcgi", params={"db": "pubmed", "id": f"99999999,{known}",
                                           "retmode": "xml"})
    assert [_pmid(el) for el in _xml(r.content)] == [known]
    r = client.get("/efetch.fcgi", params={"db": "pubmed", "id": "99999999"})
    assert r.status_code == 200
    assert len(_xml(r.content)) == 0
    r = client.get("/efetch.fcgi", params={"db": "pubmed", "id": "abc,def"})
    assert r.status_code == 400
    assert _xml(r.content).findtext("ERROR") == "ID list is empty! Possibly it has no correct IDs."
    r = client.get("/efetch.fcgi", params={"db": "pubmed", "id": ""})
    assert r.status_code == 400
    assert _xml(r.content).findtext("ERROR") == "Supplied id parameter is empty."


def test_efetch_all_unknown_can_be_an_error() -> None:
    with pubmed_server(recorded=False, enforce_limits=False, all_unknown="error") as srv:
        r = httpx2.get(f"{srv.url}/efetch.fcgi", params={"db": "pubmed", "id": "99999999"})
        assert r.status_code == 400
        assert b"ID list is empty!" in r.content


def test_efetch_more_than_200_ids_needs_post(client: httpx2.Client) -> None:
    pmids = [str(50_000_000 + 5 * 1_000_000 + i) for i in range(N)]
    pmids += [str(40_000_000 + i) for i in range(101)]  # unknown, silently left out
    assert len(pmids) > 200
    r = client.get("/efetch.fcgi", params={"db": "pubmed", "id": ",".join(pmids)})
    assert r.status_code == 414
    r = client.post("/efetch.fcgi", data={"db": "pubmed", "id": ",".join(pmids),
                                          "retmode": "xml"})
    assert r.status_code == 200
    assert [_pmid(el) for el in _xml(r.content)] == pmids[:N]  # request order


def test_generated_articles_share_dois_with_generated_works(client: httpx2.Client) -> None:
    r = client.get("/efetch.fcgi", params={"db": "pubmed", "id": ",".join(
        str(50_000_000 + 5 * 1_000_000 + i) for i in range(10))})
    for el, work in zip(_xml(r.content), WORKS[:10], strict=True):
        doi = el.findtext("PubmedData/ArticleIdList/ArticleId[@IdType='doi']")
        assert doi == work["DOI"]
        assert el.findtext("MedlineCitation/Article/ArticleTitle") == work["title"][0] + "."
        assert el.findtext("MedlineCitation/Article/AuthorList/Author/LastName") == \
            work["author"][0]["family"]
        assert el.find("MedlineCitation/MeshHeadingList/MeshHeading") is not None
    subset = [w["DOI"] for w in WORKS[40:43]] + ["10.9999/foreign"]
    again = generate_articles(0, SEED, dois=subset)
    assert again[:3] == ARTICLES[40:43]
    assert "10.9999/foreign" in again[3]


def test_idconv_records_only_for_pmc_articles(client: httpx2.Client) -> None:
    with_pmc = [w for w in WORKS if work_for_doi(w["DOI"], SEED).pmcid][:2]
    without = next(w for w in WORKS if not work_for_doi(w["DOI"], SEED).pmcid)
    dois = [w["DOI"] for w in with_pmc] + [without["DOI"]]
    r = client.get("/idconv/v1.0/", params={"ids": ",".join(dois), "format": "json",
                                            "versions": "no", "tool": "zsync",
                                            "email": "dev@example.org"})
    records = r.json()["records"]
    assert [set(x) for x in records[:2]] == [{"pmcid", "pmid", "doi"}] * 2
    assert records[2]["status"] == "error"
    r = client.get("/tools/idconv/api/v1/articles/",
                   params={"ids": records[0]["pmcid"], "format": "json"})
    assert r.json()["records"][0]["requested-id"] == records[0]["pmcid"]
    assert r.json()["records"][0]["doi"] == dois[0]
    xml = _xml(client.get("/idconv/v1.0/", params={"ids": dois[0]}).content)
    assert xml.find("record").get("pmcid") == records[0]["pmcid"]
    r = client.get("/idconv/v1.0/", params={"ids": ",".join(["123"] * 201)})
    assert r.status_code == 400


# ------------------------------------------------------------------------ limits

def test_rate_limit_without_and_with_api_key() -> None:
    with pubmed_server(recorded=False) as srv:
        url = f"{srv.url}/esearch.fcgi"
        with httpx2.Client() as c:
            statuses = [c.get(url, params={"db": "pubmed", "term": "x"}).status_code
                        for _ in range(4)]
            assert statuses == [200, 200, 200, 429]
            r = c.get(url, params={"db": "pubmed", "term": "x"})
            assert r.status_code == 429
            assert r.json() == {"error": "API rate limit exceeded", "api-key": "127.0.0.1",
                                "count": "5", "limit": "3"}
            keyed = {"db": "pubmed", "term": "x", "api_key": "k123"}
            statuses = [c.get(url, params=keyed).status_code for _ in range(11)]
            assert statuses == [200] * 10 + [429]
            body = c.get(url, params=keyed).json()
            assert (body["api-key"], body["limit"]) == ("k123", "10")
            ok = c.get(f"{srv.url}/idconv/v1.0/", params={"ids": "1", "format": "json"})
            assert ok.status_code == 200  # the ID converter is not E-utilities-limited
        assert srv.counts["esearch"] == 17


def test_rate_headers_and_switch(tmp_path: Path) -> None:
    (tmp_path / "one.xml").write_text(ARTICLES[0])
    app = make_app(tmp_path, recorded=False, enforce_limits=False)
    assert len(app.store) == 1
    with pubmed_server(tmp_path, recorded=False, enforce_limits=False) as srv:
        with httpx2.Client() as c:
            responses = [c.get(f"{srv.url}/entrez/eutils/efetch.fcgi",
                               params={"db": "pubmed", "id": "55000000"}) for _ in range(6)]
        assert {r.status_code for r in responses} == {200}
        assert responses[0].headers["x-ratelimit-limit"] == "3"
        assert responses[0].headers["x-ratelimit-remaining"] == "2"
        assert srv.counts["efetch"] == 6
