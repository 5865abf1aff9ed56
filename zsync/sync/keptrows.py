"""A work's plan rows and what they read, in the form the work memo keeps them.

The rows are kept as flat tuples (`rowcodec`): plan rows with their origins, notes and
field changes, the action by name; `Deps` as its sets. Each blob names the layout it was
written with; one of another layout (another zsync) or that cannot be read is None: the
work is planned again. Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any

from zsync.model.records import Origin
from zsync.sync.plantypes import Action, NoteChange, WorkHead, WorkPlan
from zsync.sync.rowcodec import Flat, by_name, each, maybe
from zsync.sync.threeway import Conflict, FieldChange
from zsync.sync.tracking import Deps

ORIGIN = Flat(Origin)
NOTE_CHANGE = Flat(NoteChange)
WORK_PLAN = Flat(
    WorkPlan, action=by_name(Action), origins=each(ORIGIN),
    changes=each(Flat(FieldChange)), conflicts=each(Flat(Conflict)),
    notes=each(NOTE_CHANGE), notice=maybe(NOTE_CHANGE))
DEPS = Flat(Deps)
HEAD = Flat(WorkHead)

# Names the form of the blobs below: what another zsync kept is not read.
LAYOUT = hashlib.sha256(f"{WORK_PLAN.layout};{DEPS.layout}".encode()).hexdigest()[:16]


def plan_blob(rows: tuple[WorkPlan, ...]) -> bytes:
    return _dumped(tuple(map(WORK_PLAN.encode, rows)))


def plan_of(blob: bytes) -> tuple[WorkPlan, ...] | None:
    """The plan rows kept in `blob`; None when they cannot be read."""
    try:
        return tuple(map(WORK_PLAN.decode, _loaded(blob)))
    except Exception:  # damaged, or written by another zsync: planned again
        return None


def deps_blob(deps: Deps) -> bytes:
    return _dumped(DEPS.encode(deps))


def deps_of(blob: bytes) -> Deps | None:
    """What a kept plan read of the library; None when it cannot be read."""
    try:
        deps = DEPS.decode(_loaded(blob))
    except Exception:  # damaged, or written by another zsync: planned again
        return None
    return deps if isinstance(deps.keys, frozenset) and isinstance(deps.searched, frozenset) \
        else None


def head_values(head: WorkHead) -> tuple[str, str, str | None, str]:
    """A work's head as the memo's columns: identity, status, error, parts (each name
    ended by NUL, which no file name holds)."""
    identity, status, error, parts = HEAD.encode(head)
    if any("\0" in part for part in parts):
        raise pickle.PicklingError(f"a file name of {identity} holds a NUL character")
    return identity, status, error, "".join(f"{part}\0" for part in parts)


def head_of_values(identity: str, status: str, error: str | None, parts: str) -> WorkHead:
    """The head kept in these columns (`head_values`)."""
    return HEAD.decode((identity, status, error, tuple(parts.split("\0")[:-1])))


def _dumped(value: object) -> bytes:
    return pickle.dumps((LAYOUT, value), pickle.HIGHEST_PROTOCOL)


def _loaded(blob: bytes) -> Any:
    layout, value = pickle.loads(blob)
    if layout != LAYOUT:
        raise ValueError("kept in another layout")
    return value
