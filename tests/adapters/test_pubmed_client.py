"""PubMedClient against the E-utilities emulator: OR batches, EFetch, idconv, failures, cache."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.adapters.enrich_env import NCBI_KEY, config_for, dead_url, make_stack
from tests.servers.base import Fault, LocalServer, Response
from tests.servers.crossref import generate_works
from tests.servers.pubmed import pubmed_server
from zsync.sources.outcomes import NotEnriched, NotFound
from zsync.sources.pubmed.xml import article_ids

DOIS = [w["DOI"] for w in generate_works(160, seed=11)]


def article(pmid: str, doi: str | None, cites: tuple[str, ...] = (), eloc: str | None = None,
            pmc: str | None = None) -> str:
    ids = f'<ArticleId IdType="pubmed">{pmid}</ArticleId>'
    ids += f'<ArticleId IdType="doi">{doi}</ArticleId>' if doi else ""
    ids += f'<ArticleId IdType="pmc">{pmc}</ArticleId>' if pmc else ""
    refs = "".join(f'<Reference><Citation>x</Citation><ArticleIdList><ArticleId IdType="doi">'
                   f"{ref}</ArticleId></ArticleIdList></Reference>" for ref in cites)
    location = f'<ELocationID EIdType="doi" ValidYN="Y">{eloc}</ELocationID>' if eloc else ""
    return (f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">'
            f"{pmid}</PMID><Article><Journal><Title>J</Title></Journal><ArticleTitle>Article "
            f"{pmid}.</ArticleTitle>{location}</Article></MedlineCitation><PubmedData>"
            f"<ArticleIdList>{ids}</ArticleIdList><ReferenceList>{refs}</ReferenceList>"
            f"</PubmedData></PubmedArticle>")


EXTRA = [article("90000001", "10.7777/A", cites=("10.7777/b", "10.7777/c")),
         article("90000002", "10.7777/b"),
         article("90000003", None, eloc="10.7777/e"),
         article("90000004", "10.7777/utf", pmc="PMC90000004")]


@pytest.fixture(scope="module")
def emulator() -> Iterator[LocalServer]:
    """The tests get it as `server` (conftest.py), cleared for each."""
    with pubmed_server(recorded=False, generate=160, seed=11, enforce_limits=False,
                       limit_without_key=1000, limit_with_key=1000) as server:
        server.app.add_articles(EXTRA)
        yield server


def pmid_of(server: LocalServer, doi: str) -> str:
    (pmid,) = server.app.store.lookup("doi", doi.lower())
    return str(pmid)


def sent_params(entry: object) -> dict[str, list[str]]:
    target, body = entry.target, entry.body  # type: ignore[attr-defined]
    params = parse_qs(urlsplit(target).query)
    params.update(parse_qs(body.decode()) if body else {})
    return params


@pytest.mark.parametrize(("n", "methods"), [(30, ["GET"]), (120, ["POST", "GET"])])
def test_dois_map_to_pmids_in_or_batches(
    tmp_path: Path, server: LocalServer, n: int, methods: list[str]
) -> None:
    client = make_stack(config_for(tmp_path, pubmed=server)).pubmed()
    result = client.pmids_for_dois([*DOIS[:n]])
    assert server.counts == {"esearch": len(methods), "efetch": 1}
    searches = server.requests_to("esearch")
    assert [e.method for e in searches] == methods  # 100 DOIs make too long a URL: POST
    for entry in searches:
        params = sent_params(entry)
        assert params["retmax"] == [str(params["term"][0].count("[doi]"))]
    assert sum(sent_params(e)["term"][0].count("[doi]") for e in searches) == n
    assert all(len(f"{e.method} {e.target} HTTP/1.1") <= 3500 for e in server.log)
    assert all(result[doi] == pmid_of(server, doi) for doi in DOIS[:n])


def test_the_articles_own_doi_decides_never_a_cited_one(
    tmp_path: Path, server: LocalServer
) -> None:
    client = make_stack(config_for(tmp_path, pubmed=server)).pubmed()
    result = client.pmids_for_dois(["10.7777/b", "10.7777/a", "10.7777/c", "10.7777/E"])
    assert result["10.7777/a"] == "90000001" and result["10.7777/b"] == "90000002"
    assert isinstance(result["10.7777/c"], NotFound)  # only cited by 90000001
    assert result["10.7777/E"] == "90000003"  # ELocationID, no ArticleIdList DOI
    assert article_ids(EXTRA[0], "doi") == ["10.7777/A"]


def test_fetch_returns_one_article_per_pmid_and_marks_missing(
    tmp_path: Path, server: LocalServer
) -> None:
    client = make_stack(config_for(tmp_path, pubmed=server)).pubmed()
    result = client.fetch(["90000001", "90000002", "99999999"])
    assert str(result["90000001"]).startswith("<PubmedArticle")
    assert "<PMID Version=\"1\">90000002</PMID>" in str(result["90000002"])
    assert isinstance(result["99999999"], NotFound)
    assert [e.method for e in server.log] == ["GET"]


def test_fetch_batches_of_200_by_get_and_larger_by_post(
    tmp_path: Path, server: LocalServer
) -> None:
    pmids = [pmid_of(server, doi) for doi in DOIS] + [str(99000000 + n) for n in range(50)]
    make_stack(config_for(tmp_path / "get", pubmed=server)).pubmed().fetch(pmids)
    assert [(e.method, len(sent_params(e)["id"][0].split(","))) for e in server.log] == [
        ("GET", 200), ("GET", 10)]
    server.reset_log()
    big = make_stack(config_for(tmp_path / "post", pubmed=server)).pubmed(efetch_batch=250)
    server.inject(Fault("respond", response=Response.text("busy", 503)))
    result = big.fetch(pmids)
    assert [e.method for e in server.log] == ["POST", "POST"]  # a query: safe to repeat
    assert sum(isinstance(v, str) for v in result.values()) == 160


def test_all_invalid_ids_are_not_found_not_an_error(tmp_path: Path, server: LocalServer) -> None:
    client = make_stack(config_for(tmp_path, pubmed=server)).pubmed()
    body = "<eFetchResult><ERROR>ID list is empty! Possibly it has no correct IDs.</ERROR>"
    server.inject(Fault("respond", response=Response.xml(body + "</eFetchResult>", 400)))
    result = client.fetch(["99999998", "99999999"])
    assert all(isinstance(v, NotFound) for v in result.values())
    assert len(server.log) == 1


def test_a_transient_relay_error_is_repeated(tmp_path: Path, server: LocalServer) -> None:
    client = make_stack(config_for(tmp_path, pubmed=server)).pubmed()
    body = "<eFetchResult><ERROR>Failed to connect to PubOne service</ERROR></eFetchResult>"
    server.inject(Fault("respond", response=Response.xml(body, 400)))
    assert str(client.fetch(["90000002"])["90000002"]).startswith("<PubmedArticle")
    assert [e.status for e in server.log] == [400, 200]


def test_pmcids_convert_200_per_request(tmp_path: Path, server: LocalServer) -> None:
    client = make_stack(config_for(tmp_path, pubmed=server)).pubmed()
    asked = ["pmc90000004", *[f"PMC{80000000 + n}" for n in range(210)]]
    result = client.convert_pmcids(asked)
    assert result["pmc90000004"] == {"pmid": "90000004", "doi": "10.7777/utf"}
    assert isinstance(result["PMC80000000"], NotFound)
    assert [len(sent_params(e)["ids"][0].split(",")) for e in server.log] == [200, 11]


def test_idconv_is_read_as_utf8_whatever_the_header_says(
    tmp_path: Path, server: LocalServer
) -> None:
    client = make_stack(config_for(tmp_path, pubmed=server)).pubmed()
    body = ('{"status":"ok","records":[{"pmcid":"PMC1","pmid":"1","doi":"10.1/caf\u00e9"}]}'
            .encode())
    server.inject(Fault("respond", response=Response(
        200, body, {"Content-Type": "application/json; charset=ISO-8859-1"})))
    assert client.convert_pmcids(["PMC1"])["PMC1"] == {"pmid": "1", "doi": "10.1/caf\u00e9"}


def test_the_key_is_sent_to_ncbi_and_nowhere_else(
    tmp_path: Path, server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    stack = make_stack(config_for(tmp_path, pubmed=server, NCBI_API_KEY=NCBI_KEY))
    client = stack.pubmed()
    client.pmids_for_dois(DOIS[:120])  # a POST search, a GET search, a GET fetch
    client.fetch(["99999999"])
    assert all(sent_params(e)["api_key"] == [NCBI_KEY] for e in server.log)
    down = make_stack(config_for(tmp_path / "down", pubmed=dead_url(), NCBI_API_KEY=NCBI_KEY))
    failed = down.pubmed().pmids_for_dois(DOIS[:3])
    assert NCBI_KEY not in caplog.text
    assert all(NCBI_KEY not in str(v) for v in failed.values())
    stack.close()
    for path in (tmp_path / "cache").iterdir():
        assert NCBI_KEY.encode() not in path.read_bytes(), path.name


def test_a_source_that_is_down_yields_not_enriched(tmp_path: Path) -> None:
    client = make_stack(config_for(tmp_path, pubmed=dead_url(), NCBI_API_KEY=NCBI_KEY)).pubmed()
    try:
        answers = [*client.pmids_for_dois(DOIS[:3]).values(), *client.fetch(["1"]).values(),
                   *client.convert_pmcids(["PMC1"]).values()]
    except Exception:  # pragma: no cover - the point of the test
        pytest.fail("raised instead of degrading:\n" + traceback.format_exc())
    assert all(isinstance(a, NotEnriched) and "connection refused" in str(a) for a in answers)


def test_a_rerun_asks_nothing_and_a_new_doi_costs_one_request_each(
    tmp_path: Path, server: LocalServer
) -> None:
    config = config_for(tmp_path, pubmed=server)
    first = make_stack(config).pubmed().pmids_for_dois(DOIS[:120])
    server.reset_log()
    assert make_stack(config).pubmed().pmids_for_dois(DOIS[:120]) == first
    assert not server.log
    assert make_stack(config).pubmed().fetch([first[DOIS[0]]])  # type: ignore[list-item]
    assert not server.log  # the articles were cached while mapping DOIs
    again = make_stack(config).pubmed().pmids_for_dois(DOIS[:121])
    assert server.counts == {"esearch": 1, "efetch": 1}
    assert again[DOIS[120]] == pmid_of(server, DOIS[120])


def test_offline_answers_from_the_cache_only(tmp_path: Path, server: LocalServer) -> None:
    make_stack(config_for(tmp_path, pubmed=server)).pubmed().pmids_for_dois(DOIS[:3])
    server.reset_log()
    offline = make_stack(config_for(tmp_path, pubmed=server, ZSYNC_OFFLINE="1")).pubmed()
    result = offline.pmids_for_dois(DOIS[:4])
    assert all(isinstance(result[doi], str) for doi in DOIS[:3])
    assert "offline" in str(result[DOIS[3]])
    assert isinstance(offline.convert_pmcids(["PMC1"])["PMC1"], NotEnriched)
    assert not server.log


def test_default_pacing_stays_under_ncbi_limits(tmp_path: Path) -> None:
    with pubmed_server(recorded=False, generate=40, seed=11) as limited:
        client = make_stack(config_for(tmp_path, pubmed=limited), paced=True).pubmed(
            esearch_batch=10)
        result = client.pmids_for_dois(DOIS[:40])
        assert all(isinstance(v, str) for v in result.values())
        assert [e.status for e in limited.log] == [200] * 5  # 4 searches, 1 fetch, at 3/s
