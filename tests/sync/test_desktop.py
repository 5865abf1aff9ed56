"""zsync with Zotero desktop: the local API emulator (`tests/servers/zotero_local`) as the
library, with the key `zsync config local-auth` obtains; Zotero 7-9 (read-only); a desktop
that is not running; and hybrid mode (reads from the desktop, writes to the Web API)."""

from __future__ import annotations

import copy
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from tests.dedupe.env import URI, DedupeEnv
from tests.servers.base import LocalServer, LoggedRequest
from tests.servers.zotero import ZoteroServer
from tests.servers.zotero.local import LocalApp
from tests.servers.zotero_local import local_api_server
from tests.support import dead_url, invoke_cli
from tests.sync.env import KEY, SEEDS, USER, WRITE_METHODS, Library, Sources, SyncEnv
from tests.sync.holds import Hold, nth
from tests.sync.seed_records import FREDRIKSEN_DOI, HINDER_DOI
from zsync.config.settings import load
from zsync.state.store import StateStore
from zsync.zotero.api import make_api, refresh_mirror

STATUS_TREE = Counter({("Status",): 1, ("Status", "New"): 1})
DESKTOP_OFF = "Zotero is not running or its local API is off"


@dataclass
class DesktopEnv(SyncEnv):
    """A sync world whose library is Zotero desktop (`desktop`); `zotero` stays the Web API
    emulator, used only in hybrid mode."""

    desktop: LocalServer | None = None

    @property
    def app(self) -> LocalApp:
        assert self.desktop is not None
        return cast(LocalApp, self.desktop.app)

    def env(self, **extra: str) -> dict[str, str]:
        env = super().env(**extra)
        for name in ("ZOTERO_API_URL", "ZOTERO_API_KEY", "ZOTERO_LIBRARY_ID"):
            if name not in self.extra_env and name not in extra:
                env.pop(name, None)
        assert self.desktop is not None
        return {**env, "ZOTERO_LOCAL": "1", "ZOTERO_LOCAL_URL": self.desktop.url,
                **self.extra_env, **extra}

    def desktop_library(self) -> Library:
        return Library.read(cast(ZoteroServer, SimpleNamespace(app=self.app.web)), f"users/{USER}")

    def desktop_writes(self) -> list[LoggedRequest]:
        assert self.desktop is not None
        return [r for r in self.desktop.log if r.method in WRITE_METHODS]

    def config_file(self) -> Path:
        return self.tmp / "xdg" / "zsync" / "config.toml"


@pytest.fixture
def desktop(request: pytest.FixtureRequest) -> Iterator[LocalServer]:
    with local_api_server(user_id=USER, **getattr(request, "param", {})) as server:
        yield server


@pytest.fixture
def here(tmp_path: Path, zotero: ZoteroServer, sources: Sources, desktop: LocalServer,
         monkeypatch: pytest.MonkeyPatch) -> DesktopEnv:
    sources.reset()
    monkeypatch.chdir(tmp_path)
    return DesktopEnv(tmp_path, zotero, sources, desktop=desktop)


def authorized(world: DesktopEnv) -> DesktopEnv:
    result = world.cli("config", "local-auth")
    assert result.exit_code == 0, result.stdout + result.stderr
    return world


def assert_seeds_synced(lib: Library, others: int = 0) -> None:
    assert len(lib.works) == 2 + others
    assert lib.collection_paths() == STATUS_TREE
    for doi in (FREDRIKSEN_DOI, HINDER_DOI):
        assert lib.filed_in(lib.by_doi(doi)) == {("Status", "New")}
    assert len(lib.notes(lib.by_doi(FREDRIKSEN_DOI)["key"])) == 1
    assert lib.notes(lib.by_doi(HINDER_DOI)["key"]) == []  # its record has no note text
    assert lib.signature()["orphan_notes"] == 0


# -- Zotero 10: the key, then syncing through the local API ---------------------------------

def test_local_auth_stores_the_key_unprinted_and_sync_writes_to_the_desktop(
        here: DesktopEnv) -> None:
    result = here.cli("config", "local-auth")

    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Always Allow" in result.stdout
    [key] = list(here.app.keys)
    assert key not in result.stdout + result.stderr
    stored = here.config_file()
    assert key in stored.read_text(encoding="utf-8")
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert "****" in here.cli("config", "show").stdout
    assert key not in here.cli("config", "show").stdout

    first = here.cli("sync", str(SEEDS))
    assert first.exit_code == 0, first.stdout + first.stderr
    assert_seeds_synced(here.desktop_library())
    assert here.writes() == []  # nothing went to the Web API

    assert here.desktop is not None
    here.desktop.reset_log()
    second = here.cli("sync", str(SEEDS))
    assert second.exit_code == 0, second.stdout + second.stderr
    assert here.desktop_writes() == []
    assert_seeds_synced(here.desktop_library())
    status = here.cli("status")
    assert "library: users/0" in status.stdout
    assert "mirror:  version 0" not in status.stdout and "no runs yet" not in status.stdout

    refreshed = here.cli("refresh", "--all")
    assert refreshed.exit_code == 0, refreshed.stdout + refreshed.stderr
    assert_seeds_synced(here.desktop_library())
    assert here.writes() == []


