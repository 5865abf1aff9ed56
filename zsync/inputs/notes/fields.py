"""Labelled values found in a note, and how they become one `Record`.

Note parsers (Markdown, Org) find `Field`s: a builder key (see `labels`), the value as
written and where it stands. `assemble` turns a record's fields, plus what the note says
outside fields (a title heading, hashtags, identifiers in citation lines), into a `Record`
the same way for every note format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from zsync.inputs.builder import RecordBuilder, unwrap_wikilinks
from zsync.inputs.notes.citekeys import note_citekey
from zsync.inputs.notes.idscan import ID_KINDS, ids_in
from zsync.inputs.notes.labels import ALIAS, CITATION, CITEKEY
from zsync.inputs.notes.reference import Reference, read_alias, read_reference
from zsync.inputs.notes.tags import split_tag_value, unique_tags
from zsync.model import identifiers as ids
from zsync.model.itemtypes import from_label
from zsync.model.names import parse_name, parse_names
from zsync.model.patterns import lazy
from zsync.model.records import AUTHOR, EDITOR, Creator, Origin, Record


@dataclass(slots=True)
class Field:
    """One labelled value; `single` marks one name or one tag (never split as a list)."""

    key: str
    value: str
    line: int
    rank: int = 0
    single: bool = False
    label: str = ""  # the label as written, when it matters (`author` vs `authors`)


@dataclass
class RecordParts:
    """Everything a note says about one work, before it is read into a `Record`."""

    origin: Origin
    fields: list[Field] = field(default_factory=list)
    defaults: list[Field] = field(default_factory=list)  # file-level, used when missing
    heading_title: str | None = None
    heading_text: str | None = None  # the title heading as written (`Smith et al. (2019): …`)
    hashtags: list[str] = field(default_factory=list)
    scanned_ids: dict[str, str] = field(default_factory=dict)
    reference_lines: list[str] = field(default_factory=list)  # may hold a formatted reference
    templated: bool = False  # holds a literature-note template's bibliographic slots, unfilled
    note: str = ""
    warnings: list[str] = field(default_factory=list)


_TEMPLATE = lazy(r"\{\{.*?\}\}|<%.*?%>|\$\{[^}]*\}", re.DOTALL)
# `{Year}, {Authors}, {Journal Name}`: single-brace slots and punctuation only (one slot
# alone only as `{name}`: `{World Health Organization}` is how a literal name is kept).
_BRACE_SLOTS = lazy(
    r"[\s,;:.()*_|/-]*(?:\{[^{}\n]{1,40}\}[\s,;:.()*_|/-]*){2,}|\{[a-z_][\w.-]*\}"
)
_TIME_OF_DAY = lazy(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
_FULL_DATE = lazy(r"\d{4}-\d{2}-\d{2}")
_CITEKEY_YEAR = lazy(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)")
# `journalArticle | Title`, `Paper | Title`: a template's item type before the title.
_KIND_PREFIX = lazy(r"^(?P<kind>[^\W\d_][\w-]{1,30})\s*\|\s*(?P<title>\S.*)$")
_NOTE_KINDS = frozenset(
    ["paper", "article", "book", "source", "reference", "ref", "literature", "lit", "note",
     "reading", "study", "preprint", "chapter", "thesis", "report", "review", "talk", "video"]
)
# A page path (`wiki/refs/smith-2020-topic`, `pages/a___b`), not a title.
_NAMESPACE = lazy(r"^(?:[a-z0-9_.@-]+/){2,}([^/]+)$")
_PAGE_PATH = lazy(r"^[a-z0-9@._-]+(?:/[a-z0-9@._-]+)+$|___")
_EMPTY = frozenset(
    [
        "-",
        "--",
        "---",
        "—",
        "–",
        "n/a",
        "na",
        "none",
        "null",
        "nil",
        "~",
        "tbd",
        "tba",
        "?",
        "??",
        "...",
        "…",
        "[[]]",
        "[]",
        '""',
        "''",
        "xxx",
    ]
)
_URL = lazy(r"https?://[^\s<>\"'\]\[)]+(?:\([^\s)]*\))?[^\s<>\"'\]\[),.;]*")
_NOT_WORK_URL = lazy(r"zotero\.org/(?:users|groups)/|^https?://localhost", re.IGNORECASE)
_EVIDENCE = (
    "date",
    "container",
    "doi",
    "pmid",
    "pmcid",
    "arxiv",
    "isbn",
    "publisher",
    "item_type",
    "abstract",
    "keywords",
    "volume",
    "pages",
    "series",
)
_NAME_NOISE = lazy(r"[\s.\-]+")
_SCANNED_KEYS = frozenset(["title", "container", "url", "authors", "date", "pages"])


def plain_newlines(text: str) -> str:
    """`\n` line ends and no byte-order mark (files arrive so; direct callers may not)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def is_placeholder(value: str) -> bool:
    """An unfilled template value (`{{title}}`, `<% tp.file.title %>`) or an empty marker."""
    text = value.strip()
    if len(text) <= 4 and text.lower() in _EMPTY:
        return True
    if "{" not in text and "<%" not in text:
        return False
    return bool(_TEMPLATE.search(text) or _BRACE_SLOTS.fullmatch(text))


