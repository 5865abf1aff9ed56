"""The report format registry: one table tells every reporting command which formats exist,
which file names choose them, and which kinds of report each can show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zsync.report.formats import (
    DEDUPE,
    FORMATS,
    RUN,
    ReportFormat,
    for_path,
    formats,
    kind_of,
    named,
)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_each_format_is_chosen_by_its_name_and_by_each_of_its_extensions(
        fmt: ReportFormat) -> None:
    assert named(fmt.name) is fmt
    for kind in fmt.renderers:
        for extension in fmt.extensions:
            assert for_path(Path(f"report{extension.upper()}"), kind) is fmt


def test_a_file_name_that_names_no_format_chooses_none() -> None:
    assert for_path(Path("report.txt"), RUN) is None
    assert for_path(Path("report"), RUN) is None


def test_dedupe_reports_are_not_offered_in_a_format_that_cannot_show_them() -> None:
    assert [f.name for f in formats(RUN)] == ["md", "json", "html"]
    assert [f.name for f in formats(DEDUPE)] == ["md", "json"]
    assert for_path(Path("duplicates.html"), DEDUPE) is None


def test_a_report_is_rendered_by_its_own_kind() -> None:
    dedupe_report = {"command": "dedupe", "scope": "input", "mode": "report", "notices": [],
                     "groups": [], "related": [], "problems": [],
                     "summary": {"records": 3, "groups": 0, "duplicates": 0, "related": 0,
                                 "problems": 0}}
    assert kind_of(dedupe_report) == DEDUPE
    assert kind_of({"command": "refresh"}) == RUN
    assert named("md").render(dedupe_report).startswith("# Duplicates: input")
    assert json.loads(named("json").render(dedupe_report)) == dedupe_report
