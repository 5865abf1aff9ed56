"""Writing to Zotero without duplicates, lost edits or silent failures.

    executor = WriteExecutor(api, store, run_id)
    executor.resume_pending()                       # always first: finishes a killed run
    result = executor.apply([PlannedWrite({...})], "create")

Creates carry a client-assigned key and `version: 0`; updates carry the version they were
planned against (PATCH semantics: only the fields given change). Each batch of up to 50 is
recorded in the state store and committed before it is sent, and is re-sent unchanged
(same keys, same versions) after a dropped connection, a timeout, a 5xx or a 429; the
server's per-object preconditions make every resend harmless (see `zotero_settle`). A batch
Zotero never confirmed stays pending, and `resume_pending` sends it again the same way.
Children come after their parents; a child whose parent was not created is not sent.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zsync.errors import ZoteroError
from zsync.sources.retry import Exhausted
from zsync.state.journal import ObjectType, WriteKind
from zsync.state.store import Intent, IntentObject, StateStore
from zsync.zotero.client import ZoteroApi
from zsync.zotero.resume import precheck_creates
from zsync.zotero.settle import ObjectOutcome, settle

if TYPE_CHECKING:
    from pyzotero import zotero_errors as ze

KEY_ALPHABET = "23456789ABCDEFGHIJKLMNPQRSTUVWXYZ"
BATCH = 50
_PARENT = {"items": "parentItem", "collections": "parentCollection"}
_NOT_ON_UPDATE = ("dateAdded", "dateModified")


class PendingWritesError(ZoteroError):
    """New writes were asked for while an earlier run's writes are still unconfirmed."""


class WriteUnconfirmed(ZoteroError):
    """Zotero never confirmed a batch; it stays recorded and is re-sent by the next run."""

    def __init__(self, batch_id: str, reason: str) -> None:
        super().__init__(
            f"Zotero did not confirm write batch {batch_id[:8]} ({reason}); it is kept and "
            "will be re-sent with the same keys and versions by the next run, which cannot "
            "create duplicates")
        self.batch_id = batch_id
        self.reason = reason


class LibraryMoved(ZoteroError):
    """Zotero refused a guarded create (412): another client wrote to the library since the
    plan was made. Nothing in the batch was written; plan again against the library."""


class WriteRejected(ZoteroError):
    """Zotero refused a whole batch (e.g. 403 no write access); nothing in it was written."""

    def __init__(self, status: int | None, detail: str) -> None:
        super().__init__(f"Zotero refused the write (HTTP {status}): {detail}")
        self.status = status


@dataclass(frozen=True)
class PlannedWrite:
    """One object to write: Zotero editable JSON plus what to remember about it."""

    data: dict[str, Any]
    fingerprint: str = ""
    ref: str = ""
    remember: dict[str, Any] | None = None  # see `IntentObject.remember`


@dataclass
class WriteResult:
    outcomes: list[ObjectOutcome] = field(default_factory=list)
    batches: int = 0

    def with_status(self, *statuses: str) -> list[ObjectOutcome]:
        return [o for o in self.outcomes if o.status in statuses]

    @property
    def ok(self) -> bool:
        return not self.with_status("failed", "needs_replan")


