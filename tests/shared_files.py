"""Shared fixture files live in `shared/` beside the repository root; skip when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
CROSSREF_WORKS = SHARED / "fixtures" / "crossref" / "works"
PUBMED_EFETCH = SHARED / "fixtures" / "pubmed" / "efetch"
ZOTERO_SCHEMA_JSON = SHARED / "fixtures" / "zotero" / "zotero-schema" / "schema.json"


def shared_file(path: Path) -> Path:
    """`path`, or skip the test when the shared fixtures are not there."""
    if not path.exists():
        pytest.skip(f"shared fixture not available: {path}")
    return path
