from __future__ import annotations

import logging
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
    logger = logging.getLogger("zsync")
    saved = (list(logger.handlers), logger.level, logger.propagate)

    def invoke(*args: str) -> Result:
        try:
            return runner.invoke(app, list(args), catch_exceptions=False)
        finally:  # the CLI sets up its own log handler; give pytest's capture back
            logger.handlers[:], logger.level, logger.propagate = saved

    return invoke
