"""The typed sections (`config.zotero.api_key`) hold exactly the settings of the table, with
the types the table declares, whatever the value came from."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, get_type_hints

import pytest

from zsync.config.sections import SECTIONS, Secret
from zsync.config.settings import SETTINGS, Setting, load


def _expected(setting: Setting) -> object:
    if setting.choices:
        return Literal[setting.choices]
    generic: dict[type, object] = {list: tuple[str, ...], dict: Mapping[str, str]}
    return generic.get(setting.kind, setting.kind)


def test_each_section_field_is_a_setting_of_the_declared_type() -> None:
    fields = {f"{section}.{name}": hint for section, kind in SECTIONS.items()
              for name, hint in get_type_hints(kind).items()}
    assert sorted(fields) == sorted(s.name for s in SETTINGS)
    for setting in SETTINGS:
        assert fields[setting.name] == _expected(setting), setting.name


def _runtime_kind(setting: Setting) -> type:
    held: dict[type, type] = {list: tuple, dict: dict}
    return held.get(setting.kind, setting.kind)


@pytest.mark.parametrize("source", ["default", "file", "env"])
def test_every_value_has_its_declared_type(tmp_path: Path, source: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[network]\ntimeout = 5\n[cache]\nttl_days = 3\n[zotero]\nlibrary_id = 42\n"
                    if source == "file" else "", encoding="utf-8")
    env = {"ZSYNC_TIMEOUT": "7", "ZSYNC_MAX_RETRIES": "2", "ZOTERO_API_KEY": "k" * 24,
           "ZOTERO_LOCAL": "yes"} if source == "env" else {}
    config = load(path, env=env)
    for setting in SETTINGS:
        value = config.value(setting.name)
        assert isinstance(value, _runtime_kind(setting)), (setting.name, value)
    if source == "file":
        assert (config.network.timeout, config.zotero.library_id) == (5.0, "42")
    if source == "env":
        assert isinstance(config.zotero.api_key, Secret) and config.zotero.local is True
        assert config.network.max_retries == 2


def test_flags_give_typed_values_and_the_sections_are_frozen(tmp_path: Path) -> None:
    config = load(None, env={}, overrides={"network.timeout": "2.5", "notes.exclude": ["a/"]},
                  read_file=False)
    assert config.network.timeout == 2.5 and config.notes.exclude == ("a/",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.network.timeout = 1.0  # type: ignore[misc]
