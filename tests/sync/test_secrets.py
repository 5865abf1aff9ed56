"""No key zsync holds leaks, even when Zotero and PubMed (or a proxy in front of them) echo
it back in their answers: after sync, refresh, dedupe --library and enrich, run as a user
runs them, the key is in no file zsync wrote (state folder, reports, caches), not on stdout
or stderr, and not in the Zotero library."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.servers.pubmed import echo_api_key_next
from tests.sync.env import KEY, SEEDS, SyncEnv

NCBI_KEY = "ncbiEchoedKey0123456789"
MANY = 10_000  # every matching request, however many the run makes


def _zsync(world: SyncEnv, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`zsync ARGS` as a separate process, with its own XDG folders under the test's tmp."""
    process = world.spawn(
        *args, NCBI_API_KEY=NCBI_KEY,
        XDG_STATE_HOME=str(world.tmp / "xdg-state"), XDG_DATA_HOME=str(world.tmp / "xdg-data"),
        XDG_CACHE_HOME=str(world.tmp / "xdg-cache"),
    )
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _files_holding(folder: Path, secrets: tuple[str, ...]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.relative_to(folder)}: {s}" for s in secrets if s.encode() in data]
    return found


def _echoing(world: SyncEnv) -> None:
    world.zotero.echo_key_next(times=MANY, match=lambda r: r.method == "GET")
    echo_api_key_next(world.sources.pubmed, times=MANY)


def test_echoed_keys_are_in_nothing_zsync_writes_or_prints(world: SyncEnv) -> None:
    secrets = (KEY, NCBI_KEY)
    _echoing(world)
    runs = [
        _zsync(world, "sync", str(SEEDS), "--report", str(world.tmp / "sync.md")),
        _zsync(world, "sync", str(SEEDS), "--dry-run", "--json",
               "--report", str(world.tmp / "plan.html"), "--format", "html"),
        _zsync(world, "refresh", "--all", "--report", str(world.tmp / "refresh.json"),
               "--format", "json"),
        _zsync(world, "dedupe", "--library"),
        _zsync(world, "enrich", str(SEEDS)),
        _zsync(world, "enrich", str(SEEDS), "--json"),
        _zsync(world, "status"),
        _zsync(world, "runs"),
    ]
    for done in runs:
        assert done.returncode in (0, 1, 3), done.stderr.decode()
        for secret in secrets:
            assert secret.encode() not in done.stdout + done.stderr, done.args
    assert (world.tmp / "sync.md").exists() and (world.tmp / "refresh.json").exists()
    assert list((world.tmp / "cache").glob("*.sqlite"))
    assert _files_holding(world.tmp, secrets) == []
    library = world.library()
    assert library.works
    assert not any(s in repr(library.items) for s in secrets)
    # The echoes really reached zsync: zsync said what it masked.
    assert any(b"held an API key" in done.stderr for done in runs)


def test_an_error_that_echoes_the_key_is_masked_in_run_history(world: SyncEnv) -> None:
    world.zotero.echo_key_next(times=MANY, status=400)
    failed = _zsync(world, "dedupe", "--library")
    assert failed.returncode != 0
    assert b"An error occurred for key ****" in failed.stderr
    shown = [_zsync(world, "status"), _zsync(world, "runs", "--json")]
    for done in [failed, *shown]:
        assert KEY.encode() not in done.stdout + done.stderr
    assert _files_holding(world.tmp, (KEY,)) == []
