"""The stable JSON form of records and input problems (documented in docs/json.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from zsync.model.fields import Field, Kind, record_fields, table
from zsync.model.records import FileResult, InputProblem, Record

# The fields of the table `record_to_json` writes, worked out once per table (fields can be
# registered at run time): (the table, ((name, is_date), ...)).
_plan: tuple[tuple[Field, ...], tuple[tuple[str, bool], ...]] = ((), ())


def record_to_json(record: Record) -> dict[str, Any]:
    """One parsed record: its source, identifiers, citation key, every field of the field
    table (`model.fields`) in table order, further Zotero fields and warnings."""
    out: dict[str, Any] = {
        "source": record.origin.to_json(),
        **record.ids.to_json(),
        "citekey": record.citekey,
    }
    for name, is_date in _written_fields():
        value = getattr(record, name)
        if is_date:
            out["year"] = record.year
            out[name] = value.raw if value else None
        elif isinstance(value, tuple):
            out[name] = [v.to_json() if hasattr(v, "to_json") else v for v in value]
        else:
            out[name] = value
    out["fields"] = dict(sorted(record.fields.items()))
    out["warnings"] = list(record.warnings)
    return out


def _written_fields() -> tuple[tuple[str, bool], ...]:
    global _plan
    current = table()
    if _plan[0] is not current:
        _plan = (current, tuple((f.name, f.kind is Kind.DATE) for f in record_fields()
                                if f.kind is not Kind.IDENTIFIER))
    return _plan[1]


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


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # as `json.dumps(..., ensure_ascii=False)`


def json_text(entry: dict[str, Any]) -> str:
    """One element of the `zsync parse --json` array, on one line."""
    return _ENCODER.encode(entry)


@dataclass(frozen=True, slots=True)
class RecordWarning:
    """A warning on a record, with where the record is."""

    path: str
    line: int | None
    message: str


@dataclass(frozen=True, slots=True)
class FileJson:
    """One file's result as `zsync parse --json` prints it: its records as JSON texts,
    made where the file was parsed (text travels between processes far more cheaply than
    records), its problems, and the warnings on its records."""

    path: str
    records: tuple[str, ...] = ()
    problems: tuple[InputProblem, ...] = ()
    format: str | None = None
    warnings: tuple[RecordWarning, ...] = ()

    def entries(self) -> list[str]:
        """The array elements for this file: its records, then its problems."""
        return [*self.records, *(json_text(problem_to_json(p)) for p in self.problems)]


def file_json(result: FileResult) -> FileJson:
    records = result.records
    return FileJson(
        result.path,
        tuple(json_text(record_to_json(r)) for r in records),
        result.problems,
        result.format,
        tuple(RecordWarning(r.origin.path, r.origin.line, w) for r in records
              for w in r.warnings),
    )


def merge_json_parts(path: str, parts: Sequence[FileJson]) -> FileJson | None:
    """`FileJson` of an input read in shares, as `registry.merge_parts` merges records:
    None when no share gave a record."""
    records = tuple(text for part in parts for text in part.records)
    if not records:
        return None
    return FileJson(path, records, tuple(p for part in parts for p in part.problems),
                    next((p.format for p in parts if p.format), None),
                    tuple(w for part in parts for w in part.warnings))