def test_config_check_names_the_desktop_and_whether_the_key_is_approved(
        here: DesktopEnv) -> None:
    before = here.cli("config", "check")
    assert before.exit_code == 1
    assert "Zotero 10" in before.stdout and "zsync config local-auth" in before.stdout

    authorized(here)
    after = here.cli("config", "check")
    assert after.exit_code == 0, after.stdout
    assert "FAIL" not in after.stdout and "local API key approved" in after.stdout

    here.app.keys.clear()  # the key was removed in Zotero's settings
    revoked = here.cli("config", "check")
    assert revoked.exit_code == 1
    assert "does not accept zsync's local API key" in revoked.stdout


@pytest.mark.parametrize("mode", ["drop", "delay"])
def test_killed_while_writing_then_rerun_duplicates_nothing(here: DesktopEnv,
                                                            mode: str) -> None:
    authorized(here)
    assert here.desktop is not None
    hold = Hold.on(here.desktop, nth("POST", "/items"), mode=mode)  # type: ignore[arg-type]
    hold.kill_when_reached(here.spawn("sync", str(SEEDS)))

    rerun = here.cli("sync", str(SEEDS))

    assert rerun.exit_code == 0, rerun.stdout + rerun.stderr
    lib = here.desktop_library()
    assert lib.count_doi(FREDRIKSEN_DOI) == lib.count_doi(HINDER_DOI) == 1
    assert_seeds_synced(lib)
    here.desktop.reset_log()
    assert here.cli("sync", str(SEEDS)).exit_code == 0
    assert here.desktop_writes() == []


def test_applying_without_a_local_key_says_how_to_get_one(here: DesktopEnv) -> None:
    result = here.cli("sync", str(SEEDS))
    assert result.exit_code == 2
    assert "zsync config local-auth" in result.stderr
    assert here.desktop_writes() == []


@pytest.mark.parametrize("desktop", [{"approve": False}], indirect=True)
def test_a_denied_key_request_explains_and_stores_nothing(here: DesktopEnv) -> None:
    result = here.cli("config", "local-auth")
    assert result.exit_code == 2
    assert "denied" in result.stderr and "Always Allow" in result.stderr
    assert not here.config_file().exists()


@pytest.mark.parametrize("desktop", [{"remember": False}], indirect=True)
def test_a_one_time_allow_is_not_kept(here: DesktopEnv) -> None:
    result = here.cli("config", "local-auth")
    assert result.exit_code == 2
    assert "Always Allow" in result.stderr
    assert not here.config_file().exists()


# -- Zotero 7-9: read-only ----------------------------------------------------------------

@pytest.mark.parametrize("desktop", [{"zotero_version": 9}, {"zotero_version": 7}],
                         indirect=True)
def test_older_desktops_dry_run_and_applying_explains(here: DesktopEnv) -> None:
    dry = here.cli("sync", "--dry-run", str(SEEDS))
    assert dry.exit_code in (0, 3), dry.stdout + dry.stderr

    applied = here.cli("sync", str(SEEDS))
    assert applied.exit_code == 2
    message = " ".join(applied.stderr.split())
    assert "Zotero 10" in message and "Web API key" in message
    assert here.desktop_writes() == []
    assert here.app.web.items() == {}

    refreshed = here.cli("refresh")
    assert refreshed.exit_code == 2 and "Zotero 10" in " ".join(refreshed.stderr.split())
    merged = here.cli("dedupe", "--library", "--merge", "--apply")
    assert merged.exit_code == 2 and "Zotero 10" in " ".join(merged.stderr.split())

    auth = here.cli("config", "local-auth")
    assert auth.exit_code == 2 and "Zotero 10" in " ".join(auth.stderr.split())
    check = here.cli("config", "check")
    assert check.exit_code == 1 and "7-9" in check.stdout


@pytest.mark.parametrize("desktop", [{"zotero_version": 9}], indirect=True)
def test_the_mirror_sees_desktop_edits_whose_version_did_not_move(here: DesktopEnv) -> None:
    key = here.app.web.seed_item({"itemType": "book", "title": "Before"})
    config = here.config()
    with StateStore.from_config(config) as store:
        api = make_api(config)
        refresh_mirror(api, store)
        assert store.mirror.get_item(key).data["title"] == "Before"  # type: ignore[union-attr]
        here.app.edit_locally(key, {"title": "After"})
        stats = refresh_mirror(api, store)
        assert stats.items_fetched == 1
        assert store.mirror.get_item(key).data["title"] == "After"  # type: ignore[union-attr]
        assert refresh_mirror(api, store).items_fetched == 0


def test_collections_are_read_once_not_once_per_chunk(here: DesktopEnv) -> None:
    for i in range(120):
        here.app.web.seed_collection(f"Topic {i}")
    config = here.config()
    assert here.desktop is not None
    with StateStore.from_config(config) as store:
        here.desktop.reset_log()
        stats = refresh_mirror(make_api(config), store)
    assert stats.collections_fetched == 120
    reads = [r for r in here.desktop.log if r.target.split("?")[0].endswith("/collections")]
    assert len(reads) == 2  # the versions, then every collection once


