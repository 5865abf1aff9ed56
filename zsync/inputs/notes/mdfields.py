"""Recognising one Markdown line as a labelled field, and cleaning field values.

Label forms: `**Label**: v`, `**Label:** v`, `**Label**:: v`, `__Label__: v`, `*Label*: v`,
Dataview/Logseq `label:: v` and inline `[label:: v]`, and plain `Label: v` when the label
is a known one. A label-only line (`**Abstract**`, `[[Abstract]]`) opens a block value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zsync.inputs.notes.labels import lookup
from zsync.model.patterns import LazyPattern, lazy

_BOLD = lazy(
    r"^(\*\*|__)(?P<label>[^*_\n]{1,60}?)\s*(?P<c1>::?)?\s*\1\s*(?P<c2>::?)?\s*(?P<value>.*)$"
)
_ITALIC = lazy(r"^([*_])(?P<label>[^*_\n]{1,40}?)(?P<c1>:)?\1\s*(?P<c2>:)?\s*(?P<value>.*)$")
_DATAVIEW = lazy(
    r"^(?P<label>[^\s:*>\[#`|(][^:`|\[\]()\n]{0,50}?(?:\([^:`|\[\]()\n]{1,10}\))?)\s*::\s*(?P<value>.*)$"
)
_INLINE_DV = lazy(r"[\[(](?P<label>[\w][\w \-]{0,40}?)::\s*(?P<value>[^\])]*)[\])]")
_PLAIN = lazy(r"^(?P<label>[^\W\d_][\w .'’()/&+-]{0,40}?)\s*:(?!//)(?P<sp>\s*)(?P<value>.*)$")
_LABEL_ONLY = lazy(
    r"^(?:\[\[([^\]|]+)\]\]|\*\*([^*]+)\*\*|__([^_]+)__|([^\W\d_][\w ]{2,30}))$"
)
# Keys whose value may continue on the following lines.
BLOCK_KEYS = frozenset(["abstract", "authors", "editors", "tags", "keywords", "url"])
_MD_LINK = lazy(r"!?\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_WRAPPED = lazy(r"^(\*\*|__|\*|_|`)(.+)\1$")
_HTML_BREAK = lazy(r"<br\s*/?>", re.IGNORECASE)
_KEEP_URL_KEYS = frozenset(["url", "doi", "pmid", "pmcid", "arxiv", "isbn", "citation"])
# A Dataview inline query (`= this.file.tags`, `$= dv.current()`) computes a value; it is none.
_DATAVIEW_QUERY = lazy(r"^`\$?=[^`]*`$")


@dataclass(slots=True)
class LineField:
    """A label found at the start of a line (`key` None when the label is unknown)."""

    label: str
    key: str | None
    rank: int
    value: str
    strong: bool  # written as a field (bold or `::`), not just `Word: text`


def match_line(content: str) -> list[LineField]:
    """Fields in a line's content (quote and list markers already removed)."""
    if not content:
        return []
    first = content[0]
    if first in "*_":
        found = _match(_BOLD, content, strong=True) or _match(_ITALIC, content, strong=True)
        return [found] if found else []
    if ":" not in content:
        return _label_only(content)
    if "::" in content:
        found = _match(_DATAVIEW, content, strong=True)
        if found:
            return [found]
        return _inline_dataview(content)
    found = _match(_PLAIN, content, strong=False)
    return [found] if found else []


def _match(pattern: LazyPattern, content: str, strong: bool) -> LineField | None:
    m = pattern.match(content)
    if not m:
        return None
    if pattern is not _DATAVIEW and pattern is not _PLAIN and not (m["c1"] or m["c2"]):
        return None
    label = m["label"].strip()
    known = lookup(label)
    if known is None and not strong and len(label.split()) > 4:
        return None
    if known is None and not strong and not m["sp"] and m["value"]:
        return None  # `Word:text` without a space is not a label unless known
    key, rank = known if known else (None, 0)
    return LineField(label, key, rank, m["value"].strip(), strong)


def _inline_dataview(content: str) -> list[LineField]:
    out = []
    for m in _INLINE_DV.finditer(content):
        known = lookup(m["label"])
        if known:
            out.append(LineField(m["label"], known[0], known[1], m["value"].strip(), True))
    return out


def _label_only(content: str) -> list[LineField]:
    """`**Abstract**`, `[[Abstract]]` or `Abstract` alone on a line opens a block value."""
    m = _LABEL_ONLY.match(content.strip())
    if not m:
        return []
    label = next(g for g in m.groups() if g)
    known = lookup(label)
    if known and known[0] in BLOCK_KEYS and (m.group(4) is None or known[0] == "abstract"):
        return [LineField(label, known[0], known[1], "", True)]
    return []


def clean_value(value: str, key: str) -> str:
    """A field value without Markdown dressing: links to their text (URLs kept for
    identifier keys), wrapping emphasis and code marks, HTML line breaks."""
    text = _HTML_BREAK.sub(" ", value).strip()
    if _DATAVIEW_QUERY.match(text):
        return ""
    if "](" in text:
        if key in _KEEP_URL_KEYS:
            text = _MD_LINK.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
        else:
            text = _MD_LINK.sub(lambda m: m.group(1), text)
    while True:
        m = _WRAPPED.match(text)
        if not m:
            break
        text = m.group(2).strip()
    return text.rstrip("\\").strip()


# --- abstracts with section labels ------------------------------------------------------------

_EMPH_LABEL = lazy(
    r"^(\*\*|__|\*|_)([^*_\n]{1,60}?)(?P<colon>:)?\1(?:\s*$|(?(colon)\s*|\s*:\s*)(?P<text>.+)$)"
)


_PLAIN_SECTION = lazy(r"^[A-Z][A-Za-z ]{2,30}:\s")


def format_abstract(entries: list[str]) -> str:
    """Abstract lines (blank = paragraph break) as paragraphs, with `*Background*` style
    section labels kept as `Background: …`."""
    paragraphs: list[str] = []
    label: str | None = None
    words: list[str] = []

    def flush() -> None:
        nonlocal label, words
        if words:
            body = " ".join(words)
            paragraphs.append(f"{label}: {body}" if label else body)
            label, words = None, []

    for entry in entries:
        text = entry.strip()
        if not text:
            flush()
            continue
        m = _EMPH_LABEL.match(text)
        if m and len(m.group(2).split()) <= 6:
            flush()
            label = m.group(2).strip().rstrip(":")
            if m["text"]:
                words.append(m["text"])
            continue
        if _PLAIN_SECTION.match(text):
            flush()
        words.append(text)
    flush()
    return "\n\n".join(paragraphs)
