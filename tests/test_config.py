"""Settings come from the file, then the environment, then flags; bad ones are named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zsync.config.settings import SETTINGS, ConfigError, Secret, load

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_documents_every_setting_and_loads() -> None:
    example = ROOT / "config.example.toml"
    text = example.read_text(encoding="utf-8")
    for setting in SETTINGS:
        if setting.kind is dict:
            assert f"[{setting.section}.{setting.key}]" in text, setting.name
        else:
            assert re.search(rf"^{setting.key} = ", text, re.M), setting.name
        if setting.env:
            assert setting.env in text, f"{setting.name}: env var not documented"
    config = load(example, env={})
    assert config.zotero.library_type == "user"
    assert config.status_map()["to read"] == "New"


def test_environment_overrides_file_and_flags_override_both(tmp_path: Path) -> None:
    path = write(tmp_path, '[zotero]\nlibrary_id = "111"\nlibrary_type = "user"\n')
    env = {"ZOTERO_LIBRARY_ID": "222", "ZOTERO_LIBRARY_TYPE": "group"}
    assert load(path, env={}).zotero.library_id == "111"
    assert load(path, env=env).zotero.library_id == "222"
    config = load(path, env=env, overrides={"zotero.library_id": "333"})
    assert config.zotero.library_id == "333"
    assert config.zotero.library_type == "group"
    assert config.origins["zotero.library_type"] == "$ZOTERO_LIBRARY_TYPE"


def test_api_urls_come_from_the_environment(tmp_path: Path) -> None:
    env = {
        "ZOTERO_API_URL": "http://127.0.0.1:1/",
        "CROSSREF_API_URL": "http://127.0.0.1:2",
        "NCBI_EUTILS_URL": "http://127.0.0.1:3",
    }
    config = load(write(tmp_path, ""), env=env)
    assert config.zotero.api_url == "http://127.0.0.1:1/"
    assert config.crossref.api_url == "http://127.0.0.1:2"
    assert config.pubmed.eutils_url == "http://127.0.0.1:3"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[zotero]\nlibrary_type = "person"\n', r"\[zotero\] library_type: expected one of 'user', 'group'"),
        ("[network]\ntimeout = \"soon\"\n", r"\[network\] timeout: expected a number"),
        ("[network]\nmax_retries = 2.5\n", r"\[network\] max_retries: expected a whole number"),
        ("[zotero]\nlocal = \"maybe\"\n", r"\[zotero\] local: expected true or false"),
        ("[zotero]\napi_kee = \"x\"\n", r"unknown setting \[zotero\] api_kee"),
        ("[sync]\nstatus_map = 3\n", r"\[sync\] status_map: expected a table"),
        ("zotero = 3\n", r"'zotero' must be a \[section\]"),
        ("[zotero\n", r"not valid TOML"),
    ],
)
def test_a_bad_file_names_the_key_and_what_was_expected(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        load(write(tmp_path, text), env={})
    assert str(tmp_path) in str(info.value)


def test_a_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\$ZSYNC_TIMEOUT: expected a number"):
        load(write(tmp_path, ""), env={"ZSYNC_TIMEOUT": "fast"})


def test_api_keys_never_show_in_text_or_repr(tmp_path: Path) -> None:
    config = load(write(tmp_path, ""), env={"ZOTERO_API_KEY": "s3cretKEYvalue"})
    key = config.zotero.api_key
    assert isinstance(key, Secret)
    assert key.reveal() == "s3cretKEYvalue"
    for shown in (str(key), repr(key), f"{key}", repr(config), str(config.values)):
        assert "s3cretKEYvalue" not in shown


def test_note_excludes_are_a_list_and_flags_add_to_it(tmp_path: Path) -> None:
    path = write(tmp_path, '[notes]\nexclude = ["templates/", "*.excalidraw.md"]\n')
    assert load(path, env={}).notes.exclude == ("templates/", "*.excalidraw.md")
    flagged = load(path, env={}, overrides={"notes.exclude": ["daily/"]})
    assert flagged.notes.exclude == ("templates/", "*.excalidraw.md", "daily/")
    with pytest.raises(ConfigError, match="a list of strings"):
        load(write(tmp_path, '[notes]\nexclude = "templates/"\n'), env={})
