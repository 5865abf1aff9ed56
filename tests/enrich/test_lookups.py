"""The Enricher against the emulators: what each kind of note ends up with, and from where."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from tests.enrich.env import (
    ARXIV_ID,
    CLOCK,
    CORRECTED,
    CROSSREF_ONLY,
    NO_PMC,
    RETRACTED,
    WITH_PMC,
    by_title,
    enricher,
    note,
    stack_for,
)
from tests.servers.base import Fault, LocalServer, Response
from zsync.enrich.enricher import Enricher


def just_now(stamp: str | None) -> bool:
    """An ISO 8601 UTC time within the last minute."""
    if stamp is None:
        return False
    when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return abs((datetime.now(UTC) - when).total_seconds()) < 60


def test_a_doi_note_gets_crossref_fields_and_pubmed_ids_mesh_abstract_and_abbreviation(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    work = WITH_PMC[0]
    (result,) = enricher(stack_for(tmp_path, crossref, pubmed)).enrich([note(doi=work.doi)])
    record, provenance = result.record, result.provenance
    assert result.sources == ("crossref", "pubmed") and not result.not_enriched
    assert (record.ids.doi, record.ids.pmid, record.ids.pmcid) == (work.doi, work.pmid, work.pmcid)
    assert record.title == work.title and record.creators[0].family == work.first_author.family
    assert record.container == work.journal.title and record.volume == work.volume
    assert record.journal_abbreviation == work.journal.abbrev
    assert {m.descriptor for m in record.mesh} == {m.term for m in work.mesh}
    assert any(m.major for m in record.mesh)
    if work.abstract:
        assert record.abstract and work.abstract[0][1] in record.abstract
        assert provenance["abstract"].source == "pubmed"
    for name, source in [("container", "crossref"), ("volume", "crossref"), ("pmid", "pubmed"),
                         ("pmcid", "pubmed"), ("mesh", "pubmed"), ("doi", "note"),
                         ("journal_abbreviation", "pubmed"), ("title", "crossref")]:
        assert provenance[name].source == source, name
        assert (provenance[name].fetched_at is None) == (source == "note"), name
    assert all(just_now(p.fetched_at) for p in provenance.values() if p.source != "note")


def test_fetched_at_is_when_the_source_answered_also_for_cached_answers(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    notes = [note(1, doi=WITH_PMC[0].doi), note(2, pmcid=WITH_PMC[1].pmcid)]
    first = enricher(stack_for(tmp_path, crossref, pubmed)).enrich(notes)
    later = stack_for(tmp_path, crossref, pubmed)
    later.cache.clock = lambda: time.time() + 3 * 86400  # three days on: still fresh
    again = Enricher(later.crossref(), later.pubmed(), clock=lambda: CLOCK).enrich(notes)
    assert not crossref.counts.keys() - {"works-filter"} and len(crossref.log) == 1
    for before, after in zip(first, again, strict=True):
        assert after.provenance == before.provenance  # the first run's times, not "now"
        assert all(p.fetched_at != CLOCK for p in after.provenance.values())


def test_a_pmcid_only_note_gets_pmid_and_doi_through_idconv(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    work = WITH_PMC[1]
    (result,) = enricher(stack_for(tmp_path, crossref, pubmed)).enrich([note(pmcid=work.pmcid)])
    ids = result.record.ids
    assert (ids.doi, ids.pmid, ids.pmcid) == (work.doi, work.pmid, work.pmcid)
    assert result.sources == ("crossref", "pubmed")
    assert pubmed.counts["idconv"] == 1 and "esearch" not in pubmed.counts  # PMID known


def test_a_pmid_only_note_gets_its_doi_and_then_crossref(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    work = NO_PMC[0]
    (result,) = enricher(stack_for(tmp_path, crossref, pubmed)).enrich([note(pmid=work.pmid)])
    assert result.record.ids.doi == work.doi
    assert result.provenance["doi"].source in ("crossref", "pubmed")
    assert result.sources == ("crossref", "pubmed")  # Crossref asked with the DOI PubMed gave
    assert result.record.publisher == work.journal.publisher  # a Crossref-only field
    assert dict(pubmed.counts) == {"efetch": 1} and dict(crossref.counts) == {"works-filter": 1}


def test_identifiers_found_survive_when_the_record_cannot_be_fetched(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    work = WITH_PMC[2]
    pubmed.inject(Fault("respond", lambda r: r.path.endswith("efetch.fcgi"),
                        Response(503, b"busy", {"Retry-After": "0"}), times=100))
    (result,) = enricher(stack_for(tmp_path, crossref, pubmed)).enrich([note(pmcid=work.pmcid)])
    assert result.sources == ("crossref",)
    assert result.record.ids.pmid == work.pmid  # from idconv, although EFetch failed
    assert result.provenance["pmid"].source == "pmc-idconv"
    assert just_now(result.provenance["pmid"].fetched_at)
    assert result.record.ids.doi == work.doi
    assert result.not_enriched == ("not enriched: pubmed: HTTP 503 after 4 tries",)


def test_a_title_note_is_matched_when_title_author_and_year_agree(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    work = NO_PMC[1]
    (result,) = enricher(stack_for(tmp_path, crossref, pubmed)).enrich([by_title(work)])
    assert result.record.ids.doi == work.doi and result.record.ids.pmid == work.pmid
    assert result.sources == ("crossref", "pubmed") and not result.not_enriched
    assert crossref.counts == {"works-query": 1}  # the hit itself is the work: no DOI lookup


def test_a_title_note_whose_year_or_author_disagrees_is_reported_unmatched(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    work = NO_PMC[2]
    notes = [by_title(work, 1, year=work.year + 4), by_title(work, 2, author="Zzyzx"),
             note(3, title="Quantum gravity of medieval bookbinding", author="Nobody",
                  year=1950)]
    results = enricher(stack_for(tmp_path, crossref, pubmed)).enrich(notes)
    assert all(not r.sources and r.record.ids.doi is None for r in results)
    wrong_year, wrong_author, nothing = (r.not_enriched[0] for r in results)
    assert "title search not accepted" in wrong_year and f"year {work.year}" in wrong_year
    assert work.doi in wrong_year and "score" in wrong_year and "100% title" in wrong_year
    assert "first author differs" in wrong_author and work.doi in wrong_author
    assert "title differs" in nothing and "best candidate" in nothing


def test_retractions_and_corrections_are_kept_as_notices(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    retracted, corrected = enricher(stack_for(tmp_path, crossref, pubmed)).enrich(
        [note(1, doi=RETRACTED.doi), note(2, doi=CORRECTED.doi)])
    assert RETRACTED.retraction is not None
    kinds = {(n.kind, n.source) for n in retracted.record.notices}
    assert ("retraction", "retraction-watch") in kinds  # Crossref updated-by
    assert ("retraction", "pubmed") in kinds  # PubMed RetractionIn
    crossref_notice = next(n for n in retracted.record.notices if n.source != "pubmed")
    assert crossref_notice.doi == RETRACTED.retraction["doi"]
    pubmed_notice = next(n for n in retracted.record.notices if n.source == "pubmed")
    assert pubmed_notice.pmid == RETRACTED.retraction["pmid"]
    assert "Retracted Publication" in retracted.record.publication_types
    assert [(n.kind, n.doi) for n in corrected.record.notices] == [
        ("correction", CORRECTED.correction_doi)]


def test_a_datacite_doi_and_an_arxiv_id_go_through_content_negotiation(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    doi = f"10.48550/arxiv.{ARXIV_ID}"
    by_doi, by_arxiv = enricher(stack_for(tmp_path, crossref, pubmed)).enrich(
        [note(1, doi=doi), note(2, arxiv=ARXIV_ID)])
    for result in (by_doi, by_arxiv):
        record = result.record
        assert result.sources == ("datacite",)
        assert record.ids.doi == doi and record.year == 2021
        assert record.title == "Sparse attention for long bibliographies"
        assert record.creators[0].family == "Lovelace"
        assert result.provenance["title"].source == "datacite"
        assert record.fields.get("libraryCatalog") == "DOI.org (Datacite)"
    assert crossref.counts["works-filter"] == 1  # one batch for both notes
    assert crossref.counts["agency"] == 1 and crossref.counts["datacite"] == 1


def test_a_doi_no_source_holds_is_reported_not_found(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    missing, crossref_only = enricher(stack_for(tmp_path, crossref, pubmed)).enrich(
        [note(1, doi="10.5555/never.registered"), note(2, doi=CROSSREF_ONLY["DOI"])])
    assert not missing.sources
    assert missing.not_enriched == (
        "crossref: 10.5555/never.registered not found in crossref (DOI not registered)",)
    assert crossref_only.sources == ("crossref",) and not crossref_only.not_enriched
    assert crossref_only.record.container == "Grey Notes"


def test_a_pmid_whose_article_has_another_doi_is_not_used(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    a, b = WITH_PMC[3], WITH_PMC[4]
    (result,) = enricher(stack_for(tmp_path, crossref, pubmed)).enrich(
        [note(doi=a.doi, pmid=b.pmid)])
    assert result.sources == ("crossref",)
    assert any(f"is the article with DOI {b.doi}, not {a.doi}" in p for p in result.not_enriched)


def test_pmids_from_notes_and_from_esearch_share_one_efetch_pass(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer
) -> None:
    notes = [note(1, doi=WITH_PMC[9].doi), note(2, pmid=NO_PMC[9].pmid),
             note(3, doi=NO_PMC[10].doi, pmid=NO_PMC[10].pmid)]
    results = enricher(stack_for(tmp_path, crossref, pubmed)).enrich(notes)
    assert all(r.sources == ("crossref", "pubmed") for r in results)
    assert dict(pubmed.counts) == {"esearch": 1, "efetch": 1}
    assert dict(crossref.counts) == {"works-filter": 2}  # the PMID-only note's DOI came later
