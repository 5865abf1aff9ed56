"""A dry run with no account and no network still says, per work, what could not be
enriched, for every input the work was read from."""

from __future__ import annotations

from pathlib import Path

from zsync.config.settings import load
from zsync.runtime import enricher
from zsync.sync.run import NO_ACCOUNT, sync

TITLE = (
    "The behaviour change wheel: a new method for characterising and designing behaviour "
    "change interventions"
)
NOTE_WITH_DOI = f"- **Title**: {TITLE}\n- **By**: Susan Michie\n- **Year**: 2011\n- **DOI**: 10.1186/1748-5908-6-42\n"
NOTE_WITH_PMID = (
    f"- **Title**: {TITLE}\n- **By**: Susan Michie\n- **Year**: 2011\n- **PMID**: 21513547\n"
    "\nA longer note, so this appearance leads the work.\n"
)


def test_an_offline_dry_run_reports_every_source_it_could_not_ask(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(NOTE_WITH_DOI, encoding="utf-8")
    (notes / "b.md").write_text(NOTE_WITH_PMID, encoding="utf-8")
    settings = tmp_path / "config.toml"
    settings.write_text("", encoding="utf-8")
    config = load(settings, env={
        "ZSYNC_OFFLINE": "true", "ZSYNC_CACHE_DIR": str(tmp_path / "cache"),
        "ZSYNC_STATE": str(tmp_path / "state.sqlite"),
    })
    with enricher(config) as source:
        result = sync(config, [notes], source, dry_run=True)
    report = result.report
    assert report["notices"] == [NO_ACCOUNT]
    actions = [w["action"] for w in report["works"]]
    assert actions.count("create") == 1 and actions.count("duplicate") == 1
    created = next(w for w in report["works"] if w["action"] == "create")
    # The DOI note could not ask Crossref, the PMID note could not ask PubMed: both are said.
    assert "crossref: offline" in created["not_enriched"]
    assert "pubmed: offline" in created["not_enriched"]
    assert not (tmp_path / "state.sqlite").exists()  # a dry run without account keeps no state
