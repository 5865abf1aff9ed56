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
    path.write_text(to_json(archived(report), compact=True), encoding="utf-8")
    prune(folder, keep_days, now, keep=path)
    return path


# How the planner's `matched_by` begins for the item zsync synced a work to before.
SYNCED_EARLIER = "synced earlier by zsync"

# What a work's entry holds besides its name and sources; an entry with action "unchanged"
# and none of these has nothing to tell (`archived`).
DETAILS = ("changes", "conflicts", "tags_added", "tags_removed", "collections_added",
            "collections_removed", "remarks", "create", "not_enriched", "message", "result",
            "duplicate_of")


def archived(report: dict[str, Any]) -> dict[str, Any]:
    """The report as archived: works left as they were, with nothing to tell (no change,
    conflict, remark, message, note written or kept), are counted rather than listed. A
    scheduled run over a large vault would otherwise archive every work of the vault each
    time (megabytes a run, for as long as `keep_days`)."""
    works = report.get("works")
    if not isinstance(works, list):
        return report
    listed = [w for w in works if not _nothing_to_tell(w)]
    if len(listed) == len(works):
        return report
    before = unlisted(report)
    return {**report, "works": listed, "works_not_listed": not_listed(
        before + len(works) - len(listed))}


def not_listed(count: int) -> dict[str, int]:
    """A report's `works_not_listed`: how many works it counts rather than lists (all
    unchanged, with nothing to tell)."""
    return {"unchanged": count}


def unlisted(report: dict[str, Any]) -> int:
    """How many works `report` counts rather than lists."""
    counted = report.get("works_not_listed")
    found = counted.get("unchanged") if isinstance(counted, dict) else None
    return found if isinstance(found, int) else 0


def _nothing_to_tell(work: Any) -> bool:
    """Unchanged, with no detail, and either no item or the item zsync synced it to
    before (a note first found in an existing item tells which)."""
    if not isinstance(work, dict) or work.get("action") != "unchanged":
        return False
    for key in DETAILS:  # a plain loop: this runs for every work of the vault
        if work.get(key):
            return False
    if work.get("item_key") and not str(work.get("matched_by") or "").startswith(SYNCED_EARLIER):
        return False
    for note in work.get("notes") or ():
        if not isinstance(note, dict) or note.get("action") != "unchanged":
            return False
    return True


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
