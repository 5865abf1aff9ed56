"""The stable JSON form of an enriched record (documented in docs/enrich-json.md).

Every field with a value is `{"value", "source", "fetched_at"}`: which source gave it
(`note`, `crossref`, `pubmed`, `datacite`, or the lookup that found an identifier:
`pmc-idconv`, `crossref-search`) and when that source was fetched (ISO 8601 UTC, null
for the note). Fields without a value are left out.
"""

from __future__ import annotations

from typing import Any

from zsync.enrich.merge import NOTE, Enriched, FieldSource
from zsync.model.records import MeshHeading, Record, UpdateNotice

SCHEMA_VERSION = 1
_NOT_ENRICHED = "not enriched: "
# Record attributes in output order, with how to show each value.
_PLAIN = ("title", "container", "volume", "issue", "pages", "publisher", "place", "series",
          "item_type", "language", "journal_abbreviation", "abstract")
_LISTS = ("issn", "urls", "publication_types")
_NOTE_ONLY = ("tags", "keywords", "status")


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

    ids = record.ids
    put("doi", ids.doi)
    put("pmid", ids.pmid)
    put("pmcid", ids.pmcid)
    put("isbn", list(ids.isbn))
    put("arxiv", ids.arxiv)
    put("title", record.title)
    put("creators", [c.to_json() for c in record.creators])
    put("date", (record.date.iso() or record.date.raw) if record.date else None)
    put("year", record.year, "date")
    for name in _PLAIN:
        put(name, getattr(record, name))
    for name in _LISTS:
        put(name, list(getattr(record, name)))
    put("mesh", [mesh_to_json(m) for m in record.mesh])
    for name in _NOTE_ONLY:
        value = getattr(record, name)
        put(name, list(value) if isinstance(value, tuple) else value)
    for name, value in sorted(record.fields.items()):
        put(f"fields.{name}", value)
    return out


def mesh_to_json(heading: MeshHeading) -> dict[str, Any]:
    return {"descriptor": heading.descriptor, "major": heading.major,
            "qualifiers": list(heading.qualifiers), "ui": heading.ui}


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
    order = ("crossref", "datacite", "pubmed")
    return (order.index(source) if source in order else len(order), source)


def _note_has(note: Record, name: str) -> bool:
    if name.startswith("fields."):
        return bool(note.fields.get(name.removeprefix("fields.")))
    value = getattr(note.ids, name, None) if name in ("doi", "pmid", "pmcid", "isbn", "arxiv") \
        else getattr(note, name, None)
    return value not in (None, "", (), [])
