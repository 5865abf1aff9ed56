"""Minimal, truthful emulator records for the works in ../shared/examples/EXPECTED.jsonl.

Only the facts EXPECTED.jsonl lists are used (DOI, PMID, PMCID, title, year, first
author's family name, item type, retracted): no journal, pages or co-authors are invented.
Crossref gets a work per DOI (DataCite CSL-JSON for arXiv DOIs), PubMed an article per
PMID; the PMC ID converter answers from the articles' PMCIDs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from tests.servers.crossref import arxiv_csl

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "examples"
ARXIV_PREFIX = "10.48550/arxiv."
_CROSSREF_TYPES = {"journalArticle": "journal-article", "bookSection": "book-chapter",
                   "conferencePaper": "proceedings-article", "preprint": "posted-content"}


def expected_lines(folder: Path = EXAMPLES) -> list[dict[str, Any]]:
    lines = (folder / "EXPECTED.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def canonical_works(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in lines if not c["should_fail"] and c["is_duplicate_of"] is None]


def crossref_work(case: dict[str, Any]) -> dict[str, Any]:
    date = {"date-parts": [[case["year"]]]}
    return {
        "DOI": case["doi"],
        "type": _CROSSREF_TYPES[case["item_type"]],
        "title": [case["title"]],
        "author": [{"family": case["first_author_family"], "sequence": "first",
                    "affiliation": []}],
        "issued": date,
        "published": date,
    }


def datacite_csl(case: dict[str, Any]) -> dict[str, Any]:
    arxiv_id = case["doi"][len(ARXIV_PREFIX):]
    return arxiv_csl(arxiv_id, case["title"], [("", case["first_author_family"])],
                     case["year"])


def pubmed_article(case: dict[str, Any]) -> str:
    ids = f'<ArticleId IdType="pubmed">{case["pmid"]}</ArticleId>'
    if case["doi"]:
        ids += f'<ArticleId IdType="doi">{escape(case["doi"])}</ArticleId>'
    if case["pmcid"]:
        ids += f'<ArticleId IdType="pmc">{case["pmcid"]}</ArticleId>'
    types = '<PublicationType UI="D016428">Journal Article</PublicationType>'
    if case.get("retracted"):
        types += '<PublicationType UI="D016441">Retracted Publication</PublicationType>'
    return (
        '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
        f'<PMID Version="1">{case["pmid"]}</PMID><Article PubModel="Print">'
        f"<Journal><JournalIssue><PubDate><Year>{case['year']}</Year></PubDate>"
        f"</JournalIssue></Journal><ArticleTitle>{escape(case['title'])}.</ArticleTitle>"
        f'<AuthorList CompleteYN="N"><Author ValidYN="Y"><LastName>'
        f"{escape(case['first_author_family'])}</LastName></Author></AuthorList>"
        f"<Language>eng</Language><PublicationTypeList>{types}</PublicationTypeList>"
        "</Article></MedlineCitation><PubmedData>"
        f"<ArticleIdList>{ids}</ArticleIdList></PubmedData></PubmedArticle>"
    )


def load_examples(crossref_app: Any, pubmed_app: Any, lines: list[dict[str, Any]]) -> None:
    """Give the emulators a record of every canonical example work."""
    for case in canonical_works(lines):
        if case["doi"] and case["doi"].startswith(ARXIV_PREFIX):
            crossref_app.add_datacite(datacite_csl(case))
        elif case["doi"]:
            crossref_app.add_work(crossref_work(case))
        if case["pmid"]:
            pubmed_app.add_article(pubmed_article(case))
