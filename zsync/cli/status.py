"""`zsync status`: the library zsync syncs to, what the state store knows of it, its last runs
and the conflicts left open."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from zsync.cli.app import EXIT_OK, Globals, app
from zsync.cli.render import echo_json, stdout
from zsync.config.settings import Config
from zsync.state.store import StateStore


def _library(config: Config) -> str | None:
    library_id = config.zotero.library_id.strip()
    if not library_id and _desktop_only(config) and config.zotero.library_type == "user":
        library_id = "0"  # the desktop's own library
    return f"{config.zotero.library_type}s/{library_id}" if library_id else None


def _desktop_only(config: Config) -> bool:
    return config.zotero.local and not config.zotero.hybrid


def _select(store: StateStore, config: Config, library: str) -> None:
    """Select `library` as the last run saw it: on the desktop, through the Zotero that was
    synced with last (its data is kept per Zotero-Server-ID), without asking Zotero."""
    server_id = ""
    if _desktop_only(config):
        row = store.db.execute(
            "SELECT server_id FROM libraries WHERE library = ? AND refreshed_at IS NOT NULL"
            " ORDER BY refreshed_at DESC LIMIT 1", (library,)).fetchone()
        server_id = str(row["server_id"]) if row else ""
    store.select_library(library, server_id)


def status_data(config: Config) -> dict[str, Any]:
    """Library, mirror, last runs, unconfirmed writes and open conflicts, from the state store."""
    library = _library(config)
    data: dict[str, Any] = {"library": library, "state": str(config.state_path())}
    if library is None or not config.state_path().exists():
        return {**data, "runs": [], "conflicts": [], "pending_writes": 0, "mirror": None}
    with StateStore.from_config(config) as store:
        _select(store, config, library)
        data["mirror"] = {
            "version": store.mirror.library_version(),
            "items": len(store.mirror.items()),
            "collections": len(store.mirror.collections()),
        }
        data["pending_writes"] = len(store.intents.pending())
        data["runs"] = [
            {"id": r.id, "command": r.command, "mode": r.mode, "library": r.library,
             "started": r.started, "ended": r.ended, "outcome": r.outcome or "running",
             "counts": r.counts, "report": r.report_path}
            for r in store.runs.recent(100) if r.library in (library, None)
        ][:10]
        data["conflicts"] = [
            {"item": c.item_key, "field": c.field, "zsync": c.zsync_value, "yours": c.user_value}
            for c in store.conflicts.open()
        ]
    return data


@app.command()
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Show the library zsync syncs to, its last runs and the conflicts left open."""
    options: Globals = ctx.obj
    data = status_data(options.config())
    if as_json:
        echo_json(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        raise typer.Exit(EXIT_OK)
    stdout.print(f"library: {data['library'] or '(not configured)'}", highlight=False)
    stdout.print(f"state:   {data['state']}", highlight=False)
    mirror = data["mirror"]
    if mirror:
        stdout.print(
            f"mirror:  version {mirror['version']}, {mirror['items']} items, "
            f"{mirror['collections']} collections", highlight=False,
        )
    if data["pending_writes"]:
        stdout.print(f"[yellow]{data['pending_writes']} write batch(es) not yet confirmed; "
                     "the next sync finishes them[/]")
    for run in data["runs"]:
        stdout.print(run_line(run), markup=False, highlight=False)
    for c in data["conflicts"]:
        stdout.print(f"conflict {c['item']} {c['field']}: kept yours {c['yours']!r}, "
                     f"zsync had {c['zsync']!r}", markup=False, highlight=False)
    if not data["runs"]:
        stdout.print("no runs yet")


_MODES = {"dry-run": "dry run", "apply": "applied", "report": "report only"}
_COUNTED = ("create", "update", "conflict", "error", "failed", "clusters", "merged")


def run_line(run: dict[str, Any]) -> str:
    """One run: when, what, how it went: `run 7  2026-12-07T10:00:00Z  sync  applied  ok
    (create 2, update 1)`; a run stopped part-way says `interrupted`."""
    outcome = run["outcome"]
    mode = "interrupted" if outcome == "interrupted" else _MODES.get(run["mode"] or "", "")
    counts = run["counts"] or {}
    shown = ", ".join(f"{name} {counts[name]}" for name in _COUNTED if counts.get(name))
    parts = [f"run {run['id']}", run["started"], run["command"] or "(older run)", mode,
             "" if outcome == "interrupted" else outcome]
    text = "  ".join(p for p in parts if p)
    if shown:
        text += f" ({shown})"
    if counts.get("error") and isinstance(counts["error"], str):
        text += f": {counts['error']}"
    return text
