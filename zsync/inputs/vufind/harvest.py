"""What one part of a VuFind record (display page, Solr fields, MARC) yields, and merging.

A `Harvest` holds raw values under the `RecordBuilder` keys, plus the creators (built
here, since catalogue names need role and organisation handling) and the item type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zsync.inputs.vufind.values import strip_name_punctuation, strip_role
from zsync.model.names import looks_like_organisation, parse_name, split_names
from zsync.model.patterns import lazy
from zsync.model.records import AUTHOR, Creator

# Keys whose values from every source are kept (in priority order), not only the first's.
_UNION_KEYS = frozenset({"doi", "pmid", "pmcid", "isbn", "issn", "url"})


@dataclass
class Harvest:
    values: dict[str, list[str]] = field(default_factory=dict)
    creators: list[Creator] = field(default_factory=list)
    item_type: str | None = None
    # Weaker guesses, used only when no source has the key (e.g. a journal read from
    # VuFind's `spelling` field).
    fallback: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, value: str | None) -> None:
        if value is not None and value.strip():
            values = self.values.setdefault(key, [])
            if value.strip() not in values:
                values.append(value.strip())

    def extend(self, key: str, values: list[str]) -> None:
        for value in values:
            self.add(key, value)

    def has(self, key: str) -> bool:
        return bool(self.values.get(key))

    def first(self, key: str) -> str | None:
        values = self.values.get(key)
        return values[0] if values else None

    def is_empty(self) -> bool:
        return not (self.values or self.creators or self.item_type)


def merge(harvests: list[Harvest]) -> Harvest:
    """One harvest from several, the first (most structured) source winning each key."""
    out = Harvest()
    for harvest in harvests:
        for key, values in harvest.values.items():
            if key in _UNION_KEYS or not out.has(key):
                out.extend(key, values)
        if not out.creators:
            out.creators = list(harvest.creators)
        out.item_type = out.item_type or harvest.item_type
    for harvest in harvests:
        for key, values in harvest.fallback.items():
            if not out.has(key):
                out.extend(key, values)
    return out


def person(text: str, role: str = AUTHOR) -> Creator | None:
    """One catalogue name ('Family, Given, 1942- (editor)'); a role in the text wins."""
    name, stated = strip_role(text)
    name = strip_name_punctuation(name)
    if not name:
        return None
    if "," not in name and looks_like_organisation(name):
        return Creator(name=name, role=stated or role)
    return parse_name(name, stated or role)


def organisation(text: str, role: str = AUTHOR) -> Creator | None:
    name, stated = strip_role(text)
    name = strip_name_punctuation(name)
    return Creator(name=name, role=stated or role) if name else None


_ET_AL = lazy(
    r",?\s*(?:\[?et al\.?\]?|u\.\s?a\.|y otros|e outros|et autres|e altri|e\.a\.)\s*$",
    re.IGNORECASE,
)
_AFTER_ROLE = lazy(r"(?<=\))\s*[,;]\s*")


def name_list(text: str, role: str = AUTHOR) -> list[Creator]:
    """A display line of names: 'Family, Given, Family, Given' or names with '(role)'."""
    text = _ET_AL.sub("", text)
    if ";" in text:
        pieces = [p for p in text.split(";") if p.strip()]
    elif ")" in text:
        pieces = [p for p in _AFTER_ROLE.split(text) if p.strip()]
    else:
        pieces = split_names(re.sub(r",\s*(?:ca\.\s*)?\d{4}\s*-\s*(?:\d{4})?", "", text))
    out = [person(p, role) for p in pieces]
    return [c for c in out if c is not None]


def unique_creators(creators: list[Creator]) -> list[Creator]:
    seen: set[tuple[str | None, str | None, str | None]] = set()
    out: list[Creator] = []
    for creator in creators:
        key = (creator.family, creator.given, creator.name)
        if key not in seen:
            seen.add(key)
            out.append(creator)
    return out
