"""Every command that works on the library records its run the same way: a failure is
kept in the run history without secrets, a finished run's report is archived, and SIGTERM
stops a run like Ctrl-C, leaving it recorded as interrupted (also without the CLI)."""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers.zotero import ZoteroServer, zotero_server
from tests.support import FAST, config_for, make_stack
from zsync.cli.status import status_data
from zsync.config.settings import Config
from zsync.dedupe.service import dedupe_library
from zsync.enrich.enricher import Enricher
from zsync.refresh.run import refresh
from zsync.runs import Terminated
from zsync.sync.run import sync_works
from zsync.zotero.api import make_api

USER, KEY = 5, "R" * 24
DEAD = "http://127.0.0.1:9"  # no lookup source is asked: the libraries hold nothing to look up
Hook = Callable[[str, int], None]


def _sync(config: Config, hook: Hook) -> None:
    sync_works(config, [], {}, [], dry_run=False, on_phase=hook,
                  api_factory=lambda c: make_api(c, policy=FAST))


def _refresh(config: Config, hook: Hook) -> None:
    stack = make_stack(config)
    try:
        refresh(config, Enricher(stack.crossref(), stack.pubmed()), dry_run=False,
                on_phase=hook, api_factory=lambda c: make_api(c, policy=FAST))
    finally:
        stack.close()


def _dedupe(config: Config, hook: Hook) -> None:
    dedupe_library(config, merge=True, apply=True, on_phase=hook,
                   api_factory=lambda c: make_api(c, policy=FAST))


COMMANDS = {"sync": _sync, "refresh": _refresh, "dedupe": _dedupe}


@pytest.fixture(scope="module")
def zotero() -> Iterator[ZoteroServer]:
    with zotero_server(user_id=USER, key=KEY) as server:
        yield server


def _config(tmp_path: Path, zotero: ZoteroServer) -> Config:
    return config_for(tmp_path, DEAD, DEAD, ZOTERO_API_URL=zotero.url, ZOTERO_API_KEY=KEY,
                      ZOTERO_LIBRARY_ID=str(USER), ZOTERO_LIBRARY_TYPE="user",
                      ZSYNC_STATE=str(tmp_path / "state.sqlite"), ZSYNC_MAX_RETRIES="0")


def _last_run(config: Config) -> dict[str, Any]:
    runs = status_data(config)["runs"]
    assert len(runs) == 1, runs
    return dict(runs[0])


def _quiet(name: str, total: int = 0) -> None:
    """A phase hook that lets the run go on."""


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_finished_run_archives_its_report(command: str, tmp_path: Path,
                                            zotero: ZoteroServer) -> None:
    config = _config(tmp_path, zotero)
    COMMANDS[command](config, _quiet)
    run = _last_run(config)
    assert (run["command"], run["outcome"]) == (command, "ok")
    kept = Path(run["report"])
    assert kept.parent == tmp_path / "reports"
    assert json.loads(kept.read_text(encoding="utf-8"))["command"] == command


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_failed_run_is_recorded_without_the_api_key(command: str, tmp_path: Path,
                                                      zotero: ZoteroServer) -> None:
    config = _config(tmp_path, zotero)

    def fail(name: str, total: int = 0) -> None:
        raise RuntimeError(f"the disk is full while writing for key {KEY}")

    with pytest.raises(RuntimeError, match="disk is full"):
        COMMANDS[command](config, fail)
    run = _last_run(config)
    assert (run["command"], run["outcome"]) == (command, "failed")
    error = run["counts"]["error"]
    assert "disk is full" in error and "RuntimeError" in error
    assert KEY not in error and "****" in error
    assert run["report"] is None


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_sigterm_during_a_run_records_it_interrupted(command: str, tmp_path: Path,
                                                     zotero: ZoteroServer) -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach the main thread only")
    config = _config(tmp_path, zotero)

    def terminate(name: str, total: int = 0) -> None:
        os.kill(os.getpid(), signal.SIGTERM)

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated):
        COMMANDS[command](config, terminate)
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is the caller's again
    run = _last_run(config)
    assert (run["command"], run["outcome"]) == (command, "interrupted")
    assert "Terminated" in run["counts"]["error"]
