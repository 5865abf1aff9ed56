"""`zsync parse` as a user runs it: on the seeds, on a folder with bad files, as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

from zsync import __version__

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
Run = Callable[..., Result]


def records_by_format(run: Run, *paths: str) -> tuple[int, list[dict]]:
    result = run("parse", "--json", *paths)
    return result.exit_code, json.loads(result.stdout)


def test_seeds_parse_into_the_right_two_records(run: Run) -> None:
    code, records = records_by_format(run, str(SEEDS))
    assert code == 0
    assert len(records) == 2
    bullets = next(r for r in records if r["source"]["format"] == "markdown")
    vufind = next(r for r in records if r["source"]["format"] == "vufind")

    assert bullets["doi"] == "10.1186/s12913-021-06429-w"
    assert bullets["title"].startswith("Digitalisation of municipal healthcare collaboration")
    assert [c["family"] for c in bullets["creators"]] == [
        "Fredriksen", "Thygesen", "Moe", "Martinez",
    ]
    assert bullets["year"] == 2021
    assert bullets["status"] == "New"
    assert bullets["item_type"] == "journalArticle"

    assert vufind["doi"] == "10.1371/journal.pone.0255220"
    assert vufind["pmid"] == "34339429"
    assert vufind["pmcid"] == "PMC8328305"
    assert len(vufind["creators"]) == 12
    assert vufind["creators"][5] == {"family": "The Nguyen", "given": "Hung", "role": "author"}
    assert vufind["year"] == 2021


def test_every_json_entry_has_the_documented_fields(run: Run) -> None:
    _, records = records_by_format(run, str(SEEDS))
    required = {
        "source", "doi", "pmid", "pmcid", "isbn", "arxiv", "title", "creators", "year",
        "container", "item_type", "status", "tags", "keywords", "warnings",
    }
    for record in records:
        assert required <= set(record)
        assert {"path", "line", "format"} <= set(record["source"])


def test_bad_inputs_are_named_and_the_rest_still_parse(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "good.txt").write_bytes((SEEDS / next(p.name for p in SEEDS.glob("markdown-*"))).read_bytes())
    (folder / "empty.md").write_text("")
    (folder / "blob.dat").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (folder / "template.md").write_text("- **Title**: \n- **DOI**: \n- **Status**: \n")

    result = run("parse", "--json", str(folder))
    assert result.exit_code == 1
    entries = json.loads(result.stdout)
    good = [e for e in entries if "error" not in e]
    bad = {Path(e["source"]["path"]).name: e["error"] for e in entries if "error" in e}
    assert [e["doi"] for e in good] == ["10.1186/s12913-021-06429-w"]
    assert set(bad) == {"empty.md", "blob.dat", "template.md"}
    assert "binary" in bad["blob.dat"]
    for name in bad:
        assert name in result.stderr


def test_crlf_bom_and_latin1_files_read_like_utf8(run: Run, tmp_path: Path) -> None:
    text = "- **Title**: Über Lernen und Gedächtnis\n- **DOI**: 10.1000/xyz123\n- **Year**: 1885\n"
    (tmp_path / "crlf.md").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    (tmp_path / "latin1.md").write_bytes(text.encode("latin-1"))
    code, records = records_by_format(run, str(tmp_path))
    assert code == 0
    assert [r["title"] for r in records] == ["Über Lernen und Gedächtnis"] * 2
    assert all(r["doi"] == "10.1000/xyz123" for r in records)


def test_missing_path_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("parse", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_table_output_shows_each_record(run: Run) -> None:
    result = run("parse", str(SEEDS))
    assert result.exit_code == 0
    assert "2 record(s)" in result.stdout
    assert "10.1371/journal.pone.0255220" in result.stdout


def test_installed_command_reports_version_and_help() -> None:
    exe = Path(sys.executable).with_name("zsync")
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"zsync {__version__}"
    helptext = subprocess.run([exe, "parse", "--help"], capture_output=True, text=True, check=True)
    assert "--json" in helptext.stdout
