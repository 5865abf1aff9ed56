"""Every command says a Zotero failure in one line, with the same exit status."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.servers.zotero import zotero_server

Run = Callable[..., Result]
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
KEY = "K" * 24


@pytest.mark.parametrize(
    "command", [("sync", str(SEEDS), "--offline"), ("refresh", "--offline"), ("dedupe", "--library")]
)
def test_a_key_zotero_refuses_is_named_not_a_traceback(
    run: Run, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    with zotero_server(user_id=7, key=KEY) as server:
        monkeypatch.setenv("ZOTERO_API_URL", server.url)
        monkeypatch.setenv("ZOTERO_LIBRARY_ID", "7")
        monkeypatch.setenv("ZOTERO_API_KEY", "W" * 24)
        monkeypatch.setenv("ZSYNC_MAX_RETRIES", "0")
        result = run(*command)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Zotero refused the API key or library" in result.stderr
    assert "W" * 24 not in result.stderr + result.stdout
