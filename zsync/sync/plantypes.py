"""What the sync planner takes and gives: works, what zsync wrote, and the plan."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePath
from typing import Any, overload

from zsync.errors import StateError
from zsync.model.records import Origin
from zsync.sync.threeway import Conflict, FieldChange
from zsync.zotero.library import LibraryItem, LibraryView
from zsync.zotero.memory import Memory


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    ERROR = "error"


@dataclass(frozen=True)
class Contributor:
    """One input file's part in a work: what it gives the item and its own child note.

    `id` is the file's name (with its folder's where two files of a work share a name), the
    same however and wherever zsync is run; `status` is None when the note states none."""

    id: str
    tags: tuple[str, ...] = ()
    status: str | None = None
    note_html: str | None = None


@dataclass(frozen=True)
class Work:
    """One work to sync, after parsing, enrichment and de-duplication."""

    identity: str  # "doi:...", "pmid:...", "title:..." (see dedupe.duplicates.record_identity)
    title: str | None
    item: Mapping[str, Any]  # the Zotero item data zsync wants (no key, version, collections)
    status: str  # the status collection's name, e.g. "New"; "" files it nowhere
    origins: tuple[Origin, ...]
    note_html: str | None = None
    identifiers: Mapping[str, str] = field(default_factory=dict)  # kind -> value
    sources: Mapping[str, str] = field(default_factory=dict)  # Zotero field -> source name
    duplicates: tuple[Origin, ...] = ()  # other inputs merged into this work
    duplicate_reasons: tuple[str, ...] = ()  # for each, the rule and evidence that matched
    error: str | None = None
    notice_html: str | None = None  # retraction/correction note to add once (sync.retraction)
    contributors: tuple[Contributor, ...] = ()  # the input files seen in this run
    key: str = ""  # names the work on any computer (dedupe.duplicates.work_key)

    @property
    def parts(self) -> tuple[Contributor, ...]:
        """The contributors; a work built without them (by hand, in older code) counts its
        first origin as the one contributor of its note."""
        if self.contributors or not self.note_html or not self.origins:
            return self.contributors
        name = PurePath(self.origins[0].path).name or self.origins[0].path
        return (Contributor(name, status=self.status or None, note_html=self.note_html),)
    remarks: tuple[str, ...] = ()  # e.g. values shortened to fit Zotero's limits


@dataclass(frozen=True)
class WorkHead:
    """What a run reads of every work, loaded or not: the planner's status, the writer's
    identity, the names of the files that gave it something (`Contributor.id`)."""

    identity: str
    status: str
    error: str | None
    parts: tuple[str, ...]


def head_of(work: Work) -> WorkHead:
    return WorkHead(work.identity, work.status, work.error,
                    tuple(c.id for c in work.contributors))


class KeptWorkMissing(StateError):
    """What an earlier run kept of a work (in the cache folder) cannot be read: the run
    plans in full instead, or, when found after it began writing (`after_writes`), stops
    and the next run plans in full."""

    after_writes = False


class Works(Sequence[Work]):
    """A run's works in order, each read from where an earlier run kept it only when asked
    for (`sync.incremental`): a run that plans a few works again loads only those."""

    def __init__(self, heads: Sequence[WorkHead],
                 load: Callable[[list[int]], Mapping[int, Work]],
                 loaded: Mapping[int, Work]) -> None:
        self.heads = list(heads)
        self._load = load
        self._loaded = dict(loaded)

    def __len__(self) -> int:
        return len(self.heads)

    @overload
    def __getitem__(self, index: int) -> Work: ...
    @overload
    def __getitem__(self, index: slice) -> list[Work]: ...

    def __getitem__(self, index: int | slice) -> Work | list[Work]:
        if isinstance(index, slice):
            return self.load(range(len(self))[index])
        place = range(len(self))[index]
        return self.load([place])[0]

    def __iter__(self) -> Iterator[Work]:
        return iter(self.load(range(len(self))))

    def load(self, places: Iterable[int]) -> list[Work]:
        """The works at `places`, those not loaded yet read in one go."""
        wanted = list(places)
        missing = [i for i in wanted if i not in self._loaded]
        if missing:
            found = self._load(missing)
            if any(i not in found for i in missing):
                raise KeptWorkMissing("a work kept from the last run could not be read "
                                      "again; the next run plans every work anew")
            self._loaded.update((i, found[i]) for i in missing)
        return [self._loaded[i] for i in wanted]

    def loaded(self, place: int) -> Work | None:
        return self._loaded.get(place)

    def detach(self) -> None:
        """The kept works can no longer be read (their run is over)."""
        def gone(places: list[int]) -> Mapping[int, Work]:
            raise KeptWorkMissing("the works of a finished run are not kept in memory")
        self._load = gone


def heads_of(works: Sequence[Work]) -> Sequence[WorkHead]:
    """Each work's head, without loading the works not loaded yet."""
    return works.heads if isinstance(works, Works) else [head_of(w) for w in works]


