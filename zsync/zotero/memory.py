"""What zsync remembers about an item, kept in the item itself.

A sync must be as safe on a new laptop, after the state file was lost, or on a second
computer as on the machine that made the item. So the record of what zsync last wrote to
an item lives in the library, in one line of the item's `extra` field:

    zsync: <base64url of a short binary record>

It holds, as short hashes of the values *as the server stores them* (see `clean`):

- `f`: field -> hash of the value zsync last wrote there (the base of the three-way merge);
- `t`: hashes of the tags zsync added and still owns;
- `c`: the key of the status collection zsync last filed the item in;
- `w`: a hash of the work's identity, to find the item of a work without identifiers;
- `r`: the retraction-watch kinds zsync noted on the item;
- `n`: per contributor (a note or export file feeding this work) the key and text hash of
  the child note written from it, the hashes of the tags it gave, and its status;
- `a`: the keys of the items the user said are not duplicates of this one (`zsync dedupe
  --not-duplicate`), so that decision outlives the state file. Records without it keep
  the first version of the layout, byte for byte.

Hashes keep the line short and the user's text out of it; comparing a hash of the
library's value with the remembered hash tells "still what zsync wrote" from "the user
changed it". Pure: no I/O.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

LINE_PREFIX = "zsync:"
_LINE = re.compile(r"^zsync:[ \t]*(\S+)[ \t]*$", re.MULTILINE)
# What the Zotero server removes from every string it stores (it also trims them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_VERSION = 1
_VERSION_APART = 2  # version 1 followed by the kept-apart keys


def clean(value: Any) -> Any:
    """`value` as the Zotero server stores it: control characters removed, strings
    trimmed, also inside creators and other nested values."""
    if isinstance(value, str):
        return _CONTROL.sub("", value).strip()
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    return value


def value_hash(value: Any) -> str:
    """A short, stable hash of a field value as the server stores it."""
    if isinstance(value, str):
        return _text_hash(value)
    return _hash_of(value)


@lru_cache(maxsize=65536)
def _text_hash(value: str) -> str:
    """value_hash of a string (kept: a run hashes the same titles and tags many times)."""
    return _hash_of(value)


def _hash_of(value: Any) -> str:
    canonical = json.dumps(clean(value), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:6]


def tag_hash(tag: str) -> str:
    return value_hash(unicodedata.normalize("NFC", str(clean(tag))))


def note_text(note_html: str | None) -> str:
    """A note's visible text: markup, entities and spacing normalised, so the server's
    HTML sanitiser (which rewrites markup, not words) is never taken for a user edit."""
    text = html.unescape(_TAG.sub(" ", str(note_html or "")))
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text)).replace("\xa0", " ")
    return _SPACE.sub(" ", text).strip()


def note_hash(note_html: str | None) -> str:
    return hashlib.sha256(note_text(note_html).encode()).hexdigest()[:6]


@dataclass(frozen=True)
class Contribution:
    """What one note gave an item: its child note, its tags, its reading status."""

    note_key: str | None = None
    note_hash: str | None = None
    tags: frozenset[str] = frozenset()  # tag hashes
    status: str | None = None


@dataclass(frozen=True)
class Memory:
    fields: Mapping[str, str] = field(default_factory=dict)
    tags: frozenset[str] = frozenset()
    collection: str | None = None
    contributors: Mapping[str, Contribution] = field(default_factory=dict)
    work: str | None = None  # hash of the work's identity (dedupe.duplicates.record_identity)
    noticed: frozenset[str] = frozenset()  # retraction-watch kinds noted on the item
    apart: frozenset[str] = frozenset()  # keys of items the user keeps apart from this one

    def only_apart(self) -> bool:
        """Nothing remembered but the kept-apart keys (a line written by the pair command
        on an item zsync never wrote to)."""
        return not (self.fields or self.tags or self.collection or self.contributors
                    or self.work or self.noticed)

    def wrote_field(self, name: str) -> bool:
        return name in self.fields

    def holds_written(self, name: str, value: Any) -> bool:
        """The library's `value` of field `name` is still what zsync wrote there."""
        return self.fields.get(name) == value_hash(value)



# Field names written as one byte (an index here); others are written out. Append only:
# an index, once released, keeps its meaning.
_FIELD_CODES = (
    "title", "creators", "date", "publicationTitle", "volume", "issue", "pages",
    "abstractNote", "DOI", "ISSN", "ISBN", "journalAbbreviation", "language", "url",
    "extra", "publisher", "place", "series", "seriesTitle", "edition", "numPages",
    "bookTitle", "proceedingsTitle", "conferenceName", "university", "thesisType",
    "institution", "reportNumber", "reportType", "websiteTitle", "websiteType",
    "libraryCatalog", "callNumber", "archive", "archiveLocation", "shortTitle",
    "accessDate", "rights", "PMID", "PMCID", "citationKey", "number", "archiveID",
    "repository", "genre", "medium", "runningTime", "format", "section", "numberOfVolumes",
)
_CODE = {name: i for i, name in enumerate(_FIELD_CODES)}
_NAMED = 0xFF


