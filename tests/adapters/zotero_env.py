"""What the Zotero adapter tests share: the emulator's user, group and key, quick retries,
a client for the emulator, and readers of what the emulator was sent.

The fixtures that start the emulator and open a state store are in conftest.py.
"""

from __future__ import annotations

import json
from typing import Any

from tests.servers.zotero import ZoteroServer
from zsync.config.settings import Config, load
from zsync.sources.retry import RetryPolicy
from zsync.zotero.api import ZoteroApi, make_api

USER, GROUP = 1, 9
KEY = "adapterTestKey1234567890"
FAST = RetryPolicy(max_retries=3, base_delay=0.05, max_delay=0.2)


def settings(server: ZoteroServer, **over: Any) -> Config:
    """A config for the user library on `server`, with `over` (dotted keys) on top."""
    values = {"zotero.api_key": KEY, "zotero.library_id": str(USER),
              "zotero.api_url": server.url, **over}
    return load(path=None, env={}, overrides=values)


def api_for(server: ZoteroServer, **over: Any) -> ZoteroApi:
    return make_api(settings(server, **over), policy=FAST)


def article(i: int, **extra: Any) -> dict[str, Any]:
    """A new journal article "Paper i", tagged `zsync`."""
    return {"itemType": "journalArticle", "title": f"Paper {i}",
            "tags": [{"tag": "zsync"}], **extra}


def posts(server: ZoteroServer, path: str = "/items") -> list[Any]:
    return [r for r in server.log if r.method == "POST" and r.target.endswith(path)]


def sent_keys(request: Any) -> list[tuple[str, int]]:
    return [(o["key"], o["version"]) for o in json.loads(request.body)]


def titles(server: ZoteroServer, ref: str | None = None) -> list[str]:
    return sorted(i.get("title", "") for i in server.app.items(ref).values())