def urls_in(text: str) -> list[str]:
    """http(s) links in `text` that can point at the work (not Zotero's own pages)."""
    return [u for u in _URL.findall(text) if not _NOT_WORK_URL.search(u)]


def assemble(parts: RecordParts) -> Record:
    """Read a record's fields (best-ranked first) into a `Record`."""
    builder = RecordBuilder(parts.origin, note=parts.note, warnings=list(parts.warnings))
    own = sorted(parts.fields, key=lambda f: f.rank)
    present = {f.key for f in own}
    inherited = [f for f in parts.defaults if f.key not in present or f.key == "tags"]
    cited: dict[str, str] = {}
    seen_names: set[tuple[str, str]] = set()
    fields = [*own, *sorted(inherited, key=lambda f: f.rank)]
    for item in fields:
        if not is_placeholder(item.value):
            _add(builder, item, cited, seen_names)
    _add_found_ids(builder, cited, parts.scanned_ids)
    cites = parts.templated or any(f.key == CITEKEY for f in parts.fields)
    if not builder.has("title") and parts.heading_title and (cites or _has_evidence(builder)):
        builder.add("title", parts.heading_title)
    _add_fallbacks(builder, parts, fields, seen_names)
    builder.extend("tags", parts.hashtags)
    citekey = note_citekey([f.value for f in fields if f.key == CITEKEY], parts.origin.path,
                           parts.heading_text, parts.reference_lines)
    return replace(builder.build(), citekey=citekey)


def _add_fallbacks(
    builder: RecordBuilder, parts: RecordParts, fields: list[Field], seen: set[tuple[str, str]]
) -> None:
    """What a formatted reference, an alias (`Smith et al. (2019)`) or a citation key says,
    for the title, authors and year no field gave."""
    found = [r for r in map(read_reference, parts.reference_lines) if r]
    if len({(r.title or "").casefold() for r in found}) > 1:
        found = []  # a list of works: none of them is surely the note's
    found += [r for f in fields if f.key == ALIAS for r in [read_alias(f.value)] if r]
    heading = read_alias(parts.heading_text) if parts.heading_text else None
    if heading and (heading.title or "et al" in (parts.heading_text or "")):
        found.append(Reference(heading.authors, heading.year))
    citekey_years = [
        years[0]
        for f in fields
        if f.key == CITEKEY
        for years in [_CITEKEY_YEAR.findall(f.value)]
        if len(years) == 1
    ]
    stated = [r.year for r in found if r.year] + citekey_years
    if stated and _only_a_note_date(fields) and str(stated[0]) not in builder.values["date"][0]:
        builder.values["date"] = [stated[0]]  # the note's own date, not the work's
    for ref in found:
        _add_reference(builder, ref, seen)
    if not builder.has("date") and citekey_years:
        builder.add("date", citekey_years[0])


def _only_a_note_date(fields: list[Field]) -> bool:
    """The year so far comes only from a front matter `date:` holding a full date, which
    templates fill with the day the note was written."""
    dates = [f for f in fields if f.key == "date" and not _TIME_OF_DAY.search(f.value)]
    return bool(dates) and all(f.label == "date" and _FULL_DATE.search(f.value) for f in dates)


def _add_reference(builder: RecordBuilder, ref: Reference, seen: set[tuple[str, str]]) -> None:
    evidence = bool(builder.creators) or builder.has("date")
    if not builder.creators:
        for name in ref.authors:
            _add_names(builder, Field("authors", name, 0, single=True), seen)
    if not builder.has("date") and ref.year:
        builder.add("date", ref.year)
    if not builder.has("title") and ref.title and (evidence or ref.authors):
        builder.add("title", ref.title)


def _add(builder: RecordBuilder, item: Field, cited: dict[str, str], seen: set) -> None:
    key, value = item.key, item.value.strip()
    if key in ("authors", "editors"):
        _add_names(builder, item, seen)
    elif key in ("tags", "keywords"):
        tags = [value.lstrip("#").strip()] if item.single else split_tag_value(value)
        builder.extend(key, unique_tags(t for t in tags if not is_placeholder(t)))
    elif key == "url":
        builder.extend("url", urls_in(value))
    elif key == "item_type":
        if from_label(unwrap_wikilinks(value).strip()):
            builder.add(key, value)
    elif key == "status":
        builder.add(key, unwrap_wikilinks(value).strip().lstrip("#").strip())
    elif key == "title":
        builder.add(key, _title_value(value))
    elif key == "date":
        if not _TIME_OF_DAY.search(value):  # a time of day: when the note was written
            builder.add(key, value)
    elif key not in (CITATION, CITEKEY, ALIAS):
        builder.add(key, value)
    if key in _SCANNED_KEYS or key == CITATION:
        for kind, found in ids_in(value).items():
            cited.setdefault(kind, found)


