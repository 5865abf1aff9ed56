"""Turn the labelled values a parser found into a `Record`.

Parsers of note-like formats (Markdown, Org, catalogue pages) collect raw strings under
canonical keys (see `KEYS`) and leave cleaning, identifier normalisation, name and date
parsing to `RecordBuilder.build`, so every format reads values the same way. Text fields
reach the record through the field table (`model.fields`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from zsync.model import identifiers as ids
from zsync.model.dates import parse_date
from zsync.model.fields import Kind, by_key, extension_fields, record_fields, with_values
from zsync.model.names import parse_names
from zsync.model.patterns import lazy
from zsync.model.records import AUTHOR, EDITOR, Creator, Identifiers, Origin, Record
from zsync.model.text import WIKILINK

KEYS = (
    "title", "authors", "editors", "container", "date", "doi", "pmid", "pmcid", "isbn",
    "arxiv", "url", "volume", "issue", "pages", "abstract", "language", "item_type",
    "publisher", "place", "series", "issn", "keywords", "tags", "status",
    "journal_abbreviation",
)
_ABBREVIATION_END = lazy(r"(?:\b[A-Z]|\bet al|\betc|\bvs|\bInc|\bLtd|\bCo)\.$")


def unwrap_wikilinks(text: str) -> str:
    """`[[Target|Alias]]` becomes `Alias`, `[[Target]]` becomes `Target`."""
    return WIKILINK.sub(lambda m: m.group(2) or m.group(1), text)


def split_list(text: str) -> list[str]:
    """A list written inline: wikilinks, `#tags`, or values separated by `,` or `;`."""
    text = text.strip().strip("[]") if not text.strip().startswith("[[") else text.strip()
    links = WIKILINK.findall(text)
    if links:
        return [alias or target for target, alias in links if (alias or target).strip()]
    if text.startswith("#") and "," not in text:
        return [t.lstrip("#") for t in text.split() if t.strip("#")]
    sep = ";" if ";" in text else ","
    return [v.strip().strip("\"'").lstrip("#") for v in text.split(sep) if v.strip()]


@dataclass
class RecordBuilder:
    """Collects raw values for one record; `build` cleans and normalises them.

    Names can be given raw (`add("authors", "A and B")`, parsed at build time) or already
    parsed (`add_creator`, for sources that keep one name per value); parsed creators
    come first in the record.
    """

    origin: Origin
    values: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    note: str = ""
    creators: list[Creator] = field(default_factory=list)

    def add(self, key: str, value: str | None) -> None:
        """Collect `value` under a key of `KEYS` or the Zotero name of a further field of
        the field table (`edition`)."""
        if key not in KEYS and by_key(f"fields.{key}") is None:
            raise ValueError(f"unknown record key {key!r}")
        if value is not None and str(value).strip():
            self.values.setdefault(key, []).append(str(value).strip())

    def add_creator(self, creator: Creator) -> None:
        self.creators.append(creator)

    def extend(self, key: str, values: list[str]) -> None:
        for value in values:
            self.add(key, value)

    def first(self, key: str) -> str | None:
        found = self.values.get(key)
        return unwrap_wikilinks(found[0]).strip() if found else None

    def has(self, key: str) -> bool:
        return bool(self.values.get(key))

    def build(self) -> Record:
        record = Record(
            origin=self.origin,
            ids=self._identifiers(),
            creators=self._creators(),
            date=parse_date(self.first("date")),
            issn=tuple(self._all("issn")),
            keywords=tuple(self._list("keywords")),
            tags=tuple(self._list("tags")),
            urls=tuple(self._all("url")),
            fields={f.name: v for f in extension_fields()
                    if f.name not in KEYS and (v := self.first(f.name))},
            note=self.note,
            warnings=tuple(self.warnings),
        )
        text = {f: self.first(f.name) for f in record_fields(Kind.TEXT) if f.name in KEYS}
        record = with_values(record, text)
        return replace(record, title=_clean_title(record.title))

    def _all(self, key: str) -> list[str]:
        return _unique(unwrap_wikilinks(v).strip() for v in self.values.get(key, []))

    def _list(self, key: str) -> list[str]:
        out: list[str] = []
        for value in self.values.get(key, []):
            out.extend(split_list(value))
        return _unique(v for v in out if v)

    def _creators(self) -> tuple[Creator, ...]:
        authors = [c for v in self.values.get("authors", []) for c in parse_names(v, AUTHOR)]
        editors = [c for v in self.values.get("editors", []) for c in parse_names(v, EDITOR)]
        return tuple(self.creators + authors + editors)

    def _identifiers(self) -> Identifiers:
        urls = " ".join(self.values.get("url", []))
        return Identifiers(
            doi=_first_of(ids.normalize_doi, self.values.get("doi", []))
            or _first(ids.find_dois(urls)),
            pmid=_first_of(ids.normalize_pmid, self.values.get("pmid", []))
            or _first(ids.find_pmids(urls)),
            pmcid=_first_of(ids.normalize_pmcid, self.values.get("pmcid", []))
            or _first(ids.find_pmcids(urls)),
            isbn=tuple(_unique(i for v in self.values.get("isbn", []) for i in _isbns(v))),
            arxiv=_first_of(ids.normalize_arxiv, self.values.get("arxiv", []))
            or _first(ids.find_arxiv_ids(urls))
            or _first(ids.find_arxiv_ids(" ".join(self.values.get("doi", [])))),
        )


def _isbns(value: str) -> list[str]:
    single = ids.normalize_isbn(value)
    return [single] if single else ids.find_isbns(value)


def _first_of(normalise: Callable[[str], str | None], values: list[str]) -> str | None:
    for value in values:
        result = normalise(unwrap_wikilinks(value))
        if result:
            return str(result)
    return None


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _unique(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    title = " ".join(title.split()).strip('"“”').strip()
    return strip_final_period(title) or None


def strip_final_period(title: str) -> str:
    """Drop the one full stop catalogues add after a title, but not an abbreviation's."""
    if title.endswith(".") and not title.endswith("..") and not _ABBREVIATION_END.search(title):
        return title[:-1].rstrip()
    return title
