"""`zsync dedupe` reports as plain data (JSON-ready dicts); rendering is elsewhere.

Library report: `{"command": "dedupe", "scope": "library", "mode", "library",
"master_rule", "clusters": [{"number", "master", "items": [...], "matches": [...],
"merge": null | {...}}], "related": [...], "notices", "summary"}`. Input report: the same
envelope with `"scope": "input"`, `"groups"` of records instead of clusters, and
`"problems"`. Every match names its rule and evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from zsync.dedupe.duplicates import Cluster, KeyMatch, record_identity
from zsync.dedupe.merge_writer import ClusterOutcome
from zsync.dedupe.mergeplan import MergePlan
from zsync.dedupe.signature import creators_of_item, item_title, year_of
from zsync.dedupe.within_input import Group, Match
from zsync.model.records import InputProblem, Record
from zsync.zotero.library import LibraryItem, LibraryView, item_identifiers

MASTER_RULE = ("oldest dateAdded: the item added to Zotero first is kept (Zotero's rule; "
               "ties: the smaller key)")
MERGE_STATES = ("merged", "partial", "skipped", "failed", "refused", "planned")


def _names(creators: Iterable[Any], limit: int = 3) -> str:
    names = [c.sort_name for c in creators if c.sort_name]
    return "; ".join(names[:limit]) + (f" (+{len(names) - limit})" if len(names) > limit else "")


def describe_item(item: LibraryItem, view: LibraryView) -> dict[str, Any]:
    data = item.data
    return {
        "key": item.key, "title": item_title(data), "year": year_of(data.get("date")),
        "item_type": item.item_type, "creators": _names(creators_of_item(data)),
        "date_added": data.get("dateAdded"),
        "identifiers": {k: sorted(v) for k, v in item_identifiers(data).items() if v},
        "notes": len(view.children(item.key, "note")),
        "attachments": len(view.children(item.key, "attachment")),
    }


def _key_match(m: KeyMatch) -> dict[str, Any]:
    return {"a": m.a, "b": m.b, "rule": m.rule, "evidence": m.evidence}


def cluster_entry(number: int, cluster: Cluster, master: str, view: LibraryView
                  ) -> dict[str, Any]:
    items = [{**describe_item(view.items[k], view), "master": k == master}
             for k in cluster.keys]
    return {"number": number, "master": master, "keys": list(cluster.keys), "items": items,
            "matches": [_key_match(m) for m in cluster.matches], "merge": None}


def related_entries(clusters: Sequence[Cluster], view: LibraryView) -> list[dict[str, Any]]:
    """Each preprint/published pair once, with both items described."""
    seen: set[frozenset[str]] = set()
    out = []
    for cluster in clusters:
        for m in cluster.related:
            pair = frozenset((m.a, m.b))
            if pair in seen:
                continue
            seen.add(pair)
            out.append({"a": describe_item(view.items[m.a], view),
                        "b": describe_item(view.items[m.b], view),
                        "rule": m.rule, "evidence": m.evidence})
    return out


def merge_entry(plan: MergePlan, outcome: ClusterOutcome) -> dict[str, Any]:
    return {
        "status": outcome.status, "message": outcome.message, "master": plan.master,
        "fills": [{"field": f.field, "value": f.value, "from": f.source} for f in plan.fills],
        "tags_added": list(plan.tags_added), "collections_added": list(plan.collections_added),
        "replaces": list(plan.replaces),
        "moves": [{"key": c.key, "item_type": c.item_type, "from": c.from_parent}
                  for c in plan.children],
        "relations": [{"key": r.key, "predicate": r.predicate, "old": r.old, "new": r.new}
                      for r in plan.rewrites],
        "trash": list(plan.trash), "trashed": list(outcome.trashed),
        "writes": [{"step": s.write.step, "key": s.write.key, "summary": s.write.summary,
                    "payload": s.write.payload, "status": s.status, "message": s.message}
                   for s in outcome.sent],
    }


def library_summary(clusters: list[dict[str, Any]], related: list[dict[str, Any]],
                    items: int, not_duplicates: int) -> dict[str, int]:
    summary = {
        "items": items, "clusters": len(clusters),
        "duplicates": sum(len(c["items"]) - 1 for c in clusters),
        "related": len(related), "not_duplicates": not_duplicates,
    }
    states = [c["merge"]["status"] for c in clusters if c["merge"]]
    summary.update({state: states.count(state) for state in MERGE_STATES})
    return summary


# -- input ---------------------------------------------------------------------------------


def place(record: Record) -> str:
    return f"{record.origin.path}#{record.origin.position}"


def describe_record(record: Record) -> dict[str, Any]:
    ids = record.ids
    found = {"doi": ids.doi, "pmid": ids.pmid, "pmcid": ids.pmcid, "arxiv": ids.arxiv,
             "isbn": list(ids.isbn) or None}
    return {
        "ref": place(record), "path": record.origin.path, "line": record.origin.line,
        "position": record.origin.position, "format": record.origin.format,
        "title": record.title, "year": record.year, "item_type": record.item_type,
        "creators": _names(record.creators), "identity": record_identity(record),
        "identifiers": {k: v for k, v in found.items() if v},
    }


def _match(m: Match, records: Sequence[Record]) -> dict[str, Any]:
    return {"a": place(records[m.a]), "b": place(records[m.b]), "rule": m.rule,
            "evidence": m.evidence}


def input_groups(groups: Sequence[Group], records: Sequence[Record]
                 ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(duplicate groups, related pairs) of the input, numbered from 1."""
    out: list[dict[str, Any]] = []
    related: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    for group in groups:
        if len(group.members) > 1:
            out.append({"number": len(out) + 1,
                        "records": [describe_record(records[m]) for m in group.members],
                        "matches": [_match(m, records) for m in group.matches]})
        for m in group.related:
            if (m.a, m.b) not in seen:
                seen.add((m.a, m.b))
                related.append({"a": describe_record(records[m.a]),
                                "b": describe_record(records[m.b]),
                                "rule": m.rule, "evidence": m.evidence})
    return out, related


def problem_entry(problem: InputProblem) -> dict[str, Any]:
    return {"path": problem.path, "line": problem.line, "message": problem.message}
