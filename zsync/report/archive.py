"""Keeping each run's report under the state folder, for as long as `reports.keep_days`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from zsync.report.render import to_json

DAY = 86400.0


def archive_report(
    report: dict[str, Any], folder: Path, run_id: int, keep_days: float, now: float | None = None
) -> Path:
    """Write `report` as JSON to `folder`, drop reports older than `keep_days`; the new path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = str(report.get("started") or "").replace(":", "").replace("-", "")
    path = folder / f"{run_id:06d}-{report['command']}-{stamp or 'run'}.json"
    path.write_text(to_json(report, compact=True), encoding="utf-8")
    prune(folder, keep_days, now, keep=path)
    return path


def prune(
    folder: Path, keep_days: float, now: float | None = None, keep: Path | None = None
) -> int:
    """Delete archived reports older than `keep_days`; how many went."""
    limit = (time.time() if now is None else now) - keep_days * DAY
    gone = 0
    for old in folder.glob("*.json"):
        if old != keep and old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)
            gone += 1
    return gone
