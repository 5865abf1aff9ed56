"""A scheduled `zsync sync FOLDER` that finds nothing changed starts at once: neither
importing the command nor the whole run loads the libraries only other work needs
(pyzotero for writes, the parsers' libraries for reading notes, the enrichment clients,
pydantic behind typer, rich when nothing is printed through it), nor zsync's own modules
for work such a run does not do (writing, linking notes, reading notes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
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
# zsync's own modules a run with nothing to do has no use for, and why:
NOT_ZSYNCS_FOR_A_NOOP = {
    "zsync.zotero.writer": "it sends writes; nothing is written",
    "zsync.zotero.collections": "it makes the status collections; nothing is written",
    "zsync.zotero.resume": "it finishes a killed run's writes; the run found none pending",
    "zsync.zotero.pyzotero_client": "pyzotero is for writes; the library's version is read "
                                    "without it",
    "zsync.sync.write": "it applies a plan; the kept plan has nothing to write",
    "zsync.sync.apply": "as zsync.sync.write",
    "zsync.sync.report": "it builds a report from a plan; the kept report is given again",
    "zsync.sync.notelink_files": "it links notes to items, only with --link-notes",
    "zsync.inputs.notes": "the notes' parsers: no note is read when none changed",
    "zsync.inputs.exports.bibtex": "a parser, as zsync.inputs.notes",
    "zsync.inputs.exports.ris": "a parser, as zsync.inputs.notes",
    "zsync.inputs.vufind": "a parser, as zsync.inputs.notes",
    "zsync.inputs.guard": "it parses a file in a guarded process; nothing is parsed",
    "zsync.sources.crossref.mapping": "it maps answers to records; none are asked for",
    "zsync.sources.pubmed.mapping": "as zsync.sources.crossref.mapping (and it loads lxml)",
    "zsync.cli.console": "the rich console; a --quiet run prints one plain line",
}
# pyzotero imports these for export formats zsync never asks for (BibTeX, Atom).
NOT_FOR_WRITING = ("bibtexparser", "feedparser", "pyparsing")

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


def loaded(modules: list[str], names: Iterable[str] = NOT_FOR_A_NOOP) -> list[str]:
    """Those of `modules` that are one of `names` or inside one of them."""
    return sorted(m for m in modules
                  if any(m == name or m.startswith(name + ".") for name in names))


def test_importing_the_sync_command_loads_none_of_them() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys, zsync.cli.sync; print(json.dumps(sorted("
                               "sys.modules)))"],
        capture_output=True, text=True, check=True, timeout=60, cwd=REPO)
    assert loaded(json.loads(done.stdout)) == []


def test_pyzotero_loads_without_its_export_formats_libraries() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys, zsync.zotero.pyzotero_client; print(json.dumps("
                               "sorted(sys.modules)))"],
        capture_output=True, text=True, check=True, timeout=60, cwd=REPO)
    modules = json.loads(done.stdout)
    assert "pyzotero" in modules
    assert loaded(modules, NOT_FOR_WRITING) == []


def test_pyzotero_still_reaches_them_when_it_uses_them() -> None:
    """In a fresh process, pyzotero loaded through zsync (with stand-ins for them) still
    gets the real libraries when it asks them for something, and so does anyone after."""
    script = (
        "import sys, zsync.zotero.pyzotero_client\n"
        "from pyzotero import _decorators\n"
        "assert 'bibtexparser' not in sys.modules and 'feedparser' not in sys.modules\n"
        "assert _decorators.bibtexparser.bparser.BibTexParser is not None\n"
        "assert callable(_decorators.feedparser.parse)\n"
        "import bibtexparser, feedparser\n"
        "assert type(bibtexparser).__name__ == type(feedparser).__name__ == 'module'\n")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60, cwd=REPO)


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
    works = list(iter_generate(4, 5))
    for work in works:
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
        # A plain --quiet run says its summary line without rich.
        again, out, plain = zsync_run(env, "--quiet", "sync", str(notes))
        assert again == 0 and "create 0, update 0; 4 unchanged" in out
        # As `zsync schedule` runs it: the summary is a JSON line, nothing goes through rich.
        again, out, modules = zsync_run(env, "--quiet", "--log-format", "json", "sync",
                                        str(notes))
        assert again == 0
        assert "create 0, update 0; 4 unchanged" in out
        assert len(zot.log) == 2  # each run asked for the library's version, nothing more
        # One note edited: its item is updated through pyzotero, Crossref's answers are
        # cached, and pyzotero's export formats' libraries stay unloaded.
        edited = works[0]
        (notes / f"note-{edited.index}.md").write_text(
            markdown_note(edited, thoughts="read again"), encoding="utf-8")
        changed, out, written = zsync_run(env, "-q", "sync", str(notes))
        assert changed == 0 and "update 1" in out
    assert loaded(modules) == []
    assert loaded(plain) == []
    assert loaded(modules, NOT_ZSYNCS_FOR_A_NOOP) == []
    assert "pyzotero" in written and loaded(written, NOT_FOR_WRITING) == []
