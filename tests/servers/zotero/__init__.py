"""A local emulator of the Zotero Web API v3 (api.zotero.org) for zsync's tests and benchmarks.

    with zotero_server(user_id=1, key="k") as server:
        zot = pyzotero.zotero.Zotero(1, "user", "k")
        zot.endpoint = server.url
        ...
        server.app.items()          # what the library holds now

Standalone: `python -m tests.servers zotero --port 8085 --key KEY --user 1 [--group 5 ...]`.
See tests/servers/README.md for what is and is not implemented.
"""

from __future__ import annotations

import argparse

from tests.servers.base import serve_until_interrupted
from tests.servers.zotero.app import ZoteroApp
from tests.servers.zotero.control import ObjectRejected
from tests.servers.zotero.library import ApiKey, Library
from tests.servers.zotero.schema import Schema, load_schema
from tests.servers.zotero.server import (
    DEFAULT_KEY,
    ZoteroServer,
    make_app,
    on,
    writes,
    zotero_server,
)

__all__ = [
    "DEFAULT_KEY",
    "ApiKey",
    "Library",
    "ObjectRejected",
    "Schema",
    "ZoteroApp",
    "ZoteroServer",
    "cli",
    "load_schema",
    "make_app",
    "on",
    "writes",
    "zotero_server",
]


def cli(argv: list[str]) -> None:
    """Serve the emulator on 127.0.0.1 until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m tests.servers zotero",
                                     description="Local Zotero Web API v3 emulator")
    parser.add_argument("--port", type=int, default=0, help="TCP port (0: any free port)")
    parser.add_argument("--key", default=DEFAULT_KEY, help="API key with read/write access")
    parser.add_argument("--user", type=int, default=1, help="user library id")
    parser.add_argument("--group", type=int, action="append", default=[],
                        help="group library id the key can write (repeatable)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    parser.add_argument("--version-mode", choices=("per_object", "per_request"),
                        default="per_object", help="how a multi-object write bumps versions")
    args = parser.parse_args(argv)
    app = make_app(args.user, args.key, groups=args.group, version_mode=args.version_mode)
    server = ZoteroServer(app, port=args.port, latency=args.latency)
    serve_until_interrupted(server, f"Zotero API emulator on {server.url} (user {args.user}, "
                                    f"key {args.key}, groups {args.group or 'none'})")