class WriteExecutor:
    """Sends planned writes for one library and records everything in the state store."""

    def __init__(self, api: ZoteroApi, store: StateStore, run_id: int | None = None) -> None:
        self.api = api
        self.store = store
        self.run_id = run_id
        self._issued: set[str] = set()
        api.bind(store)

    def new_key(self) -> str:
        """A fresh 8-character key, unused in the mirror and in this run."""
        while True:
            key = "".join(secrets.choice(KEY_ALPHABET) for _ in range(8))
            if key not in self._issued and not self.store.mirror.key_in_use(key):
                self._issued.add(key)
                return key

    def resume_pending(self) -> WriteResult:
        """Finish every batch a killed or interrupted run left unconfirmed.

        Updates are re-sent as they were. Creates are first looked up (see
        `zotero_resume`): only objects Zotero never received are sent again.
        """
        self.api.require_writable()
        result = WriteResult()
        for intent in self.store.intents.pending():
            if intent.kind == "create":
                try:
                    known, intent = precheck_creates(self.api, self.store, intent, self.run_id)
                except Exhausted as exc:
                    raise WriteUnconfirmed(intent.batch_id, exc.reason) from None
                result.outcomes.extend(known)
                if not intent.objects:
                    continue
            result.outcomes.extend(self._send(intent))
            result.batches += 1
        return result

    def apply(self, objects: Iterable[PlannedWrite | Mapping[str, Any]], kind: WriteKind,
              object_type: ObjectType = "items", *, guard: bool = False) -> WriteResult:
        """Write `objects` in batches of 50; one outcome per object, in send order.

        With `guard`, each batch carries the library version the mirror is at, and
        `LibraryMoved` is raised when Zotero says the library has moved on since."""
        self.api.require_writable()
        if self.store.intents.pending():
            raise PendingWritesError("earlier writes are still unconfirmed; call "
                                     "resume_pending() before planning new ones")
        result = WriteResult()
        ready: list[IntentObject] = []
        for planned in objects:
            prepared = self._prepare(_planned(planned), kind)
            if isinstance(prepared, ObjectOutcome):
                result.outcomes.append(prepared)
            else:
                ready.append(prepared)
        not_created: set[str] = set()
        for batch in _batches(_parents_first(ready, _PARENT[object_type])):
            batch = self._drop_orphans(batch, object_type, not_created, result)
            if not batch:
                continue
            version = self.store.mirror.library_version()
            intent = self.store.intents.record(kind, object_type, batch, self.run_id, version)
            outcomes = self._send(intent, version if guard else None)
            result.outcomes.extend(outcomes)
            result.batches += 1
            not_created |= {o.key for o in outcomes
                            if o.status in ("failed", "needs_replan") and kind == "create"}
        return result

    def _prepare(self, planned: PlannedWrite, kind: WriteKind) -> IntentObject | ObjectOutcome:
        data = dict(planned.data)
        if kind == "create":
            data["key"] = data.get("key") or self.new_key()
            data["version"] = 0
            return IntentObject(data, planned.fingerprint, planned.ref, planned.remember)
        key = data.get("key")
        if not key:
            raise ValueError("an update needs the item's key")
        if data.get("version") is None:
            mirrored = self.store.mirror.get_item(key) or self.store.mirror.get_collection(key)
            if mirrored is None:
                return ObjectOutcome(key, "failed", ref=planned.ref,
                                     message="not in the mirror: no version to update against")
            data["version"] = mirrored.version
        for name in _NOT_ON_UPDATE:
            data.pop(name, None)
        return IntentObject(data, planned.fingerprint, planned.ref, planned.remember)

    def _drop_orphans(self, batch: list[IntentObject], object_type: ObjectType,
                      not_created: set[str], result: WriteResult) -> list[IntentObject]:
        keep: list[IntentObject] = []
        for obj in batch:
            parent = obj.data.get(_PARENT[object_type])
            if parent and parent in not_created:
                not_created.add(obj.data["key"])
                result.outcomes.append(ObjectOutcome(
                    obj.data["key"], "failed", ref=obj.ref,
                    message=f"not sent: its parent {parent} was not written"))
            else:
                keep.append(obj)
        return keep

    def _send(self, intent: Intent, guard: int | None = None) -> list[ObjectOutcome]:
        zot = self.api.zot  # pyzotero, loaded as `pyzotero_client` loads it
        from pyzotero import zotero_errors as ze
        objects = [dict(o.data) for o in intent.objects]
        self.store.intents.count_attempt(intent.batch_id)

        def write() -> Any:
            if intent.object_type == "items":
                return zot.create_items(objects, last_modified=guard)
            return zot.create_collections(objects, last_modified=guard)

        try:
            report = self.api.call(write)
        except Exhausted as exc:
            raise WriteUnconfirmed(intent.batch_id, exc.reason) from None
        except ze.PyZoteroError as exc:
            if guard is not None and self.api.last_status() == 412:
                self.store.intents.mark(intent.batch_id, "failed")
                raise LibraryMoved(f"the library moved past version {guard}") from None
            raise self._rejected(intent, exc) from None
        except ValueError:  # a 2xx whose body is not JSON
            raise WriteUnconfirmed(intent.batch_id, "the answer was not readable") from None
        if not isinstance(report, Mapping):
            raise WriteUnconfirmed(intent.batch_id, "the answer was not a write report")
        response = self.api.zot.request  # before settle() reads objects back
        try:
            outcomes = settle(self.api, self.store, intent, report, self.run_id)
        except Exhausted as exc:  # reading objects back failed; resending is still safe
            raise WriteUnconfirmed(intent.batch_id, exc.reason) from None
        advance_mirror(self.store, outcomes, response)
        return outcomes

    def _rejected(self, intent: Intent, exc: ze.PyZoteroError) -> Exception:
        status = self.api.last_status()
        response = self.api.zot.request
        detail = (response.text.strip()[:200] if response is not None else type(exc).__name__)
        if status == 409:  # library locked: nothing written, safe to resend later
            return WriteUnconfirmed(intent.batch_id, f"library locked: {detail}")
        self.store.intents.mark(intent.batch_id, "failed")
        return WriteRejected(status, detail)


