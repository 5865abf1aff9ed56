"""Text clean-up shared by the source mappers: markup, whitespace, JATS abstracts, name case.

The case rules follow Zotero's translator utilities (`capitalizeTitle` with force, and
`capitalizeName`), so journal titles and ALL-CAPS names come out as Zotero would write them.
"""

from __future__ import annotations

import html
import re

from zsync.model.patterns import lazy

_CDATA = lazy(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_TAG = lazy(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
_SPACES = lazy(r"[ \t\r\n\f\v]+")
# Pretty-printing whitespace (it holds a newline) before closing punctuation or after opening.
_NL_BEFORE_PUNCT = lazy(r"[ \t]*\n\s*(?=[,.;:!?)\]])")
_NL_AFTER_OPEN = lazy(r"(?<=[(\[])[ \t]*\n\s*")
_C1_CONTROLS = lazy(r"[\u007f-\u009f]")
_ALL_CONTROLS = lazy(r"[\u0000-\u001f\u007f-\u009f]")


def collapse_spaces(text: str) -> str:
    """Runs of ASCII whitespace (not no-break spaces) become one space; ends are trimmed."""
    text = _NL_AFTER_OPEN.sub("", _NL_BEFORE_PUNCT.sub("", text))
    return _SPACES.sub(" ", text).strip()


def strip_markup(text: str) -> str:
    """Plain text from a string holding inline HTML/XML markup and entities."""
    text = _CDATA.sub(r"\1", text)
    return collapse_spaces(html.unescape(_TAG.sub("", text)))


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1 (C1 control characters give it away), as Zotero does."""
    if not _C1_CONTROLS.search(text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return _ALL_CONTROLS.sub("", text)


# --- JATS abstracts --------------------------------------------------------------------------

_JATS_TITLE = lazy(r"<(?:[\w.-]+:)?title\b[^>]*>(.*?)</(?:[\w.-]+:)?title\s*>", re.S | re.I)
_JATS_BLOCK_END = lazy(r"</(?:[\w.-]+:)?(?:p|sec|list-item|def)\s*>|<br\s*/?>", re.I)
_BLOCK = "\x1e"
_TITLE = "\x1f"
_NOT_A_LABEL = {"abstract"}


def _jats_blocks(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs, kind "title" or "p", in document order."""
    text = _CDATA.sub(r"\1", text)
    text = _JATS_TITLE.sub(lambda m: f"{_BLOCK}{_TITLE}{m.group(1)}{_BLOCK}", text)
    text = _JATS_BLOCK_END.sub(_BLOCK, text)
    blocks = []
    for chunk in text.split(_BLOCK):
        kind = "title" if chunk.startswith(_TITLE) else "p"
        plain = strip_markup(chunk.lstrip(_TITLE))
        if plain:
            blocks.append((kind, plain))
    return blocks


def jats_to_text(text: str | None) -> str | None:
    """A JATS (or plain) abstract as text: one paragraph a line, `Label: text` for sections.

    A lone leading "Abstract" heading is dropped; tags are removed and entities decoded.
    """
    if not text:
        return None
    lines: list[str] = []
    label: str | None = None
    for kind, block in _jats_blocks(text):
        if kind == "title":
            label = None if block.lower().rstrip(":") in _NOT_A_LABEL else block.rstrip(":")
            continue
        lines.append(f"{label}: {block}" if label else block)
        label = None
    return "\n".join(lines) or None


# --- Case ------------------------------------------------------------------------------------

_SKIP_WORDS = frozenset(
    ("but", "or", "yet", "so", "for", "and", "nor", "a", "an", "the", "at", "by", "from", "in",
     "into", "of", "on", "to", "with", "up", "down", "as")
)
_DELIMITER = lazy(r"([ /\u002d\u00ad\u2010-\u2015\u2212\u2e3a\u2e3b])")
_LEADING_PUNCT = lazy("^['\"¡¿“‘„«\\s]+")
_NON_LETTERS = lazy(r"[^a-zA-Z]+")


def _capitalize_word(word: str) -> str:
    punct = _LEADING_PUNCT.match(word)
    cut = len(punct.group(0)) + 1 if punct else 1
    return word[:cut].upper() + word[cut:].lower()


def capitalize_title(title: str) -> str:
    """Title Case as Zotero's `capitalizeTitle(title, true)`: only words without capitals
    change (all words when the whole title is upper case); short function words stay lower
    case unless first, last or after `:`, `?` or `!`."""
    title = collapse_spaces(title).replace(" : ", ": ")
    words = _DELIMITER.split(title)
    all_upper = title.upper() == title
    last, previous = len(words) - 1, -1
    for i, word in enumerate(words):
        if not word or _DELIMITER.fullmatch(word):
            continue
        lower = word.lower()
        if all_upper or word == lower:
            skip = _NON_LETTERS.sub("", lower, count=1) in _SKIP_WORDS
            after_colon = previous >= 0 and words[previous][-1] in ":?!"
            keep_lower = skip and 0 < i < last and not after_colon
            words[i] = lower if keep_lower else _capitalize_word(word)
        previous = i
    return "".join(words)


def capitalize_name(name: str) -> str:
    """An ALL-CAPS name in title case (`O'NEAL` -> `O'Neal`); other names unchanged."""
    if name.upper() != name:
        return name
    return re.sub(r"(^|[^\w]|\d|_)([^\W\d_])", lambda m: m.group(1) + m.group(2).upper(),
                  name.lower())


_INITIAL = lazy(r"^-?[A-Z\u0400-\u042f]$")
_INITIALS_ONLY = lazy(r"^[A-Z\u0400-\u042f]{1,3}$")


def dot_initials(given: str, family: str = "") -> str:
    """Given names with a period after each initial: `Peter O` -> `Peter O.`, `JM` -> `J. M.`."""
    given = given.strip(" .,")
    if _INITIALS_ONLY.match(given) and (len(given) == 1 or family.upper() != family):
        given = " ".join(given)
    given = re.sub(r"\s*([\u002d\u00ad\u2010-\u2015\u2212])\s*", "-", given, count=1)
    parts = [p for p in re.split(r"[\s.]+|(?=-)", given) if p]
    return " ".join(p + "." if _INITIAL.match(p) else p for p in parts).replace(" -", "-")
