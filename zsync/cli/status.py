"""`zsync status` and `zsync config check`: what zsync knows, and whether it can write."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from ..adapters.state import StateStore
from ..adapters.zotero import ZoteroSetupError, key_check, make_api
from ..config import SETTINGS, Config, Secret, plain_http_risks
from .app import EXIT_OK, EXIT_PARTIAL, Globals, app, fail
from .render import echo_json, stdout

config_app = typer.Typer(help="Show and check settings.", no_args_is_help=True)
app.add_typer(config_app, name="config")


def _library(config: Config) -> str | None:
    library_id = str(config["zotero.library_id"]).strip()
    return f"{config['zotero.library_type']}s/{library_id}" if library_id else None


def status_data(config: Config) -> dict[str, Any]:
    """Library, mirror, last runs, unconfirmed writes and open conflicts, from the state store."""
    library = _library(config)
    data: dict[str, Any] = {"library": library, "state": str(config.state_path())}
    if library is None or not config.state_path().exists():
        return {**data, "runs": [], "conflicts": [], "pending_writes": 0, "mirror": None}
    with StateStore.from_config(config) as store:
        store.select_library(library)
        data["mirror"] = {
            "version": store.mirror.library_version(),
            "items": len(store.mirror.items()),
            "collections": len(store.mirror.collections()),
        }
        data["pending_writes"] = len(store.intents.pending())
        data["runs"] = [
            {"id": r.id, "started": r.started, "ended": r.ended, "outcome": r.outcome,
             "counts": r.counts, "report": r.report_path}
            for r in store.runs.recent(10)
        ]
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
        stdout.print(f"run {run['id']}: {run['started']} {run['outcome'] or 'running'} "
                     f"{json.dumps(run['counts'])}", markup=False, highlight=False)
    for c in data["conflicts"]:
        stdout.print(f"conflict {c['item']} {c['field']}: kept yours {c['yours']!r}, "
                     f"zsync had {c['zsync']!r}", markup=False, highlight=False)
    if not data["runs"]:
        stdout.print("no runs yet")


@config_app.command("show")
def config_show(ctx: typer.Context) -> None:
    """Print every setting, its value (keys masked) and where it came from."""
    config = ctx.obj.config()
    for setting in SETTINGS:
        value = config[setting.name]
        shown = str(value) if isinstance(value, Secret) else json.dumps(value, ensure_ascii=False)
        origin = config.origins.get(setting.name, "default")
        stdout.print(f"{setting.name} = {shown}  [dim]({origin})[/]", highlight=False)


@config_app.command("check")
def config_check(ctx: typer.Context) -> None:
    """Check the API key, the library, and write access (Zotero's /keys/current)."""
    ok = show_checks(ctx.obj.config())
    raise typer.Exit(EXIT_OK if ok else EXIT_PARTIAL)


def show_checks(config: Config) -> bool:
    """Print what the key may do with the library (or why it cannot be checked); True when
    zsync can read and write it and no key would travel unencrypted."""
    try:
        api = make_api(config)
    except ZoteroSetupError as exc:
        fail(str(exc))
    risks = plain_http_risks(config)
    result = key_check(api)
    checks = [
        *((risk, False) for risk in risks),
        ("Zotero reachable at " + api.endpoint, result.reachable),
        ("API key known to Zotero", result.key_valid),
        (f"key may read {api.library}", result.can_read),
        (f"key may write {api.library}", result.can_write),
    ]
    for label, ok in checks:
        mark = "[green]ok[/]  " if ok else "[red]FAIL[/]"
        stdout.print(f"{mark} {label}", highlight=False)
    if result.message:
        stdout.print(result.message, markup=False, highlight=False)
    return result.ok and not risks
