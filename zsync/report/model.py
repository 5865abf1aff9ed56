"""What a run report is made of besides its plan: the run itself and each work's outcome.
`zsync.sync.report.build_report` turns them into the one dictionary every renderer
(terminal, Markdown, HTML, JSON) reads; its JSON form is documented in docs/report-json.md
and stable within a `schema` version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from zsync.model.records import InputProblem

SCHEMA = "zsync.report/1"


@dataclass(frozen=True)
class Outcome:
    """What happened to one planned work in a real run."""

    identity: str
    applied: bool
    message: str | None = None
    item_key: str | None = None


@dataclass(frozen=True)
class RunInfo:
    command: str
    mode: str  # "dry-run" or "apply"
    library: str | None
    started: str
    finished: str | None = None
    notices: tuple[
        str, ...
    ] = ()  # run-level messages, e.g. "no Zotero account: planned against an empty library"
    not_enriched: Mapping[str, str] = field(default_factory=dict)  # identity -> reason
    input_problems: tuple[InputProblem, ...] = ()
    retracted: Mapping[str, str] = field(default_factory=dict)  # identity -> notice text
