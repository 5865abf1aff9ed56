"""Identifiers found in a note's unlabelled text, when they are the work's own.

A note's commentary often cites other works ("see also doi:…", "compare PMID 123"). Only
lines that describe the work itself are scanned: the caller picks them (a note's opening
lines, citation callouts, metadata sections), and `scan_lines` skips any line that points
elsewhere by its wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..core import identifiers as ids

ID_KINDS = ("doi", "pmid", "pmcid", "arxiv")

# Wording that makes an identifier in the same line another work's.
_ELSEWHERE = re.compile(
    r"\b(?:see|also|cf|compare[sd]?|comparing|vs|versus|related|similar|follow[- ]?up|cites|"
    r"cited|citing|builds? on|based on|extends|replicat\w*|rebuttal|critique|response|reply|"
    r"comment(?:ary)? on|companion|another|other|earlier|previous|later|newer|older|"
    r"erratum|corrigendum|correction|retraction|retracted by|notice|preprint version|"
    r"published version|protocol|dataset|data set|supplement\w*|siehe|vgl|véase|ver también|"
    r"voir aussi|confer|referenced|reference to|in contrast)\b",
    re.IGNORECASE,
)


def points_elsewhere(text: str) -> bool:
    """The line's wording says its identifiers belong to another work."""
    return bool(_ELSEWHERE.search(text))


def ids_in(text: str) -> dict[str, str]:
    """The first identifier of each kind marked as such in `text` (no bare numbers)."""
    found: dict[str, str] = {}
    lower = text.lower()
    if "10." in text:
        dois = ids.find_dois(text)
        if dois:
            found["doi"] = dois[0]
    if "pmid" in lower or "pubmed" in lower:
        pmids = ids.find_pmids(text)
        if pmids:
            found["pmid"] = pmids[0]
    if "pmc" in lower:
        pmcids = ids.find_pmcids(text)
        if pmcids:
            found["pmcid"] = pmcids[0]
    if "arxiv" in lower:
        arxiv = ids.find_arxiv_ids(text)
        if arxiv:
            found["arxiv"] = arxiv[0]
    return found


def has_identifier(text: str) -> bool:
    return bool(ids_in(text))


def scan_lines(lines: Iterable[str]) -> dict[str, str]:
    """First identifier of each kind in lines that do not point to another work."""
    found: dict[str, str] = {}
    for line in lines:
        in_line = ids_in(line) if line else {}
        if in_line and not points_elsewhere(line):
            for kind, value in in_line.items():
                found.setdefault(kind, value)
    return found
