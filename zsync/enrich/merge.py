"""Combine a note with what the metadata sources say about the same work, field by field.

Precedence: the first source in a field's order that has a value wins. Each field's
precedence class is on its line of the field table (`model.fields`); each class reads the
order of one source group (`sources.base.FieldGroup`), and each registered source says how
far its records are trusted for each group (`Trust` in its spec, `sources.registry`), so
the orders are read from the registry, never written here. With Crossref and PubMed
registered:

- Bibliographic fields (title, creators, container, date, volume, issue, pages,
  publisher, place, ISSN, item type): Crossref, PubMed, DataCite, then the note. The
  publisher's deposit is the version of record; notes abbreviate and mistype.
- Descriptive fields (abstract, language, journal abbreviation, MeSH, publication types):
  PubMed, Crossref, DataCite, then the note. PubMed keeps structured abstracts with their
  section labels and the ISO journal abbreviation.
- Identifiers: the note first (it is what was looked up). DOI, ISBN, arXiv id, URLs,
  series and further Zotero fields: the note, Crossref, PubMed, DataCite. PMID and PMCID:
  the note, PubMed, Crossref.
- Tags, keywords, status and the note's text: the note only; they are the user's own.
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
from zsync.sources.base import FieldGroup, FieldSource, SourceRecord
from zsync.sources.registry import NOTE, REGISTRY
from zsync.sources.registry import Precedence as SourceOrder

__all__ = ["NOTE", "Disagreement", "Enriched", "FieldSource", "SourceRecord", "comparable",
           "merge"]

# The source group whose order decides each precedence class of the field table.
_GROUP: dict[Precedence, FieldGroup] = {
    Precedence.BIBLIOGRAPHIC: FieldGroup.BIBLIOGRAPHIC,
    Precedence.DESCRIPTIVE: FieldGroup.DESCRIPTIVE,
    Precedence.LOCAL_FIRST: FieldGroup.IDENTIFIERS,
    Precedence.LOCAL_THEN_PUBMED: FieldGroup.BIOMEDICAL_IDS,
}


def _orders(sources: SourceOrder) -> dict[Precedence, tuple[str, ...]]:
    """The provenance labels in winning order, per precedence class."""
    return {**{p: sources.order(g) for p, g in _GROUP.items()}, Precedence.NOTE_ONLY: (NOTE,)}


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


def merge(note: Record, sources: list[SourceRecord], problems: tuple[str, ...] = (),
          precedence: SourceOrder | None = None) -> Enriched:
    """Combine `note` with `sources` under `precedence` (by default the registered
    sources'; see this module's docstring)."""
    order = _orders(precedence or REGISTRY.precedence())
    by_source = {s.source: s for s in sources}
    by_source[NOTE] = SourceRecord(NOTE, note)
    values: dict[Field, Any] = {}
    provenance: dict[str, FieldSource] = {}
    for spec in record_fields():
        if spec.precedence is Precedence.NOTE_ONLY:
            continue
        chosen = _pick(spec, order[spec.precedence], by_source)
        if chosen is not None:
            values[spec] = value_of(chosen.record, spec)
            provenance[spec.key] = FieldSource(chosen.source, chosen.fetched_at)
    merged_fields = _merge_extra_fields(by_source, provenance, order)
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
    by_source: dict[str, SourceRecord], provenance: dict[str, FieldSource],
    order: dict[Precedence, tuple[str, ...]],
) -> dict[str, str]:
    """Further Zotero fields: per field, the first source in its table line's order (the
    note first for a field the table does not name)."""
    merged: dict[str, str] = {}
    local_first = order[Precedence.LOCAL_FIRST]
    for source in reversed(local_first):  # later (higher-precedence) sources overwrite
        candidate = by_source.get(source)
        if candidate is None:
            continue
        for key, value in candidate.record.fields.items():
            if _is_set(value):
                merged[key] = value
                provenance[f"fields.{key}"] = FieldSource(source, candidate.fetched_at)
    for spec in extension_fields():
        if order[spec.precedence] == local_first:
            continue
        merged.pop(spec.name, None)
        provenance.pop(spec.key, None)
        chosen = _pick(spec, order[spec.precedence], by_source)
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

