"""A source that is down or rate limiting degrades the run: records kept, reasons given."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest

from tests.enrich.env import NO_PMC, WITH_PMC, by_title, enricher, note, stack_for
from tests.servers.base import Fault, LocalServer, Response
from tests.servers.crossref import crossref_server
from tests.servers.pubmed import pubmed_server
from tests.support import dead_url
from zsync.enrich.merge import Enriched
from zsync.model.records import Record


def notes() -> list[Record]:
    return [note(1, doi=WITH_PMC[5].doi), note(2, pmid=NO_PMC[3].pmid),
            note(3, pmcid=WITH_PMC[6].pmcid), by_title(NO_PMC[4], 4)]


def run(stack_args: tuple[Path, object, object], records: list[Record]) -> list[Enriched]:
    tmp_path, crossref, pubmed = stack_args
    try:
        return enricher(stack_for(tmp_path, crossref, pubmed)).enrich(records)  # type: ignore[arg-type]
    except Exception:  # pragma: no cover - the point of the tests
        pytest.fail("enrich raised instead of degrading:\n" + traceback.format_exc())


def test_crossref_stopped_keeps_records_with_the_reason(
    tmp_path: Path, pubmed: LocalServer
) -> None:
    records = notes()
    results = run((tmp_path, dead_url(), pubmed), records)
    assert [r.record.origin for r in results] == [r.origin for r in records]
    doi_note, pmid_note, pmcid_note, title_note = results
    for result in (doi_note, pmid_note, pmcid_note):
        assert result.sources == ("pubmed",)  # PubMed still answered
        assert any(p.startswith("not enriched: crossref: connection refused")
                   for p in result.not_enriched)
    assert pmid_note.record.ids.doi == NO_PMC[3].doi
    assert title_note.record.title == NO_PMC[4].title and not title_note.sources
    assert title_note.not_enriched[0].startswith("not enriched: crossref: connection refused")


def test_a_server_that_stops_mid_run_degrades(tmp_path: Path, pubmed: LocalServer) -> None:
    with crossref_server(recorded=False, enforce_limits=False) as crossref:
        url = crossref.url
    results = run((tmp_path, url, pubmed), [note(doi=WITH_PMC[5].doi)])  # stopped by now
    assert results[0].sources == ("pubmed",)
    assert "not enriched: crossref:" in results[0].not_enriched[0]


def test_pubmed_answering_503_always_degrades(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    pubmed.inject(Fault("respond", response=Response(503, b"busy", {"Retry-After": "0"}),
                        times=1000))
    results = run((tmp_path, crossref, pubmed), notes())
    doi_note, pmid_note, pmcid_note, _ = results
    assert doi_note.sources == ("crossref",)
    assert "not enriched: pubmed: HTTP 503 after 4 tries" in doi_note.not_enriched
    assert pmid_note.record.ids.pmid == NO_PMC[3].pmid and not pmid_note.sources
    assert any("pmc-idconv: HTTP 503" in p for p in pmcid_note.not_enriched)
    # retries used up once: the rest of the run does not wait through them again
    assert len(pubmed.log) == 4


def test_crossref_rate_limiting_degrades(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    crossref.inject(Fault("respond", response=Response(
        429, b"Too Many Requests", {"Retry-After": "0", "Content-Type": "text/html"}),
        times=1000))
    doi_note, *_ = run((tmp_path, crossref, pubmed), notes())
    assert doi_note.sources == ("pubmed",)
    assert "not enriched: crossref: HTTP 429 after 4 tries" in doi_note.not_enriched


def test_pubmed_rate_limit_is_waited_out_not_failed(tmp_path: Path, crossref: LocalServer) -> None:
    with pubmed_server(recorded=False) as limited:  # real limit: 3 requests/s per client
        limited.app.add_articles([])
        for _ in range(5):  # another client on this address used up the window
            limited.app.window.hit("127.0.0.1")
        results = run((tmp_path, crossref, limited), [note(doi=WITH_PMC[5].doi)])
        assert any(e.status == 429 for e in limited.log)
    assert results[0].sources == ("crossref",)  # this emulator holds no articles
    assert not any("not enriched" in p for p in results[0].not_enriched)
