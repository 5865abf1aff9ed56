"""Identifiers found in a note's unlabelled text, when they are the work's own.

A note's commentary often cites other works ("see also doi:…", "compare PMID 123"). Only
lines that describe the work itself are scanned: the caller picks them (a note's opening
lines, citation callouts, metadata sections), and `scan_lines` skips any line that points
elsewhere by its wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from zsync.model import identifiers as ids
from zsync.model.patterns import lazy

ID_KINDS = ("doi", "pmid", "pmcid", "arxiv")

# Wording that makes an identifier in the same line another work's.
_ELSEWHERE = lazy(
    r"\b(?:see|also|cf|compare[sd]?|comparing|vs|versus|related|similar|follow[- ]?up|cites|"
    r"cited|citing|builds? on|based on|extends|replicat\w*|rebuttal|critique|response|reply|"
    r"comment(?:ary)? on|companion|another|other|earlier|previous|later|newer|older|"
    r"erratum|corrigendum|correction|retraction|retracted by|notice|preprint version|"
    r"published version|protocol|dataset|data set|supplement\w*|siehe|vgl|véase|ver también|"
    r"voir aussi|confer|referenced|reference to|in contrast)\b",
    re.IGNORECASE,
)


_NOT_WORDING = lazy(r"\S*(?:://|10\.\d{4,9}/)\S*")


def points_elsewhere(text: str) -> bool:
    """The line's wording (not its links and identifiers: `10.1000/cf`) says its identifiers
    belong to another work."""
    return bool(_ELSEWHERE.search(_NOT_WORDING.sub(" ", text)))


def ids_in(text: str) -> dict[str, str]:
    """The identifier of each kind marked as such in `text` (no bare numbers). A kind with
    two different values in one line (a list of works) is left out: neither is surely the
    note's own."""
    found: dict[str, str] = {}
    lower = text.lower()
    candidates = (
        ("doi", "10." in text, ids.find_dois),
        ("pmid", "pmid" in lower or "pubmed" in lower, ids.find_pmids),
        ("pmcid", "pmc" in lower, ids.find_pmcids),
        ("arxiv", "arxiv" in lower, ids.find_arxiv_ids),
    )
    for kind, worth_looking, find in candidates:
        values = find(text) if worth_looking else []
        if len(values) == 1:
            found[kind] = values[0]
    return found


def has_identifier(text: str) -> bool:
    return bool(ids_in(text))


def scan_lines(lines: Iterable[str]) -> dict[str, str]:
    """The identifier of each kind in lines that do not point to another work; a kind whose
    lines disagree is left out rather than guessed."""
    found: dict[str, str] = {}
    conflicting: set[str] = set()
    for line in lines:
        in_line = ids_in(line) if line else {}
        if in_line and not points_elsewhere(line):
            for kind, value in in_line.items():
                if found.setdefault(kind, value) != value:
                    conflicting.add(kind)
    return {k: v for k, v in found.items() if k not in conflicting}
