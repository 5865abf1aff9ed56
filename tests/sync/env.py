"""One sync test's world: the three emulators, a private config/state/cache, and ways to run
zsync (in-process `sync()`, the CLI through typer's runner, or `zsync` as a subprocess)
and to look at the Zotero library as a user would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any, cast

from typer.testing import Result

from tests.servers.base import LocalServer, LoggedRequest
from tests.servers.crossref.app import CrossrefApp
from tests.servers.pubmed.app import PubMedApp
from tests.servers.zotero import ZoteroServer
from tests.support import config_for, invoke_cli, make_stack
from zsync.cli.app import _register
from zsync.config.settings import Config
from zsync.enrich.enricher import Enricher
from zsync.sources.retry import RetryPolicy
from zsync.sync.run import SyncResult, sync
from zsync.zotero.api import make_api
from zsync.zotero.library import item_identifiers
from zsync.zotero.memory import split_extra

_register()

KEY = "syncTestKey0123456789abcdef"
USER, GROUP = 1, 9
REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Zotero retries in tests: quick, but still honouring Retry-After/Backoff up to 5 s.
FAST = RetryPolicy(max_retries=4, base_delay=0.02, max_delay=0.1, max_retry_after=5.0)


@dataclass
class Sources:
    crossref: LocalServer
    pubmed: LocalServer

    @property
    def crossref_app(self) -> CrossrefApp:
        return cast(CrossrefApp, self.crossref.app)

    @property
    def pubmed_app(self) -> PubMedApp:
        return cast(PubMedApp, self.pubmed.app)

    def reset(self) -> None:
        self.crossref.reset_log()
        self.pubmed.reset_log()
        self.crossref.faults.clear()
        self.pubmed.faults.clear()

    def requests(self) -> int:
        return len(self.crossref.log) + len(self.pubmed.log)


@dataclass
class SyncEnv:
    tmp: Path
    zotero: ZoteroServer
    sources: Sources
    library_type: str = "user"
    library_id: int = USER
    extra_env: dict[str, str] = field(default_factory=dict)

    # -- settings -------------------------------------------------------------------------

    @property
    def ref(self) -> str:
        return f"{self.library_type}s/{self.library_id}"

    @property
    def state_path(self) -> Path:
        return self.tmp / "state.sqlite"

    @property
    def cache_dir(self) -> Path:
        return self.tmp / "cache"

    def env(self, **extra: str) -> dict[str, str]:
        """Every variable zsync reads, pointing at the emulators (also for the CLI)."""
        cr, pm = self.sources.crossref.url, self.sources.pubmed.url
        return {
            "ZOTERO_API_URL": self.zotero.url, "ZOTERO_API_KEY": KEY,
            "ZOTERO_LIBRARY_ID": str(self.library_id), "ZOTERO_LIBRARY_TYPE": self.library_type,
            "CROSSREF_API_URL": cr, "DOI_RESOLVER_URL": f"{cr}/doi",
            "NCBI_EUTILS_URL": f"{pm}/entrez/eutils",
            "NCBI_IDCONV_URL": f"{pm}/tools/idconv/api/v1/articles/",
            "CROSSREF_MAILTO": "tests@example.org", "NCBI_EMAIL": "tests@example.org",
            "ZSYNC_STATE": str(self.state_path), "ZSYNC_CACHE_DIR": str(self.cache_dir),
            "ZSYNC_MAX_RETRIES": "3", "ZSYNC_TIMEOUT": "10",
            **self.extra_env, **extra,
        }

    def config(self, **extra: str) -> Config:
        return config_for(self.tmp, self.sources.crossref, self.sources.pubmed,
                          **self.env(**extra))

    # -- running zsync ----------------------------------------------------------------------

    def run(self, paths: Sequence[Path] = (SEEDS,), *, dry_run: bool = False,
            policy: RetryPolicy = FAST, **extra: str) -> SyncResult:
        """`zsync.sync.run.sync` in-process, with fast retries (the real code path otherwise)."""
        config = self.config(**extra)
        stack = make_stack(config)
        try:
            return sync(config, list(paths), Enricher(stack.crossref(), stack.pubmed()),
                        dry_run=dry_run, api_factory=lambda c: make_api(c, policy=policy))
        finally:
            stack.close()

    def cli(self, *args: str, **extra: str) -> Result:
        """`zsync ARGS` through typer's runner, with this world's environment only."""
        return invoke_cli(args, self.env(**extra), self.tmp)

    def subprocess_env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("ZOTERO_", "ZSYNC_", "NCBI_", "CROSSREF_"))}
        env.update(self.env(**extra))
        env["XDG_CONFIG_HOME"] = str(self.tmp / "xdg")
        env["PYTHONPATH"] = str(REPO)
        return env

    def spawn(self, *args: str, **extra: str) -> subprocess.Popen[bytes]:
        """`zsync ARGS` as a separate process (to be killed, or to race another run)."""
        command = [sys.executable, "-c", "from zsync.cli.app import main; main()", *args]
        return subprocess.Popen(command, env=self.subprocess_env(**extra), cwd=self.tmp,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def spawn_from(self, cwd: Path, *args: str, **extra: str) -> subprocess.Popen[bytes]:
        """`zsync ARGS` as a separate process started in the folder `cwd`."""
        command = [sys.executable, "-c", "from zsync.cli.app import main; main()", *args]
        return subprocess.Popen(command, env=self.subprocess_env(**extra), cwd=cwd,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def rerun_writes(self, paths: Sequence[Path] = (SEEDS,), **extra: str
                     ) -> list[LoggedRequest]:
        """The write requests of one more run over `paths` (none, when in step)."""
        self.zotero.reset_log()
        self.run(paths, dry_run=False, policy=FAST, **extra)
        return self.writes()

    # -- the user's own actions in Zotero ----------------------------------------------------

    def trash_item(self, key: str) -> None:
        self.zotero.app.edit_item(self.ref, key, {"deleted": 1})

    def trash_collection(self, key: str) -> None:
        self.zotero.app.edit_collection(self.ref, key, {"deleted": 1})

    def lose_state(self, how: str = "deleted", state: Path | None = None) -> None:
        """The state file is gone ("deleted"), emptied to 0 bytes ("emptied") or overwritten
        with bytes that are not a database ("garbage"), with its SQLite side files."""
        path = state or self.state_path
        for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                     path.with_name(path.name + "-journal")):
            side.unlink(missing_ok=True)
        if how == "deleted":
            path.unlink(missing_ok=True)
        elif how == "emptied":
            path.write_bytes(b"")
        elif how == "garbage":
            path.write_bytes(bytes(range(256)) * 64)
        else:
            raise ValueError(f"unknown way to lose the state file: {how!r}")

    # -- what the user sees -------------------------------------------------------------------

    def library(self) -> Library:
        return Library.read(self.zotero, self.ref)

    def writes(self) -> list[LoggedRequest]:
        return [r for r in self.zotero.log if r.method in WRITE_METHODS]


@dataclass(frozen=True)
class Library:
    """The library as a user sees it: works (top-level items), their notes and collections,
    by what they are, not by key."""

    items: dict[str, dict[str, Any]]  # key -> editable JSON, trashed ones left out
    collections: dict[str, dict[str, Any]]

    @classmethod
    def read(cls, server: ZoteroServer, ref: str) -> Library:
        items = {k: v for k, v in server.app.items(ref).items() if not v.get("deleted")}
        collections = {k: v for k, v in server.app.collections(ref).items()
                       if not v.get("deleted")}
        return cls(items, collections)

    # -- collections
    def path(self, key: str) -> tuple[str, ...]:
        names: list[str] = []
        current: Any = key
        while current:
            names.append(self.collections[current]["name"])
            current = self.collections[current].get("parentCollection")
        return tuple(reversed(names))

    def collection_paths(self) -> Counter[tuple[str, ...]]:
        return Counter(self.path(k) for k in self.collections)

    def collection_key(self, *path: str) -> str:
        [key] = [k for k in self.collections if self.path(k) == path]
        return key

    # -- items
    @property
    def works(self) -> list[dict[str, Any]]:
        return [i for i in self.items.values() if i["itemType"] not in ("note", "attachment")]

    def by_doi(self, doi: str) -> dict[str, Any]:
        [work] = [w for w in self.works if doi.lower() in _dois(w)]
        return work

    def count_doi(self, doi: str) -> int:
        return sum(1 for w in self.works if doi.lower() in _dois(w))

    def notes(self, parent: str) -> list[dict[str, Any]]:
        return [i for i in self.items.values()
                if i["itemType"] == "note" and i.get("parentItem") == parent]

    def filed_in(self, item: dict[str, Any]) -> set[tuple[str, ...]]:
        return {self.path(k) for k in item.get("collections", [])}

    def tags(self, item: dict[str, Any]) -> dict[str, int]:
        return {t["tag"]: int(t.get("type", 0) or 0) for t in item.get("tags", [])}

    def by_title(self, title: str) -> dict[str, Any]:
        [work] = [w for w in self.works if w.get("title") == title]
        return work

    def notes_text(self, parent: str) -> str:
        """The text of every child note of `parent`, tags stripped, one after the other."""
        return "\n".join(_plain(n["note"]) for n in self.notes(parent))

    def signature(self) -> dict[str, Any]:
        """Everything a user would compare, without keys, versions or dates."""
        skip = {"key", "version", "dateAdded", "dateModified", "collections", "tags",
                "parentItem"}
        works = []
        for work in self.works:
            fields = {k: v for k, v in work.items() if k not in skip}
            fields["extra"] = user_extra(work)  # zsync's record holds keys chosen by the run
            works.append({
                "fields": fields, "tags": sorted(self.tags(work).items()),
                "collections": sorted(self.filed_in(work)),
                "notes": sorted(n["note"] for n in self.notes(work["key"])),
            })
        orphans = [i for i in self.items.values() if i["itemType"] == "note"
                   and i.get("parentItem") not in self.items]
        return {
            "works": sorted(works, key=lambda w: (str(w["fields"].get("DOI")),
                                                  str(w["fields"].get("title")))),
            "collections": sorted(self.collection_paths().items()),
            "orphan_notes": len(orphans),
        }


def _plain(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(text))


def _dois(item: dict[str, Any]) -> set[str]:
    return item_identifiers(item)["doi"]


def user_extra(item: dict[str, Any]) -> str:
    """An item's `extra` without the line where zsync keeps its record (zotero.memory)."""
    return split_extra(item.get("extra"))[0]
