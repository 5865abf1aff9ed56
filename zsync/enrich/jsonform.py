"""The stable JSON form of an enriched record (documented in docs/enrich-json.md).

Every field with a value is `{"value", "source", "fetched_at"}`: which source gave it
(`note`, `crossref`, `pubmed`, `datacite`, or the lookup that found an identifier:
`pmc-idconv`, `crossref-search`) and when that source was fetched (ISO 8601 UTC, null
for the note). Fields without a value are left out.
"""

from __future__ import annotations

from typing import Any

from zsync.enrich.merge import NOTE, Enriched, FieldSource
from zsync.model.fields import Kind, by_key, record_fields, value_of
from zsync.model.records import MeshHeading, Record, UpdateNotice
from zsync.model.serialize import json_value
from zsync.sources.registry import REGISTRY

SCHEMA_VERSION = 1
_NOT_ENRICHED = "not enriched: "


def enriched_to_json(enriched: Enriched) -> dict[str, Any]:
    """One enriched record: where the note is, its fields with provenance, what went wrong."""
    record = enriched.record
    origin = record.origin
    return {
        "source": {"path": origin.path, "line": origin.line, "end_line": origin.end_line,
                   "format": origin.format, "position": origin.position},
        "fields": fields_with_provenance(enriched),
        "sources": list(enriched.sources),
        "notices": [notice_to_json(n) for n in record.notices],
        "not_enriched": [problem_to_json(p) for p in enriched.not_enriched],
        "disagreements": [
            {"field": d.field, "values": [{"source": s, "value": v} for s, v in d.values]}
            for d in enriched.disagreements
        ],
        "warnings": list(record.warnings),
    }


def fields_with_provenance(enriched: Enriched) -> dict[str, dict[str, Any]]:
    record, provenance = enriched.record, enriched.provenance
    out: dict[str, dict[str, Any]] = {}

    def put(name: str, value: Any, key: str | None = None) -> None:
        if value in (None, "", [], {}):
            return
        origin = provenance.get(key or name, FieldSource(NOTE))
        out[name] = {"value": value, "source": origin.source, "fetched_at": origin.fetched_at}

    for spec in record_fields():
        value = value_of(record, spec)
        if spec.kind is Kind.DATE:
            put(spec.key, (value.iso() or value.raw) if value else None)
            put("year", record.year, spec.key)
        else:
            put(spec.key, json_value(value))
    for name, value in sorted(record.fields.items()):
        put(f"fields.{name}", value)
    return out


def mesh_to_json(heading: MeshHeading) -> dict[str, Any]:
    return heading.to_json()


def notice_to_json(notice: UpdateNotice) -> dict[str, Any]:
    return {"kind": notice.kind, "doi": notice.doi, "pmid": notice.pmid, "label": notice.label,
            "date": notice.date, "source": notice.source}


def problem_to_json(text: str) -> dict[str, Any]:
    """`not enriched: pubmed: HTTP 503` -> source, reason, and whether to try again later.

    `temporary` is true when the source could not be asked (down, rate limiting, offline):
    a later run may do better. Otherwise the source answered and had nothing usable.
    """
    temporary = text.startswith(_NOT_ENRICHED)
    rest = text.removeprefix(_NOT_ENRICHED)
    source, _, reason = rest.partition(": ")
    if not reason:
        source, reason = "", rest
    return {"source": source, "reason": reason, "temporary": temporary}


def was_enriched(enriched: Enriched) -> bool:
    return bool(enriched.sources)


def has_temporary_problem(enriched: Enriched) -> bool:
    return any(p.startswith(_NOT_ENRICHED) for p in enriched.not_enriched)


def filled_fields(note: Record, enriched: Enriched) -> dict[str, list[str]]:
    """Per source, the fields the note did not have and that source supplied."""
    out: dict[str, list[str]] = {}
    for name, origin in enriched.provenance.items():
        if origin.source == NOTE or _note_has(note, name):
            continue
        out.setdefault(origin.source, []).append(name)
    return {source: out[source] for source in sorted(out, key=_source_rank)}


def _source_rank(source: str) -> tuple[int, str]:
    """Registered sources' labels in registration order, then other lookups by name."""
    return (REGISTRY.precedence().rank(source), source)


def _note_has(note: Record, name: str) -> bool:
    if name.startswith("fields."):
        return bool(note.fields.get(name.removeprefix("fields.")))
    spec = by_key(name)
    value = value_of(note, spec) if spec else getattr(note, name, None)
    return value not in (None, "", (), [])
