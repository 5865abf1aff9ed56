"""`zsync cache info` and `zsync cache clear`: the Crossref and PubMed answers kept on disk."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from zsync.cli.app import EXIT_OK, Globals, app, fail
from zsync.cli.render import echo_json, stdout
from zsync.config.settings import Config
from zsync.sources.cache import RECORDS_FILE, RecordCache
from zsync.sources.http_stacks import HTTP_CACHE_FILE

cache_app = typer.Typer(help="Show or clear the cached Crossref and PubMed answers.",
                        no_args_is_help=True)
app.add_typer(cache_app, name="cache")

# A service name clears everything zsync cached from that service.
SERVICES = {
    "crossref": ("crossref", "crossref-search", "doi.org"),
    "pubmed": ("pubmed", "pmc-idconv"),
}
SOURCES = ("crossref", "crossref-search", "doi.org", "pubmed", "pmc-idconv")


def _open(config: Config) -> RecordCache | None:
    """The cache, or None when there is none yet (nothing is created just to look)."""
    if not (config.cache_dir() / RECORDS_FILE).exists():
        return None
    return RecordCache.from_config(config)


def cache_info(config: Config) -> dict[str, Any]:
    directory = config.cache_dir()
    http_path = directory / HTTP_CACHE_FILE
    data: dict[str, Any] = {
        "dir": str(directory), "records_file": str(directory / RECORDS_FILE),
        "records_bytes": 0, "sources": {}, "http_cache_file": str(http_path),
        "http_cache_bytes": http_path.stat().st_size if http_path.exists() else 0,
        "ttl_days": config.cache.ttl_days,
        "not_found_ttl_days": config.cache.not_found_ttl_days,
    }
    cache = _open(config)
    if cache is None:
        return data
    try:
        info = cache.info()
    finally:
        cache.close()
    return {**data, "records_bytes": info.size_bytes, "sources": info.counts,
            "http_cache_bytes": info.http_cache_bytes}


@cache_app.command("info")
def info_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Where the cache is, how big, and how many answers it holds per source."""
    options: Globals = ctx.obj
    data = cache_info(options.config())
    if as_json:
        echo_json(json.dumps(data, ensure_ascii=False, indent=2))
        raise typer.Exit(EXIT_OK)
    stdout.print(f"record cache: {data['records_file']} ({_size(data['records_bytes'])})",
                 markup=False, highlight=False)
    if not data["sources"]:
        stdout.print("  empty", highlight=False)
    for source, counts in sorted(data["sources"].items()):
        stdout.print(f"  {source:<16} {counts['found']:>7} found {counts['not_found']:>7} "
                     "not found", markup=False, highlight=False)
    stdout.print(f"kept {data['ttl_days']} days, answers \"not found\" "
                 f"{data['not_found_ttl_days']} days", markup=False, highlight=False)
    stdout.print(f"HTTP cache: {data['http_cache_file']} ({_size(data['http_cache_bytes'])})",
                 markup=False, highlight=False)
    raise typer.Exit(EXIT_OK)


@cache_app.command("clear")
def clear_command(
    ctx: typer.Context,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="Only this source: crossref or pubmed (all they "
                     "cached), or one of crossref-search, doi.org, pmc-idconv. Repeatable."),
    ] = None,
) -> None:
    """Forget cached answers (all, or one source's), and the HTTP cache behind them.

    The next run asks the services again for whatever was cleared.
    """
    options: Globals = ctx.obj
    chosen = _sources(source or [])
    cache = _open(options.config())
    if cache is None:
        stdout.print("nothing cached", highlight=False)
        raise typer.Exit(EXIT_OK)
    try:
        if chosen is None:
            rows = cache.clear()
        else:
            rows = sum(cache.clear(name) for name in chosen)
            cache.clear_http()
    finally:
        cache.close()
    which = "all sources" if chosen is None else ", ".join(chosen)
    stdout.print(f"cleared {rows} cached answer(s) ({which}) and the HTTP cache",
                 highlight=False)
    raise typer.Exit(EXIT_OK)


def _sources(names: list[str]) -> list[str] | None:
    if not names:
        return None
    chosen: list[str] = []
    for name in names:
        key = name.strip().lower()
        if key not in SERVICES and key not in SOURCES:
            fail(f"unknown source {name!r}: expected one of {', '.join(SOURCES)}")
        chosen.extend(SERVICES.get(key, (key,)))
    return list(dict.fromkeys(chosen))


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    size = float(n)
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            break
    return f"{size:.1f} {unit}"
