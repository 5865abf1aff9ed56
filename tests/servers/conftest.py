"""Fixtures shared by the emulator tests: an HTTP client for the module's `server`."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest

from tests.servers.base import LocalServer


@pytest.fixture
def client_headers() -> dict[str, str]:
    """Headers every request of `client` carries; a module may define its own."""
    return {}


@pytest.fixture
def client(server: LocalServer, client_headers: dict[str, str]) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=server.url, headers=client_headers, timeout=10) as c:
        yield c
