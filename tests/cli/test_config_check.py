"""`zsync config check` tells a user whether the key can write their library."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from tests.servers.zotero import ZoteroServer, zotero_server

Run = Callable[..., Result]
KEY = "A" * 24


@pytest.fixture
def zotero(monkeypatch: pytest.MonkeyPatch) -> Iterator[ZoteroServer]:
    with zotero_server(user_id=7, key=KEY, groups=[55]) as server:
        monkeypatch.setenv("ZOTERO_API_URL", server.url)
        monkeypatch.setenv("ZOTERO_API_KEY", KEY)
        yield server


def test_a_good_key_for_its_own_library_passes(run: Run, zotero: ZoteroServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOTERO_LIBRARY_ID", "7")
    result = run("config", "check")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.count("ok") == 4
    assert KEY not in result.stdout + result.stderr


def test_a_key_for_another_user_library_fails_and_says_why(run: Run, zotero: ZoteroServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOTERO_LIBRARY_ID", "8")
    result = run("config", "check")
    assert result.exit_code == 1
    assert "FAIL" in result.stdout
    assert "belongs to user 7, not 8" in result.stdout


def test_a_group_the_key_may_write_passes(run: Run, zotero: ZoteroServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOTERO_LIBRARY_ID", "55")
    monkeypatch.setenv("ZOTERO_LIBRARY_TYPE", "group")
    assert run("config", "check").exit_code == 0


def test_an_unknown_key_fails(run: Run, zotero: ZoteroServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOTERO_LIBRARY_ID", "7")
    monkeypatch.setenv("ZOTERO_API_KEY", "B" * 24)
    result = run("config", "check")
    assert result.exit_code == 1
    assert "does not know this API key" in result.stdout


def test_missing_library_is_a_config_error(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOTERO_API_KEY", KEY)
    result = run("config", "check")
    assert result.exit_code == 2
    assert "library_id is not set" in result.stderr


def test_config_show_masks_keys(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOTERO_API_KEY", KEY)
    result = run("config", "show")
    assert result.exit_code == 0
    assert "zotero.api_key = ****" in result.stdout
    assert "$ZOTERO_API_KEY" in result.stdout
    assert KEY not in result.stdout


def test_status_before_any_run(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZOTERO_LIBRARY_ID", "7")
    result = run("status")
    assert result.exit_code == 0
    assert "library: users/7" in result.stdout
    assert "no runs yet" in result.stdout


def test_a_key_bound_for_plain_http_elsewhere_fails_the_check_and_warns_every_run(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZOTERO_LIBRARY_ID", "7")
    monkeypatch.setenv("ZOTERO_API_KEY", KEY)
    monkeypatch.setenv("ZOTERO_API_URL", "http://192.0.2.1:9")  # a documentation address
    monkeypatch.setenv("ZSYNC_TIMEOUT", "0.5")
    monkeypatch.setenv("ZSYNC_MAX_RETRIES", "0")
    check = run("config", "check")
    assert check.exit_code == 1
    assert "FAIL zotero.api_key would be sent unencrypted to 192.0.2.1" in check.stdout
    shown = run("config", "show")
    assert "zotero.api_key would be sent unencrypted to 192.0.2.1" in shown.stderr
    assert KEY not in check.stdout + check.stderr + shown.stdout + shown.stderr


@pytest.mark.parametrize("url", ["https://api.example.org", "http://127.0.0.1:8085",
                                 "http://localhost:23119/api", "http://[::1]:9"])
def test_https_or_this_machine_raise_no_warning(
    run: Run, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("ZOTERO_API_KEY", KEY)
    monkeypatch.setenv("ZOTERO_API_URL", url)
    assert "unencrypted" not in run("config", "show").stderr


def test_an_ncbi_key_over_plain_http_is_named_too(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCBI_API_KEY", "N" * 36)
    monkeypatch.setenv("NCBI_EUTILS_URL", "http://eutils.example.org/entrez/eutils")
    shown = run("config", "show")
    assert "pubmed.api_key would be sent unencrypted to eutils.example.org" in shown.stderr
    assert "N" * 36 not in shown.stdout + shown.stderr


def test_a_wrongly_typed_key_in_the_file_is_not_repeated(run: Run, tmp_path: Path) -> None:
    secret = "9" * 24  # a key typed without quotes is read as a number
    config = tmp_path / "config.toml"
    config.write_text(f"[zotero]\napi_key = {secret}.5\n[pubmed]\napi_key = [\"{secret}\"]\n",
                      encoding="utf-8")
    result = run("--config", str(config), "config", "show")
    assert result.exit_code == 2
    assert "[zotero] api_key: expected a string, got a float" in result.stderr
    assert secret not in result.stdout + result.stderr