class _Writer:
    def __init__(self) -> None:
        self.out = bytearray()

    def byte(self, n: int) -> None:
        self.out.append(min(n, 255))

    def text(self, value: str | None) -> None:
        raw = (value or "").encode()[:255].decode(errors="ignore").encode()
        self.byte(len(raw))
        self.out += raw

    def hash(self, value: str | None) -> None:
        self.out += bytes.fromhex(value) if value and len(value) == 6 else b"\0\0\0"

    def hashes(self, values: Iterable[str]) -> None:
        listed = sorted(values)[:255]
        self.byte(len(listed))
        for h in listed:
            self.hash(h)


class _Reader:
    def __init__(self, raw: bytes) -> None:
        self.raw, self.at = raw, 0

    def byte(self) -> int:
        self.at += 1
        return self.raw[self.at - 1]

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.raw):
            raise ValueError("memory line cut short")
        self.at += n
        return self.raw[self.at - n:self.at]

    def text(self) -> str | None:
        return self.take(self.byte()).decode() or None

    def hash(self) -> str | None:
        h = self.take(3).hex()
        return None if h == "000000" else h

    def hashes(self) -> frozenset[str]:
        return frozenset(h for h in (self.hash() for _ in range(self.byte())) if h)


def encode(memory: Memory) -> str:
    """The memory line: a short binary record, base64url (about 2-300 characters)."""
    w = _Writer()
    w.byte(_VERSION_APART if memory.apart else _VERSION)
    w.hash(memory.work)
    w.text(memory.collection)
    fields = sorted(memory.fields.items())[:255]
    w.byte(len(fields))
    for name, h in fields:
        if name in _CODE:
            w.byte(_CODE[name])
        else:
            w.byte(_NAMED)
            w.text(name)
        w.hash(h)
    w.hashes(memory.tags)
    noticed = sorted(memory.noticed)[:255]
    w.byte(len(noticed))
    for slug in noticed:
        w.text(slug)
    contributors = sorted(memory.contributors.items())[:255]
    w.byte(len(contributors))
    for cid, c in contributors:
        w.hash(contributor_hash(cid))
        w.text(c.note_key)
        w.hash(c.note_hash)
        w.hashes(c.tags)
        w.text(c.status)
    if memory.apart:
        apart = sorted(memory.apart)[:255]
        w.byte(len(apart))
        for key in apart:
            w.text(key)
    packed = base64.urlsafe_b64encode(bytes(w.out)).decode().rstrip("=")
    return f"{LINE_PREFIX} {packed}"


def contributor_hash(cid: str) -> str:
    """Contributors are remembered by a hash of their name (the line stays short)."""
    return value_hash(cid) if len(cid) != 6 or not _is_hex(cid) else cid


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


def decode(extra: str | None) -> Memory | None:
    """The memory line in an item's `extra`, or None when there is none or it is unreadable
    (a user may edit `extra`; an unreadable line means "nothing remembered")."""
    match = _LINE.search(extra or "")
    return None if match is None else _unpacked(match.group(1))


@lru_cache(maxsize=65536)
def _unpacked(packed: str) -> Memory | None:
    """A memory line's record (kept: a run reads each item's line several times; the
    record is frozen and nobody changes its mappings)."""
    try:
        return _read(_Reader(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))))
    except (ValueError, IndexError, UnicodeDecodeError):
        return None


def _read(r: _Reader) -> Memory | None:
    version = r.byte()
    if version not in (_VERSION, _VERSION_APART):
        return None
    work, collection = r.hash(), r.text()
    fields: dict[str, str] = {}
    for _ in range(r.byte()):
        code = r.byte()
        name = (r.text() or "") if code == _NAMED else _FIELD_CODES[code]
        fields[name] = r.hash() or ""
    tags = r.hashes()
    noticed = frozenset(s for s in (r.text() for _ in range(r.byte())) if s)
    contributors: dict[str, Contribution] = {}
    for _ in range(r.byte()):
        cid = r.hash() or ""
        contributors[cid] = Contribution(note_key=r.text(), note_hash=r.hash(),
                                         tags=r.hashes(), status=r.text())
    apart: frozenset[str] = frozenset()
    if version == _VERSION_APART:
        apart = frozenset(k for k in (r.text() for _ in range(r.byte())) if k)
    if r.at != len(r.raw):
        return None
    return Memory(fields, tags, collection, contributors, work, noticed, apart)


def split_extra(extra: str | None) -> tuple[str, Memory | None]:
    """`extra` without zsync's line, and the memory that line holds."""
    text = str(extra or "")
    memory = decode(text)
    rest = "\n".join(line for line in text.split("\n")
                     if not line.startswith(LINE_PREFIX)).strip()
    return rest, memory


def join_extra(rest: str | None, memory: Memory) -> str:
    """`extra` holding the user's and zsync's other lines, then zsync's memory line."""
    rest = (rest or "").strip()
    line = encode(memory)
    return f"{rest}\n{line}" if rest else line
