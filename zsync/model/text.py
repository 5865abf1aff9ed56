"""Text normalisation shared by matching and duplicate detection."""

from __future__ import annotations

import html
import re
import unicodedata

from anyascii import anyascii

from zsync.model.patterns import lazy

_TAGS = lazy(r"<[^>]+>")
_RETRACTED = lazy(
    r"^\s*(?:\[?\s*(?:retracted|withdrawn|retraction)\s*(?:article)?\s*\]?\s*[:.\-–]\s*)+",
    re.IGNORECASE,
)
_NON_WORD = lazy(r"[\W_]+", re.UNICODE)
# A wikilink, `[[Target]]` or `[[Target|Alias]]`: the target is group 1, the alias group 2.
WIKILINK = lazy(r"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")
SPACES = lazy(r"\s+")  # a run of white space, Unicode's included


class _LatinFolding(dict[int, str | None]):
    """`str.translate` table, filled as characters are met: combining marks dropped, Latin
    letters that do not decompose into a base letter and marks (ø, ł, æ, œ, ß, đ, ð, þ, ı)
    transliterated to ASCII, every other character kept. Other scripts are kept as they
    are: a Greek, Cyrillic or Chinese title is compared in its own letters."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        value: str | None = char
        if unicodedata.combining(char):
            value = None
        elif code > 0x7F and unicodedata.name(char, "").startswith("LATIN "):
            value = anyascii(char) or char
        self[code] = value
        return value


_FOLDING = _LatinFolding()


def fold(text: str) -> str:
    """The one folding of names and titles for matching: case, accents and the Latin
    letters people write two ways (with and without a stroke, ligature or sharp s) folded
    away: "Fernández" -> "fernandez", "Østergaard" -> "ostergaard", "Łukasiewicz" ->
    "lukasiewicz", "Æsir" -> "aesir", "Straße" -> "strasse"."""
    return unicodedata.normalize("NFKD", text).translate(_FOLDING).casefold()


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
    text = fold(text)
    return _NON_WORD.sub(" ", text).strip()


def normalize_name(name: str | None) -> str:
    """A family name reduced for comparison: "van Gemert-Pijnen" -> "vangemertpijnen"."""
    if not name:
        return ""
    return _NON_WORD.sub("", fold(name))
