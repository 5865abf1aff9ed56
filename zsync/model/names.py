"""Personal and corporate names as people write them, turned into `Creator`s.

Handles "Family, Given", "Given Family", "Family AB" (MEDLINE initials), particles
(van, de, von ...), suffixes (Jr., III), organisations, and lists of names joined by
";", " and ", "&" or ", " (including VuFind's "Family, Given, Family, Given").
"""

from __future__ import annotations

import re

from zsync.model.patterns import lazy
from zsync.model.records import AUTHOR, Creator
from zsync.model.text import WIKILINK

PARTICLES = frozenset(
    [
        "van", "von", "der", "den", "de", "del", "della", "dei", "degli", "da", "das", "dos",
        "du", "la", "le", "lo", "ten", "ter", "te", "al", "el", "bin", "ibn", "zu", "vom",
        "zur", "op", "het", "'t",
    ]
)
SUFFIXES = frozenset(["jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "2nd", "3rd"])
_ORG_WORDS = lazy(
    r"\b(organi[sz]ation|group|consortium|collaboration|committee|association|society|"
    r"institute|council|team|investigators|network|agency|department|ministry|university|"
    r"foundation|cent(?:re|er)|office|board|commission|federation|alliance|initiative|"
    r"project|program(?:me)?|trust|panel|taskforce|task force|working party)\b",
    re.IGNORECASE,
)
_INITIALS = lazy(r"^[A-Z]{1,3}$")
_LINK_TARGETS = lazy(r"\[\[([^\[\]|]+)(?:\|[^\[\]]*)?\]\]")
_ET_AL = lazy(r"[,;]?\s*(?:\bet\.?\s*al\b\.?|\band others\b|\bu\.\s?a\.)\s*$", re.IGNORECASE)
_AND = lazy(r"\s+(?:and|&|und|et(?!\s+al\b))\s+")
_AND_SPLIT = lazy(r",?\s+(?:and|&|und|et(?!\s+al\b))\s+")


def looks_like_organisation(text: str) -> bool:
    return bool(_ORG_WORDS.search(text))


def parse_name(text: str, role: str = AUTHOR) -> Creator | None:
    """One name in any common form; None for an empty string."""
    text = _clean(text)
    if not text:
        return None
    if text.startswith("{") and text.endswith("}"):
        return Creator(name=text[1:-1].strip(), role=role)
    if looks_like_organisation(text) and "," not in text:
        return Creator(name=text, role=role)
    if "," in text:
        return _family_first(text, role)
    return _given_first(text, role)


def _clean(text: str) -> str:
    if "[[" in text:
        text = WIKILINK.sub(r"\1", text)
    return " ".join(text.split()).strip(";").strip()


def _family_first(text: str, role: str) -> Creator:
    parts = [p.strip() for p in text.split(",")]
    family = parts[0]
    rest = [p for p in parts[1:] if p]
    suffix = [p for p in rest if p.lower() in SUFFIXES]
    given_parts = [p for p in rest if p.lower() not in SUFFIXES]
    given = " ".join(given_parts)
    if suffix:
        given = f"{given}, {' '.join(suffix)}" if given else " ".join(suffix)
    if not given and looks_like_organisation(family):
        return Creator(name=family, role=role)
    return Creator(family=family, given=given or None, role=role)


def _given_first(text: str, role: str) -> Creator:
    tokens = text.split(" ")
    suffix = ""
    if len(tokens) > 2 and tokens[-1].lower() in SUFFIXES:
        suffix = tokens.pop()
    if len(tokens) == 1:
        return Creator(family=tokens[0], role=role)
    if _INITIALS.match(tokens[-1]) and len(tokens) == 2 and not _INITIALS.match(tokens[0]):
        return Creator(family=tokens[0], given=_spaced_initials(tokens[1]), role=role)
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in PARTICLES:
        start -= 1
    given = " ".join(tokens[:start])
    if suffix:
        given += f", {suffix}"
    return Creator(family=" ".join(tokens[start:]), given=given or None, role=role)


def _spaced_initials(initials: str) -> str:
    return " ".join(f"{c}." for c in initials)


def split_names(text: str) -> list[str]:
    """Split a list of names into single names, keeping "Family, Given" pairs together."""
    text = _ET_AL.sub("", text.strip())
    links = _LINK_TARGETS.findall(text) if "[[" in text else []
    if links:
        return [link.strip() for link in links if link.strip()]
    if ";" in text:
        return [p.strip() for p in text.split(";") if p.strip()]
    if _AND.search(text):
        pieces = _AND_SPLIT.split(text)
        if all(p.count(",") == 1 for p in pieces):
            return [p.strip() for p in pieces if p.strip()]  # BibTeX: "Family, Given and ..."
        if all("," not in p for p in pieces) or len(pieces) > 2:
            out: list[str] = []
            for piece in pieces:
                out.extend(_split_commas(piece) if "," in piece and " " in piece else [piece])
            return [p.strip() for p in out if p.strip()]
        text = ", ".join(pieces)
    return _split_commas(text)


def _split_commas(text: str) -> list[str]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    parts = _attach_suffixes(parts)
    if len(parts) <= 1:
        return parts
    if all(" " in p for p in parts):
        return parts  # "Given Family, Given Family" or "Family AB, Family CD"
    if len(parts) % 2 == 0:
        return [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]
    return parts


def _attach_suffixes(parts: list[str]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if out and part.lower() in SUFFIXES:
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def parse_names(text: str, role: str = AUTHOR) -> tuple[Creator, ...]:
    """A list of names in any common form, as creators with `role`."""
    creators = (parse_name(part, role) for part in split_names(text))
    return tuple(c for c in creators if c is not None)
