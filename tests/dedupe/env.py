"""One dedupe test's world: the Zotero emulator with a library holding known duplicates
and look-alikes, a private config and state, and ways to run `zsync dedupe`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import Result

from tests.servers.base import LoggedRequest
from tests.servers.zotero import ZoteroServer
from tests.servers.zotero.relations import as_json, visible
from tests.support import config_for, invoke_cli
from zsync.cli.app import _register
from zsync.config.settings import Config
from zsync.dedupe.service import BeforeWrites, DedupeResult, dedupe_library
from zsync.sources.retry import RetryPolicy
from zsync.zotero.api import ZoteroApi, make_api

_register()

KEY = "dedupeTestKey0123456789abcdef"
USER = 1
URI = f"http://zotero.org/users/{USER}/items/"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FAST = RetryPolicy(max_retries=3, base_delay=0.01, max_delay=0.05, max_retry_after=2.0)
WHEEL = ("The behaviour change wheel: a new method for characterising and designing "
         "behaviour change interventions")
BERT = "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"


def person(family: str, given: str = "") -> dict[str, str]:
    return {"creatorType": "author", "lastName": family, "firstName": given}


@dataclass
class Seeded:
    """Keys of the seeded library, by role."""

    keys: dict[str, str]
    collections: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.keys[name]


@dataclass
class DedupeEnv:
    tmp: Path
    zotero: ZoteroServer

    @property
    def state_path(self) -> Path:
        return self.tmp / "state.sqlite"

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "ZOTERO_API_URL": self.zotero.url, "ZOTERO_API_KEY": KEY,
            "ZOTERO_LIBRARY_ID": str(USER), "ZOTERO_LIBRARY_TYPE": "user",
            "ZSYNC_STATE": str(self.state_path), "ZSYNC_CACHE_DIR": str(self.tmp / "cache"),
            "ZSYNC_MAX_RETRIES": "2", "ZSYNC_TIMEOUT": "10", **extra,
        }

    def config(self, **extra: str) -> Config:
        return config_for(self.tmp, **self.env(**extra))

    def cli(self, *args: str, **extra: str) -> Result:
        """`zsync ARGS` through typer's runner, with this world's environment only."""
        return invoke_cli(args, self.env(**extra), self.tmp)

    def run(self, *, before_writes: BeforeWrites | None = None, **options: Any
            ) -> DedupeResult:
        """`dedupe_library` in-process with fast retries (the real code path otherwise)."""

        def api(config: Config) -> ZoteroApi:
            return make_api(config, policy=FAST)

        return dedupe_library(self.config(), api_factory=api, before_writes=before_writes,
                              **options)

    # -- the library -------------------------------------------------------------------------

    def seed(self, data: dict[str, Any]) -> str:
        return self.zotero.app.seed_item(dict(data))

    def seed_library(self) -> Seeded:
        """Two duplicate pairs (same DOI, once in `extra`; a fuzzy title match), three
        look-alikes that are different works, and a preprint with its published version."""
        app = self.zotero.app
        colls = {"reading": app.seed_collection("Reading"),
                 "thesis": app.seed_collection("Thesis")}
        k: dict[str, str] = {}
        k["deep_old"] = self.seed({
            "itemType": "journalArticle", "title": "Deep learning", "date": "2015-05-28",
            "creators": [person("LeCun", "Yann"), person("Bengio", "Yoshua"),
                         person("Hinton", "Geoffrey")],
            "publicationTitle": "Nature", "DOI": "10.1038/nature14539",
            "tags": [{"tag": "ml"}], "collections": [colls["reading"]],
            "dateAdded": "2019-02-03T10:00:00Z"})
        k["deep_new"] = self.seed({
            "itemType": "journalArticle", "title": "Deep learning.", "date": "2015",
            "creators": [person("LeCun", "Y.")], "volume": "521", "pages": "436-444",
            "extra": "DOI: 10.1038/nature14539",
            "tags": [{"tag": "neural networks"}, {"tag": "ml"}],
            "collections": [colls["thesis"]], "dateAdded": "2021-05-01T10:00:00Z"})
        k["note"] = self.seed({"itemType": "note", "parentItem": k["deep_new"],
                               "note": "<p>My reading notes on deep learning</p>"})
        k["friend"] = self.seed({
            "itemType": "journalArticle", "title": "Representation learning: a review",
            "date": "2013", "creators": [person("Bengio", "Yoshua")],
            "relations": {"dc:relation": URI + k["deep_new"]},
            "dateAdded": "2020-01-01T10:00:00Z"})
        self.zotero.app.edit_item(None, k["deep_new"],
                                  {"relations": {"dc:relation": URI + k["friend"]}})
        k["deep_book"] = self.seed({
            "itemType": "book", "title": "Deep learning", "date": "2016",
            "creators": [person("Goodfellow", "Ian"), person("Bengio", "Yoshua"),
                         person("Courville", "Aaron")], "publisher": "MIT Press",
            "dateAdded": "2020-06-01T10:00:00Z"})
        k["wheel_a"] = self.seed({
            "itemType": "journalArticle", "title": WHEEL, "date": "2011-04-23",
            "creators": [person("Michie", "Susan"), person("van Stralen", "Maartje M."),
                         person("West", "Robert")],
            "dateAdded": "2018-01-01T10:00:00Z"})
        k["wheel_b"] = self.seed({
            "itemType": "journalArticle", "date": "2011",
            "title": "The Behaviour Change Wheel: A New Method for Characterising and "
                     "Designing Behaviour Change Interventions.",
            "creators": [person("Michie", "S.")], "tags": [{"tag": "frameworks"}],
            "dateAdded": "2020-02-02T10:00:00Z"})
        for part in ("1", "2"):
            k[f"part{part}"] = self.seed({
                "itemType": "journalArticle", "date": "2019",
                "title": f"Sleep and memory consolidation in adolescents: Part {part}",
                "creators": [person("Tarokh", "Leila"), person("Carskadon", "Mary")],
                "dateAdded": f"2020-03-0{part}T10:00:00Z"})
        k["bert_pre"] = self.seed({
            "itemType": "preprint", "title": BERT, "date": "2018-10-11",
            "creators": [person("Devlin", "Jacob"), person("Chang", "Ming-Wei")],
            "url": "https://arxiv.org/abs/1810.04805", "dateAdded": "2019-05-05T10:00:00Z"})
        k["bert_pub"] = self.seed({
            "itemType": "conferencePaper", "title": BERT, "date": "2019",
            "creators": [person("Devlin", "Jacob"), person("Chang", "Ming-Wei")],
            "DOI": "10.18653/v1/N19-1423", "dateAdded": "2019-06-06T10:00:00Z"})
        return Seeded(k, colls)

    def item(self, key: str) -> dict[str, Any]:
        return self.zotero.app.item(key)

    def shown_relations(self, key: str) -> dict[str, Any]:
        """An item's relations as the API shows them (its own and the reverse ones)."""
        lib = self.zotero.app.library(None)
        with self.zotero.app.lock:
            return as_json(visible(lib, key, self.item(key).get("relations")))

    def writes(self) -> list[LoggedRequest]:
        return [r for r in self.zotero.log if r.method in WRITE_METHODS]
