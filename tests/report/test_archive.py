"""Each run's report is kept under the state folder, and old ones go after `keep_days`."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from zsync.report.archive import archive_report

REPORT = {"command": "sync", "started": "2026-11-23T10:00:00Z", "summary": {}, "works": []}


def test_reports_are_kept_and_pruned_by_age(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    old = archive_report(REPORT, folder, 1, keep_days=90)
    month = 31 * 86400
    os.utime(old, (time.time() - 4 * month, time.time() - 4 * month))
    recent = archive_report(REPORT, folder, 2, keep_days=90)
    assert not old.exists()
    assert recent.exists()
    assert json.loads(recent.read_text())["command"] == "sync"
    assert recent.name == "000002-sync-20261123T100000Z.json"


def _work(identity: str, action: str = "unchanged", **details: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "identity": identity, "action": action, "sources": [{"path": f"{identity}.md"}],
        "changes": [], "conflicts": [], "tags_added": [], "tags_removed": [],
        "collections_added": [], "collections_removed": [], "remarks": [], "create": None,
        "not_enriched": None, "message": None, "result": None, "duplicate_of": None,
        "notes": [{"action": "unchanged", "key": "N1", "from": f"{identity}.md"}]}
    entry.update(details)
    return entry


def test_an_archived_report_lists_the_works_with_something_to_tell(tmp_path: Path) -> None:
    """A scheduled run over a large vault archives what happened, not the whole vault."""
    quiet = [_work(f"doi:10.1/{i}", item_key=f"K{i:07d}", matched_by="synced earlier by zsync")
             for i in range(500)]
    telling = [
        _work("doi:10.1/new", "create"),
        _work("doi:10.1/tagged", tags_added=["to-read"]),
        _work("doi:10.1/edited", notes=[{"action": "kept", "key": "N2", "from": "e.md"}]),
        _work("doi:10.1/remark", remarks=["title shortened"]),
        _work("doi:10.1/failed", result={"applied": False, "message": "412"}),
        _work("doi:10.1/found", item_key="ABCD2345", matched_by="DOI 10.1/found"),
    ]
    listed: list[dict[str, object]] = [*quiet[:250], *telling, *quiet[250:]]
    before = [w["identity"] for w in listed]
    report: dict[str, object] = {**REPORT, "works": listed}
    path = archive_report(report, tmp_path / "reports", 3, keep_days=90)
    kept = json.loads(path.read_text())
    assert [w["identity"] for w in kept["works"]] == [w["identity"] for w in telling]
    assert kept["works_not_listed"] == {"unchanged": 500}
    assert [w["identity"] for w in listed] == before  # the run's own report stays whole
    assert len(path.read_bytes()) < 4000


def test_a_report_whose_works_all_tell_something_is_archived_as_it_is(tmp_path: Path) -> None:
    report = {**REPORT, "works": [_work("doi:10.1/a", "update"), _work("doi:10.1/b", "error")]}
    path = archive_report(report, tmp_path / "reports", 4, keep_days=90)
    assert json.loads(path.read_text()) == report