_OWN_WRITES = frozenset({"created", "updated", "existed"})


def advance_mirror(store: StateStore, outcomes: Iterable[ObjectOutcome], response: Any) -> bool:
    """Move the mirror's library version up to the write's `Last-Modified-Version` when
    every version in between is that of an object this batch wrote (now in the mirror at
    that version; an earlier attempt of the same batch counts), so the next run's refresh
    costs one request instead of listing zsync's own changes again.

    Anything else in between (another client's write, a deletion, an unchanged object that
    still took a version) leaves the version alone: the next refresh fetches it.
    """
    headers = getattr(response, "headers", None) or {}
    try:
        last = int(headers.get("Last-Modified-Version", ""))
    except ValueError:
        return False
    mirror = store.mirror
    stored = mirror.library_version()
    if not mirror.has_refreshed() or last <= stored:
        return False
    versions = {o.version for o in outcomes if o.status in _OWN_WRITES and o.version is not None}
    if not set(range(stored + 1, last + 1)) <= versions:
        return False
    mirror.set_library_version(last)
    return True


def resume_pending(api: ZoteroApi, store: StateStore, run_id: int | None = None
                   ) -> WriteResult:
    """Finish the writes a killed run left pending (see `WriteExecutor.resume_pending`)."""
    return WriteExecutor(api, store, run_id).resume_pending()


def _planned(obj: PlannedWrite | Mapping[str, Any]) -> PlannedWrite:
    return obj if isinstance(obj, PlannedWrite) else PlannedWrite(dict(obj))


def _parents_first(objs: Sequence[IntentObject], parent_field: str) -> list[IntentObject]:
    """Stable order in which every object comes after its parent, if that is in `objs`."""
    by_key = {o.data["key"]: o for o in objs}

    def depth(obj: IntentObject) -> int:
        level, seen = 0, {obj.data["key"]}
        parent = obj.data.get(parent_field)
        while parent in by_key and parent not in seen:
            seen.add(parent)
            level += 1
            parent = by_key[parent].data.get(parent_field)
        return level

    return sorted(objs, key=depth)


def _batches(objs: list[IntentObject]) -> Iterator[list[IntentObject]]:
    for start in range(0, len(objs), BATCH):
        yield objs[start:start + BATCH]
