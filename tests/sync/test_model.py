"""A model-based test of the sync: hypothesis drives random sequences of what happens to a
folder of notes and a Zotero library, and after every step the library is checked against
what a user would want.

Steps: a note is added (possibly a second note on a work that already has one), edited,
given another status, or deleted; the whole notes folder is moved; zsync syncs all notes or
some of them; the user edits in Zotero (edits or clears a field, adds or removes a tag,
moves an item out of its status collection into their own, edits a child note, trashes an
item or a child note, empties the trash); the state file is lost; a second computer (its
own state file) syncs; the server applies a write and the answer is lost (as when a run
is killed after sending it). A step that changes notes or the library may be followed by a
full sync (`sync=True`), as a user would run one.

Invariants, after every step:
1. no duplicate: at most one item per work (the trash included), no zsync text in two
   child notes, no two collections of the same name under the same parent;
2. no user edit undone: an edited or cleared field keeps the user's value, a tag the user
   added stays and one they removed stays away, an item moved out of its status collection
   stays where the user put it, a child note the user edited keeps their text, what the
   user trashed stays in the trash, and a work whose item was deleted from the trash is not
   created again by a computer that saw it (a fresh state file may not know it);
3. every note's text as last synced is in a child note of its work's item, and its older
   texts are not (unless the user edited or trashed that work's child note or item);
4. a sync right after a sync writes nothing, and so does any run while no note changed
   since the last full sync (the folder moved, a note deleted, the user's edits in Zotero:
   nothing for zsync to write).

CI runs `ZSYNC_MODEL_EXAMPLES` (default 60) sequences of up to `ZSYNC_MODEL_STEPS` (12)
steps; set them higher for a long run. A failing sequence is shown as found; set
`ZSYNC_MODEL_SHRINK=1` to have hypothesis shorten it first (minutes).
"""

from __future__ import annotations

import os
import shutil
import ssl
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.servers.base import Fault, Request
from tests.servers.zotero import ZoteroServer, make_app
from tests.support import make_stack
from tests.sync.conftest import GENERATED, GENERATED_SEED
from tests.sync.env import FAST, GROUP, KEY, USER, Sources, SyncEnv
from tests.sync.notes import markdown_note, plain_works
from zsync.enrich.enricher import Enricher
from zsync.sources.retry import RetryPolicy
from zsync.sync.run import SyncResult, sync
from zsync.zotero.api import make_api

EXAMPLES = int(os.environ.get("ZSYNC_MODEL_EXAMPLES", "60"))
STEPS = int(os.environ.get("ZSYNC_MODEL_STEPS", "12"))
# Shrinking a failing sequence costs minutes (every step is a sync): on demand only.
SHRINK = os.environ.get("ZSYNC_MODEL_SHRINK", "") not in ("", "0")
WORKS = plain_works(4, GENERATED_SEED, GENERATED)
STATUSES = ("New", "Reading", "Read")
MINE = "My chapter"
SECOND = "second-computer"


@dataclass
class Note:
    """One note file as the model knows it."""

    name: str
    work: int  # index into WORKS
    status: str
    version: int = 1
    synced: int | None = None  # the version the last sync covering it saw

    def sentence(self, version: int | None = None) -> str:
        return f"Remark {self.name} v{version or self.version}: only this note says so."

    def text(self) -> str:
        return markdown_note(WORKS[self.work], self.status, self.sentence(),
                             keywords=[f"kw-{self.name}"])


@dataclass
class UserEdits:
    """What the user did in Zotero, by work (index into WORKS)."""

    fields: dict[tuple[int, str], str] = field(default_factory=dict)
    tags_added: set[tuple[int, str]] = field(default_factory=set)
    tags_removed: set[tuple[int, str]] = field(default_factory=set)
    refiled: set[int] = field(default_factory=set)
    child_notes: dict[str, str] = field(default_factory=dict)  # note key -> user's html
    notes_touched: set[int] = field(default_factory=set)  # works: child note edited/trashed
    trashed: set[int] = field(default_factory=set)
    trashed_notes: set[str] = field(default_factory=set)
    emptied: set[int] = field(default_factory=set)  # deleted from the trash
    emptied_known: set[int] = field(default_factory=set)  # ... and zsync's state saw it
    # Trashed works a sync saw in the trash with the state file of the time: only those
    # can be known once the trash is emptied.
    trashed_seen: set[int] = field(default_factory=set)


