"""Flat forms of kept dataclasses, cheap to read again (`sync.memo`).

A run after a small change reads every work's kept plan rows. Unpickled as dataclasses,
each row makes half a dozen objects through pickle's generic machinery (and the Python
`__setstate__` of slotted classes), which cost several times the reading of the same
values as plain tuples. Here a dataclass is kept as the tuple of its field values, some
of them converted (`Nested`: other dataclasses as tuples, enums by name), and built again
without calling `__init__` by a function made once per class from `dataclasses.fields`:
a field added to a class is kept and read back with no change here.

`Flat.layout` names the fields (and those of the nested classes) in order: what was kept
under another layout (another zsync) is not read. Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Nested:
    """How one field's value is kept: `encode` makes it plain, `decode` makes it again;
    `layout` names the form."""

    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]
    layout: str


class Flat(Generic[T]):
    """A dataclass kept as the tuple of its field values (`encode`, `decode`)."""

    def __init__(self, cls: type[T], **nested: Nested) -> None:
        if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__"):
            raise TypeError(f"{cls.__name__}: only a dataclass without __post_init__ "
                            "can be built from its kept values")
        names = tuple(f.name for f in dataclasses.fields(cls))
        unknown = set(nested) - set(names)
        if unknown:
            raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
        self.cls, self.names = cls, names
        self.layout = f"{cls.__qualname__}(" + ",".join(
            f"{n}:{nested[n].layout}" if n in nested else n for n in names) + ")"
        self.encode: Callable[[T], tuple[Any, ...]]
        self.decode: Callable[[tuple[Any, ...]], T]
        self.encode, self.decode = _made(cls, names, nested)


def _made(cls: type, names: tuple[str, ...], nested: Mapping[str, Nested]
          ) -> tuple[Callable[[Any], tuple[Any, ...]], Callable[[tuple[Any, ...]], Any]]:
    """The encoder and decoder of `cls`, as code written for its fields (as `dataclasses`
    writes `__init__`): one tuple out, one object in, no loop over the fields."""
    scope: dict[str, Any] = {"cls": cls, "new": object.__new__,
                             "set_attr": object.__setattr__}
    values, built = [], []
    for i, name in enumerate(names):
        value, kept = f"o.{name}", f"v{i}"
        if name in nested:
            scope[f"enc{i}"], scope[f"dec{i}"] = nested[name].encode, nested[name].decode
            value, kept = f"enc{i}({value})", f"dec{i}({kept})"
        values.append(value)
        built.append(kept)
    unpack = "".join(f"v{i}, " for i in range(len(names)))
    slotted = "__slots__" in cls.__dict__
    if slotted:  # set through each field's slot, as a frozen class's __init__ cannot
        for i, name in enumerate(names):
            scope[f"slot{i}"] = cls.__dict__[name].__set__
        setting = "".join(f"    slot{i}(o, {kept})\n" for i, kept in enumerate(built))
    else:
        setting = "    set_attr(o, '__dict__', {" + ", ".join(
            f"{name!r}: {kept}" for name, kept in zip(names, built, strict=True)) + "})\n"
    scope["wrong"] = lambda o: _of_type(o, cls)
    source = (f"def encode(o):\n    if o.__class__ is not cls:\n        wrong(o)\n"
              f"    return ({''.join(v + ', ' for v in values)})\n"
              f"def decode(t):\n    {unpack}= t\n    o = new(cls)\n{setting}    return o\n")
    exec(compile(source, f"<flat {cls.__qualname__}>", "exec"), scope)
    return scope["encode"], scope["decode"]


def each(flat: Flat[Any]) -> Nested:
    """A tuple of `flat`'s class."""
    encode, decode = flat.encode, flat.decode

    def encode_each(value: Any) -> tuple[Any, ...]:
        return tuple(map(encode, _of_type(value, tuple)))
    return Nested(encode_each, lambda v: tuple(map(decode, v)) if v else (),
                  f"[{flat.layout}]")


def maybe(flat: Flat[Any]) -> Nested:
    """One of `flat`'s class, or None."""
    encode, decode = flat.encode, flat.decode
    return Nested(lambda v: None if v is None else encode(v),
                  lambda v: None if v is None else decode(v), f"{flat.layout}?")


def values_of(flat: Flat[Any]) -> Nested:
    """A dict whose values are of `flat`'s class."""
    encode, decode = flat.encode, flat.decode

    def encode_values(value: Any) -> dict[Any, Any]:
        return {k: encode(x) for k, x in _of_type(value, dict).items()}
    return Nested(encode_values, lambda v: {k: decode(x) for k, x in v.items()},
                  f"{{{flat.layout}}}")


def by_name(enum: type[Enum]) -> Nested:
    """A member of `enum`, kept by its name."""
    members = dict(enum.__members__)
    return Nested(lambda v: _of_type(v, enum).name, members.__getitem__,
                  f"{enum.__qualname__}<{','.join(members)}>")


def _of_type(value: T, kind: type) -> T:
    """`value`, when the flat form gives it back as it is (not a list where a tuple is
    kept, nor a plain string for an enum member): the row is then not kept."""
    if type(value) is not kind:
        raise pickle.PicklingError(
            f"a {type(value).__name__} where the flat form keeps a {kind.__name__}")
    return value
