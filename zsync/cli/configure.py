"""`zsync config init`: write a first config file after checking its Zotero settings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zsync.cli.app import EXIT_OK, EXIT_PARTIAL, Globals, fail
from zsync.cli.render import stdout
from zsync.cli.status import config_app, show_checks
from zsync.config import init
from zsync.config.settings import default_config_path

KEYS_PAGE = "https://www.zotero.org/settings/keys"


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
