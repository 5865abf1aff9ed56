"""`zsync dedupe`: duplicates in the notes or in the Zotero library; merging them; the
"not duplicates" list."""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer

from zsync.cli.app import EXIT_OK, Globals, app, fail, run_exit_status
from zsync.cli.errors import zsync_errors
from zsync.cli.inputs import Exclude, exclude_setting, require_paths
from zsync.cli.output import format_option
from zsync.cli.progress import RunProgress
from zsync.cli.render import echo, echo_json, print_summary, stderr, stdout, warn
from zsync.dedupe.pairs import (
    add_not_duplicate,
    forget_not_duplicate,
    list_not_duplicates,
)
from zsync.dedupe.service import DedupeResult, dedupe_input, dedupe_library
from zsync.logs import json_lines, printable_json
from zsync.report.dedupe import lines
from zsync.report.formats import DEDUPE, DEFAULT, for_path, named
from zsync.runtime import enricher

_STYLE = {"head": "bold", "master": "green", "match": "cyan", "payload": "dim",
          "notice": "yellow", "problem": "red", "state:merged": "green",
          "state:planned": "blue", "state:refused": "yellow", "state:skipped": "yellow",
          "state:partial": "yellow", "state:failed": "red"}
Pair = tuple[str, str] | None


@app.command("dedupe")
def dedupe_command(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Note files or folders whose records are compared with each other.")] = None,
    library: Annotated[bool, typer.Option(
        "--library", help="Find the duplicate clusters already in the Zotero library.")] = False,
    merge: Annotated[bool, typer.Option(
        "--merge", help="With --library: show what merging each cluster writes.")] = False,
    apply: Annotated[bool, typer.Option(
        "--apply", help="With --merge: write the merges (otherwise a dry run).")] = False,
    cluster: Annotated[str | None, typer.Option(
        "--cluster", metavar="N|KEY", help="Merge only this cluster (its number in the "
                                           "report, or any of its item keys).")] = None,
    enrich: Annotated[bool, typer.Option(
        "--enrich", help="With PATH: complete the records from Crossref and PubMed "
                         "first.")] = False,
    offline: Annotated[bool, typer.Option(
        "--offline", help="With --enrich: use cached answers only.")] = False,
    fmt: Annotated[str | None, format_option(
        DEDUPE, "Print the report as md or json instead of for the terminal (with --report: "
                "the file's format).")] = None,
    report: Annotated[Path | None, typer.Option(
        "--report", help="Write the report to this file (md, or json with --format json "
                         "or a .json name).")] = None,
    detailed_exitcode: Annotated[bool, typer.Option(
        "--detailed-exitcode", help="Exit 3 when duplicates were found and nothing was "
                                    "merged.")] = False,
    not_duplicate: Annotated[Pair, typer.Option(
        "--not-duplicate", metavar="A B",
        help="Keep two items (keys) or works (doi:..., pmid:...) apart from now on.")] = None,
    forget_not_duplicate_pair: Annotated[Pair, typer.Option(
        "--forget-not-duplicate", metavar="A B",
        help="Take a pair off the not-duplicates list.")] = None,
    list_pairs: Annotated[bool, typer.Option(
        "--list-not-duplicates", help="Show the not-duplicates list.")] = False,
    exclude: Exclude = None,
) -> None:
    """Find duplicates in notes (PATH...) or in the Zotero library (--library), and merge
    the library's duplicates as Zotero does (--merge; dry run unless --apply).

    Every match names its rule (same DOI, PMID, PMCID, ISBN or arXiv id; title, year and
    creator) and its evidence. The item kept is the one added first (oldest dateAdded); the
    others go to the trash (never deleted) after their notes, attachments, tags,
    collections and relations moved to it. Pairs on the not-duplicates list are never
    joined. Exit status: 0 no duplicates (or all merged), 1 some merges failed or some
    inputs could not be used, 2 usage or config error, 3 with --detailed-exitcode when
    duplicates were found and not merged.
    """
    options: Globals = ctx.obj
    modes = [bool(paths), library, not_duplicate is not None,
             forget_not_duplicate_pair is not None, list_pairs]
    if sum(modes) != 1:
        fail("give note files or folders, or --library, or one of --not-duplicate, "
             "--forget-not-duplicate, --list-not-duplicates")
    if (merge and not library) or (apply and not merge) or (cluster and not merge):
        fail("--merge goes with --library, --apply and --cluster with --merge")
    if (enrich or offline) and not paths:
        fail("--enrich and --offline go with note files or folders")
    config = options.config(offline=offline, **exclude_setting(exclude))
    with zsync_errors(config):
        if not_duplicate or forget_not_duplicate_pair or list_pairs:
            _edit_list(config, not_duplicate, forget_not_duplicate_pair, fmt, options.quiet)
            raise typer.Exit(EXIT_OK)
        if paths:
            require_paths(paths)
            with enricher(config) if enrich else nullcontext() as source:
                result = dedupe_input(config, paths, source)
        else:
            with RunProgress("dedupe", stderr, show=not options.quiet,
                             dry_run=not (merge and apply)) as progress:
                result = dedupe_library(config, merge=merge, apply=apply, cluster=cluster,
                                        on_phase=progress.phase)
    _emit(result, fmt, report, options.quiet)
    raise typer.Exit(_exit_code(result, detailed_exitcode))


