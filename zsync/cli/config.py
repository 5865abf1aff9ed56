"""`zsync config show`, `check`, `local-auth` and `init`: the settings, whether zsync can
write with them, the key Zotero desktop gives it, and a first config file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pyzotero import errors as ze
from rich.markup import escape

from zsync.cli.app import EXIT_OK, EXIT_PARTIAL, Globals, app, fail
from zsync.cli.render import echo_json, stdout
from zsync.config import init
from zsync.config.settings import (
    SETTINGS,
    Config,
    ConfigError,
    Secret,
    default_config_path,
    plain_http_risks,
    store_setting,
)
from zsync.zotero.api import KeyCheck, ZoteroApi, key_check, make_api
from zsync.zotero.client import authorize_desktop, local_url
from zsync.zotero.keys import desktop_check

config_app = typer.Typer(help="Show and check settings.", no_args_is_help=True)
app.add_typer(config_app, name="config")
KEYS_PAGE = "https://www.zotero.org/settings/keys"


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


def _ask(text: str, *, default: str | None = None, hide: bool = False) -> str:
    try:
        return str(typer.prompt(text, default=default, hide_input=hide)).strip()
    except typer.Abort:
        raise fail(f"no answer for: {text} (give it as a flag; see zsync config init --help)"
                   ) from None


@config_app.command("init")
def config_init(
    ctx: typer.Context,
    library_type: Annotated[str | None, typer.Option(
        "--library-type", help="'user' (your own library, the default) or 'group'.")] = None,
    library_id: Annotated[str | None, typer.Option(
        "--library-id", help=f"Your userID (shown at {KEYS_PAGE}) or a group's number.")] = None,
    api_key: Annotated[str | None, typer.Option(
        "--api-key", help=f"A key with write access, made at {KEYS_PAGE}.")] = None,
    local: Annotated[bool, typer.Option(
        "--local", help="Write through the Zotero desktop's local API (no key needed).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    no_check: Annotated[bool, typer.Option(
        "--no-check", help="Write the file even when Zotero cannot confirm the settings.")] = False,
) -> None:
    """Write your config file (mode 0600), asking for what the flags do not give."""
    options: Globals = ctx.obj
    path: Path = options.config_path or default_config_path()
    if path.exists() and not force:
        fail(f"{path} exists; pass --force to replace it")
    if library_type is None:  # with --library-id alone: the user's own library
        library_type = "user" if library_id else _ask("Library type (user or group)",
                                                       default="user")
    if library_type not in ("user", "group"):
        fail(f"--library-type must be 'user' or 'group', not {library_type!r}")
    if library_id is None:
        where = (f"your userID, shown at {KEYS_PAGE}" if library_type == "user"
                 else "the number in the group's zotero.org/groups/ address")
        library_id = _ask(f"Library id ({where})")
    if not library_id.strip().isdigit():
        fail(f"the library id is a number, not {library_id!r}")
    if api_key is None and not local:
        api_key = _ask(f"API key (create one with write access at {KEYS_PAGE})", hide=True)
    values = init.zotero_values(library_type, library_id, api_key or "", local)
    if not no_check and not show_checks(init.candidate(values)):
        fail(f"nothing written to {path}: fix the settings above, or pass --no-check",
             EXIT_PARTIAL)
    try:
        init.write_private(path, init.render(init.example_text(), values), force)
    except OSError as exc:
        fail(f"could not write {path}: {exc}")
    stdout.print(f"wrote {path} (readable by you only); zsync config check tests it again",
                 markup=False, highlight=False)
    raise typer.Exit(EXIT_OK)