def _add_names(builder: RecordBuilder, item: Field, seen: set[tuple[str, str]]) -> None:
    role = AUTHOR if item.key == "authors" else EDITOR
    if item.single:
        one = parse_name(item.value, role)
        creators: Iterable[Creator] = [one] if one else []
    else:
        creators = parse_names(item.value, role)
    for creator in (_as_organisation(split_cjk_name(c)) for c in creators):
        given = _NAME_NOISE.sub("", creator.given or "").casefold()
        name_key = (creator.sort_name.casefold(), given)
        if name_key not in seen and not is_placeholder(creator.sort_name):
            seen.add(name_key)
            builder.add_creator(creator)


_HAN = lazy(r"[\u4e00-\u9fff\u3400-\u4dbf]{2,4}")
_HANGUL = lazy(r"[\uac00-\ud7a3]{2,4}")
# Two-character family names (Chinese 复姓, Korean 복성), the rest have one character.
_DOUBLE_FAMILY = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 澹台 轩辕 单于 "
    "歐陽 司徒 諸葛 東方 長孫 南宫 남궁 황보 제갈 선우 독고 사공 서문".split()
)


# One word with capitals inside (`OpenAI`, `DeepMind`) or in capitals (`WHO`, `IEEE`) names
# an organisation; `McDonald`, `DeWitt`, `LeCun` are family names.
_ORG_WORD = lazy(
    r"^(?:[A-Z]{2,10}\d*|[A-Z][a-z]+(?:[A-Z][a-z]*)+[A-Z]?|[A-Za-z]+\d+[A-Za-z\d]*)$"
)
_NAME_PREFIX = lazy(r"^(?:Mc|Mac|De|Di|Da|Du|Le|La|Van|Von|Al|El)[A-Z]")


def _as_organisation(creator: Creator) -> Creator:
    """An author written as one organisation-like word, kept as one name (single field)."""
    family = creator.family if creator.name is None and not creator.given else None
    if family and _ORG_WORD.match(family) and not _NAME_PREFIX.match(family):
        return Creator(name=family, role=creator.role)
    return creator


def split_cjk_name(creator: Creator) -> Creator:
    """A Chinese or Korean name written as one word (`陈立宏`) as family `陈`, given `立宏`,
    as CNKI and RISS records give it. Japanese names, whose family names are often two
    characters long, are written with a space and are not touched."""
    name = creator.family if creator.name is None and not creator.given else None
    if not name or not (_HAN.fullmatch(name) or _HANGUL.fullmatch(name)):
        return creator
    cut = 2 if name[:2] in _DOUBLE_FAMILY and len(name) > 2 else 1
    if _HAN.fullmatch(name) and len(name) - cut > 2:
        return creator  # four characters and no two-character family name: likely Japanese
    return Creator(family=name[:cut], given=name[cut:], role=creator.role)


def _title_value(value: str) -> str | None:
    """A title field's text, without a template's item type (`journalArticle | Title`);
    a citekey (`@smith2019`) or a page path (`wiki/refs/smith-2020`) is not a title."""
    text = unwrap_wikilinks(value).strip()
    if text.startswith("@"):
        return text[1:].strip() if " " in text else None
    if _PAGE_PATH.search(text) and " " not in text:
        return None
    namespace = _NAMESPACE.match(text)
    if namespace:  # Logseq's `wiki/refs/Some Title`: the page's own name is the last part
        text = namespace.group(1).strip()
    kind = _KIND_PREFIX.match(text)
    if kind and (kind["kind"].lower() in _NOTE_KINDS or from_label(kind["kind"])):
        return kind["title"].strip()
    return text


def _add_found_ids(builder: RecordBuilder, cited: dict[str, str], scanned: dict[str, str]) -> None:
    """Identifiers from citations and opening lines, for kinds no labelled field gave."""
    urls = " ".join(builder.values.get("url", []))
    normalise = {
        "doi": ids.normalize_doi,
        "pmid": ids.normalize_pmid,
        "pmcid": ids.normalize_pmcid,
        "arxiv": ids.normalize_arxiv,
    }
    for kind in ID_KINDS:
        labelled = any(normalise[kind](v) for v in builder.values.get(kind, []))
        if labelled or kind in ids_in(urls):
            continue
        value = cited.get(kind) or scanned.get(kind)
        if value:
            builder.add(kind, value)


def _has_evidence(builder: RecordBuilder) -> bool:
    """Something besides a heading says the note is about a publication."""
    return bool(builder.creators) or any(builder.has(k) for k in _EVIDENCE)
