"""Zotero desktop's local API (`localhost:23119/api/`) for zsync's tests; see
`tests/servers/zotero/local.py` for what it follows.

    with local_api_server(zotero_version=10) as server:
        server.url + "/api/users/0/items"
        server.app.web.seed_item({...})      # what the desktop holds
        server.app.edit_locally(key, {...})  # an edit made in the desktop

Standalone: `python -m tests.servers zotero-local --port 23119 [--zotero-version 10|9|7]
[--deny] [--once]`.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.servers.base import LocalServer, serve_until_interrupted, started
from tests.servers.zotero.local import LocalApp

__all__ = ["LocalApp", "cli", "local_api_server"]


@contextmanager
def local_api_server(port: int = 0, **app_kwargs: Any) -> Iterator[LocalServer[LocalApp]]:
    """A running local API emulator for the length of a `with` block; `.app` is the
    `LocalApp`."""
    server = LocalServer(LocalApp(**app_kwargs), port=port)
    with started(server):
        yield server


def cli(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.servers zotero-local",
                                     description="Zotero desktop local API emulator")
    parser.add_argument("--port", type=int, default=23119, help="TCP port (0: any free port)")
    parser.add_argument("--zotero-version", type=int, choices=(10, 9, 7), default=10,
                        help="10 accepts writes with an approved key; 7 and 9 only read")
    parser.add_argument("--deny", action="store_true", help="refuse key requests")
    parser.add_argument("--once", action="store_true",
                        help="keys work for one write (the user chose Allow, not Always Allow)")
    parser.add_argument("--user", type=int, default=1, help="the logged-in user's id")
    parser.add_argument("--group", type=int, action="append", default=[], help="group id")
    args = parser.parse_args(argv)
    app = LocalApp(zotero_version=args.zotero_version, approve=not args.deny,
                   remember=not args.once, user_id=args.user, groups=tuple(args.group))
    server = LocalServer(app, port=args.port)
    serve_until_interrupted(server, f"Zotero {args.zotero_version} local API emulator on "
                                    f"{server.url}/api/ (server id {app.server_id})")
