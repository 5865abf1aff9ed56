"""From enriched records to the works a sync plans: one per distinct work in the input.

Appearances of one work (found by `dedupe.find_duplicates` on enriched identifiers) become
one work: the richest appearance leads, tags and keywords are unioned, the first stated
reading status counts, and every appearance is kept as a source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from zsync.dedupe.duplicates import find_duplicates, record_identity, work_key
from zsync.dedupe.rules import Settings
from zsync.dedupe.within_input import Group
from zsync.enrich.merge import Enriched, FieldSource
from zsync.model.fields import table
from zsync.model.records import Origin, Record
from zsync.sync.plan import Contributor, Work
from zsync.sync.retraction import note_html as notice_note
from zsync.sync.retraction import tags_for as notice_tags
from zsync.zotero.limits import fit_item, fit_note, fit_tag_name, note_shortened
from zsync.zotero.memory import clean
from zsync.zotero.notehtml import render_note
from zsync.zotero.schema import ZoteroSchema
from zsync.zotero.to_item import record_to_item


def _zotero_field_sources(provenance: Mapping[str, FieldSource]) -> dict[str, str]:
    """Zotero field -> the source its value came from (the field table names the field)."""
    zotero = {f.key: f.zotero_field for f in table() if f.zotero_field}
    zotero["creators"] = "creators"
    return {zotero[key]: origin.source for key, origin in provenance.items() if key in zotero}


@dataclass(frozen=True)
class WorkSettings:
    schema: ZoteroSchema
    status_map: Mapping[str, str]  # lower-case word -> status collection name
    default_status: str = "New"
    child_note: bool = True
    duplicates: Settings = field(default_factory=Settings)  # fuzzy rules' settings
    # A note's Markdown and source name -> its child note's HTML (a kept earlier answer
    # may stand in for notehtml.render_note: it must give the same HTML).
    render_note: Callable[[str, str], str] = render_note


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
    return [build_work([enriched[i] for i in g.members], settings, why_joined(g))
            for g in groups]


def why_joined(group: Group) -> dict[int, str]:
    """Member position in the group -> the rule and evidence that joined it to the work."""
    where = {index: n for n, index in enumerate(group.members)}
    out: dict[int, str] = {}
    for match in group.matches:
        said = f"{match.rule}: {match.evidence}" if match.evidence else match.rule
        for end in (match.a, match.b):
            if end in where:
                out.setdefault(where[end], said)
    return out


def work_notes(members: Sequence[Enriched]) -> tuple[str | None, str | None]:
    """The report's lines for a work: why it was not enriched, and its retraction and
    correction notices (None: nothing to say)."""
    reasons = [p.removeprefix("not enriched: ") for m in members for p in m.not_enriched]
    flagged = {
        (n.kind, n.doi, n.pmid): n for m in members for n in m.record.notices
        if n.kind in ("retraction", "correction", "expression_of_concern")
    }
    retracted = "; ".join(
        f"{n.kind.replace('_', ' ')} {n.doi or n.pmid or ''} {n.date or ''}".strip()
        for n in flagged.values()) if flagged else None
    return ("; ".join(dict.fromkeys(reasons)) if reasons else None), retracted


def contributor_ids(origins: Sequence[Origin]) -> list[str]:
    """A name for each input file that is the same wherever and however zsync is run: the
    file's name, with its folder's name where two files of one work share a name."""
    names = [PurePath(o.path).name or o.path for o in origins]
    clashing = {n for n in names if names.count(n) > 1}
    out = []
    for origin, name in zip(origins, names, strict=True):
        path = PurePath(origin.path)
        out.append(f"{path.parent.name}/{name}" if name in clashing and path.parent.name
                   else name)
    return out


def _contributors(members: list[Enriched], settings: WorkSettings) -> tuple[Contributor, ...]:
    ids = contributor_ids([m.record.origin for m in members])
    by_id: dict[str, Contributor] = {}
    for cid, member in zip(ids, members, strict=True):
        record = member.record
        note = None
        if settings.child_note and record.note.strip():
            note = fit_note(settings.render_note(record.note, cid))
        status = status_collection(record.status, settings) if record.status else None
        earlier = by_id.get(cid)
        if earlier is None:
            by_id[cid] = Contributor(cid, _tag_names([*record.tags, *record.keywords]), status,
                                     note)
        else:  # one file holding the work twice: one contributor
            by_id[cid] = Contributor(
                cid, _tag_names([*earlier.tags, *record.tags, *record.keywords]),
                earlier.status or status, earlier.note_html or note)
    return tuple(by_id.values())


def _tag_names(values: Sequence[str]) -> tuple[str, ...]:
    return _unique([fit_tag_name(v) for v in values])


def build_work(members: list[Enriched], settings: WorkSettings,
               why: Mapping[int, str] | None = None) -> Work:
    """One work from the enriched records that are its appearances (`why`: for each
    member's position, the rule that joined it)."""
    combined = combine(members)
    record = combined.record
    origins = tuple(m.record.origin for m in members)
    lead_origin = record.origin
    contributors = _contributors(members, settings)
    note_html = next((c.note_html for c in contributors if c.note_html), None)
    # As the server will store it (control characters removed, strings trimmed), so that
    # its cleaning is never taken for a user's edit; then within its limits.
    item, shortened = fit_item(clean(
        record_to_item(record, settings.schema, tags_manual=notice_tags(record.notices))))
    shortened += [f"the note from {c.id} was cut to Zotero's limit of 500,000 characters"
                  for c in contributors if note_shortened(c.note_html)]
    return Work(
        identity=record_identity(record),
        title=clean(record.title),
        item=item,
        status=status_collection(record.status, settings),
        origins=(lead_origin, *(o for o in origins if o != lead_origin)),
        note_html=note_html,
        identifiers=_identifiers(record),
        sources=_zotero_field_sources(combined.provenance),
        duplicates=tuple(o for o in origins if o != lead_origin),
        duplicate_reasons=tuple((why or {}).get(n, "") for n, o in enumerate(origins)
                                if o != lead_origin),
        notice_html=notice_note(record.notices),
        contributors=contributors,
        remarks=tuple(shortened),
        key=work_key(record),
    )


def _identifiers(record: Record) -> dict[str, str]:
    ids = record.ids
    out = {"doi": ids.doi, "pmid": ids.pmid, "pmcid": ids.pmcid, "arxiv": ids.arxiv,
           "isbn": ids.isbn[0] if ids.isbn else None, "citekey": record.citekey}
    return {k: v for k, v in out.items() if v}
