"""The stable JSON form of records and input problems (documented in docs/json.md)."""

from __future__ import annotations

from typing import Any

from zsync.model.records import FileResult, InputProblem, Record

SCHEMA_VERSION = 1


def record_to_json(record: Record) -> dict[str, Any]:
    """One parsed record: identifiers, bibliographic fields, tags, status and its source."""
    return {
        "source": {
            "path": record.origin.path,
            "line": record.origin.line,
            "end_line": record.origin.end_line,
            "format": record.origin.format,
            "position": record.origin.position,
        },
        **record.ids.to_json(),
        "citekey": record.citekey,
        "title": record.title,
        "creators": [c.to_json() for c in record.creators],
        "year": record.year,
        "date": record.date.raw if record.date else None,
        "container": record.container,
        "volume": record.volume,
        "issue": record.issue,
        "pages": record.pages,
        "item_type": record.item_type,
        "language": record.language,
        "publisher": record.publisher,
        "status": record.status,
        "tags": list(record.tags),
        "keywords": list(record.keywords),
        "urls": list(record.urls),
        "abstract": record.abstract,
        "warnings": list(record.warnings),
    }


def problem_to_json(problem: InputProblem) -> dict[str, Any]:
    """An input that could not be used: where it is and why."""
    return {
        "source": {"path": problem.path, "line": problem.line, "format": problem.format},
        "error": problem.message,
    }


def file_result_to_json(result: FileResult) -> list[dict[str, Any]]:
    return [record_to_json(r) for r in result.records] + [
        problem_to_json(p) for p in result.problems
    ]
