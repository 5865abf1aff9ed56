"""From enriched records to the works a sync plans: one per distinct work in the input.

Appearances of one work (found by `dedupe.group_records` on enriched identifiers) become
one work: the richest appearance leads, tags and keywords are unioned, the first stated
reading status counts, and every appearance is kept as a source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..mapping.schema import ZoteroSchema
from ..mapping.zotero import record_to_item
from .duplicates import find_duplicates, record_identity
from .fuzzy import Settings
from .merge import Enriched
from .notehtml import render_note
from .plan import Work
from .records import Record
from .retraction import note_html as notice_note
from .retraction import tags_for as notice_tags

# Record fields and the Zotero field each lands in, for showing where a value came from.
_ZOTERO_FIELD = {
    "title": "title", "creators": "creators", "date": "date", "volume": "volume",
    "issue": "issue", "pages": "pages", "abstract": "abstractNote", "language": "language",
    "container": "publicationTitle", "journal_abbreviation": "journalAbbreviation",
    "publisher": "publisher", "place": "place", "issn": "ISSN", "doi": "DOI", "pmid": "PMID",
    "pmcid": "PMCID", "series": "series",
}


@dataclass(frozen=True)
class WorkSettings:
    schema: ZoteroSchema
    status_map: Mapping[str, str]  # lower-case word -> status collection name
    default_status: str = "New"
    child_note: bool = True
    duplicates: Settings = field(default_factory=Settings)  # fuzzy rules' settings


def status_collection(status: str | None, settings: WorkSettings) -> str:
    """The status collection a note's status word files the item in."""
    if not status or not status.strip():
        return settings.default_status
    word = status.strip().strip("[]#").strip()
    return settings.status_map.get(word.lower(), word)


def _richness(enriched: Enriched) -> tuple[int, int, int]:
    record = enriched.record
    filled = sum(1 for v in (record.title, record.container, record.date, record.abstract) if v)
    return (len(enriched.sources), filled, len(record.note))


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def combine(group: Sequence[Enriched]) -> Enriched:
    """One enriched record for all appearances of a work."""
    lead = max(group, key=_richness)
    records = [e.record for e in group]
    status = next((r.status for r in records if r.status), None)
    record = replace(
        lead.record,
        tags=_unique([t for r in records for t in r.tags]),
        keywords=_unique([k for r in records for k in r.keywords]),
        status=status,
    )
    problems = _unique([p for e in group for p in e.not_enriched])
    return replace(lead, record=record, not_enriched=problems)


def build_works(enriched: Sequence[Enriched], settings: WorkSettings) -> list[Work]:
    """The works to sync, in input order, duplicates folded into the first appearance."""
    groups = find_duplicates([e.record for e in enriched], settings.duplicates, record_identity)
    return [_work([enriched[i] for i in g.members], settings) for g in groups]


def _work(members: list[Enriched], settings: WorkSettings) -> Work:
    combined = combine(members)
    record = combined.record
    origins = tuple(m.record.origin for m in members)
    lead_origin = record.origin
    note_html = None
    if settings.child_note and record.note.strip():
        note_html = render_note(record.note, lead_origin.path)
    return Work(
        identity=record_identity(record),
        title=record.title,
        item=record_to_item(record, settings.schema, tags_manual=notice_tags(record.notices)),
        status=status_collection(record.status, settings),
        origins=(lead_origin, *(o for o in origins if o != lead_origin)),
        note_html=note_html,
        identifiers=_identifiers(record),
        sources={
            _ZOTERO_FIELD[name]: source.source
            for name, source in combined.provenance.items() if name in _ZOTERO_FIELD
        },
        duplicates=tuple(o for o in origins if o != lead_origin),
        notice_html=notice_note(record.notices),
    )


def _identifiers(record: Record) -> dict[str, str]:
    ids = record.ids
    out = {"doi": ids.doi, "pmid": ids.pmid, "pmcid": ids.pmcid, "arxiv": ids.arxiv,
           "isbn": ids.isbn[0] if ids.isbn else None}
    return {k: v for k, v in out.items() if v}
