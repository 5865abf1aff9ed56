"""Run one emulator until interrupted.

    python -m tests.servers zotero|zotero-local|crossref|pubmed|openalex --port PORT [options]

Everything after the server name goes to `tests.servers.<name>.cli(argv)`; run
`python -m tests.servers <name> --help` for that server's options.
"""

from __future__ import annotations

import importlib
import sys

SERVERS = ("zotero", "zotero-local", "crossref", "pubmed", "openalex")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or args[0] not in SERVERS:
        print(__doc__.strip(), file=sys.stderr)
        return 0 if args and args[0] in ("-h", "--help") else 2
    module = importlib.import_module(f"tests.servers.{args[0].replace('-', '_')}")
    module.cli(args[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
