"""A server that repeats the key in its answer: the caller sees `****`, the HTTP cache
keeps nothing of it, and the same holds for habanero's and pyzotero's httpx2 stack."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from tests.adapters.enrich_env import NCBI_KEY, config_for, make_stack
from tests.servers.base import LocalServer, Request, Response, running
from zsync.logs import register_secret
from zsync.sources.http import HttpLayer
from zsync.sources.http_stacks import HTTP_CACHE_FILE, mask_httpx


class Parrot:
    """Answers with the request's query string in the body, as a careless server does."""

    def handle(self, request: Request) -> Response:
        return Response.text(f"you asked for {request.raw_target}")

    def endpoint(self, request: Request) -> str:
        return "parrot"


@pytest.fixture
def parrot() -> Iterator[LocalServer]:
    with running(Parrot()) as server:
        yield server


@pytest.fixture
def http(tmp_path: Path, parrot: LocalServer) -> Iterator[HttpLayer]:
    stack = make_stack(config_for(tmp_path, pubmed=parrot, NCBI_API_KEY=NCBI_KEY))
    yield stack.http
    stack.close()


def test_an_echoed_key_is_masked_and_the_answer_not_cached(
    tmp_path: Path, parrot: LocalServer, http: HttpLayer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    params = {"db": "pubmed", "id": "1", "api_key": NCBI_KEY}
    first = http.get("ncbi", f"{parrot.url}/efetch.fcgi", params=params)
    second = http.get("ncbi", f"{parrot.url}/efetch.fcgi", params=params)
    assert NCBI_KEY not in first.text and "api_key=****" in first.text
    assert parrot.counts["parrot"] == 2  # the echoing answer was not kept in the cache
    assert not getattr(second, "from_cache", False)
    assert "held an API key" in caplog.text and NCBI_KEY not in caplog.text
    http.close()
    cache = tmp_path / "cache" / HTTP_CACHE_FILE
    assert cache.exists() and NCBI_KEY.encode() not in cache.read_bytes()


def test_a_plain_answer_is_still_cached(tmp_path: Path, parrot: LocalServer,
                                        http: HttpLayer) -> None:
    params = {"db": "pubmed", "id": "1"}
    http.get("ncbi", f"{parrot.url}/efetch.fcgi", params=params)
    again = http.get("ncbi", f"{parrot.url}/efetch.fcgi", params=params)
    assert getattr(again, "from_cache", False) and parrot.counts["parrot"] == 1


def test_an_httpx_client_with_the_hook_masks_echoed_keys(parrot: LocalServer) -> None:
    key = "zoteroKeyEchoed0123456789"
    register_secret(key)
    with httpx2.Client(event_hooks={"response": [mask_httpx]}) as client:
        answer = client.get(f"{parrot.url}/users/1/items", params={"key": key})
    assert key not in answer.text and "key=****" in answer.text
