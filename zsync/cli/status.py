"""`zsync status`, `zsync config check` and `zsync config local-auth`: what zsync knows,
whether it can write, and the key Zotero desktop gives it."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from pyzotero import errors as ze
from rich.markup import escape

from zsync.cli.app import EXIT_OK, EXIT_PARTIAL, Globals, app, fail
from zsync.cli.render import echo_json, stdout
from zsync.config.settings import (
    SETTINGS,
    Config,
    ConfigError,
    Secret,
    plain_http_risks,
    store_setting,
)
from zsync.state.store import StateStore
from zsync.zotero.api import KeyCheck, ZoteroApi, key_check, make_api
from zsync.zotero.client import authorize_desktop, local_url
from zsync.zotero.keys import desktop_check

config_app = typer.Typer(help="Show and check settings.", no_args_is_help=True)
app.add_typer(config_app, name="config")


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


def settings_data(config: Config) -> list[dict[str, Any]]:
    """Every setting with its value (secrets masked) and where it came from."""
    out = []
    for setting in SETTINGS:
        value = config.value(setting.name)
        out.append({"name": setting.name,
                    "value": str(value) if isinstance(value, Secret) else value,
                    "from": config.origins.get(setting.name, "default")})
    return out


AsJson = Annotated[bool, typer.Option("--json", help="Print as JSON.")]


@config_app.command("show")
def config_show(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Print every setting, its value (keys masked) and where it came from."""
    config = ctx.obj.config()
    if as_json:
        echo_json(json.dumps(settings_data(config), ensure_ascii=False, indent=2, default=str))
        return
    for setting in SETTINGS:
        value = config.value(setting.name)
        shown = str(value) if isinstance(value, Secret) else json.dumps(value, ensure_ascii=False)
        origin = config.origins.get(setting.name, "default")
        stdout.print(f"{setting.name} = {shown}  [dim]({origin})[/]", highlight=False)


@config_app.command("check")
def config_check(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Check the API key, the library, and write access (Zotero's /keys/current); on Zotero
    desktop, whether it runs, which version it is and whether zsync's key is approved."""
    ok = show_checks(ctx.obj.config(), as_json)
    raise typer.Exit(EXIT_OK if ok else EXIT_PARTIAL)


def show_checks(config: Config, as_json: bool = False) -> bool:
    """Print what zsync may do with the library (or why it cannot be checked); True when it
    can read and write it and no key would travel unencrypted."""
    api = make_api(config)  # a ZoteroSetupError ends with exit 2
    risks = plain_http_risks(config)
    desktop = desktop_check(api) if api.hybrid else None
    result = key_check(api)
    checks = [*((risk, False) for risk in risks), *_checks(config, api, result, desktop)]
    ok = result.ok and not risks and (desktop is None or desktop.ok)
    messages = [m for m in (desktop.message if desktop else "", result.message) if m]
    if as_json:
        echo_json(json.dumps({
            "ok": ok, "endpoint": api.endpoint, "library": api.library,
            "checks": [{"check": label, "ok": bool(passed)} for label, passed in checks],
            "user_id": result.user_id, "message": " ".join(messages) or None,
        }, ensure_ascii=False, indent=2))
        return ok
    for label, passed in checks:
        mark = "[green]ok[/]  " if passed else "[red]FAIL[/]"
        stdout.print(f"{mark} {escape(label)}", highlight=False)
    for message in messages:
        stdout.print(message, markup=False, highlight=False)
    return ok


def _checks(config: Config, api: ZoteroApi, result: KeyCheck, desktop: KeyCheck | None
            ) -> list[tuple[str, bool]]:
    if api.local:
        checks = [(f"Zotero desktop answers at {api.endpoint}", result.reachable)]
        if result.reachable:
            checks.append((f"Zotero desktop: {result.desktop}", api.desktop_writes))
        if api.desktop_writes:
            checks.append(("local API key approved in Zotero", result.key_valid))
        return [*checks, (f"may read {api.library}", result.can_read),
                (f"may write {api.library}", result.can_write)]
    checks = []
    if desktop is not None:
        checks.append((f"Zotero desktop answers at {local_url(config)} (reads)",
                       desktop.reachable))
    return [
        *checks,
        ("Zotero reachable at " + api.endpoint, result.reachable),
        ("API key known to Zotero", result.key_valid),
        (f"key may read {api.library}", result.can_read),
        (f"key may write {api.library}", result.can_write),
    ]


@config_app.command("local-auth")
def config_local_auth(ctx: typer.Context) -> None:
    """Ask Zotero desktop (10 or newer) for a local API key, so zsync can write to it.

    Zotero shows a dialog: choose "Always Allow". The key is stored in your config file as
    zotero.local_api_key (never printed)."""
    options: Globals = ctx.obj
    config = options.config()
    stdout.print(f"Asking Zotero desktop at {local_url(config)} for a key: choose "
                 "\"Always Allow\" in the dialog Zotero shows now.", highlight=False)
    try:
        key, remember = authorize_desktop(config)
    except ze.LocalAPIDeniedError:
        fail("Zotero refused: the request was denied in Zotero's dialog. Run "
             "`zsync config local-auth` again and choose \"Always Allow\" to let zsync write "
             "to your library (nothing was stored)")
    except ze.TooManyRequestsError:
        fail("Zotero allows only a few key requests a minute: wait a minute and run "
             "`zsync config local-auth` again")
    except ze.PyZoteroError as exc:
        fail(f"Zotero desktop answered with an error: {exc}", EXIT_PARTIAL)
    if not remember:
        fail("you chose \"Allow\", which lets zsync make one write, and a sync makes several: "
             "run `zsync config local-auth` again and choose \"Always Allow\" (nothing was "
             "stored)")
    try:
        path = store_setting("zotero.local_api_key", key, options.config_path or config.source)
    except (ConfigError, OSError) as exc:
        fail(f"Zotero gave zsync a key, but it could not be stored: {exc}")
    stdout.print(f"Zotero approved zsync. The key is stored in {path} as "
                 "zotero.local_api_key; set zotero.local = true (or ZOTERO_LOCAL=1) to sync "
                 "with Zotero desktop.", highlight=False, markup=False)
    if config.origins.get("zotero.local_api_key", "").startswith("$"):
        stdout.print("Note: $ZOTERO_LOCAL_API_KEY is set and overrides the stored key; unset "
                     "it to use the new one.", highlight=False, markup=False)
