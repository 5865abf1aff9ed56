"""Command-line values turned into text, numbers and paths without loading pydantic.

typer coerces every value through a pydantic `TypeAdapter`, and importing pydantic costs
more than a sync that finds nothing to do. zsync's commands mostly take text, counts, flags
and paths, so for those the value is coerced here, exactly as typer's adapter would: a path is
made a `Path` and checked by typer's own `coerce_cli_path`. Anything else (an enum, a
number typed as text, a value of another shape) goes to typer's adapter, built on first use.
When typer's internals differ from what is expected here, typer is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

try:
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
    from typer._param_types import coerce_cli_path
except ImportError:  # another typer: it coerces every value itself
    RuntimeParam = None  # type: ignore[assignment,misc]

_UNHANDLED = object()
_LEAVES = (str, int, bool, Path)


@dataclass(frozen=True)
class _Plain:
    """How one parameter's values are coerced: `leaf` is str, int, bool or Path; `many` for
    a list of them."""

    leaf: type
    many: bool


def _plain_shape(descriptor: Any) -> _Plain | None:
    """The shape of a parameter coerced here, or None for one left to typer."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None \
            or getattr(info, "click_type", None) is not None:
        return None
    annotation, many = descriptor.annotation, False
    if get_origin(annotation) is list:
        (annotation,), many = get_args(annotation), True
    if annotation not in _LEAVES or (annotation is Path and info.path_type is not None):
        return None
    if annotation is int and (info.min is not None or info.max is not None):
        return None  # a bounded number: typer checks the bounds
    return _Plain(annotation, many)


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):
        """A text, count, flag or path parameter's coercion, typer's adapter kept for the rest."""

        descriptor: TypeDescriptor
        shape: _Plain

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.shape.many and isinstance(value, list | tuple):
                items = [self._leaf(item, param, ctx) for item in value]
                if all(item is not _UNHANDLED for item in items):
                    return items
            elif not self.shape.many:
                coerced = self._leaf(value, param, ctx)
                if coerced is not _UNHANDLED:
                    return coerced
            return self._typer().coerce(value, param=param, ctx=ctx)

        def _leaf(self, value: Any, param: Any, ctx: Any) -> Any:
            leaf = self.shape.leaf
            if leaf is str and isinstance(value, str):
                return value
            if leaf in (int, bool) and type(value) is leaf:
                return value
            if leaf is Path and isinstance(value, str) and value:
                return coerce_cli_path(Path(value), self.parameter_info, path_type=Path,
                                       param=param, ctx=ctx)
            return _UNHANDLED

        def _typer(self) -> Any:
            return build_runtime_param(self.descriptor)


def spare_pydantic(command: Any, ctx: Any, *, own: bool = False) -> None:
    """Give the text, count, flag and path parameters of `command` (and of its subcommands),
    its help option included, the coercion above, unless typer already made their own.

    `ctx` is the context `command` is parsed in (`own`), or its parent's: the help option is
    named after the context's help option names, which a command's context inherits unless
    the command sets its own (then its help option is left to typer)."""
    if RuntimeParam is None or command is None:
        return
    own_names = (getattr(command, "context_settings", None) or {}).get("help_option_names")
    params = command.params if own_names and not own else command.get_params(ctx)
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            continue
        try:
            shape = _plain_shape(descriptor)
            if shape is not None:
                param._runtime_param = PlainRuntimeParam(
                    parameter_info=descriptor.parameter_info, annotation=descriptor.annotation,
                    descriptor=descriptor, shape=shape)
        except (AttributeError, TypeError):  # a typer whose parameters are made otherwise
            return
    for sub in getattr(command, "commands", {}).values():
        spare_pydantic(sub, ctx)
