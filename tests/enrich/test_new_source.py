"""A further metadata source plugged in with one module (`tests/sources/openalex_like.py`) and
one registry entry: `zsync enrich` fills fields from it with their provenance, by the
precedence its spec declares, caches its answers and paces its requests like the others'."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest
from typer.testing import Result

from tests.enrich.env import CROSSREF_ONLY, NO_PMC, WITH_PMC, note
from tests.enrich.test_pacing import arrivals, most_in_one_second
from tests.servers.base import LocalServer
from tests.servers.openalex import openalex_server, openalex_work
from tests.sources.openalex_like import SPEC, OpenAlexLike
from tests.support import MAILTO, config_for, invoke_cli, make_stack
from zsync.enrich.enricher import Enricher
from zsync.sources.registry import REGISTRY

Run = Callable[..., Result]
ONLY_HERE = "An abstract that only the new source holds, word for word."
ELSEWHERE = "OpenAlex has this abstract too, but PubMed's comes first."
NEW_TITLE = "A title the new source spells its own way"
WITH_ABSTRACT = next(w for w in WITH_PMC if w.abstract)
GREY_DOI = str(CROSSREF_ONLY["DOI"])  # a work Crossref holds with no abstract, PubMed not at all
GREY_TITLE = next(iter(CROSSREF_ONLY["title"]))


@pytest.fixture
def openalex() -> Iterator[LocalServer]:
    with openalex_server(rate=2) as server:
        server.app.add_work(openalex_work(
            GREY_DOI, NEW_TITLE, abstract=ONLY_HERE, language="en", pmid="999001"))
        server.app.add_work(openalex_work(
            WITH_ABSTRACT.doi, WITH_ABSTRACT.title, abstract=ELSEWHERE))
        yield server


@pytest.fixture
def registered(openalex: LocalServer) -> Iterator[None]:
    """The one registry entry (pointed at the emulator instead of api.openalex.org)."""
    with REGISTRY.registered(replace(SPEC, implementation=partial(OpenAlexLike,
                                                                  base_url=openalex.url))):
        yield


@pytest.fixture
def run(tmp_path: Path, crossref: LocalServer, pubmed: LocalServer) -> Run:
    """`zsync ARGS` in-process with settings pointing at the emulators, a private cache."""
    env = {"ZSYNC_CACHE_DIR": str(tmp_path / "cache"), "CROSSREF_MAILTO": MAILTO,
           "NCBI_EMAIL": MAILTO, "CROSSREF_API_URL": crossref.url,
           "DOI_RESOLVER_URL": f"{crossref.url}/doi",
           "NCBI_EUTILS_URL": f"{pubmed.url}/entrez/eutils",
           "NCBI_IDCONV_URL": f"{pubmed.url}/tools/idconv/api/v1/articles/",
           "ZSYNC_MAX_RETRIES": "0"}
    return lambda *args: invoke_cli(args, env, tmp_path)


def write_notes(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "grey.md").write_text(f"- **DOI**: {GREY_DOI}\n", encoding="utf-8")
    (folder / "med.md").write_text(f"- **DOI**: {WITH_ABSTRACT.doi}\n", encoding="utf-8")
    (folder / "plain.md").write_text(f"- **DOI**: {NO_PMC[0].doi}\n", encoding="utf-8")
    return folder


def fields_by_note(result: Result) -> dict[str, dict[str, dict[str, object]]]:
    assert result.exit_code == 0, result.output
    return {Path(e["source"]["path"]).name: e["fields"] for e in json.loads(result.stdout)}


def test_enrich_fills_fields_from_a_registered_source(
    tmp_path: Path, run: Run, openalex: LocalServer, registered: None
) -> None:
    fields = fields_by_note(run("enrich", "--json", str(write_notes(tmp_path / "notes"))))
    grey, med = fields["grey.md"], fields["med.md"]
    assert grey["abstract"]["value"] == ONLY_HERE and grey["abstract"]["source"] == "openalex"
    assert str(grey["abstract"]["fetched_at"]).endswith("Z")
    assert grey["language"]["source"] == "openalex"
    assert grey["pmid"] == {"value": "999001", "source": "openalex",
                            "fetched_at": grey["abstract"]["fetched_at"]}
    # Trusted for descriptive fields and PMIDs only, and after PubMed: the rest stays.
    assert grey["title"]["value"] == GREY_TITLE
    assert grey["title"]["source"] == "crossref"
    assert med["abstract"]["source"] == "pubmed" and med["abstract"]["value"] != ELSEWHERE
    assert med["pmid"]["source"] == "pubmed"
    assert openalex.counts["works"] == 1  # all three DOIs in one request


def test_a_registered_source_is_cached_and_listed_by_the_cache_command(
    tmp_path: Path, run: Run, openalex: LocalServer, registered: None
) -> None:
    notes = write_notes(tmp_path / "notes")
    first = fields_by_note(run("enrich", "--json", str(notes)))
    again = fields_by_note(run("enrich", "--json", str(notes)))
    assert openalex.counts["works"] == 1  # the second run asked nothing
    assert again["grey.md"]["abstract"] == first["grey.md"]["abstract"]
    info = json.loads(run("cache", "info", "--json").stdout)["sources"]
    assert info["openalex"] == {"found": 2, "not_found": 1}
    cleared = run("cache", "clear", "--source", "openalex")
    assert cleared.exit_code == 0 and "cleared 3 cached answer(s) (openalex)" in cleared.stdout
    info = json.loads(run("cache", "info", "--json").stdout)["sources"]
    assert "openalex" not in info and info["crossref"]["found"] >= 2
    fields_by_note(run("enrich", "--json", str(notes)))
    assert openalex.counts["works"] == 2  # asked again for what was cleared only


def test_without_the_registry_entry_nothing_asks_it(
    tmp_path: Path, run: Run, openalex: LocalServer
) -> None:
    fields = fields_by_note(run("enrich", "--json", str(write_notes(tmp_path / "notes"))))
    assert "abstract" not in fields["grey.md"] and openalex.counts["works"] == 0
    assert run("cache", "clear", "--source", "openalex").exit_code == 2


def test_a_registered_source_is_paced_by_its_pool_and_its_rate_headers(
    tmp_path: Path, crossref: LocalServer, pubmed: LocalServer, openalex: LocalServer,
    registered: None,
) -> None:
    """The emulator announces 2 requests a second (below the spec's 10) and refuses more."""
    times = arrivals(openalex)
    stack = make_stack(config_for(tmp_path, crossref, pubmed), paced=True)
    one_by_one = OpenAlexLike(stack.config, stack.http, stack.cache, base_url=openalex.url,
                              batch=1)
    works = [WITH_ABSTRACT, *(w for w in WITH_PMC if w is not WITH_ABSTRACT)][:6]
    notes = [note(i, doi=w.doi) for i, w in enumerate(works)]
    results = Enricher(stack.crossref(), stack.pubmed(), one_by_one).enrich(notes)
    stack.close()
    assert [e.status for e in openalex.log] == [200] * 6 and len(times) == 6
    assert most_in_one_second(times) <= 2
    assert stack.http.throttles["openalex"].rate == 2
    assert results[0].provenance["abstract"].source == "pubmed"
    assert results[0].sources == ("crossref", "pubmed", "openalex")
