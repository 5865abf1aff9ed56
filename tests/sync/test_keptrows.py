"""Plan rows kept in their flat form come back exactly as they were planned, every field
of every class (a field added later included); what cannot be read, or was written in
another layout, reads as missing (the work is planned again), never as a wrong row."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zsync.model.records import Origin
from zsync.sync import keptrows
from zsync.sync.plantypes import Action, NoteChange, WorkHead, WorkPlan
from zsync.sync.rowcodec import Flat, by_name, each, maybe
from zsync.sync.threeway import Conflict, FieldChange
from zsync.sync.tracking import Deps

# Fields whose values are other kept classes; every other field gets a value of its own.
NESTED: dict[type, dict[str, Any]] = {
    WorkPlan: {
        "action": Action.CONFLICT,
        "origins": (Origin("notes/a.md", 3, 9, "markdown", 2), Origin("b.bib")),
        "changes": (FieldChange("title", "Old", ["new", 1], "crossref"),),
        "conflicts": (Conflict("date", "2020", {"y": 2021}, "cleared"),),
        "notes": (NoteChange("kept", "NOTE1", "<p>x</p>", "ITEM1", "a.md"),
                  NoteChange("unchanged", "NOTE2", "<p>y</p>", "ITEM1")),
        "notice": NoteChange("create", "NOTE3", "<p>retracted</p>", "ITEM1"),
    },
    Deps: {"keys": frozenset({"ITEM1", "NOTE1"}), "searched": frozenset({("doi", "10.1/x")}),
           "everything": True},
    WorkHead: {"parts": ("a.md", "b.md")},
}


def sample(cls: type) -> Any:
    """An instance whose every field holds a value of its own, unlike its default."""
    given_values = NESTED.get(cls, {})
    values = {f.name: given_values.get(f.name, f"<{cls.__name__}.{f.name}>")
              for f in dataclasses.fields(cls)}
    return cls(**values)


@pytest.mark.parametrize("cls", [WorkPlan, NoteChange, Origin, Deps, WorkHead,
                                 FieldChange, Conflict])
def test_every_field_of_a_kept_class_comes_back(cls: type) -> None:
    flats: dict[type, Flat[Any]] = {
        WorkPlan: keptrows.WORK_PLAN, NoteChange: keptrows.NOTE_CHANGE, Origin: keptrows.ORIGIN,
        Deps: keptrows.DEPS, WorkHead: keptrows.HEAD, FieldChange: Flat(FieldChange),
        Conflict: Flat(Conflict)}
    flat = flats[cls]
    original = sample(cls)
    back = flat.decode(pickle.loads(pickle.dumps(flat.encode(original))))
    assert type(back) is cls and back == original
    for f in dataclasses.fields(cls):
        assert getattr(back, f.name) == getattr(original, f.name), f.name


def test_plan_rows_and_deps_come_back_through_their_blobs() -> None:
    rows = (sample(WorkPlan), WorkPlan("doi:10.1/y", Action.UNCHANGED, None, ()))
    assert keptrows.plan_of(keptrows.plan_blob(rows)) == rows
    assert keptrows.plan_of(keptrows.plan_blob(())) == ()
    deps = sample(Deps)
    assert keptrows.deps_of(keptrows.deps_blob(deps)) == deps
    assert keptrows.deps_of(keptrows.deps_blob(Deps())) == Deps()


def test_a_row_built_from_its_blob_is_the_class_itself() -> None:
    """What the planner reuses compares, hashes nothing and reports as a planned row."""
    row = keptrows.plan_of(keptrows.plan_blob((sample(WorkPlan),)))
    assert row is not None and type(row[0]) is WorkPlan and type(row[0].origins[0]) is Origin
    assert row[0].action is Action.CONFLICT and row[0].note == row[0].notes[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row[0].title = "changed"  # type: ignore[misc]


@given(st.text(), st.integers(), st.one_of(st.none(), st.integers()), st.text(),
       st.integers(), st.text(), st.one_of(st.none(), st.text()))
def test_any_text_comes_back(path: str, line: int, end: int | None, fmt: str, position: int,
                             html: str, contributor: str | None) -> None:
    plan = WorkPlan(path, Action.UNCHANGED, html, (Origin(path, line, end, fmt, position),),
                    notes=(NoteChange("unchanged", path, html, fmt, contributor),))
    assert keptrows.plan_of(keptrows.plan_blob((plan,))) == (plan,)


@pytest.mark.parametrize("blob", [b"", b"\x00", pickle.dumps(("another layout", ())),
                                  pickle.dumps((keptrows.LAYOUT, (("too", "short"),))),
                                  pickle.dumps([1, 2, 3])])
def test_what_cannot_be_read_is_missing(blob: bytes) -> None:
    assert keptrows.plan_of(blob) is None
    assert keptrows.deps_of(blob) is None


def test_rows_kept_before_a_field_was_added_are_not_read() -> None:
    """A class that gains a field changes the layout: rows kept before are planned again."""
    extended = dataclasses.make_dataclass(
        "NoteChange", [(f.name, f.type, f) for f in dataclasses.fields(NoteChange)]
        + [("extra", str, dataclasses.field(default=""))], frozen=True)
    assert Flat(extended).layout != keptrows.NOTE_CHANGE.layout


def test_values_the_flat_form_would_change_are_refused() -> None:
    """A list where a tuple is kept would come back as a tuple (another value): the row
    is not kept rather than kept wrong."""
    plan = dataclasses.replace(sample(WorkPlan), origins=[Origin("a.md")])
    with pytest.raises(pickle.PicklingError):
        keptrows.plan_blob((plan,))
    plain = dataclasses.replace(sample(WorkPlan), action="unchanged")
    with pytest.raises(pickle.PicklingError):
        keptrows.plan_blob((plain,))


@pytest.mark.parametrize("parts", [(), ("a.md",), ("",), ("a.md", "sub/b.md", "")])
def test_a_head_comes_back_from_its_columns(parts: tuple[str, ...]) -> None:
    head = WorkHead("doi:10.1/x", "Reading", None, parts)
    assert keptrows.head_of_values(*keptrows.head_values(head)) == head
    failed = WorkHead("title:x", "", "no identifier", parts)
    assert keptrows.head_of_values(*keptrows.head_values(failed)) == failed


def test_the_head_columns_hold_every_field_of_a_head() -> None:
    """The memo keeps a head in one column per field: a new field needs its column."""
    assert [f.name for f in dataclasses.fields(WorkHead)] == \
        ["identity", "status", "error", "parts"]
    with pytest.raises(pickle.PicklingError):
        keptrows.head_values(WorkHead("i", "s", None, ("a\0b",)))


def test_nested_forms_name_their_layout() -> None:
    origin = Flat(Origin)
    assert each(origin).layout != maybe(origin).layout
    assert "CREATE" in by_name(Action).layout
    with pytest.raises(TypeError):
        Flat(Origin, nowhere=each(origin))
