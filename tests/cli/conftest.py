from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from zsync.cli.app import _register, app

_register()


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the zsync CLI in-process with an empty environment and a private state folder."""
    for name in ("ZOTERO_API_KEY", "ZOTERO_LIBRARY_ID", "NCBI_API_KEY", "CROSSREF_MAILTO"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("ZSYNC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ZSYNC_STATE", str(tmp_path / "state.sqlite"))
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke
