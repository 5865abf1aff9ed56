"""Storing a setting (the local API key from `zsync config local-auth`) in a config file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from zsync.config.settings import ConfigError, load, store_setting


def test_a_stored_key_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# my settings\n[zotero]\nlibrary_id = "42"  # me\n\n[sync]\n'
                    'default_status = "Reading"\n', encoding="utf-8")

    assert store_setting("zotero.local_api_key", "k" * 32, path) == path

    text = path.read_text(encoding="utf-8")
    assert "# my settings" in text and "# me" in text
    config = load(path, env={})
    assert config.zotero.local_api_key.reveal() == "k" * 32
    assert (config.zotero.library_id, config.sync.default_status) == ("42", "Reading")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_new_file_and_a_replaced_key(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    store_setting("zotero.local_api_key", "first", path)
    store_setting("zotero.local_api_key", "second", path)
    assert load(path, env={}).zotero.local_api_key.reveal() == "second"
    assert "first" not in path.read_text(encoding="utf-8")


def test_a_broken_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[zotero\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        store_setting("zotero.local_api_key", "x", path)
    assert path.read_text(encoding="utf-8") == "[zotero\n"