def works_at(works: Sequence[Work], places: Iterable[int]) -> list[Work]:
    """The works at `places`, those not loaded yet read in one go."""
    return works.load(places) if isinstance(works, Works) else [works[p] for p in places]


@dataclass(frozen=True)
class Written:
    """What zsync last wrote to an item (from the state store)."""

    item_key: str
    fields: Mapping[str, Any]
    tags: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()
    note_key: str | None = None
    note_html: str | None = None


@dataclass(frozen=True)
class NoteChange:
    # "create", "update", "kept" (the user edited it), "unchanged", "gone" (the user
    # deleted or trashed it: not written again), "trash" (--prune: its file is gone)
    action: str
    key: str
    html: str
    parent: str
    contributor: str | None = None

    @property
    def writes(self) -> bool:
        return self.action in ("create", "update", "trash")


@dataclass(frozen=True)
class CollectionCreate:
    key: str
    name: str
    parent: str | None


@dataclass(frozen=True)
class WorkPlan:
    identity: str
    action: Action
    title: str | None
    origins: tuple[Origin, ...]
    item_key: str | None = None
    version: int | None = None
    matched_by: str | None = None
    changes: tuple[FieldChange, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    tags_added: tuple[str, ...] = ()
    tags_removed: tuple[str, ...] = ()
    collections_added: tuple[str, ...] = ()
    collections_removed: tuple[str, ...] = ()
    notes: tuple[NoteChange, ...] = ()  # one per contributor with a note
    payload: Mapping[str, Any] | None = None  # the object a real run sends for the item
    # Of the payload's tags and collections, those zsync counts as its own (recorded as
    # written); the rest are the user's, sent along because Zotero replaces whole lists.
    owned: Mapping[str, Any] | None = None
    duplicate_of: str | None = None
    message: str | None = None
    notice: NoteChange | None = None  # the retraction/correction note, only ever created
    remarks: tuple[str, ...] = ()  # what the user should know: kept edits, shortened values

    @property
    def note(self) -> NoteChange | None:
        """The first child note (reports written before works had several)."""
        return self.notes[0] if self.notes else None


@dataclass(frozen=True)
class Plan:
    collections: tuple[CollectionCreate, ...]
    works: tuple[WorkPlan, ...]
    library_empty_because: str | None = None  # e.g. "no Zotero account configured"
    collection_names: Mapping[str, str] = field(default_factory=dict)  # key -> "Status/New"

    def count(self, action: Action) -> int:
        return sum(1 for w in self.works if w.action == action)

    @property
    def has_changes(self) -> bool:
        if self.collections:
            return True
        writing = (Action.CREATE, Action.UPDATE)
        for w in self.works:  # plain loops: this runs over every work of a large vault
            if w.action in writing or w.notice is not None:
                return True
            for note in w.notes:
                if note.writes:
                    return True
        return False


@dataclass(frozen=True)
class PlanInputs:
    library: LibraryView
    written: Mapping[str, Written]  # item key -> what zsync last wrote there
    links: Mapping[str, str]  # work identity -> item key zsync synced it to
    status_parent: str = "Status"
    new_key: Callable[[], str] = field(default=lambda: "")
    # item key -> notice kinds (sync.retraction slugs) zsync already wrote a note about
    noticed: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The fuzzy rules (dedupe.libmatch.existing_finder), tried when no identifier matches.
    fuzzy: Callable[[Work], tuple[LibraryItem | None, str | None]] | None = None
    # What zsync remembers of items whose `extra` has no memory line yet (state store).
    legacy: Mapping[str, Memory] = field(default_factory=dict)
    # item key -> contributors whose files are gone from the folders this run read
    gone: Mapping[str, frozenset[str]] = field(default_factory=dict)
    prune: bool = False  # remove what gone contributors gave (their notes and tags)
