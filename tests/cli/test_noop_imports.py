"""A scheduled `zsync sync FOLDER` that finds nothing changed starts at once: neither
importing the command nor the whole run loads the libraries only other work needs
(pyzotero for writes, the parsers' libraries for reading notes, the enrichment clients,
pydantic behind typer, rich when nothing is printed through it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import cast

from tests.servers.crossref import crossref_server, generate_works
from tests.servers.crossref.app import CrossrefApp
from tests.servers.generate import iter_generate
from tests.servers.pubmed import generate_articles, pubmed_server
from tests.servers.pubmed.app import PubMedApp
from tests.servers.zotero import zotero_server
from tests.sync.notes import markdown_note

REPO = Path(__file__).resolve().parents[2]
KEY = "N" * 24
NOT_FOR_A_NOOP = ("pyzotero", "pydantic", "requests", "requests_cache", "habanero", "lxml",
                  "bibtexparser", "pylatexenc", "rispy", "yaml", "rapidfuzz", "markdown_it",
                  "pathspec", "charset_normalizer", "tomlkit", "rich")

RUN = """
import json, sys
sys.argv = ["zsync", *sys.argv[1:]]
from zsync.cli import main
try:
    main()
except SystemExit as stop:
    code = stop.code
else:
    code = 0
sys.stdout.flush()
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def loaded(modules: list[str]) -> list[str]:
    return sorted(m for m in modules
                  if any(m == name or m.startswith(name + ".") for name in NOT_FOR_A_NOOP))


def test_importing_the_sync_command_loads_none_of_them() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys, zsync.cli.sync; print(json.dumps(sorted("
                               "sys.modules)))"],
        capture_output=True, text=True, check=True, timeout=60, cwd=REPO)
    assert loaded(json.loads(done.stdout)) == []


def zsync_run(env: dict[str, str], *args: str) -> tuple[int, str, list[str]]:
    """The exit status, what the run said (stdout and stderr) and the modules it loaded."""
    done = subprocess.run([sys.executable, "-c", RUN, *args], env=env, capture_output=True,
                          text=True, timeout=300, cwd=REPO)
    *said, last = done.stderr.strip().splitlines()
    outcome = json.loads(last)
    return outcome["code"], done.stdout + "\n".join(said), outcome["modules"]


def test_a_sync_with_nothing_to_do_loads_none_of_them(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for work in iter_generate(4, 5):
        (notes / f"note-{work.index}.md").write_text(markdown_note(work), encoding="utf-8")
    with crossref_server(recorded=False) as cr, pubmed_server(recorded=False) as pm, \
            zotero_server(user_id=3, key=KEY) as zot:
        cast(CrossrefApp, cr.app).add_works(generate_works(4, 5))
        cast(PubMedApp, pm.app).add_articles(generate_articles(4, 5))
        env = {**{k: v for k, v in os.environ.items()
                  if not k.startswith(("ZOTERO_", "ZSYNC_", "NCBI_", "CROSSREF_"))},
               "ZOTERO_API_URL": zot.url, "ZOTERO_API_KEY": KEY, "ZOTERO_LIBRARY_ID": "3",
               "CROSSREF_API_URL": cr.url, "DOI_RESOLVER_URL": f"{cr.url}/doi",
               "NCBI_EUTILS_URL": f"{pm.url}/entrez/eutils",
               "NCBI_IDCONV_URL": f"{pm.url}/tools/idconv/api/v1/articles/",
               "ZSYNC_STATE": str(tmp_path / "state.sqlite"),
               "ZSYNC_CACHE_DIR": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path)}
        first, _, modules = zsync_run(env, "-q", "sync", str(notes))
        assert first == 0 and "pyzotero" in modules  # the first run writes the items
        zot.reset_log()
        # As `zsync schedule` runs it: the summary is a JSON line, nothing goes through rich.
        again, out, modules = zsync_run(env, "--quiet", "--log-format", "json", "sync",
                                        str(notes))
        assert again == 0
        assert "create 0, update 0; 4 unchanged" in out
        assert len(zot.log) == 1  # the library's version, nothing more
    assert loaded(modules) == []
