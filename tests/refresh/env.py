"""One refresh test's world: the three emulators, a private config/state/cache, a library
seeded as another client would (incomplete copies of generated works), and ways to run
`zsync refresh` (in-process, through the CLI runner, or as a subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import Result

from tests.servers.base import LocalServer, LoggedRequest
from tests.servers.generate import SyntheticWork, make_work
from tests.servers.zotero import ZoteroServer
from tests.support import config_for, invoke_cli, make_stack
from zsync.cli.app import _register
from zsync.config.settings import Config
from zsync.enrich.enricher import Enricher
from zsync.refresh.run import ChunkHook, RefreshOptions, RefreshResult, refresh
from zsync.sources.retry import RetryPolicy
from zsync.zotero.api import make_api

_register()

KEY = "refreshTestKey0123456789abcdef"
USER = 1
SEED = 7  # generated works of this series are in both source emulators
GENERATED = 200
REPO = Path(__file__).resolve().parents[2]
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FAST = RetryPolicy(max_retries=4, base_delay=0.02, max_delay=0.1, max_retry_after=5.0)
# Works of series SEED with a particular story (see tests/servers/generate.py).
RETRACTED, CORRECTED, NO_ABSTRACT = 17, 27, 7


@dataclass
class Sources:
    crossref: LocalServer
    pubmed: LocalServer

    def reset(self) -> None:
        for server in (self.crossref, self.pubmed):
            server.reset_log()
            server.faults.clear()

    def requests(self) -> int:
        return len(self.crossref.log) + len(self.pubmed.log)


def work(index: int) -> SyntheticWork:
    return make_work(index, SEED)


def article(index: int, **data: Any) -> dict[str, Any]:
    """The item a user might have for work `index`: title, authors, journal, year, DOI."""
    w = work(index)
    item = {
        "itemType": "journalArticle", "title": w.title,
        "creators": [{"creatorType": "author", "firstName": a.given, "lastName": a.family}
                     for a in w.authors],
        "publicationTitle": w.journal.title, "date": str(w.year), "DOI": w.doi,
    }
    item.update(data)
    return {k: v for k, v in item.items() if v is not None}


@dataclass
class RefreshEnv:
    tmp: Path
    zotero: ZoteroServer
    sources: Sources

    @property
    def state_path(self) -> Path:
        return self.tmp / "state.sqlite"

    def env(self, **extra: str) -> dict[str, str]:
        cr, pm = self.sources.crossref.url, self.sources.pubmed.url
        return {
            "ZOTERO_API_URL": self.zotero.url, "ZOTERO_API_KEY": KEY,
            "ZOTERO_LIBRARY_ID": str(USER), "ZOTERO_LIBRARY_TYPE": "user",
            "CROSSREF_API_URL": cr, "DOI_RESOLVER_URL": f"{cr}/doi",
            "NCBI_EUTILS_URL": f"{pm}/entrez/eutils",
            "NCBI_IDCONV_URL": f"{pm}/tools/idconv/api/v1/articles/",
            "CROSSREF_MAILTO": "tests@example.org", "NCBI_EMAIL": "tests@example.org",
            "ZSYNC_STATE": str(self.state_path), "ZSYNC_CACHE_DIR": str(self.tmp / "cache"),
            "ZSYNC_MAX_RETRIES": "3", "ZSYNC_TIMEOUT": "10", **extra,
        }

    def config(self, **extra: str) -> Config:
        return config_for(self.tmp, self.sources.crossref, self.sources.pubmed,
                          **self.env(**extra))

    def seed(self, *items: dict[str, Any]) -> list[str]:
        return [self.zotero.app.seed_item(dict(item)) for item in items]

    def run(self, *, dry_run: bool = False, on_chunk: ChunkHook | None = None,
            **options: Any) -> RefreshResult:
        """`zsync.refresh.run.refresh` in-process with fast retries (the real path otherwise)."""
        config = self.config()
        stack = make_stack(config)
        try:
            return refresh(config, Enricher(stack.crossref(), stack.pubmed()), dry_run=dry_run,
                           options=RefreshOptions(**options), on_chunk=on_chunk,
                           api_factory=lambda c: make_api(c, policy=FAST))
        finally:
            stack.close()

    def cli(self, *args: str, **extra: str) -> Result:
        """`zsync ARGS` through typer's runner, with this world's environment only."""
        return invoke_cli(args, self.env(**extra), self.tmp)

    def spawn(self, *args: str) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("ZOTERO_", "ZSYNC_", "NCBI_", "CROSSREF_"))}
        env.update(self.env(), XDG_CONFIG_HOME=str(self.tmp / "xdg"), PYTHONPATH=str(REPO))
        command = [sys.executable, "-c", "from zsync.cli.app import main; main()", *args]
        return subprocess.Popen(command, env=env, cwd=self.tmp, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)

    # -- what the user sees ---------------------------------------------------------------

    def item(self, key: str) -> dict[str, Any]:
        return self.zotero.app.item(key)

    def tags(self, key: str) -> dict[str, int]:
        return {t["tag"]: int(t.get("type", 0)) for t in self.item(key)["tags"]}

    def notes(self, key: str) -> list[str]:
        return [i["note"] for i in self.zotero.app.items().values()
                if i.get("parentItem") == key and i["itemType"] == "note"]

    def writes(self) -> list[LoggedRequest]:
        return [r for r in self.zotero.log if r.method in WRITE_METHODS]
