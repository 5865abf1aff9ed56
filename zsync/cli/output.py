"""Where a report goes: the terminal, stdout as JSON, or a file whose format its name tells."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from zsync.cli.app import fail
from zsync.cli.render import echo_json, print_report, print_summary
from zsync.logs import json_lines
from zsync.report.formats import DEFAULT, RUN, ReportFormat, for_path, formats, named
from zsync.report.render import GENERATOR, headline, to_json

# Options every reporting command (sync, refresh) takes, declared once.
DryRun = Annotated[bool, typer.Option("--dry-run", "-n", help="Plan and report; write nothing.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]
ReportPath = Annotated[
    Path | None,
    typer.Option("--report", help="Also write the report to this file; its extension "
                                  "(.md, .json, .html) sets the format."),
]


def format_option(kind: str, help_text: str) -> Any:
    """`--format NAME`, NAME one of the report formats that can show this kind of report."""
    names = [f.name for f in formats(kind)]

    def check(value: str | None) -> str | None:
        if value is not None and value not in names:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(map(repr, names))}.")
        return value

    return typer.Option("--format", metavar=f"[{'|'.join(names)}]", callback=check,
                        autocompletion=_completion(names), help=help_text)


def _completion(names: list[str]) -> Callable[[], list[str]]:
    return lambda: names


Format = Annotated[str | None, format_option(RUN, "Format of --report when its extension "
                                                  "does not say.")]
Force = Annotated[
    bool, typer.Option("--force", help="Let --report overwrite a file that is not an "
                                       "earlier zsync report.")
]
ShowUnchanged = Annotated[
    bool, typer.Option("--show-unchanged", help="Also list the works that need no change.")
]
Offline = Annotated[
    bool, typer.Option("--offline", help="Use cached Crossref and PubMed answers only.")
]
DetailedExitcode = Annotated[
    bool, typer.Option("--detailed-exitcode", help="Exit 3 when a dry run found changes.")
]



def report_target(
    path: Path | None, fmt: str | None, *, force: bool, inputs: Sequence[Path] = ()
) -> ReportFormat | None:
    """The format `--report` will be written in, checked before the run starts: `--format`
    needs `--report`; an existing file is only replaced when it is an earlier report (or
    with --force), and never when it is one of the inputs. Usage errors end with exit 2."""
    if path is None:
        if fmt is not None:
            fail("--format sets the format of --report FILE: give --report too "
                 "(or use --json for JSON on stdout)")
        return None
    chosen = named(fmt) if fmt else for_path(path, RUN)
    if chosen is None:
        known = formats(RUN)
        suffixes = [f.extensions[0] for f in known]
        fail(f"cannot tell the report format from {path.name!r}: name it "
             f"{', '.join(suffixes[:-1])} or {suffixes[-1]}, or add --format "
             f"{'|'.join(f.name for f in known)}")
    if path.is_dir():
        fail(f"--report {path} is a folder: give a file name such as {path / 'report.html'}")
    if path.exists() and not force:
        if _is_input(path, inputs):
            fail(f"--report {path} is one of the notes being read; choose another file")
        if not _is_report(path):
            fail(f"--report {path} exists and is not an earlier zsync report; choose another "
                 "file or add --force to replace it")
    return chosen


def _is_input(path: Path, inputs: Sequence[Path]) -> bool:
    target = path.resolve()
    for given in inputs:
        root = given.resolve()
        if target == root or (root.is_dir() and target.is_relative_to(root)):
            return True
    return False


def _is_report(path: Path) -> bool:
    """Whether `path` holds a report zsync wrote (any of its formats)."""
    try:
        with path.open(encoding="utf-8") as handle:
            head = handle.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    if head.lstrip().startswith("{"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(data, dict) and str(data.get("schema", "")).startswith("zsync.report/")
    return head.startswith("# zsync ") or GENERATOR in head


def emit_report(
    report: dict[str, Any], *, as_json: bool, path: Path | None, fmt: ReportFormat | None,
    quiet: bool, show_unchanged: bool = False,
) -> None:
    if as_json:
        echo_json(to_json(report))
        if json_lines():  # the log still gets its summary object
            print_summary(headline(report), report["summary"], command=report["command"],
                          mode=report["mode"], library=report["library"])
    else:
        print_report(report, quiet=quiet, show_unchanged=show_unchanged)
    if path is not None:
        write_report(report, path, fmt or for_path(path, RUN) or named(DEFAULT))


def write_report(report: dict[str, Any], path: Path, fmt: ReportFormat) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fmt.render(report), encoding="utf-8")
    except OSError as exc:
        fail(f"could not write the report to {path}: {exc.strerror or exc}; the run itself "
             "is done and recorded (zsync status)", 1)
