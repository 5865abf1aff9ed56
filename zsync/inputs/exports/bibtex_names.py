"""BibTeX name lists (`author = {A and B and {World Health Organization}}`) as Creators.

Names are split on top-level ` and ` before any TeX is converted, so a braced corporate
name stays one organisation; each person is split into von/Last/Jr/First parts by
bibtexparser's `splitname`, which knows all three BibTeX name forms.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bibtexparser.customization import InvalidName, splitname

from zsync.inputs.exports.latex import is_braced_whole, latex_to_text
from zsync.model.names import looks_like_organisation, parse_name
from zsync.model.patterns import lazy
from zsync.model.records import Creator

_SUFFIX = lazy(r"(?:Jr|Sr|Jnr|Snr|I{1,3}|IV|V)\.?", re.IGNORECASE)
_AND = lazy(r"\s+and\s+", re.IGNORECASE)


def split_and(value: str) -> list[str]:
    """The names in a BibTeX name list, split on ` and ` outside braces."""
    if "{" not in value and "}" not in value:  # no braces: every ` and ` splits
        return [p.strip() for p in _AND.split(value) if p.strip()]
    parts: list[str] = []
    start = scanned = depth = 0
    for match in _AND.finditer(value):
        depth += value.count("{", scanned, match.start()) - value.count("}", scanned, match.start())
        scanned = match.start()
        if depth <= 0:
            parts.append(value[start : match.start()])
            start = match.end()
    parts.append(value[start:])
    return [p.strip() for p in parts if p.strip()]


def parse_bibtex_names(value: str, role: str) -> list[Creator]:
    """Every creator in a BibTeX name list; `and others` is dropped."""
    creators = []
    names = split_and(value.strip())
    if len(names) == 1 and _comma_listed(names[0]):
        return _comma_list(names[0], role)
    for raw in names:
        if raw.strip("{}").strip().lower() in ("others", "et al.", "et al"):
            continue
        creator = parse_bibtex_name(raw, role)
        if creator is not None:
            creators.append(creator)
    return creators


@lru_cache(maxsize=50_000)
def parse_bibtex_name(raw: str, role: str) -> Creator | None:
    """One name: `{Corporate}`, `von Last, Jr, First`, `von Last, First` or `First von Last`."""
    raw = " ".join(raw.split()).rstrip(",").strip()
    if not raw:
        return None
    if is_braced_whole(raw):
        name = latex_to_text(raw[1:-1])
        return Creator(name=name, role=role) if name else None
    plain = latex_to_text(raw)
    if "," not in raw and looks_like_organisation(plain):
        return Creator(name=plain, role=role)
    try:
        parts = splitname(raw, strict_mode=False)
    except (InvalidName, StopIteration, ValueError, IndexError):  # StopIteration: a trailing "\\"
        return parse_name(plain, role)
    family = latex_to_text(" ".join(parts.get("von", []) + parts.get("last", [])))
    given = latex_to_text(" ".join(parts.get("first", [])))
    suffix = latex_to_text(" ".join(parts.get("jr", [])))
    if suffix:
        given = f"{given}, {suffix}" if given else suffix
    if not family:
        return parse_name(plain, role)
    if not given and " " not in family and "," not in raw:
        return Creator(name=family, role=role)  # one word (`Microsoft`): one field, as Zotero
    return Creator(family=family, given=given or None, role=role)


def _comma_listed(value: str) -> bool:
    """True for `Reeder Blaine, Chung Jane, Lyden Kate`: names listed with commas instead of
    ` and ` (a BibTeX name has at most two commas, the middle part a `Jr`)."""
    parts = [part.strip() for part in _top_level_commas(value)]
    if len(parts) < 3 or not all(parts):
        return False
    return len(parts) > 3 or not _SUFFIX.fullmatch(parts[1])


def _comma_list(value: str, role: str) -> list[Creator]:
    """Each part `Family Given`, as such exports write them."""
    creators = []
    for part in _top_level_commas(value):
        words = latex_to_text(part).split()
        if words:
            given = " ".join(words[1:]) or None
            creators.append(Creator(family=words[0], given=given, role=role))
    return creators


def _top_level_commas(value: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for index, char in enumerate(value):
        depth += (char == "{") - (char == "}")
        if char == "," and depth == 0:
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return parts
