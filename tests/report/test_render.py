"""Reports show what a person needs: each work's action, changes, conflicts, failures."""

from __future__ import annotations

import json
import re
from typing import Any

from zsync.model.records import InputProblem, Origin
from zsync.report.model import Outcome, RunInfo
from zsync.report.render import to_html, to_json, to_markdown
from zsync.sync.plan import Action, CollectionCreate, NoteChange, Plan, WorkPlan
from zsync.sync.report import build_report
from zsync.sync.threeway import Conflict, FieldChange

ORIGIN = Origin("notes/lecun.md", 3, 20, "markdown")
PLAN = Plan(
    collections=(CollectionCreate("COLL0001", "Status", None),),
    works=(
        WorkPlan("doi:10.1038/nature14539", Action.CREATE, "Deep learning", (ORIGIN,),
                 item_key="ITEM0001", version=0, tags_added=("ml",),
                 collections_added=("COLL0002",),
                 notes=(NoteChange("create", "NOTE0001", "<p>x</p>", "ITEM0001"),),
                 payload={"key": "ITEM0001", "version": 0, "itemType": "journalArticle",
                          "title": "Deep learning <script>alert(1)</script>"}),
        WorkPlan("doi:10.1/b", Action.CONFLICT, "Another", (ORIGIN,), item_key="ITEM0002",
                 changes=(FieldChange("volume", "1", "2", "crossref"),),
                 conflicts=(Conflict("title", "Zsync title", "User title", "edited"),)),
    ),
    collection_names={"COLL0002": "Status/New"},
)
INFO = RunInfo("sync", "dry-run", "users/1", "2026-11-23T10:00:00Z",
               notices=("no Zotero account configured: planned against an empty library",),
               not_enriched={"doi:10.1/b": "crossref: rate limited"},
               input_problems=(InputProblem("notes/empty.md", "empty input"),))


def report() -> dict[str, Any]:
    return build_report(INFO, PLAN, [Outcome("doi:10.1/b", False, "412: modified since")])


def test_json_report_has_a_schema_summary_and_every_work() -> None:
    data = json.loads(to_json(report()))
    assert data["schema"] == "zsync.report/1"
    assert data["summary"]["create"] == 1 and data["summary"]["conflict"] == 1
    assert data["summary"]["failed"] == 1 and data["summary"]["input_problems"] == 1
    created = next(w for w in data["works"] if w["action"] == "create")
    assert created["create"]["key"] == "ITEM0001"  # the full data that would be sent
    conflict = next(w for w in data["works"] if w["action"] == "conflict")
    assert conflict["conflicts"] == [
        {"field": "title", "zsync": "Zsync title", "library": "User title", "kind": "edited"}
    ]
    assert conflict["not_enriched"] == "crossref: rate limited"


def test_markdown_names_changes_conflicts_failures_and_bad_inputs() -> None:
    text = to_markdown(report())
    assert "would create 1" in text
    assert "1 input(s) could not be used" in text  # also in the one-line --quiet summary
    assert "volume: 1 → 2 (crossref)" in text
    assert "kept title = User title (zsync had Zsync title; edited)" in text
    assert "FAILED: 412: modified since" in text
    assert "collections + Status/New" in text  # a person sees names, not keys
    assert "notes/empty.md" in text and "empty input" in text
    # errors and conflicts come before routine rows
    assert text.index("CONFLICT: Another") < text.index("CREATE: Deep learning")


def test_html_report_is_self_contained_and_escapes_input() -> None:
    page = to_html(report())
    assert page.startswith("<!doctype html>")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    # nothing is loaded from elsewhere: the only outside addresses are links to follow
    assert not re.search(r"src=['\"]?https?:|<link|@import|url\(", page)
    assert "<script" not in page.lower()


def test_html_report_links_works_to_their_doi_and_zotero_item() -> None:
    page = to_html(report())
    assert "name='viewport'" in page
    assert "href='https://doi.org/10.1038/nature14539'" in page
    # the conflict is an existing item: reachable in the web library and the application
    assert "href='https://www.zotero.org/users/1/items/ITEM0002'" in page
    assert "href='zotero://select/library/items/ITEM0002'" in page
    # the item to create has no key yet: no link to a made-up one
    assert "ITEM0001'" not in page and "item (new)" in page
    # the summary table links each count to its section, and each work has an anchor
    assert "<a href='#create'>To create</a></td><td class='n'>1</td>" in page
    assert "id='create'" in page and re.search(r"<div class='w' id='w\d+-doi-10-1038", page)
    assert "Volume: 1 → 2" in page  # Zotero's label, not the API field name


def test_unchanged_works_are_counted_not_listed_among_changes() -> None:
    unchanged = WorkPlan("doi:10.1/c", Action.UNCHANGED, "Quiet paper", (ORIGIN,),
                         item_key="ITEM0003")
    plan = Plan(PLAN.collections, (*PLAN.works, unchanged), PLAN.library_empty_because,
                PLAN.collection_names)
    data = build_report(INFO, plan)
    page = to_html(data)
    assert page.index("<details id='unchanged'>") < page.index("Quiet paper")
    text = to_markdown(data)
    assert text.index("## Unchanged (1)") < text.index("Quiet paper")
    assert "CREATE: Deep learning" in text and "→ (new)" in text
