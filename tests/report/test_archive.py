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
