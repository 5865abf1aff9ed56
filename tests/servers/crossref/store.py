"""Works held by the Crossref emulator, and a small BM25 index for `query.*` searches."""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tests.servers.base import fixture_index, service_fixtures

Work = dict[str, Any]


def fixtures_dir() -> Path | None:
    return service_fixtures("crossref")


def normalize_doi(doi: str) -> str:
    return doi.strip().lower()


# --------------------------------------------------------------------------- text index

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens with accents folded and markup (JATS, <i>) removed."""
    text = _TAG.sub(" ", text)
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return [tok.replace("_", "") for tok in _WORD.findall(text) if tok.strip("_")]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _people(work: Work, *roles: str) -> Iterator[str]:
    for role in roles:
        for person in work.get(role) or []:
            if isinstance(person, dict):
                for key in ("given", "family", "name"):
                    if isinstance(person.get(key), str):
                        yield person[key]


def year_of(work: Work) -> int | None:
    for key in ("issued", "published", "published-print", "published-online", "approved"):
        parts = (work.get(key) or {}).get("date-parts") or [[None]]
        if parts and parts[0] and isinstance(parts[0][0], int):
            return int(parts[0][0])
    return None


def field_texts(work: Work) -> dict[str, list[str]]:
    """The searchable text of a work, per field query name."""
    titles = [
        *_strings(work.get("title")), *_strings(work.get("subtitle")),
        *_strings(work.get("short-title")), *_strings(work.get("original-title")),
    ]
    authors = list(_people(work, "author"))
    contributors = list(_people(work, "author", "editor", "chair", "translator"))
    containers = [
        *_strings(work.get("container-title")), *_strings(work.get("short-container-title")),
    ]
    year = year_of(work)
    extra = [*_strings(work.get("ISSN")), *_strings(work.get("ISBN"))]
    if year is not None:
        extra.append(str(year))
    for key in ("volume", "issue", "page"):
        if isinstance(work.get(key), str):
            extra.append(work[key])
    publisher = [work["publisher"]] if isinstance(work.get("publisher"), str) else []
    return {
        "title": titles,
        "author": authors,
        "contributor": contributors,
        "container-title": containers,
        "publisher-name": publisher,
        "bibliographic": titles + contributors + containers + extra,
    }


class _FieldIndex:
    """Inverted index with Okapi BM25 scoring (k1 1.2, b 0.75), like a search engine's."""

    K1 = 1.2
    B = 0.75

    def __init__(self) -> None:
        self.postings: dict[str, dict[int, int]] = defaultdict(dict)
        self.lengths: dict[int, int] = {}
        self.terms: dict[int, Counter[str]] = {}
        self.total = 0

    def add(self, doc: int, tokens: list[str]) -> None:
        counts = Counter(tokens)
        for term, tf in counts.items():
            self.postings[term][doc] = tf
        self.terms[doc] = counts
        self.lengths[doc] = len(tokens)
        self.total += len(tokens)

    def remove(self, doc: int) -> None:
        for term in self.terms.pop(doc, Counter()):
            self.postings[term].pop(doc, None)
            if not self.postings[term]:
                del self.postings[term]
        self.total -= self.lengths.pop(doc, 0)

    def score(self, query: list[str], scores: dict[int, float]) -> None:
        n = len(self.lengths)
        if not n:
            return
        avgdl = max(self.total / n, 1.0)
        for term in query:
            posting = self.postings.get(term)
            if not posting:
                continue
            df = len(posting)
            if n > 200 and df > 0.6 * n:
                continue  # near-stopword: its weight is negligible and it costs the most
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            for doc, tf in posting.items():
                norm = tf + self.K1 * (1 - self.B + self.B * self.lengths[doc] / avgdl)
                scores[doc] = scores.get(doc, 0.0) + idf * tf * (self.K1 + 1) / norm


SEARCH_FIELDS = ("bibliographic", "title", "author", "contributor", "container-title",
                 "publisher-name")


# --------------------------------------------------------------------------- store

