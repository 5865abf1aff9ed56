"""`zsync enrich` and `zsync cache` end to end, in-process, against the emulators."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

from tests.enrich.env import NO_PMC, RETRACTED, WITH_PMC, requests_made
from tests.servers.base import LocalServer
from tests.support import MAILTO, NCBI_KEY, dead_url
from zsync.cli.app import _register, app
from zsync.cli.enrich_view import RichProgress, progress_for

_register()
Run = Callable[..., Result]


def write_notes(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.md").write_text(
        f"- **Title**: whatever the note says\n- **DOI**: {WITH_PMC[8].doi}\n", encoding="utf-8")
    (folder / "b.md").write_text(
        f"- **Title**: {NO_PMC[8].title}\n- **PMID**: {NO_PMC[8].pmid}\n", encoding="utf-8")
    (folder / "c.md").write_text(f"- **DOI**: {RETRACTED.doi}\n", encoding="utf-8")
    return folder


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crossref: LocalServer,
        pubmed: LocalServer) -> Run:
    """Run the CLI with settings pointing at the emulators and a private cache."""
    for name in ("NCBI_API_KEY", "ZSYNC_OFFLINE", "ZOTERO_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "ZSYNC_CACHE_DIR": str(tmp_path / "cache"),
           "CROSSREF_MAILTO": MAILTO, "NCBI_EMAIL": MAILTO, "CROSSREF_API_URL": crossref.url,
           "DOI_RESOLVER_URL": f"{crossref.url}/doi",
           "NCBI_EUTILS_URL": f"{pubmed.url}/entrez/eutils",
           "NCBI_IDCONV_URL": f"{pubmed.url}/tools/idconv/api/v1/articles/",
           "ZSYNC_MAX_RETRIES": "0"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


def test_enrich_shows_what_each_source_filled(tmp_path: Path, run: Run) -> None:
    result = run("enrich", str(write_notes(tmp_path / "notes")))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert WITH_PMC[8].title in out  # Crossref's title replaces the note's
    assert "filled from crossref:" in out and "filled from pubmed:" in out
    assert "container" in out and "mesh" in out and "journal abbreviation" in out
    assert "differs title: crossref" in out and "note “whatever the note says”" in out
    assert "retraction" in out and RETRACTED.retraction and RETRACTED.retraction["doi"] in out
    assert f"doi:{NO_PMC[8].doi}" in out  # the PMID-only note got its DOI
    assert out.strip().endswith("3 record(s): 3 enriched, 0 not")


def test_enrich_json_has_per_field_provenance(tmp_path: Path, run: Run) -> None:
    notes = write_notes(tmp_path / "notes")
    (notes / "empty.md").write_text("", encoding="utf-8")
    result = run("enrich", "--json", str(notes))
    assert result.exit_code == 1  # empty.md could not be used
    entries = json.loads(result.stdout)
    by_path = {Path(e["source"]["path"]).name: e for e in entries}
    a, b, c = by_path["a.md"], by_path["b.md"], by_path["c.md"]
    assert by_path["empty.md"]["error"]
    assert a["fields"]["doi"] == {"value": WITH_PMC[8].doi, "source": "note", "fetched_at": None}
    assert a["fields"]["pmid"]["value"] == WITH_PMC[8].pmid
    assert a["fields"]["pmid"]["source"] == "pubmed"
    assert a["fields"]["container"]["source"] == "crossref"
    assert all(f["fetched_at"] for f in a["fields"].values() if f["source"] != "note")
    assert a["fields"]["mesh"]["value"][0].keys() == {"descriptor", "major", "qualifiers", "ui"}
    assert a["disagreements"][0]["field"] == "title"
    assert a["disagreements"][0]["values"][1] == {"source": "note",
                                                  "value": "whatever the note says"}
    assert a["sources"] == ["crossref", "pubmed"] and a["not_enriched"] == []
    assert b["fields"]["doi"]["value"] == NO_PMC[8].doi
    assert {n["kind"] for n in c["notices"]} == {"retraction"}
    assert all(set(f) == {"value", "source", "fetched_at"} for e in (a, b, c)
               for f in e["fields"].values())


def test_a_source_that_is_down_gives_reasons_and_exit_1(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, crossref: LocalServer
) -> None:
    monkeypatch.setenv("NCBI_EUTILS_URL", dead_url())
    result = run("enrich", "--json", str(write_notes(tmp_path / "notes")))
    assert result.exit_code == 1
    entries = json.loads(result.stdout)
    assert len(entries) == 3 and all(e["sources"] == ["crossref"] for e in entries[::2])
    reasons = [p for e in entries for p in e["not_enriched"]]
    assert {"source": "pubmed", "reason": "connection refused", "temporary": True} in reasons
    assert crossref.counts["works-filter"] >= 1


def test_offline_uses_the_cache_only(
    tmp_path: Path, run: Run, crossref: LocalServer, pubmed: LocalServer
) -> None:
    notes = write_notes(tmp_path / "notes")
    assert run("enrich", str(notes)).exit_code == 0
    crossref.reset_log()
    pubmed.reset_log()
    again = run("enrich", "--offline", str(notes))
    assert again.exit_code == 0 and "3 enriched" in again.stdout
    assert requests_made(crossref, pubmed) == {}
    (notes / "d.md").write_text(f"- **DOI**: {WITH_PMC[9].doi}\n", encoding="utf-8")
    partly = run("enrich", "--offline", str(notes))
    assert partly.exit_code == 1 and "not enriched: crossref: offline" in partly.stdout
    assert requests_made(crossref, pubmed) == {}


def test_the_api_key_stays_out_of_output_logs_and_cache(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch, pubmed: LocalServer
) -> None:
    monkeypatch.setenv("NCBI_API_KEY", NCBI_KEY)
    notes = write_notes(tmp_path / "notes")
    for args in (("-vv", "enrich", str(notes)), ("-vv", "--log-format", "json", "enrich",
                                                 "--json", str(notes))):
        run("cache", "clear")  # so that the run asks, and logs, again
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "zsync: DEBUG" in result.stderr or '"level": "debug"' in result.stderr
        assert NCBI_KEY not in result.stdout and NCBI_KEY not in result.stderr
    assert any(f"api_key={NCBI_KEY}" in e.target or NCBI_KEY.encode() in e.body
               for e in pubmed.log)  # it was sent, to NCBI
    monkeypatch.setenv("NCBI_EUTILS_URL", dead_url())  # errors must not show it either
    (notes / "d.md").write_text(f"- **DOI**: {WITH_PMC[9].doi}\n", encoding="utf-8")
    failed = run("-vv", "enrich", str(notes))
    assert NCBI_KEY not in failed.stdout + failed.stderr
    files = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert files and all(NCBI_KEY.encode() not in p.read_bytes() for p in files)


def test_cache_info_and_clear(
    tmp_path: Path, run: Run, crossref: LocalServer, pubmed: LocalServer
) -> None:
    assert "empty" in run("cache", "info").stdout
    notes = write_notes(tmp_path / "notes")
    run("enrich", str(notes))
    info = json.loads(run("cache", "info", "--json").stdout)
    assert info["sources"]["crossref"]["found"] >= 3 and info["sources"]["pubmed"]["found"] >= 3
    assert "records.sqlite" in run("cache", "info").stdout
    cleared = run("cache", "clear", "--source", "pubmed")
    assert cleared.exit_code == 0 and "pubmed, pmc-idconv" in cleared.stdout
    info = json.loads(run("cache", "info", "--json").stdout)
    assert "pubmed" not in info["sources"] and "crossref" in info["sources"]
    assert info["http_cache_bytes"] == 0
    crossref.reset_log()
    pubmed.reset_log()
    run("enrich", str(notes))
    assert "crossref" not in str(requests_made(crossref)) and pubmed.counts["efetch"] >= 1
    assert run("cache", "clear").exit_code == 0
    assert json.loads(run("cache", "info", "--json").stdout)["sources"] == {}
    assert run("cache", "clear", "--source", "nonsense").exit_code == 2


def test_missing_input_is_a_usage_error(tmp_path: Path, run: Run) -> None:
    result = run("enrich", str(tmp_path / "nope.md"))
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_progress_bar_only_on_a_terminal_for_long_runs() -> None:
    terminal = Console(file=io.StringIO(), force_terminal=True, width=100)
    piped = Console(file=io.StringIO(), force_terminal=False)
    assert progress_for(piped, 500, quiet=False) is None
    assert progress_for(terminal, 500, quiet=True) is None
    assert progress_for(terminal, 3, quiet=False) is None
    bar = progress_for(terminal, 500, quiet=False)
    assert isinstance(bar, RichProgress)
    with bar:
        bar.update("Crossref", total=500)
        bar.update("Crossref", done=100)
        bar.update("PubMed", total=20, done=20)
        assert [(t.description, t.completed, t.total) for t in bar._progress.tasks] == [
            ("Crossref", 100, 500), ("PubMed", 20, 20)]