def test_a_desktop_that_is_not_running_is_named_at_once(here: DesktopEnv) -> None:
    off = {"ZOTERO_LOCAL_URL": dead_url()}
    check = here.cli("config", "check", **off)
    assert check.exit_code == 1 and DESKTOP_OFF in check.stdout
    assert "Allow other applications" in check.stdout
    for args in (("sync", str(SEEDS)), ("sync", "--dry-run", str(SEEDS)),
                 ("config", "local-auth")):
        result = here.cli(*args, **off)
        assert result.exit_code == 2, args
        assert DESKTOP_OFF in " ".join(result.stderr.split()), args


# -- hybrid: read from the desktop, write through the Web API -----------------------------

def desktop_syncs(here: DesktopEnv) -> None:
    """Zotero desktop syncs with zotero.org: it now holds the web library as it is."""
    web = here.zotero.app.library(f"users/{USER}")
    desk = here.app.web.library()
    with here.zotero.app.lock, here.app.web.lock:
        desk.items = copy.deepcopy(web.items)
        desk.collections = copy.deepcopy(web.collections)
        desk.version = web.version


def hybrid(here: DesktopEnv) -> dict[str, str]:
    return {"ZOTERO_HYBRID": "1", "ZOTERO_API_URL": here.zotero.url, "ZOTERO_API_KEY": KEY,
            "ZOTERO_LIBRARY_ID": str(USER)}


@pytest.mark.parametrize("desktop", [{"zotero_version": 9}], indirect=True)
def test_hybrid_reads_from_the_desktop_and_writes_to_the_web_api(here: DesktopEnv) -> None:
    here.extra_env.update(hybrid(here))
    shelf = here.zotero.app.seed_item({"itemType": "book", "title": "Already on the shelf"},
                                      ref=f"users/{USER}")
    desktop_syncs(here)
    assert here.desktop is not None

    first = here.cli("sync", str(SEEDS))

    assert first.exit_code == 0, first.stdout + first.stderr
    assert here.desktop_writes() == []
    assert_seeds_synced(here.library(), others=1)
    item_reads = [r for r in here.desktop.log if "itemKey=" in r.target]
    assert any(shelf in r.target for r in item_reads)  # the data came from the desktop
    web_reads = [r for r in here.zotero.log if r.method == "GET" and shelf in r.target]
    assert web_reads == []

    here.zotero.reset_log()
    assert here.cli("sync", str(SEEDS)).exit_code == 0  # the desktop has not synced yet
    assert here.writes() == []

    desktop_syncs(here)  # the desktop catches up
    here.zotero.reset_log()
    assert here.cli("sync", str(SEEDS)).exit_code == 0
    assert here.writes() == []
    assert_seeds_synced(here.library(), others=1)


def test_hybrid_reads_the_web_api_when_the_desktop_is_off(here: DesktopEnv) -> None:
    here.extra_env.update(hybrid(here), ZOTERO_LOCAL_URL=dead_url())
    here.zotero.app.seed_item({"itemType": "book", "title": "Already on the shelf"},
                              ref=f"users/{USER}")

    result = here.cli("sync", str(SEEDS))

    assert result.exit_code == 0, result.stdout + result.stderr
    assert DESKTOP_OFF in " ".join(result.stderr.split())
    assert_seeds_synced(here.library(), others=1)


def test_hybrid_needs_a_web_api_key(here: DesktopEnv) -> None:
    result = here.cli("sync", str(SEEDS), ZOTERO_HYBRID="1", ZOTERO_LIBRARY_ID=str(USER))
    assert result.exit_code == 2
    assert "zotero.api_key is not set" in result.stderr


def test_the_example_settings_name_the_desktop_settings() -> None:
    config = load(Path(__file__).resolve().parents[2] / "config.example.toml", env={})
    assert config.zotero.local_url == "http://localhost:23119"
    assert not config.zotero.local_api_key and not config.zotero.hybrid


# -- dedupe --merge --apply through the local API -----------------------------------------

def test_dedupe_merges_through_the_desktop(here: DesktopEnv) -> None:
    authorized(here)
    web = cast(ZoteroServer, SimpleNamespace(app=here.app.web, url=""))
    dedupe = DedupeEnv(here.tmp, web)
    seeded = dedupe.seed_library()
    env = here.env()

    result = invoke_cli(("dedupe", "--library", "--merge", "--apply"), env, here.tmp)

    assert result.exit_code == 0, result.stdout + result.stderr
    assert "2 merged" in result.stdout.splitlines()[-1]
    items = here.app.web.items()
    master = items[seeded["deep_old"]]
    assert items[seeded["deep_new"]]["deleted"] == 1
    assert master["relations"]["dc:replaces"] == URI + seeded["deep_new"]  # the user's id
    assert items[seeded["note"]]["parentItem"] == seeded["deep_old"]
