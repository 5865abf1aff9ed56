"""Combine a note with what Crossref and PubMed say about the same work, field by field.

Precedence: the first source in a field's order that has a value wins. Each field's
precedence class is on its line of the field table (`model.fields`); `ORDERS` gives the
sources of each class:

- Bibliographic (title, creators, container, date, volume, issue, pages, publisher, place,
  ISSN, item type): Crossref, PubMed, DataCite, then the note. The publisher's deposit is
  the version of record; notes abbreviate and mistype.
- Descriptive (abstract, language, journal abbreviation, MeSH, publication types): PubMed,
  Crossref, DataCite, then the note. PubMed keeps structured abstracts with their section
  labels and the ISO journal abbreviation.
- Local first (DOI, ISBN, arXiv id, URLs, series and further Zotero fields): the note,
  Crossref, PubMed, DataCite; the DOI is what was looked up. PMID and PMCID: the note,
  PubMed, Crossref.
- Note only (tags, keywords, status and the note's text): they are the user's own.
- Retraction and correction notices: the union of all sources.

Every field of the result records which source gave it and when that source was fetched;
where the note and a source disagree, both values are kept for the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from zsync.model.fields import (
    Field,
    Precedence,
    extension_fields,
    record_fields,
    table,
    value_of,
    with_values,
)
from zsync.model.records import Identifiers, Record
from zsync.model.text import plain

NOTE = "note"
BIBLIOGRAPHIC = ("crossref", "pubmed", "datacite", NOTE)
DESCRIPTIVE = ("pubmed", "crossref", "datacite", NOTE)
LOCAL_FIRST = (NOTE, "crossref", "pubmed", "datacite")

# Source order per precedence class of the field table (`model.fields`).
ORDERS: dict[Precedence, tuple[str, ...]] = {
    Precedence.BIBLIOGRAPHIC: BIBLIOGRAPHIC,
    Precedence.DESCRIPTIVE: DESCRIPTIVE,
    Precedence.LOCAL_FIRST: LOCAL_FIRST,
    Precedence.LOCAL_THEN_PUBMED: (NOTE, "pubmed", "crossref"),
    Precedence.NOTE_ONLY: (NOTE,),
}


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What one source said about a work, and when it was fetched (ISO 8601, UTC)."""

    source: str
    record: Record
    fetched_at: str | None = None


@dataclass(frozen=True, slots=True)
class FieldSource:
    source: str
    fetched_at: str | None = None


@dataclass(frozen=True, slots=True)
class Disagreement:
    """The note and a source give different values for one field."""

    field: str
    values: tuple[tuple[str, str], ...]  # (source, value as text), chosen value first


@dataclass(frozen=True)
class Enriched:
    """A note's record combined with its sources, with the provenance of every field."""

    record: Record
    provenance: dict[str, FieldSource] = field(default_factory=dict)
    disagreements: tuple[Disagreement, ...] = ()
    sources: tuple[str, ...] = ()
    not_enriched: tuple[str, ...] = ()  # why a source could not be used, one line each


def merge(note: Record, sources: list[SourceRecord], problems: tuple[str, ...] = ()) -> Enriched:
    """Combine `note` with `sources` under the precedence in this module's docstring."""
    by_source = {s.source: s for s in sources}
    by_source[NOTE] = SourceRecord(NOTE, note)
    values: dict[Field, Any] = {}
    provenance: dict[str, FieldSource] = {}
    for spec in record_fields():
        if spec.precedence is Precedence.NOTE_ONLY:
            continue
        chosen = _pick(spec, ORDERS[spec.precedence], by_source)
        if chosen is not None:
            values[spec] = value_of(chosen.record, spec)
            provenance[spec.key] = FieldSource(chosen.source, chosen.fetched_at)
    merged_fields = _merge_extra_fields(by_source, provenance)
    merged = with_values(replace(note, ids=Identifiers(), fields=merged_fields,
                                 notices=_union_notices(by_source)), values)
    return Enriched(
        record=merged,
        provenance=provenance,
        disagreements=_disagreements(note, merged, provenance),
        sources=tuple(s.source for s in sources),
        not_enriched=problems,
    )


def _is_set(value: Any) -> bool:
    return value not in (None, "", (), [], {})


def _pick(
    spec: Field, order: tuple[str, ...], by_source: dict[str, SourceRecord]
) -> SourceRecord | None:
    for source in order:
        candidate = by_source.get(source)
        if candidate is not None and _is_set(value_of(candidate.record, spec)):
            return candidate
    return None


def _merge_extra_fields(
    by_source: dict[str, SourceRecord], provenance: dict[str, FieldSource]
) -> dict[str, str]:
    """Further Zotero fields: per field, the first source in its table line's order (the
    note first for a field the table does not name)."""
    merged: dict[str, str] = {}
    for source in reversed(LOCAL_FIRST):  # later (higher-precedence) sources overwrite
        candidate = by_source.get(source)
        if candidate is None:
            continue
        for key, value in candidate.record.fields.items():
            if _is_set(value):
                merged[key] = value
                provenance[f"fields.{key}"] = FieldSource(source, candidate.fetched_at)
    for spec in extension_fields():
        order = ORDERS[spec.precedence]
        if order == LOCAL_FIRST:
            continue
        merged.pop(spec.name, None)
        provenance.pop(spec.key, None)
        chosen = _pick(spec, order, by_source)
        if chosen is not None:
            merged[spec.name] = value_of(chosen.record, spec)
            provenance[spec.key] = FieldSource(chosen.source, chosen.fetched_at)
    return merged


def _union_notices(by_source: dict[str, SourceRecord]) -> tuple:
    seen: dict[tuple[str, str | None, str | None], Any] = {}
    for candidate in by_source.values():
        for notice in candidate.record.notices:
            seen.setdefault((notice.kind, notice.doi, notice.pmid), notice)
    return tuple(seen.values())


def _disagreements(
    note: Record, merged: Record, provenance: dict[str, FieldSource]
) -> tuple[Disagreement, ...]:
    out = []
    for spec in table():
        if not spec.compared:
            continue
        ours, theirs = value_of(note, spec), value_of(merged, spec)
        source = provenance.get(spec.key)
        if source is None or source.source == NOTE or not _is_set(ours):
            continue
        if comparable(ours) != comparable(theirs):
            out.append(Disagreement(spec.key, ((source.source, _text(theirs)),
                                               (NOTE, _text(ours)))))
    return tuple(out)


def _text(value: Any) -> str:
    if hasattr(value, "iso") and callable(value.iso):
        return str(value.iso() or value.raw)
    return str(value)


def comparable(value: Any) -> str:
    """A form of a field's value that ignores case, accents, punctuation and spacing."""
    if hasattr(value, "year"):
        return str(value.year)
    return plain(str(value))