class FastEnv(SyncEnv):
    """A world whose runs share one TLS context for their Zotero client (a new one costs a
    third of a run against the local emulator)."""

    tls = ssl.create_default_context()

    def _client(self) -> httpx2.Client:
        return httpx2.Client(verify=self.tls, timeout=10.0, follow_redirects=True)

    def run(self, paths: Sequence[Path] = (), *, dry_run: bool = False,
            policy: RetryPolicy = FAST, **extra: str) -> SyncResult:
        config = self.config(**extra)
        stack = make_stack(config)
        try:
            return sync(config, list(paths), Enricher(stack.crossref(), stack.pubmed()),
                        dry_run=dry_run,
                        api_factory=lambda c: make_api(c, policy=policy,
                                                       client=self._client()))
        finally:
            stack.close()


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One record cache for every sequence: sources are asked once per work."""
    return tmp_path_factory.mktemp("model-cache")


class SyncModel(RuleBasedStateMachine):
    zotero: ZoteroServer
    sources: Sources
    base: Path
    cache: Path

    notes = Bundle("notes")

    def __init__(self) -> None:
        super().__init__()
        self.zotero.app = make_app(USER, KEY, groups=[GROUP])
        self.zotero.faults.clear()
        self.sources.reset()
        self.tmp = Path(tempfile.mkdtemp(dir=self.base))
        self.world = FastEnv(self.tmp, self.zotero, self.sources,
                             extra_env={"ZSYNC_CACHE_DIR": str(self.cache)})
        self.folder = self.tmp / "notes"
        self.folder.mkdir()
        self.present: dict[str, Note] = {}
        self.counter = 0  # notes made
        self.steps = 0  # for names that must differ from step to step
        self.user = UserEdits()
        self.mine: str | None = None
        # In step: the last full sync left the library right for these notes, and nothing in
        # them changed since (only moves, deletions and the user's edits in Zotero): any run
        # writes nothing.
        self.in_step = False

    # -- notes ----------------------------------------------------------------------------

    def _write(self, note: Note) -> None:
        (self.folder / f"{note.name}.md").write_text(note.text(), encoding="utf-8")

    def _new_note(self, work: int, status: str) -> Note:
        self.counter += 1
        note = Note(f"n{self.counter}", work, status)
        self._write(note)
        self.present[note.name] = note
        self.in_step = False
        return note

    @initialize(target=notes, work=st.integers(0, len(WORKS) - 1),
                status=st.sampled_from(STATUSES))
    def first_note(self, work: int, status: str) -> Note:
        return self._new_note(work, status)

    @rule(target=notes, work=st.integers(0, len(WORKS) - 1), status=st.sampled_from(STATUSES),
          sync=st.booleans())
    def add_note(self, work: int, status: str, sync: bool) -> Note:
        note = self._new_note(work, status)
        self._then(sync)
        return note

    @rule(note=notes, sync=st.booleans())
    def edit_note(self, note: Note, sync: bool) -> None:
        note.version += 1
        self._write(note)
        self.in_step = False
        self._then(sync)

    @rule(note=notes, status=st.sampled_from(STATUSES), sync=st.booleans())
    def change_status(self, note: Note, status: str, sync: bool) -> None:
        if status != note.status:
            note.status = status
            note.version += 1
            self._write(note)
            self.in_step = False
        self._then(sync)

    @rule(note=consumes(notes), sync=st.booleans())
    def delete_note(self, note: Note, sync: bool) -> None:
        (self.folder / f"{note.name}.md").unlink()
        del self.present[note.name]
        self._then(sync)

    @rule(sync=st.booleans())
    def move_folder(self, sync: bool) -> None:
        self.steps += 1
        moved = self.tmp / f"moved-{self.steps}" / "notes"
        moved.parent.mkdir()
        shutil.move(self.folder, moved)
        self.folder = moved
        self._then(sync)

    # -- syncs ------------------------------------------------------------------------------

    def _sync(self, paths: list[Path], covered: list[Note], **extra: str) -> None:
        self.world.zotero.reset_log()
        self.user.trashed_seen |= self.user.trashed  # its mirror is refreshed first
        result = self.world.run(paths, dry_run=False, policy=FAST, **extra)
        assert result.failed == 0, [w["result"] for w in result.report["works"]
                                    if w["result"] and not w["result"]["applied"]]
        if self.in_step and not extra:
            assert self.world.writes() == [], "nothing changed in the notes, yet zsync wrote"
        for note in covered:
            note.synced = note.version
        assert self.world.rerun_writes(paths, **extra) == [], "a sync right after a sync"

    def _then(self, sync: bool) -> None:
        if sync:
            self.sync_all()

    @rule()
    def sync_all(self) -> None:
        self._sync([self.folder], list(self.present.values()))
        self.in_step = True

    @rule(data=st.data())
    @precondition(lambda self: self.present)
    def sync_some(self, data: st.DataObject) -> None:
        names = sorted(self.present)
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        self._sync([self.folder / f"{n}.md" for n in sorted(chosen)],
                   [self.present[n] for n in chosen])

    @rule()
    def second_computer_syncs(self) -> None:
        state = self.tmp / SECOND / "state.sqlite"
        self._forget_emptied()
        self._sync([self.folder], list(self.present.values()), ZSYNC_STATE=str(state))
        self.in_step = False

    @rule(sync=st.booleans())
    def state_file_lost(self, sync: bool) -> None:
        self.world.lose_state("deleted")
        self._forget_emptied()
        self.in_step = False
        self._then(sync)

    @rule()
    @precondition(lambda self: not self.zotero.faults)
    def a_write_answer_is_lost(self) -> None:
        """The next write is applied but its answer never arrives (as when a run is killed
        after sending it)."""
        def items_post(request: Request) -> bool:
            return request.method == "POST" and request.path.endswith("/items")

        self.zotero.inject(Fault("drop_after", items_post))

    def _forget_emptied(self) -> None:
        # A state file that never saw an item deleted from the trash cannot know the work.
        self.user.emptied_known.clear()
        self.user.trashed_seen.clear()

    # -- the user in Zotero -------------------------------------------------------------------

    def _item(self, work: int) -> dict[str, Any] | None:
        lib = self.world.library()
        found = [w for w in lib.works if WORKS[work].doi in _dois(w)]
        return found[0] if found else None

    WORK = st.integers(0, len(WORKS) - 1)

    @rule(work=WORK, clear=st.booleans(), sync=st.booleans())
    def user_edits_a_field(self, work: int, clear: bool, sync: bool) -> None:
        item = self._item(work)
        if item is not None:
            self.steps += 1
            name, value = ("abstractNote", "") if clear else ("title", f"My title {self.steps}")
            self.world.zotero.app.edit_item(self.world.ref, item["key"], {name: value})
            self.user.fields[(work, name)] = value
        self._then(sync)

    @rule(work=WORK, add=st.booleans(), data=st.data(), sync=st.booleans())
    def user_tags(self, work: int, add: bool, data: st.DataObject, sync: bool) -> None:
        item = self._item(work)
        if item is not None and (add or item["tags"]):
            tags = list(item["tags"])
            self.steps += 1
            tag = f"mine-{self.steps}" if add else data.draw(
                st.sampled_from(sorted(t["tag"] for t in tags)))
            (self.user.tags_added if add else self.user.tags_removed).add((work, tag))
            (self.user.tags_removed if add else self.user.tags_added).discard((work, tag))
            tags = [*tags, {"tag": tag}] if add else [t for t in tags if t["tag"] != tag]
            self.world.zotero.app.edit_item(self.world.ref, item["key"], {"tags": tags})
        self._then(sync)

    @rule(work=WORK, sync=st.booleans())
    def user_refiles(self, work: int, sync: bool) -> None:
        """The item goes out of its status collection into one of the user's own."""
        item = self._item(work)
        if item is not None:
            if self.mine is None:
                self.mine = self.world.zotero.app.seed_collection(MINE, ref=self.world.ref)
            self.world.zotero.app.edit_item(self.world.ref, item["key"],
                                            {"collections": [self.mine]})
            self.user.refiled.add(work)
        self._then(sync)

    @rule(work=WORK, trash=st.booleans(), sync=st.booleans())
    def user_edits_a_child_note(self, work: int, trash: bool, sync: bool) -> None:
        item = self._item(work)
        children = self.world.library().notes(item["key"]) if item is not None else []
        if children:
            key = children[0]["key"]
            if trash:
                self.world.trash_item(key)
                self.user.trashed_notes.add(key)
            else:
                self.steps += 1
                html = children[0]["note"] + f"<p>My own remark {self.steps}.</p>"
                self.world.zotero.app.edit_item(self.world.ref, key, {"note": html})
                # as the server stored it (it cleans note HTML)
                self.user.child_notes[key] = self.world.zotero.app.item(key, self.world.ref)["note"]
            self.user.notes_touched.add(work)
        self._then(sync)

    @rule(work=WORK, sync=st.booleans())
    def user_trashes_an_item(self, work: int, sync: bool) -> None:
        item = self._item(work)
        if item is not None:
            self.world.trash_item(item["key"])
            self.user.trashed.add(work)
        self._then(sync)

    @rule(sync=st.booleans())
    def user_empties_the_trash(self, sync: bool) -> None:
        app, ref = self.world.zotero.app, self.world.ref
        trashed = [k for k, v in app.items(ref).items() if v.get("deleted")]
        for key in trashed:
            if key in app.items(ref):  # not gone with its parent
                app.delete_remotely(ref, key)
        self.user.emptied |= self.user.trashed
        self.user.emptied_known |= self.user.trashed & self.user.trashed_seen
        # The user's edits went with the items: an item made again (after the state file
        # that saw them deleted is lost) starts from the notes.
        gone = self.user.trashed
        self.user.fields = {k: v for k, v in self.user.fields.items() if k[0] not in gone}
        self.user.tags_added = {t for t in self.user.tags_added if t[0] not in gone}
        self.user.tags_removed = {t for t in self.user.tags_removed if t[0] not in gone}
        self.user.refiled -= gone
        self.user.notes_touched -= gone
        self.user.trashed_seen -= gone
        self.user.trashed = set()
        self.user.child_notes = {k: v for k, v in self.user.child_notes.items()
                                 if k not in trashed}
        self.user.trashed_notes.clear()
        self._then(sync)

    # -- invariants -------------------------------------------------------------------------

    def _everything(self) -> dict[str, dict[str, Any]]:
        return self.world.zotero.app.items(self.world.ref)

    @invariant()
    def no_duplicates(self) -> None:
        everything = self._everything()
        for i, work in enumerate(WORKS):
            copies = [v for v in everything.values() if work.doi in _dois(v)]
            assert len(copies) <= 1, f"work {i} has {len(copies)} items"
        child_notes = [v["note"] for v in everything.values()
                       if v["itemType"] == "note" and not v.get("deleted")]
        for note in self.present.values():
            for version in range(1, note.version + 1):
                holding = sum(note.sentence(version) in html for html in child_notes)
                assert holding <= 1, f"{note.name} v{version} is in {holding} child notes"
        collections = self.world.zotero.app.collections(self.world.ref)
        names = [(c.get("parentCollection") or None, c["name"]) for c in collections.values()]
        assert len(names) == len(set(names)), f"collections made twice: {sorted(names)}"

    @invariant()
    def user_edits_kept(self) -> None:
        everything = self._everything()
        lib = self.world.library()
        for i, work in enumerate(WORKS):
            copies = [v for v in everything.values() if work.doi in _dois(v)]
            if i in self.user.emptied_known:
                assert copies == [], f"work {i} was deleted by the user, and came back"
            if not copies:
                continue
            item = copies[0]
            if i in self.user.trashed:
                assert item.get("deleted"), f"work {i} was taken out of the trash"
                continue
            for (w, name), value in self.user.fields.items():
                if w == i:
                    assert item.get(name, "") == value, f"work {i}: {name} was changed back"
            tags = {t["tag"] for t in item.get("tags", [])}
            for w, tag in self.user.tags_added:
                assert w != i or tag in tags, f"work {i}: the user's tag {tag} is gone"
            for w, tag in self.user.tags_removed:
                assert w != i or tag not in tags, f"work {i}: removed tag {tag} is back"
            if i in self.user.refiled:
                assert lib.filed_in(item) == {(MINE,)}, f"work {i} was filed back"
        for key, html in self.user.child_notes.items():
            assert key in everything and everything[key]["note"] == html, \
                f"the user's child note {key} was changed"
        for key in self.user.trashed_notes:
            assert key in everything and everything[key].get("deleted"), \
                f"the child note {key} was taken out of the trash"

    @invariant()
    def every_synced_text_is_in_zotero(self) -> None:
        lib = self.world.library()
        for note in self.present.values():
            if note.synced is None or self._user_owns(note.work):
                continue
            item = self._item(note.work)
            assert item is not None, f"{note.name}: its work has no item"
            text = "\n".join(n["note"] for n in lib.notes(item["key"]))
            assert note.sentence(note.synced) in text, f"{note.name} v{note.synced} missing"
            for older in range(1, note.synced):
                assert note.sentence(older) not in text, f"{note.name} v{older} still there"

    def _user_owns(self, work: int) -> bool:
        return (work in self.user.notes_touched or work in self.user.trashed
                or work in self.user.emptied)

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def _dois(item: dict[str, Any]) -> set[str]:
    return {str(item.get("DOI", "")).lower()} - {""}


@pytest.fixture
def machine(zotero_running: ZoteroServer, sources: Sources, tmp_path: Path,
            model_cache: Path) -> Iterator[type[SyncModel]]:
    SyncModel.zotero, SyncModel.sources = zotero_running, sources
    SyncModel.base, SyncModel.cache = tmp_path, model_cache
    yield SyncModel


def test_any_sequence_of_notes_runs_and_edits_keeps_the_library_right(
        machine: type[SyncModel]) -> None:
    phases = [p for p in Phase if SHRINK or p not in (Phase.shrink, Phase.explain)]
    run_state_machine_as_test(machine, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, phases=phases,
        report_multiple_bugs=False, print_blob=True, suppress_health_check=list(HealthCheck)))
