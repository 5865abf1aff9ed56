"""The example notes in ../shared/examples, enriched against emulators that hold records of
those works (built from EXPECTED.jsonl's facts only), end with the identifiers EXPECTED.jsonl
lists, and repeated appearances of one work end with the same identifiers."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.enrich.example_works import EXAMPLES, expected_lines, load_examples
from tests.servers.base import LocalServer
from tests.servers.crossref import crossref_server
from tests.servers.pubmed import pubmed_server
from tests.support import config_for, make_stack
from zsync.cli.app import _register, app
from zsync.enrich.enricher import Enricher
from zsync.enrich.merge import Enriched
from zsync.inputs.files import parse_paths

pytestmark = pytest.mark.skipif(not EXAMPLES.is_dir(), reason="../shared/examples is absent")
LINES = expected_lines() if EXAMPLES.is_dir() else []
CASES = [c for c in LINES if not c["should_fail"]]
IDS = ("doi", "pmid", "pmcid")


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[LocalServer, LocalServer]]:
    with crossref_server(recorded=False, enforce_limits=False) as crossref, \
            pubmed_server(recorded=False, enforce_limits=False) as pubmed:
        load_examples(crossref.app, pubmed.app, LINES)
        yield crossref, pubmed


@pytest.fixture(scope="module")
def enriched(servers: tuple[LocalServer, LocalServer],
             tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], Enriched]:
    crossref, pubmed = servers
    stack = make_stack(config_for(tmp_path_factory.mktemp("examples"), crossref, pubmed))
    records = [r for result in parse_paths([EXAMPLES]) for r in result.records]
    results = Enricher(stack.crossref(), stack.pubmed()).enrich(records)
    return {(Path(e.record.origin.path).name, e.record.origin.position): e for e in results}


def result_for(enriched: dict[tuple[str, int], Enriched], case: dict[str, Any]) -> Enriched:
    return enriched[(case["files"][0], case.get("position", 1))]


def title_key(title: str | None) -> str:
    text = unicodedata.normalize("NFC", title or "").casefold()
    text = re.sub(r"[\u2013\u2014]", "-", re.sub(r"\s+", " ", text)).strip()
    return text[:-1] if text.endswith(".") else text


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_each_example_ends_with_its_identifiers(
    enriched: dict[tuple[str, int], Enriched], case: dict[str, Any]
) -> None:
    result = result_for(enriched, case)
    record = result.record
    scored = [kind for kind in IDS if kind not in case.get("unverified", ())]
    assert {k: getattr(record.ids, k) for k in scored} == {k: case[k] for k in scored}
    assert not [p for p in result.not_enriched if p.startswith("not enriched")]
    titles = [case["title"], *case.get("also_acceptable", {}).get("title", [])]
    assert title_key(record.title) in {title_key(t) for t in titles}
    assert record.year in [case["year"], *case.get("also_acceptable", {}).get("year", [])]
    assert record.first_author is not None
    assert record.first_author.sort_name == case["first_author_family"]
    assert record.item_type == case["item_type"]
    assert any(n.kind == "retraction" for n in record.notices) == bool(case.get("retracted"))
    for kind in IDS:  # an identifier the note lacked came from a source, and says which
        if getattr(record.ids, kind) and kind not in case["in_note"]:
            assert result.provenance[kind].source != "note"
            assert result.provenance[kind].fetched_at


def test_repeated_appearances_share_identifiers(
    enriched: dict[tuple[str, int], Enriched]
) -> None:
    by_id = {c["id"]: c for c in CASES}
    duplicates = [c for c in CASES if c["is_duplicate_of"]]
    assert duplicates
    for case in duplicates:
        mine = result_for(enriched, case).record.ids
        theirs = result_for(enriched, by_id[case["is_duplicate_of"]]).record.ids
        assert (mine.doi, mine.pmid, mine.pmcid) == (theirs.doi, theirs.pmid, theirs.pmcid), \
            case["id"]


def test_the_command_enriches_the_folder_and_names_the_unusable_inputs(
    servers: tuple[LocalServer, LocalServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crossref, pubmed = servers
    config = config_for(tmp_path, crossref, pubmed)
    for name, env in (("crossref.api_url", "CROSSREF_API_URL"),
                      ("crossref.doi_url", "DOI_RESOLVER_URL"),
                      ("pubmed.eutils_url", "NCBI_EUTILS_URL"),
                      ("pubmed.idconv_url", "NCBI_IDCONV_URL"), ("cache.dir", "ZSYNC_CACHE_DIR")):
        monkeypatch.setenv(env, str(config.value(name)))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    _register()
    result = CliRunner().invoke(app, ["enrich", "--json", str(EXAMPLES)],
                                catch_exceptions=False)
    assert result.exit_code == 1  # empty.md and the note without identifier or title
    entries = json.loads(result.stdout)
    records = [e for e in entries if "fields" in e]
    failed = {Path(e["source"]["path"]).name for e in entries if "error" in e}
    assert {"empty.md", "no-usable-identifier-or-title.md"} <= failed
    assert len(records) == len(CASES)
    michie = next(e for e in records if Path(e["source"]["path"]).name.startswith("reading")
                  and e["source"]["position"] == 2)
    assert michie["fields"]["doi"]["value"] == "10.1186/1748-5908-6-42"
    assert michie["fields"]["doi"]["source"] in ("crossref", "pubmed")
