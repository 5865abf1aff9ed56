"""`zsync sync` on the command line: exit codes, report files, the run lock, and the API
key kept out of every output and file."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.servers.zotero import on
from tests.sync.conftest import GENERATED, GENERATED_SEED
from tests.sync.env import KEY, SEEDS, SyncEnv
from tests.sync.holds import Hold, nth
from tests.sync.notes import markdown_note, plain_works
from tests.sync.seed_records import FREDRIKSEN_DOI, FREDRIKSEN_TITLE, HINDER_DOI, HINDER_TITLE

NCBI_KEY = "ncbiSecretKey0123456789abcdef"


def test_dry_run_exit_codes_and_the_json_report(world: SyncEnv) -> None:
    dry = world.cli("sync", str(SEEDS), "--dry-run", "--detailed-exitcode", "--json")

    assert dry.exit_code == 3, dry.stderr
    assert world.writes() == []
    report = json.loads(dry.stdout)
    assert report["mode"] == "dry-run" and report["summary"]["create"] == 2

    assert world.cli("sync", str(SEEDS)).exit_code == 0
    assert len(world.library().works) == 2

    nothing = world.cli("sync", str(SEEDS), "--dry-run", "--detailed-exitcode", "--json")
    assert nothing.exit_code == 0
    assert json.loads(nothing.stdout)["summary"]["unchanged"] == 2
    again = world.cli("sync", str(SEEDS), "--detailed-exitcode")  # not a dry run: never 3
    assert again.exit_code == 0


def test_report_files_in_each_format_name_the_works(world: SyncEnv) -> None:
    html, md, js = (world.tmp / "out" / f"report.{ext}" for ext in ("html", "md", "json"))

    assert world.cli("sync", str(SEEDS), "--dry-run", "--report", str(md),
                     "--format", "md").exit_code == 0
    assert world.cli("sync", str(SEEDS), "--report", str(html),
                     "--format", "html").exit_code == 0
    assert world.cli("sync", str(SEEDS), "--report", str(js), "--format", "json").exit_code == 0

    for path in (html, md):
        text = path.read_text(encoding="utf-8")
        for title in (FREDRIKSEN_TITLE, HINDER_TITLE):
            assert title.split(":")[0] in text, (path.name, title)
    page = html.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and "</html>" in page
    assert "<script src=" not in page and "<link " not in page  # self-contained
    assert "create" in md.read_text(encoding="utf-8").lower()
    report = json.loads(js.read_text(encoding="utf-8"))
    assert report["mode"] == "apply"
    assert {w["identity"] for w in report["works"]} == {f"doi:{FREDRIKSEN_DOI}",
                                                        f"doi:{HINDER_DOI}"}
    assert {w["action"] for w in report["works"]} == {"unchanged"}


def test_a_tag_over_zoteros_limit_is_shortened_and_reported_not_refused(
        world: SyncEnv, notes: Path) -> None:
    [work] = plain_works(1, GENERATED_SEED, GENERATED)
    too_long = "x" * 300  # Zotero refuses a whole item with a tag over 255 characters
    (notes / "long-tag.md").write_text(markdown_note(work).replace(
        "- **Keywords**: ", f"- **Keywords**: {too_long}, "), encoding="utf-8")

    result = world.cli("sync", str(notes), "--json")

    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["failed"] == 0
    [made] = [w for w in report["works"] if w["identity"] == f"doi:{work.doi}"]
    assert any("shortened" in r and "255" in r for r in made["remarks"])
    lib = world.library()
    item = lib.by_doi(work.doi)
    [long_tag] = [t for t in lib.tags(item) if t.startswith("xxx")]
    assert len(long_tag) == 255 and long_tag.endswith("…")
    world.zotero.reset_log()
    assert world.cli("sync", str(notes)).exit_code == 0
    assert world.writes() == []  # the shortened tag is zsync's own: nothing to redo


def test_usage_and_config_errors_exit_2(world: SyncEnv) -> None:
    missing = world.cli("sync", str(world.tmp / "no-such-notes"))
    assert missing.exit_code == 2 and "no such file or folder" in missing.stderr

    no_library = world.cli("sync", str(SEEDS), ZOTERO_LIBRARY_ID="")
    assert no_library.exit_code == 2 and "library_id" in no_library.stderr

    bad_setting = world.cli("sync", str(SEEDS), ZSYNC_TIMEOUT="soon")
    assert bad_setting.exit_code == 2 and "ZSYNC_TIMEOUT" in bad_setting.stderr

    no_account_dry_run = world.cli("sync", str(SEEDS), "--dry-run", "--json",
                                   ZOTERO_LIBRARY_ID="", ZOTERO_API_KEY="")
    assert no_account_dry_run.exit_code == 0
    assert "empty library" in " ".join(json.loads(no_account_dry_run.stdout)["notices"])
    assert world.writes() == []


def test_a_second_concurrent_run_fails_fast_with_exit_2(world: SyncEnv) -> None:
    first_run = Hold.on(world.zotero, nth("GET", "/items"), mode="gate")
    process = world.spawn("sync", str(SEEDS))
    try:
        assert first_run.wait_reached()  # the first run holds the lock, mid-refresh
        started = time.monotonic()
        second = world.cli("sync", str(SEEDS))
        waited = time.monotonic() - started
    finally:
        first_run.done()
        _, stderr = process.communicate(timeout=60)

    assert second.exit_code == 2
    assert "another zsync run is using" in second.stderr
    assert waited < 30  # it did not wait for the first run (which is held until now)
    assert process.returncode == 0, stderr.decode()
    assert len(world.library().works) == 2


def test_the_api_keys_appear_in_no_output_report_log_or_file(world: SyncEnv) -> None:
    world.extra_env["NCBI_API_KEY"] = NCBI_KEY
    world.zotero.fail_next(503, retry_after="0", match=on("POST", "/items"))
    world.zotero.rate_limit_next("0", match=on("GET"))
    outputs = []
    for args in (["--dry-run", "--report", "r.md", "--format", "md"],
                 ["--report", "r.html", "--format", "html"],
                 ["--json", "--report", "r.json", "--format", "json"]):
        result = world.cli("-vv", "sync", str(SEEDS), *[
            str(world.tmp / a) if a.startswith("r.") else a for a in args])
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout + result.stderr)

    log = "\n".join(outputs)
    assert "trying again" in log  # the retries were logged, at debug verbosity
    assert "Bearer" not in log
    files = [p for p in world.tmp.rglob("*") if p.is_file()]
    assert any(p.name.startswith("state.sqlite") for p in files)
    assert any(p.is_relative_to(world.cache_dir) for p in files)
    assert {p.name for p in files} >= {"r.md", "r.html", "r.json"}
    for secret in (KEY, NCBI_KEY):
        assert secret not in log
        for path in files:
            assert secret.encode() not in path.read_bytes(), path
    # The keys did reach the servers, in headers.
    assert any(r.headers.get("authorization") == f"Bearer {KEY}" for r in world.zotero.log)
