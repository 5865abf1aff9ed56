"""`zsync refresh` on the command line: options, reports and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.refresh.env import RETRACTED, RefreshEnv, article
from tests.support import dead_url
from zsync.state.store import RunLock, StateStore


def test_json_report_and_exit_codes(world: RefreshEnv) -> None:
    world.seed(article(1), article(RETRACTED))

    dry = world.cli("refresh", "--dry-run", "--detailed-exitcode")
    assert dry.exit_code == 3, dry.output
    done = world.cli("refresh", "--json")
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    assert (report["command"], report["mode"], report["summary"]["update"]) == \
        ("refresh", "apply", 2)
    assert report["retracted"][0]["identity"].startswith("zotero:")
    again = world.cli("refresh", "--dry-run", "--detailed-exitcode", "--all")
    assert again.exit_code == 0, again.output
    with StateStore.open(world.state_path) as store:
        last = store.runs.recent(1)[0]
    assert last.outcome == "ok" and last.report_path
    assert json.loads(Path(last.report_path).read_text("utf-8"))["mode"] == "dry-run"


def test_report_file(world: RefreshEnv) -> None:
    world.seed(article(RETRACTED))
    path = world.tmp / "reports" / "refresh.html"
    result = world.cli("refresh", "--report", str(path), "--format", "html")
    assert result.exit_code == 0, result.output
    page = path.read_text(encoding="utf-8")
    assert "refresh" in page and "retraction" in page.lower()


def test_options_narrow_the_items(world: RefreshEnv) -> None:
    app = world.zotero.app
    thesis = app.seed_collection("Thesis")
    chapter = app.seed_collection("Chapter 2", parent=thesis)
    in_chapter, tagged, book, _other = world.seed(
        article(1, collections=[chapter]), article(2, tags=[{"tag": "check"}]),
        {"itemType": "book", "title": "A book without identifiers"}, article(3))

    book_version = world.item(book)["version"]
    assert world.cli("refresh", "--collection", "Nowhere").exit_code == 2
    result = world.cli("refresh", "--collection", "Thesis/Chapter 2", "--json")
    assert result.exit_code == 0, result.output
    assert [w["item_key"] for w in json.loads(result.stdout)["works"]] == [in_chapter]
    result = world.cli("refresh", "--tag", "check", "--json")
    assert [w["item_key"] for w in json.loads(result.stdout)["works"]] == [tagged]
    result = world.cli("refresh", "--item-type", "book", "--limit", "5", "--json")
    assert json.loads(result.stdout)["refresh"]["items"] == 1
    assert world.item(book)["version"] == book_version  # looked at, nothing found
    result = world.cli("refresh", "--limit", "0", "--json")
    assert json.loads(result.stdout)["refresh"]["remaining"] == 1  # the last article


def test_setup_problems_exit_2(world: RefreshEnv) -> None:
    no_account = world.cli("refresh", ZOTERO_API_KEY="", ZOTERO_LIBRARY_ID="")
    assert no_account.exit_code == 2 and "no Zotero account" in no_account.output
    with RunLock(world.state_path):
        held = world.cli("refresh")
    assert held.exit_code == 2 and "another zsync run" in held.output


def test_zotero_unreachable_exits_1(world: RefreshEnv) -> None:
    world.seed(article(1))
    result = world.cli("refresh", ZOTERO_API_URL=dead_url(), ZSYNC_MAX_RETRIES="0")
    assert result.exit_code == 1 and "Zotero" in result.output


def test_an_unavailable_source_is_no_silent_failure(world: RefreshEnv) -> None:
    (key,) = world.seed(article(1))
    down = dead_url()
    result = world.cli("refresh", "--json", CROSSREF_API_URL=down,
                       NCBI_EUTILS_URL=f"{down}/entrez/eutils", ZSYNC_MAX_RETRIES="0")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["refresh"]["unavailable"] == 1 and report["notices"]
    assert world.item(key)["PMID"] == ""

    offline = world.cli("refresh", "--offline", "--json")
    assert offline.exit_code == 0 and json.loads(offline.stdout)["refresh"]["items"] == 1
    assert world.cli("refresh").exit_code == 0  # the item stayed due: filled now
    assert world.item(key)["PMID"]
