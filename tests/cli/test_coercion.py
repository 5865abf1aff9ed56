"""zsync's own coercion of text, count, flag and path values gives what typer's pydantic
adapters give, errors included, for every parameter of every command it takes over."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer._coercion import build_runtime_param

from zsync.cli.app import _register, app
from zsync.cli.coercion import PlainRuntimeParam, spare_pydantic

SAMPLES: dict[type, list[Any]] = {
    str: ["text", "", "ünïcödé", "-", "a b", 7],
    int: [0, 3, "5", "five", True],
    bool: [True, False, "true", "no", 1],
    Path: ["notes", "", "-", ".", "missing/folder/x.md", "~/x", Path("p")],
}


def every_param() -> list[tuple[str, Any]]:
    _register()
    group = typer.main.get_command(app)
    ctx = group.make_context("zsync", ["status"], resilient_parsing=True)
    spare_pydantic(group, ctx, own=True)
    found: list[tuple[str, Any]] = []

    def walk(command: Any, name: str) -> None:
        spare_pydantic(command, ctx)
        found.extend((f"{name} {p.name}", p) for p in command.get_params(ctx)
                     if isinstance(getattr(p, "_runtime_param", None), PlainRuntimeParam))
        for sub_name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{name} {sub_name}")

    walk(group, "zsync")
    return found


def outcome(runtime: Any, value: Any, param: Any) -> tuple[str, Any]:
    try:
        return "value", runtime.coerce(value, param=param, ctx=None)
    except Exception as exc:  # the same error, with the same message
        return type(exc).__name__, str(exc)


def samples(runtime: PlainRuntimeParam, tmp_path: Path) -> list[Any]:
    leaves = [*SAMPLES[runtime.shape.leaf]]
    if runtime.shape.leaf is Path:
        (tmp_path / "file.md").write_text("x", encoding="utf-8")
        leaves += [str(tmp_path), str(tmp_path / "file.md")]
    if not runtime.shape.many:
        return leaves
    return [tuple(leaves[:2]), (), [leaves[0]], tuple(leaves), leaves[0]]


PARAMS = every_param()


def test_the_run_commands_text_flag_and_path_options_are_taken_over() -> None:
    names = {name for name, _ in PARAMS}
    assert {"zsync sync paths", "zsync sync report", "zsync sync exclude", "zsync sync full",
            "zsync config", "zsync verbose", "zsync log_format", "zsync help"} <= names


@pytest.mark.parametrize(("name", "param"), PARAMS, ids=[name for name, _ in PARAMS])
def test_each_value_is_coerced_as_typer_coerces_it(name: str, param: Any,
                                                   tmp_path: Path) -> None:
    ours = param._runtime_param
    typers = build_runtime_param(param.type_descriptor)
    for value in samples(ours, tmp_path):
        assert outcome(ours, value, param) == outcome(typers, value, param), (name, value)
