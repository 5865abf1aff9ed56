from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.support import invoke_cli


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the zsync CLI in-process with a private state folder, seeing only the zsync
    variables a test sets (with monkeypatch) itself."""
    for name in ("ZOTERO_API_KEY", "ZOTERO_LIBRARY_ID", "NCBI_API_KEY", "CROSSREF_MAILTO"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ZSYNC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("ZSYNC_STATE", str(tmp_path / "state.sqlite"))

    def invoke(*args: str) -> Result:
        own = {n: v for n, v in os.environ.items() if n.startswith(("ZOTERO_", "ZSYNC_", "NCBI_",
                                                                     "CROSSREF_"))}
        return invoke_cli(args, own, tmp_path)

    return invoke
