"""Combine a note with what Crossref and PubMed say about the same work, field by field.

Precedence: the first source in a field's order that has a value wins.

- Bibliographic fields (title, creators, container, date, volume, issue, pages,
  publisher, place, ISSN, item type): Crossref, PubMed, DataCite, then the note. The
  publisher's deposit is the version of record; notes abbreviate and mistype.
- Descriptive fields (abstract, language, journal abbreviation, MeSH, publication types):
  PubMed, Crossref, DataCite, then the note. PubMed keeps structured abstracts with their
  section labels and the ISO journal abbreviation.
- DOI: the note first (it is what was looked up), then Crossref, PubMed. PMID and PMCID:
  the note, PubMed, Crossref. ISBN, arXiv id, URLs, series and further Zotero fields: the
  note, Crossref, PubMed, DataCite.
- Tags, keywords, status and the note's text: the note only; they are the user's own.
- Retraction and correction notices: the union of all sources.

Every field of the result records which source gave it and when that source was fetched;
where the note and a source disagree, both values are kept for the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from zsync.model.records import Identifiers, Record
from zsync.model.text import plain

NOTE = "note"
BIBLIOGRAPHIC = ("crossref", "pubmed", "datacite", NOTE)
DESCRIPTIVE = ("pubmed", "crossref", "datacite", NOTE)
LOCAL_FIRST = (NOTE, "crossref", "pubmed", "datacite")

_ORDER: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("title", "creators", "container", "date", "volume", "issue", "pages", "publisher",
         "place", "issn", "item_type"),
        BIBLIOGRAPHIC,
    ),
    **dict.fromkeys(
        ("abstract", "language", "journal_abbreviation", "mesh", "publication_types"),
        DESCRIPTIVE,
    ),
    **dict.fromkeys(("urls", "series"), LOCAL_FIRST),
}
_ID_ORDER = {
    "doi": (NOTE, "crossref", "pubmed", "datacite"),
    "pmid": (NOTE, "pubmed", "crossref"),
    "pmcid": (NOTE, "pubmed", "crossref"),
    "isbn": LOCAL_FIRST,
    "arxiv": LOCAL_FIRST,
}
# Fields whose disagreement between the note and a source is worth showing a person.
_COMPARED = ("title", "date", "container", "volume", "issue", "pages", "item_type")


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
    values: dict[str, Any] = {}
    provenance: dict[str, FieldSource] = {}
    for name, order in _ORDER.items():
        chosen = _pick(name, order, by_source)
        if chosen is not None:
            values[name] = getattr(chosen.record, name)
            provenance[name] = FieldSource(chosen.source, chosen.fetched_at)
    ids, id_provenance = _merge_identifiers(by_source)
    provenance.update(id_provenance)
    values["fields"] = _merge_extra_fields(by_source, provenance)
    values["notices"] = _union_notices(by_source)
    merged = replace(note, ids=ids, **values)
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
    name: str, order: tuple[str, ...], by_source: dict[str, SourceRecord]
) -> SourceRecord | None:
    for source in order:
        candidate = by_source.get(source)
        if candidate is not None and _is_set(getattr(candidate.record, name)):
            return candidate
    return None


def _merge_identifiers(
    by_source: dict[str, SourceRecord],
) -> tuple[Identifiers, dict[str, FieldSource]]:
    chosen: dict[str, Any] = {}
    provenance: dict[str, FieldSource] = {}
    for name, order in _ID_ORDER.items():
        for source in order:
            candidate = by_source.get(source)
            value = getattr(candidate.record.ids, name) if candidate else None
            if _is_set(value):
                chosen[name] = value
                provenance[name] = FieldSource(source, candidate.fetched_at if candidate else None)
                break
    return Identifiers(**chosen), provenance


def _merge_extra_fields(
    by_source: dict[str, SourceRecord], provenance: dict[str, FieldSource]
) -> dict[str, str]:
    merged: dict[str, str] = {}
    for source in reversed(LOCAL_FIRST):  # later (higher-precedence) sources overwrite
        candidate = by_source.get(source)
        if candidate is None:
            continue
        for key, value in candidate.record.fields.items():
            if _is_set(value):
                merged[key] = value
                provenance[f"fields.{key}"] = FieldSource(source, candidate.fetched_at)
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
    for name in _COMPARED:
        ours, theirs = getattr(note, name), getattr(merged, name)
        source = provenance.get(name)
        if source is None or source.source == NOTE or not _is_set(ours):
            continue
        if comparable(ours) != comparable(theirs):
            out.append(Disagreement(name, ((source.source, _text(theirs)), (NOTE, _text(ours)))))
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

