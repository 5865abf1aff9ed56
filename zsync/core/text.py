"""Text normalisation shared by matching and duplicate detection."""

from __future__ import annotations

import html
import re
import unicodedata

_TAGS = re.compile(r"<[^>]+>")
_RETRACTED = re.compile(
    r"^\s*(?:\[?\s*(?:retracted|withdrawn|retraction)\s*(?:article)?\s*\]?\s*[:.\-–]\s*)+",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# A wikilink, `[[Target]]` or `[[Target|Alias]]`: the target is group 1, the alias group 2.
WIKILINK = re.compile(r"\[\[([^\]|]*)(?:\|([^\]]*))?\]\]")
SPACES = re.compile(r"\s+")  # a run of white space, Unicode's included


def fold(text: str) -> str:
    """Case-fold and strip accents: "Fernández" -> "fernandez"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def plain(text: str) -> str:
    """Lower-case words only: case, accents, punctuation and spacing folded away."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def normalize_title(title: str | None) -> str:
    """A title reduced to lower-case words: no markup, entities, accents, punctuation,
    `RETRACTED:` prefix or trailing period. Idempotent."""
    if not title:
        return ""
    text = html.unescape(_TAGS.sub(" ", title))
    text = _RETRACTED.sub("", text)
    text = fold(text).replace("ß", "ss")
    return _NON_WORD.sub(" ", text).strip()


def normalize_name(name: str | None) -> str:
    """A family name reduced for comparison: "van Gemert-Pijnen" -> "vangemertpijnen"."""
    if not name:
        return ""
    return _NON_WORD.sub("", fold(name))
