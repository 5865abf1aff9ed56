"""Runs over cached input: nothing asked again, one request per service for a new note,
`--offline` answering from the cache alone."""

from __future__ import annotations

from pathlib import Path

from tests.enrich.env import (
    ARXIV_ID,
    CORPUS,
    NO_PMC,
    WITH_PMC,
    by_title,
    enricher,
    note,
    requests_made,
    stack_for,
)
from tests.servers.base import LocalServer
from zsync.model.records import Record


def mixed_notes() -> list[Record]:
    """Every kind of lookup: DOI, PMID, PMCID, arXiv, title (matched and not), unknown ids."""
    return [
        *(note(i, doi=w.doi) for i, w in enumerate(CORPUS[:20])),
        note(30, pmid=NO_PMC[5].pmid), note(31, pmcid=WITH_PMC[7].pmcid),
        note(32, arxiv=ARXIV_ID), by_title(NO_PMC[6], 33),
        by_title(NO_PMC[7], 34, year=NO_PMC[7].year - 5),
        note(35, doi="10.5555/never.registered"), note(36, pmid="99999999"),
        note(37, pmcid="PMC99999999"),
    ]


def test_a_second_run_makes_no_request_at_all(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    first = enricher(stack_for(tmp_path, crossref, pubmed)).enrich(mixed_notes())
    assert {"works-filter", "works-query", "agency", "datacite"} <= set(crossref.counts)
    assert {"esearch", "efetch", "idconv"} <= set(pubmed.counts)
    crossref.reset_log()
    pubmed.reset_log()
    second = enricher(stack_for(tmp_path, crossref, pubmed)).enrich(mixed_notes())
    assert requests_made(crossref, pubmed) == {}
    assert [r.record for r in second] == [r.record for r in first]
    # the same reasons; a cached "not found" says so instead of the original detail
    assert [[p.split(" (")[0] for p in r.not_enriched] for r in second] == \
        [[p.split(" (")[0] for p in r.not_enriched] for r in first]


def test_one_new_note_among_many_cached_costs_one_request_per_service(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    cached = [note(i, doi=w.doi) for i, w in enumerate(CORPUS[:-1])]
    enricher(stack_for(tmp_path, crossref, pubmed)).enrich(cached)
    crossref.reset_log()
    pubmed.reset_log()
    new = note(99, doi=CORPUS[-1].doi)
    results = enricher(stack_for(tmp_path, crossref, pubmed)).enrich([*cached, new])
    # Crossref: one batch. PubMed: DOI -> PMID needs ESearch, the record needs EFetch.
    assert requests_made(crossref, pubmed) == {"works-filter": 1, "esearch": 1, "efetch": 1}
    assert results[-1].sources == ("crossref", "pubmed")
    assert "rows=1" in crossref.log[0].target


def test_offline_answers_from_the_cache_only(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    cached = mixed_notes()
    online = enricher(stack_for(tmp_path, crossref, pubmed)).enrich(cached)
    crossref.reset_log()
    pubmed.reset_log()
    offline_stack = stack_for(tmp_path, crossref, pubmed, ZSYNC_OFFLINE="true")
    new = note(50, doi=CORPUS[-1].doi)
    results = enricher(offline_stack).enrich([*cached, new])
    assert requests_made(crossref, pubmed) == {}
    assert [r.record for r in results[:-1]] == [r.record for r in online]
    assert results[-1].not_enriched == (
        "not enriched: crossref: offline (answered from the cache only)",
        "not enriched: pubmed: offline (answered from the cache only)",
    )
    assert results[-1].record.ids.doi == CORPUS[-1].doi and not results[-1].sources
