"""`zsync config init` writes a working, private config file after checking it."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from tests.servers.zotero import ZoteroServer, zotero_server
from zsync.config.settings import load

Run = Callable[..., Result]
KEY = "K" * 24
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def zotero(monkeypatch: pytest.MonkeyPatch) -> Iterator[ZoteroServer]:
    with zotero_server(user_id=7, key=KEY, groups=[55]) as server:
        monkeypatch.setenv("ZOTERO_API_URL", server.url)
        yield server


def test_init_writes_a_private_file_that_config_check_accepts(
    run: Run, zotero: ZoteroServer, tmp_path: Path
) -> None:
    path = tmp_path / "conf" / "config.toml"
    result = run("--config", str(path), "config", "init", "--library-id", "7",
                 "--api-key", KEY)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert KEY not in result.stdout + result.stderr
    config = load(path, env={})
    assert config.zotero.library_id == "7"
    assert config.zotero.api_key.reveal() == KEY
    text = path.read_text(encoding="utf-8")
    assert "https://www.zotero.org/settings/keys" in text  # the example's comments stay
    assert text.count("\n") == (ROOT / "config.example.toml").read_text("utf-8").count("\n")
    assert run("--config", str(path), "config", "check").exit_code == 0


def test_init_asks_for_what_the_flags_leave_out(
    run: Run, zotero: ZoteroServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support import invoke_cli

    path = tmp_path / "config.toml"
    env = {"ZOTERO_API_URL": zotero.url, "ZSYNC_STATE": str(tmp_path / "s.sqlite")}
    result = invoke_cli(["--config", str(path), "config", "init"], env, tmp_path,
                        input=f"group\n55\n{KEY}\n")
    assert result.exit_code == 0, result.stdout + result.stderr
    config = load(path, env={})
    assert (config.zotero.library_type, config.zotero.library_id) == ("group", "55")
    assert KEY not in result.stdout


def test_init_refuses_a_key_zotero_does_not_accept_and_writes_nothing(
    run: Run, zotero: ZoteroServer, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    result = run("--config", str(path), "config", "init", "--library-id", "8", "--api-key", KEY)
    assert result.exit_code == 1
    assert "belongs to user 7, not 8" in result.stdout
    assert not path.exists()
    forced = run("--config", str(path), "config", "init", "--library-id", "8",
                 "--api-key", KEY, "--no-check")
    assert forced.exit_code == 0 and path.exists()


def test_init_never_overwrites_without_force(run: Run, zotero: ZoteroServer, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# mine\n", encoding="utf-8")
    args = ("--config", str(path), "config", "init", "--library-id", "7", "--api-key", KEY)
    refused = run(*args)
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert path.read_text(encoding="utf-8") == "# mine\n"
    assert run(*args, "--force").exit_code == 0
    assert load(path, env={}).zotero.library_id == "7"


def test_init_goes_to_the_user_config_folder_by_default(run: Run, zotero: ZoteroServer, tmp_path: Path) -> None:
    result = run("config", "init", "--library-id", "7", "--api-key", KEY)
    assert result.exit_code == 0, result.stderr
    written = tmp_path / "xdg" / "zsync" / "config.toml"
    assert written.exists() and stat.S_IMODE(written.stat().st_mode) == 0o600


def test_the_packaged_example_is_the_documented_one() -> None:
    from zsync.config.init import example_text

    assert example_text() == (ROOT / "config.example.toml").read_text(encoding="utf-8")
