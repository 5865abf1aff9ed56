"""Leaving files out: files that are not notes are skipped and counted, `--exclude`,
`notes.exclude` and `.zsyncignore` leave out what the user names, and a folder with no
notes says so."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

ROOT = Path(__file__).resolve().parents[2]
GOOD = next((ROOT / "seeds").glob("markdown-*"))
GOOD_DOI = "10.1186/s12913-021-06429-w"
Run = Callable[..., Result]


def vault(tmp_path: Path) -> Path:
    """A real-looking vault: one literature note, a daily note and a template (neither
    names a work), a PDF, an image, an Obsidian canvas, an office file and an archive."""
    folder = tmp_path / "vault"
    for sub in ("literature", "daily", "templates", "attachments"):
        (folder / sub).mkdir(parents=True)
    (folder / "literature" / "fredriksen.md").write_bytes(GOOD.read_bytes())
    (folder / "daily" / "2024-05-01.md").write_text("# 1 May\n- met Anna about the grant\n")
    (folder / "templates" / "literature.md").write_text("- **Title**: {{title}}\n- **DOI**: \n")
    (folder / "attachments" / "paper.PDF").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(50))
    (folder / "attachments" / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(50))
    (folder / "map.canvas").write_text('{"nodes": [], "edges": []}')
    (folder / "attachments" / "draft.docx").write_bytes(b"PK\x03\x04" + bytes(50))
    (folder / "attachments" / "notes.zip").write_bytes(b"PK\x03\x04" + bytes(50))
    return folder


def parsed(result: Result) -> dict[str, dict]:
    return {Path(e["source"]["path"]).name: e for e in json.loads(result.stdout)}


def test_files_that_are_not_notes_are_skipped_and_counted(run: Run, tmp_path: Path) -> None:
    folder = vault(tmp_path)
    result = run("parse", "--json", str(folder))
    entries = parsed(result)
    assert set(entries) == {"fredriksen.md", "2024-05-01.md", "literature.md"}
    assert "skipped 5 file(s) that are not notes" in result.stderr
    assert "PDF" in result.stderr and "Obsidian canvas" in result.stderr
    for name in ("paper.PDF", "figure.png", "map.canvas", "draft.docx", "notes.zip"):
        assert name not in result.stderr


def test_exclude_flag_and_zsyncignore_leave_out_what_the_user_names(run: Run,
                                                                    tmp_path: Path) -> None:
    folder = vault(tmp_path)
    (folder / ".zsyncignore").write_text("# templates are not notes\ntemplates/\n")
    result = run("parse", "--json", str(folder), "--exclude", "daily/**")
    assert result.exit_code == 0, result.stderr
    assert [e["doi"] for e in parsed(result).values()] == [GOOD_DOI]
    assert "2 excluded by pattern" in result.stderr

    without = run("parse", "--json", str(folder))
    assert without.exit_code == 1
    assert "2024-05-01.md" in parsed(without)


def test_config_excludes_add_to_the_flag(run: Run, tmp_path: Path) -> None:
    folder = vault(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text('[notes]\nexclude = ["templates/"]\n', encoding="utf-8")
    only_config = run("--config", str(config), "parse", "--json", str(folder))
    assert set(parsed(only_config)) == {"fredriksen.md", "2024-05-01.md"}
    both = run("--config", str(config), "parse", "--json", str(folder), "--exclude", "daily/")
    assert both.exit_code == 0
    assert set(parsed(both)) == {"fredriksen.md"}


def test_sync_dry_run_of_a_vault_leaves_out_the_excluded(run: Run, tmp_path: Path) -> None:
    folder = vault(tmp_path)
    failing = run("sync", str(folder), "--dry-run", "--offline", "--json")
    assert failing.exit_code == 1
    clean = run("sync", str(folder), "--dry-run", "--offline", "--json",
                "--exclude", "daily/", "--exclude", "templates/")
    assert clean.exit_code == 0, clean.stderr
    assert json.loads(clean.stdout)["summary"]["input_problems"] == 0


def test_an_empty_folder_or_one_without_notes_says_so(run: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("parse", str(empty))
    assert result.exit_code == 0
    assert f"no notes in {empty}" in result.stderr

    pictures = tmp_path / "pictures"
    pictures.mkdir()
    (pictures / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    result = run("parse", str(pictures))
    assert f"no notes in {pictures}" in result.stderr
    assert "1 PDF" in result.stderr
