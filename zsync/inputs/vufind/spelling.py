"""The journal of a PubMed Central record that VuFind shows only inside `spelling`.

VuFind instances harvesting PMC index no container field; their `spelling` field joins
id+date, title, authors, journal, article type, abstract, publisher, date and links, in
that order. The journal is the text between the last author and the next known value.
"""

from __future__ import annotations

import re

from zsync.model.patterns import lazy

_ARTICLE_TYPES = lazy(
    r"\s+(?:research article|original article|review article|article|review|essay|"
    r"case report|letter|editorial|commentary|correspondence|perspective|brief report|"
    r"original research|research|systematic review|study protocol|protocol|"
    r"research paper|short communication|meta-analysis)$",
    re.IGNORECASE,
)
_MAX_LEN = 150


def is_article_type(value: str) -> bool:
    """Whether a value is one of the article types PubMed Central records carry."""
    return bool(_ARTICLE_TYPES.fullmatch(" " + value.strip()))


def container_from_spelling(f: dict[str, list[str]], names: list[str]) -> str | None:
    spelling = (f.get("spelling") or [""])[0]
    title = (f.get("title") or [""])[0].strip()
    if not spelling or not title:
        return None
    pos = spelling.find(title)
    if pos < 0:
        return None
    rest = spelling[pos + len(title) :]
    for name in names:
        rest = rest.lstrip()
        if not rest.startswith(name.strip()):
            return None
        rest = rest[len(name.strip()) :]
    return _journal(rest.strip(), f)


def _cut(rest: str, stops: list[str]) -> int:
    found = [rest.find(s.strip()) for s in stops if s and s.strip()]
    return min([i for i in found if i >= 0], default=len(rest))


def _journal(rest: str, f: dict[str, list[str]]) -> str | None:
    """The text before the article type (the `topic` of PMC records) or the abstract."""
    others = [v[:40] for v in f.get("description", [])[:1]]
    others += f.get("publisher", [])[:1] + f.get("publishDate", [])[:1]
    by_topic = _cut(rest, f.get("topic", []))
    cut = min(by_topic, _cut(rest, others))
    candidate = rest[:cut].strip(" .,;:")
    if cut < by_topic or by_topic == len(rest):  # no article type marked the end
        candidate = _ARTICLE_TYPES.sub("", candidate).strip(" .,;:")
    if not 2 <= len(candidate) <= _MAX_LEN or re.search(r"[.!?]\s|https?:|\d{4}", candidate):
        return None
    return candidate
