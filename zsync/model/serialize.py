"""The stable JSON form of records and input problems (documented in docs/json.md)."""

from __future__ import annotations

from typing import Any

from zsync.model.fields import Kind, record_fields, value_of
from zsync.model.records import FileResult, InputProblem, Record

SCHEMA_VERSION = 1


def record_to_json(record: Record) -> dict[str, Any]:
    """One parsed record: its source, identifiers, citation key, every field of the field
    table (`model.fields`) in table order, further Zotero fields and warnings."""
    out: dict[str, Any] = {
        "source": record.origin.to_json(),
        **record.ids.to_json(),
        "citekey": record.citekey,
    }
    for field in record_fields():
        value = value_of(record, field)
        if field.kind is Kind.DATE:
            out["year"] = record.year
            out[field.name] = value.raw if value else None
        elif field.kind is not Kind.IDENTIFIER:
            out[field.name] = json_value(value)
    out["fields"] = dict(sorted(record.fields.items()))
    out["warnings"] = list(record.warnings)
    return out


def json_value(value: Any) -> Any:
    """A field's value as JSON: tuples as lists, creators and MeSH headings as objects."""
    if isinstance(value, tuple):
        return [v.to_json() if hasattr(v, "to_json") else v for v in value]
    return value


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