class WorkStore:
    """Works by lower-cased DOI, plus registration agencies and DataCite CSL records."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._works: dict[str, Work] = {}
        self._doc_of: dict[str, int] = {}
        self._doi_of: dict[int, str] = {}
        self._next_doc = 0
        self._order: dict[str, str] = {}
        self._index = {name: _FieldIndex() for name in SEARCH_FIELDS}
        self.agencies: dict[str, tuple[str, str]] = {}
        self.csl: dict[str, dict[str, Any]] = {}

    # ---- works
    def add(self, work: Work) -> str:
        if not isinstance(work.get("DOI"), str):
            raise ValueError("a Crossref work needs a string 'DOI'")
        doi = normalize_doi(work["DOI"])
        texts = field_texts(work)
        with self._lock:
            old = self._doc_of.pop(doi, None)
            if old is not None:
                for index in self._index.values():
                    index.remove(old)
                del self._doi_of[old]
            doc = self._next_doc
            self._next_doc += 1
            self._works[doi] = work
            self._doc_of[doi] = doc
            self._doi_of[doc] = doi
            self._order[doi] = hashlib.sha1(doi.encode()).hexdigest()
            for name, parts in texts.items():
                self._index[name].add(doc, tokenize(" ".join(parts)))
        return doi

    def add_many(self, works: Iterable[Work]) -> int:
        count = 0
        for work in works:
            self.add(work)
            count += 1
        return count

    def remove(self, doi: str) -> None:
        doi = normalize_doi(doi)
        with self._lock:
            doc = self._doc_of.pop(doi, None)
            if doc is None:
                return
            for index in self._index.values():
                index.remove(doc)
            del self._doi_of[doc]
            del self._works[doi]
            del self._order[doi]

    def get(self, doi: str) -> Work | None:
        return self._works.get(normalize_doi(doi))

    def copy_of(self, doi: str) -> Work | None:
        work = self.get(doi)
        return copy.deepcopy(work) if work is not None else None

    def __contains__(self, doi: object) -> bool:
        return isinstance(doi, str) and normalize_doi(doi) in self._works

    def __len__(self) -> int:
        return len(self._works)

    def dois(self) -> list[str]:
        with self._lock:
            return list(self._works)

    def order_key(self, doi: str) -> str:
        """A stable pseudo-random sort key: list order that is not request order."""
        return self._order[doi]

    def search(self, queries: dict[str, str]) -> dict[str, float]:
        """Sum of BM25 scores over the given field queries, for works scoring above zero."""
        scores: dict[int, float] = {}
        with self._lock:
            for name, text in queries.items():
                self._index[name].score(tokenize(text), scores)
            return {self._doi_of[doc]: s for doc, s in scores.items() if s > 0}

    # ---- loading
    def load_dir(self, folder: str | Path) -> int:
        """Load every *.json in `folder`: a work, a `work` envelope, or a list of works."""
        count = 0
        for path in sorted(Path(folder).glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            for work in _works_in(data):
                self.add(work)
                count += 1
        return count


def _works_in(data: Any) -> Iterator[Work]:
    if isinstance(data, list):
        for item in data:
            yield from _works_in(item)
    elif isinstance(data, dict):
        if data.get("message-type") == "work" and isinstance(data.get("message"), dict):
            yield data["message"]
        elif data.get("message-type") == "work-list":
            yield from _works_in(data.get("message", {}).get("items", []))
        elif "DOI" in data:
            yield data


def recorded_fixtures() -> list[dict[str, Any]]:
    """Entries of shared/fixtures/crossref/index.json ([] without the shared folder)."""
    return fixture_index(fixtures_dir())


def load_recorded_works(store: WorkStore) -> int:
    """Add the `message` of every recorded singleton work (shared/fixtures/crossref/works)."""
    folder = fixtures_dir()
    if folder is None:
        return 0
    count = 0
    for entry in recorded_fixtures():
        if not entry["file"].startswith("works/") or entry["response"]["status"] != 200:
            continue
        envelope = json.loads((folder / entry["file"]).read_text(encoding="utf-8"))
        store.add(envelope["message"])
        count += 1
    return count