def _exit_code(result: DedupeResult, detailed: bool) -> int:
    return run_exit_status(partial=bool(result.failed or result.problems),
                           changes=detailed and bool(result.found)
                           and result.report["mode"] != "apply")


def _emit(result: DedupeResult, fmt: str | None, path: Path | None, quiet: bool) -> None:
    report = result.report
    if path is not None:
        chosen = named(fmt) if fmt else for_path(path, DEDUPE) or named(DEFAULT)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(chosen.render(report), encoding="utf-8")
    if fmt is not None and path is None:
        text = named(fmt).render(report)
        if fmt == "json":
            echo_json(text, nl=False)
        else:
            echo(text, nl=False)
        return
    shown = lines(report)
    for style, text in shown[-1:] if quiet else shown:
        stdout.print(text, style=_STYLE.get(style, ""), markup=False, highlight=False)
    if json_lines() and shown:
        print_summary(shown[-1][1], report.get("summary"), command="dedupe",
                      mode=report.get("mode"))



def _json(value: Any) -> str:
    return printable_json(json.dumps(value, ensure_ascii=False, indent=2, default=str)) + "\n"


def _edit_list(config: Any, add: tuple[str, str] | None, forget: tuple[str, str] | None,
               fmt: str | None, quiet: bool) -> None:
    if add is not None:
        entry = add_not_duplicate(config, *add)
        for warning in entry["warnings"]:
            warn(warning)
        said = "added to" if entry["added"] else "already on"
        stdout.print(f"{entry['a']} / {entry['b']}: {said} the not-duplicates list",
                     markup=False, highlight=False)
        return
    if forget is not None:
        if not forget_not_duplicate(config, *forget):
            fail(f"{forget[0]} / {forget[1]} is not on the not-duplicates list")
        stdout.print(f"{forget[0]} / {forget[1]}: taken off the not-duplicates list",
                     markup=False, highlight=False)
        return
    pairs = list_not_duplicates(config)
    if fmt == "json":
        echo_json(_json(pairs), nl=False)
        return
    for p in [] if quiet else pairs:
        stdout.print(f"{_side(p['a'], p['a_item'])}  /  {_side(p['b'], p['b_item'])}",
                     markup=False, highlight=False)
    stdout.print(f"{len(pairs)} pair(s) on the not-duplicates list", highlight=False)


def _side(name: str, item: dict[str, Any] | None) -> str:
    if item is None:
        return name
    trashed = ", in the trash" if item["trashed"] else ""
    return f"{name} ({item['title'] or '(no title)'}, {item['item_type']}{trashed})"
