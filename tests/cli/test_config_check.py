"""`zsync config check` tells a user whether the key can write their library."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import Result

from tests.servers.zotero import zotero_server

Run = Callable[..., Result]
KEY = "A" * 24


@pytest.fixture
def zotero(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with zotero_server(user_id=7, key=KEY, groups=[55]) as server:
        monkeypatch.setenv("ZOTERO_API_URL", server.url)
        monkeypatch.setenv("ZOTERO_API_KEY", KEY)
        yield server


def test_a_good_key_for_its_own_library_passes(run: Run, zotero, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZOTERO_LIBRARY_ID", "7")
    result = run("config", "check")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.count("ok") == 4
    assert KEY not in result.stdout + result.stderr


def test_a_key_for_another_user_library_fails_and_says_why(run: Run, zotero, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZOTERO_LIBRARY_ID", "8")
    result = run("config", "check")
    assert result.exit_code == 1
    assert "FAIL" in result.stdout
    assert "belongs to user 7, not 8" in result.stdout


def test_a_group_the_key_may_write_passes(run: Run, zotero, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ZOTERO_LIBRARY_ID", "55")
    monkeypatch.setenv("ZOTERO_LIBRARY_TYPE", "group")
    assert run("config", "check").exit_code == 0


def test_an_unknown_key_fails(run: Run, zotero, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
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
