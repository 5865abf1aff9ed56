"""CSL-JSON for DOI content negotiation (doi.org with Accept: application/vnd.citationstyles.csl+json).

DataCite DOIs (arXiv's 10.48550/arXiv.* among them) are served from CSL items a test
registers; Crossref DOIs are converted from the stored work. Neither shape was recorded:
`arxiv_csl` follows what DataCite returns for arXiv DOIs (type "article", publisher "arXiv",
the DOI upper-cased as DataCite stores it), and `crossref_to_csl` covers the common fields.
"""

from __future__ import annotations

from typing import Any

CSL_TYPES = {
    "journal-article": "article-journal",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "monograph": "book",
    "book": "book",
    "edited-book": "book",
    "reference-book": "book",
    "proceedings-article": "paper-conference",
    "posted-content": "article",
    "dataset": "dataset",
    "dissertation": "thesis",
    "report": "report",
    "peer-review": "review",
    "reference-entry": "entry",
    "standard": "standard",
}


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        return next((v for v in value if isinstance(v, str) and v), None)
    return value if isinstance(value, str) and value else None


def _names(people: Any) -> list[dict[str, str]]:
    out = []
    for person in people or []:
        if "family" in person:
            name = {"family": person["family"]}
            if person.get("given"):
                name["given"] = person["given"]
            out.append(name)
        elif person.get("name"):
            out.append({"literal": person["name"]})
    return out


def crossref_to_csl(work: dict[str, Any]) -> dict[str, Any]:
    """An approximate CSL-JSON item for a Crossref work message."""
    item: dict[str, Any] = {
        "type": CSL_TYPES.get(work.get("type", ""), "document"),
        "DOI": work.get("DOI"),
        "URL": work.get("URL") or f"https://doi.org/{work.get('DOI')}",
        "title": _first(work.get("title")) or "",
        "source": "Crossref",
    }
    for csl_key, cr_key in (
        ("container-title", "container-title"),
        ("container-title-short", "short-container-title"),
        ("ISSN", "ISSN"),
        ("ISBN", "ISBN"),
    ):
        value = _first(work.get(cr_key))
        if value:
            item[csl_key] = value
    for key in ("volume", "issue", "page", "publisher", "language", "abstract"):
        if isinstance(work.get(key), str):
            item[key] = work[key]
    if work.get("publisher-location"):
        item["publisher-place"] = work["publisher-location"]
    for role in ("author", "editor", "translator"):
        names = _names(work.get(role))
        if names:
            item[role] = names
    for key in ("issued", "published-print", "published-online", "created"):
        if work.get(key, {}).get("date-parts"):
            item[key] = {"date-parts": work[key]["date-parts"]}
    return item


def arxiv_csl(
    arxiv_id: str,
    title: str,
    authors: list[tuple[str, str]],
    year: int,
    *,
    abstract: str | None = None,
    version: str | None = None,
    categories: list[str] | None = None,
) -> dict[str, Any]:
    """A DataCite CSL-JSON item for an arXiv preprint; `authors` are (given, family) pairs."""
    doi = f"10.48550/ARXIV.{arxiv_id.upper()}"
    item: dict[str, Any] = {
        "type": "article",
        "id": f"https://doi.org/{doi.lower()}",
        "categories": categories or ["FOS: Computer and information sciences"],
        "author": [{"family": family, "given": given} for given, family in authors],
        "issued": {"date-parts": [[year]]},
    }
    if abstract:
        item["abstract"] = abstract
    item.update({
        "DOI": doi,
        "publisher": "arXiv",
        "title": title,
        "URL": f"https://arxiv.org/abs/{arxiv_id}",
        "copyright": "arXiv.org perpetual, non-exclusive license",
    })
    if version:
        item["version"] = version
    return item
