"""The visible part of a VuFind full-record page, copied as text.

Layout: an optional `Loading...` line, the title, a summary snippet, then the
"Bibliographic Details" table as `Label: value` lines. Copy-paste quirks handled: labels
glued to the value (`Lenguaje:English`), a label alone with its value on the next line,
and multi-valued fields continuing on the following lines without a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zsync.inputs.vufind.harvest import Harvest, name_list, organisation
from zsync.inputs.vufind.labels import (
    FIELD_LABELS,
    field_kind,
    is_boilerplate,
    is_boilerplate_label,
    is_loading,
    normalise_label,
)
from zsync.inputs.vufind.values import (
    clean_title,
    item_type_from_formats,
    language_name,
    looks_like_citation,
    split_citation,
)
from zsync.model.patterns import lazy
from zsync.model.records import AUTHOR, Creator

_LABEL_LEN = 40
_MIN_ABSTRACT = 100
# "Word word:" with nothing known before the colon: a label zsync does not read.
_UNKNOWN_LABEL = lazy(r"^[^\W\d_][\w .()/'-]{0,38}:(?!//)", re.UNICODE)
_URLISH = lazy(r"^(?:https?://|www\.|doi:|10\.\d{4,}/)", re.IGNORECASE)
_YEAR = lazy(r"(?<!\d)(?:1[5-9]|20)\d\d(?:-\d{2}){0,2}(?!\d)")


@dataclass
class DisplayPage:
    title: str | None = None
    summary: str | None = None
    fields: dict[str, list[str]] = field(default_factory=dict)

    @property
    def has_labels(self) -> bool:
        """Whether a bibliographic label was read (tags and notes do not count)."""
        return any(kind != "ignore" for kind in self.fields)


def split_label(line: str) -> tuple[str, str] | None:
    """(kind, value) for a `Label: value` line (or a bare label), else None."""
    if len(line) <= _LABEL_LEN:
        norm = normalise_label(line)
        kind = FIELD_LABELS.get(norm)
        if kind and not is_boilerplate_label(norm):
            return kind, ""
    for sep in (":", "\t"):
        idx = line.find(sep)
        if 0 < idx <= _LABEL_LEN:
            kind = field_kind(line[:idx])
            if kind:
                return kind, line[idx + 1 :].strip()
    return None


def read_display(lines: list[str], has_header: bool) -> DisplayPage:
    """Title, summary snippet and labelled values of the page's display lines."""
    page = DisplayPage()
    head: list[str] = []
    current: str | None = None
    has_value = False
    in_table = False
    for raw in lines:
        line = raw.strip()
        if not line:
            current = None if has_value else current
            continue
        if is_loading(line) and not head and not in_table:
            continue
        title_slot = has_header and not head and not in_table and not is_boilerplate(line)
        label = None if title_slot else split_label(line)
        if label:
            in_table = True
            current, value = label
            has_value = bool(value)
            _add(page, current, value)
            continue
        if not title_slot and (is_boilerplate(line) or _unknown_label(line, in_table)):
            in_table = True
            current = None
            continue
        if current and _continues(current, line):
            _add(page, current, line)
            has_value = True
        elif current:
            current = None
        elif not in_table:
            head.append(line)
    page.title = head[0] if head else None
    page.summary = head[1] if len(head) > 1 else None
    return page


def _unknown_label(line: str, in_table: bool) -> bool:
    return in_table and not _URLISH.match(line) and bool(_UNKNOWN_LABEL.match(line))


def _continues(kind: str, line: str) -> bool:
    if kind == "online":
        return bool(_URLISH.match(line))
    return normalise_label(line) != ""


def _add(page: DisplayPage, kind: str, value: str) -> None:
    page.fields.setdefault(kind, [])
    if value:
        page.fields[kind].append(value)


def display_harvest(page: DisplayPage, with_creators: bool = True) -> Harvest:
    """The builder values a display page gives (names only when asked: they cost)."""
    h = Harvest()
    f = page.fields
    h.add("title", clean_title(page.title, cut_statement=True))
    if _is_abstract(page.summary):
        h.add("abstract", page.summary)
    h.extend("abstract", f.get("summary", []))
    if with_creators:
        _creators(h, f)
    formats = f.get("format", [])
    h.item_type = item_type_from_formats(formats)
    h.add("language", language_name(_first(f, "language")))
    for value in f.get("published_ambiguous", []):
        # VuFind always shows a year after the publisher; a host item may have none.
        cited = looks_like_citation(value) or not _YEAR.search(value)
        kind = "published_in" if cited else "published"
        f.setdefault(kind, []).append(value)
    for value in f.get("published", [])[:1]:
        _published(h, value)
    for value in f.get("published_in", [])[:1]:
        _published_in(h, value)
    h.extend("date", f.get("date", []))
    h.extend("keywords", f.get("subjects", []))
    h.extend("url", [v.split()[0] for v in f.get("online", []) if _URLISH.match(v)])
    for key in ("isbn", "issn", "doi", "pmid", "pmcid", "series"):
        h.extend(key, f.get(key, []))
    return h


def _is_abstract(summary: str | None) -> bool:
    """A whole summary under the title; not a cut snippet nor a 'by ...' line."""
    if not summary or len(summary) < _MIN_ABSTRACT:
        return False
    return not summary.rstrip().endswith(("...", "…"))


def _creators(h: Harvest, f: dict[str, list[str]]) -> None:
    creators = [c for v in f.get("authors", []) for c in name_list(v, AUTHOR)]
    creators += [c for v in f.get("corporate", []) for c in _orgs(v)]
    creators += [c for v in f.get("other_authors", []) for c in name_list(v, AUTHOR)]
    h.creators = creators


def _orgs(value: str) -> list[Creator]:
    out = [organisation(p, AUTHOR) for p in value.split(";")]
    return [c for c in out if c is not None]


def _published(h: Harvest, value: str) -> None:
    """'Public Library of Science 2005', 'Berlin : Springer, 1985', or only a year."""
    year = _YEAR.search(value)
    if year:
        h.add("date", year.group(0))
    rest = _YEAR.sub("", value).strip(" ,.;:[]©")
    if " : " in rest:
        place, rest = rest.split(" : ", 1)
        h.add("place", place.strip(" ,;[]"))
    h.add("publisher", rest.strip(" ,;[]") or None)


def _published_in(h: Harvest, value: str) -> None:
    citation = split_citation(value)
    h.add("container", citation.container)
    h.add("volume", citation.volume)
    h.add("issue", citation.issue)
    h.add("pages", citation.pages)
    if citation.date:
        h.fallback.setdefault("date", []).append(citation.date)


def _first(f: dict[str, list[str]], kind: str) -> str | None:
    values = f.get(kind)
    return values[0] if values else None
