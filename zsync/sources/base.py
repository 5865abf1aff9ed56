"""What a metadata source is to zsync: the `Source` interface and the `SourceSpec` that
registers one (`zsync.sources.registry`).

A source looks works up by identifier, in batches over a whole run, cache first; it maps
its answers to `Record`s itself and labels each with a provenance name (`SourceRecord`).
Its `SourceSpec` says, as plain data, everything the rest of zsync needs to know about it
without importing it: its name, the identifier kinds it answers, how far each of its labels
is trusted for each group of fields (`Trust`, read by `enrich.merge`), its record-cache
namespaces (read by `zsync cache`), its request pools and their documented limits (read by
the HTTP layer's throttles, which then follow the rate-limit headers the service sends),
and where its implementation lives (imported only when a run builds it).

Two optional abilities: turning one identifier kind into others (`Converter`, PubMed's PMC
ID Converter) and finding a work by its citation (`TitleSearcher`, Crossref's
`query.bibliographic`). The Enricher uses whichever sources have them.

This module is pure: data and interfaces, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal, Protocol, TypeVar, runtime_checkable

from zsync.config.settings import Config
from zsync.model.records import Identifiers, Origin, Record
from zsync.sources.outcomes import NotEnriched
from zsync.sources.throttle import ServicePolicy

IdKind = Literal["doi", "pmid", "pmcid", "arxiv", "isbn"]
Progress = Callable[[int, int], None]  # (ids done, ids added to the total), as batches end
# Called as factory(config, http, cache): the settings, the shared `HttpLayer` (paced per
# pool) and the `RecordCache`. A class taking those three arguments is a factory.
SourceFactory = Callable[..., "Source"]


class FieldGroup(StrEnum):
    """Fields that follow one precedence (which fields are in which: `enrich.merge`)."""

    BIBLIOGRAPHIC = "bibliographic"  # title, creators, container, date ...: sources, then the note
    DESCRIPTIVE = "descriptive"  # abstract, language, MeSH ...: sources, then the note
    IDENTIFIERS = "identifiers"  # DOI, ISBN, arXiv id, URLs, extra fields: the note, then sources
    BIOMEDICAL_IDS = "biomedical_ids"  # PMID, PMCID: the note, then sources


# In these groups the note comes first: it is what was looked up, or the user's own.
NOTE_FIRST = frozenset({FieldGroup.IDENTIFIERS, FieldGroup.BIOMEDICAL_IDS})


@dataclass(frozen=True)
class Trust:
    """How far records labelled `label` are trusted: a rank per field group, lower wins
    (ties go by registration order). A group left out: never used for those fields."""

    label: str
    ranks: Mapping[FieldGroup, int]


@dataclass(frozen=True)
class SourceSpec:
    """One registry line's worth: a source described without importing it."""

    name: str  # what the user names it (`zsync cache clear --source NAME`), and its problems
    title: str  # for people: progress bars, help texts
    id_kinds: tuple[IdKind, ...]  # a record with any of these is looked up here
    trust: tuple[Trust, ...]  # the provenance labels its records carry
    cache: tuple[str, ...]  # record-cache namespaces it writes (the first is its own)
    pools: Callable[[Config], Mapping[str, ServicePolicy]]  # request pool -> documented limits
    implementation: str | SourceFactory  # "package.module:Factory", imported when built
    converts: tuple[IdKind, ...] = ()  # kinds its `Converter.convert` turns into others
    search_label: str | None = None  # provenance of identifiers its title search found

    def labels(self) -> tuple[str, ...]:
        return tuple(t.label for t in self.trust)


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What one source said about a work, and when it was fetched (ISO 8601, UTC)."""

    source: str
    record: Record
    fetched_at: str | None = None


@dataclass(frozen=True, slots=True)
class FieldSource:
    source: str
    fetched_at: str | None = None


@dataclass
class Lookup:
    """What one source gave for one work: its records, identifiers it found (kind ->
    value and where it came from; kept even when no full record came), and why it could
    not be used, one line each."""

    records: list[SourceRecord] = field(default_factory=list)
    learned: dict[str, tuple[str, FieldSource]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class ProgressSink(Protocol):
    """Told how far each lookup task is: `done` and `total` are increments, in ids."""

    def update(self, task: str, *, done: int = 0, total: int = 0) -> None: ...


CslReader = Callable[[Mapping[str, Any], Origin], Record]
T = TypeVar("T")


class Mapper(Protocol):
    """Maps one answer of a source: `make()`, or what it gave for the same `text` of the
    same `kind` before (inputs.filecache.MappedRecords)."""

    def __call__(self, kind: str, text: str, make: Callable[[], T]) -> T: ...


@dataclass(frozen=True)
class LookupContext:
    """What the Enricher lends a source for one run: its clock, its progress display,
    zsync's CSL-JSON reader (many services answer in CSL-JSON) and the memo of answers
    already mapped to records in earlier runs."""

    clock: Callable[[], str]
    progress: ProgressSink | None = None
    read_csl: CslReader | None = None
    mapper: Mapper | None = None

    def mapped(self, kind: str, text: str, make: Callable[[], T]) -> T:
        """`make()`, or what it gave for the same answer `text` of source `kind` before."""
        return make() if self.mapper is None else self.mapper(kind, text, make)

    def stamp(self, epoch: float | None) -> str:
        """An answer's time: when it was fetched (the cache row's time), else now."""
        if epoch is None:
            return self.clock()
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def ticker(self, task: str) -> Progress | None:
        sink = self.progress
        if sink is None:
            return None
        return lambda done, total: sink.update(task, done=done, total=total)


class Source(Protocol):
    """A metadata source: batched lookup by identifier, answers mapped to records."""

    spec: SourceSpec

    def lookup(self, queries: Sequence[Identifiers], context: LookupContext) -> list[Lookup]:
        """One `Lookup` per query, in order. Each query holds at least one of
        `spec.id_kinds`; ask the service once per batch, never once per work."""
        ...


@runtime_checkable
class Converter(Protocol):
    """A source that turns identifiers of `spec.converts` kinds into others."""

    spec: SourceSpec

    def convert(self, queries: Sequence[Identifiers], context: LookupContext) -> list[Lookup]:
        """One `Lookup` per query (its `learned` identifiers; records are not used)."""
        ...


@runtime_checkable
class TitleSearcher(Protocol):
    """A source that finds candidate works for a record without identifiers."""

    spec: SourceSpec

    def search(self, record: Record) -> list[tuple[Record, float | None]] | NotEnriched:
        """Candidates with the service's relevance score, best first."""
        ...


def with_id(ids: Identifiers, kind: str, value: str) -> Identifiers:
    """`ids` with the single-valued identifier `kind` (doi, pmid, pmcid, arxiv) set."""
    if kind == "doi":
        return replace(ids, doi=value)
    if kind == "pmid":
        return replace(ids, pmid=value)
    if kind == "pmcid":
        return replace(ids, pmcid=value)
    if kind == "arxiv":
        return replace(ids, arxiv=value)
    raise ValueError(f"not a single-valued identifier kind: {kind}")


def wants(spec: SourceSpec, ids: Identifiers) -> bool:
    """Whether a record with `ids` can be looked up at the source `spec` describes."""
    return any(getattr(ids, kind) for kind in spec.id_kinds)
