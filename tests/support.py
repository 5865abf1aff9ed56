"""Shared test set-up: config pointing at the emulators, fast retries, the client stack."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner, Result

from tests.servers.base import LocalServer
from zsync.config.settings import Config, load
from zsync.sources.cache import RecordCache
from zsync.sources.crossref.client import CrossrefClient
from zsync.sources.http import HttpLayer, default_throttles
from zsync.sources.pubmed.client import PubMedClient
from zsync.sources.retry import RetryPolicy
from zsync.sources.throttle import ServicePolicy, Throttle

FAST = RetryPolicy(max_retries=3, base_delay=0.01, max_delay=0.05, max_retry_after=5.0)
MAILTO = "tests@example.org"
NCBI_KEY = "ncbi-test-key-0123456789abcdef"


def config_for(
    tmp_path: Path,
    crossref: LocalServer | str | None = None,
    pubmed: LocalServer | str | None = None,
    **env: str,
) -> Config:
    """A config pointing at the emulators (a server, or a base URL such as a dead port)."""
    values = {"ZSYNC_CACHE_DIR": str(tmp_path / "cache"), "CROSSREF_MAILTO": MAILTO,
              "NCBI_EMAIL": MAILTO}
    if crossref is not None:
        base = crossref if isinstance(crossref, str) else crossref.url
        values.update(CROSSREF_API_URL=base, DOI_RESOLVER_URL=f"{base}/doi")
    if pubmed is not None:
        base = pubmed if isinstance(pubmed, str) else pubmed.url
        values.update(NCBI_EUTILS_URL=f"{base}/entrez/eutils",
                      NCBI_IDCONV_URL=f"{base}/tools/idconv/api/v1/articles/")
    values.update(env)
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "config.toml"
    path.write_text("", encoding="utf-8")
    return load(path, env=values)


def fast_throttles() -> dict[str, Throttle]:
    """No pacing to speak of: for tests that are not about the rate limits."""
    return {name: Throttle(ServicePolicy(name, 1000.0, 4))
            for name in ("crossref-single", "crossref-list", "ncbi", "doi")}


@dataclass
class Stack:
    config: Config
    http: HttpLayer
    cache: RecordCache

    def crossref(self, **options: int) -> CrossrefClient:
        return CrossrefClient(self.config, self.http, self.cache, **options)

    def pubmed(self, **options: int) -> PubMedClient:
        return PubMedClient(self.config, self.http, self.cache, **options)

    def close(self) -> None:
        self.http.close()
        self.cache.close()


def make_stack(config: Config, *, paced: bool = False, retry: RetryPolicy = FAST,
               timeout: float = 2.0) -> Stack:
    throttles = default_throttles(config) if paced else fast_throttles()
    http = HttpLayer(config, retry_policy=retry, timeout=timeout, throttles=throttles)
    return Stack(config, http, RecordCache.from_config(config))


def dead_url() -> str:
    """A base URL on which nothing listens (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


_OWN_ENV = ("ZOTERO_", "ZSYNC_", "NCBI_", "CROSSREF_")


def invoke_cli(args: Sequence[str], env: Mapping[str, str], home: Path,
               input: str | None = None) -> Result:
    """`zsync ARGS` in-process through typer's runner, seeing only `env` of zsync's own
    variables, with its config folder under `home`. The CLI sets up the "zsync" logger (own
    handler, no propagation); it is put back afterwards so later tests' log capture still
    sees zsync's records."""
    from zsync.cli.app import _register, app

    _register()
    clean: dict[str, str | None] = {n: None for n in os.environ if n.startswith(_OWN_ENV)}
    clean.update(env)
    clean["XDG_CONFIG_HOME"] = str(home / "xdg")
    logger = logging.getLogger("zsync")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    try:
        return CliRunner().invoke(app, list(args), input=input, env=clean,
                                 catch_exceptions=False)
    finally:
        logger.handlers[:], logger.level, logger.propagate = saved
