"""The user's "not duplicates" list: pairs of item keys or work identities kept apart.

add_not_duplicate(config, "ABCD2345", "EFGH6789")    # kept apart from now on
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from typing import Any

from zsync.config.settings import Config
from zsync.dedupe.signature import item_title
from zsync.errors import UsageError
from zsync.model import identifiers as idn
from zsync.state.store import RunLock, StateStore
from zsync.zotero.api import PlannedWrite, WriteExecutor, ZoteroApi, make_api, refresh_mirror
from zsync.zotero.memory import Memory, join_extra, split_extra
from zsync.zotero.mirror import library_view

ApiFactory = Callable[[Config], ZoteroApi]
NO_ACCOUNT = (
    "no Zotero account configured: set zotero.library_id and zotero.api_key "
    "(or ZOTERO_LIBRARY_ID / ZOTERO_API_KEY)"
)
_KEY = re.compile(r"^[23456789ABCDEFGHIJKLMNPQRSTUVWXYZ]{8}$", re.IGNORECASE)
_KINDS = ("doi", "pmid", "pmcid", "arxiv", "isbn")


class DedupeSetupError(UsageError):
    """The command cannot run as asked: settings missing, an unknown cluster, a bad pair."""


def identity_of(raw: str) -> str:
    """A key or work identity as the duplicate rules name it: item keys in upper case,
    identifiers as `kind:value` (a bare DOI, PMCID or PMID is recognised)."""
    text = raw.strip()
    kind, sep, value = text.partition(":")
    kind = kind.strip().lower()
    if sep and kind in _KINDS:
        normal = _normal(kind, value.strip())
        if normal is None:
            raise DedupeSetupError(f"not a valid {kind.upper()}: {value.strip()!r}")
        return f"{kind}:{normal}"
    if text.isdigit():
        return f"pmid:{_normal('pmid', text) or text}"
    if _KEY.match(text):
        return text.upper()
    guesses = (("pmcid", text.upper().startswith("PMC")), ("doi", "10." in text))
    for kind, likely in guesses:
        normal = _normal(kind, text) if likely else None
        if normal is not None:
            return f"{kind}:{normal}"
    if not text:
        raise DedupeSetupError("an empty key or identity")
    return text


def _normal(kind: str, value: str) -> str | None:
    if kind == "isbn":
        return idn.normalize_isbn(value)
    normalize: dict[str, Callable[[str], str | None]] = {
        "doi": idn.normalize_doi,
        "pmid": idn.normalize_pmid,
        "pmcid": idn.normalize_pmcid,
        "arxiv": idn.normalize_arxiv,
    }
    return normalize[kind](value)


def _pair(a: str, b: str) -> tuple[str, str]:
    first, second = sorted((identity_of(a), identity_of(b)))
    if first == second:
        raise DedupeSetupError(f"a pair needs two different keys or identities ({first})")
    return first, second


def add_not_duplicate(
    config: Config, a: str, b: str, api_factory: ApiFactory = make_api
) -> dict[str, Any]:
    """Keep `a` and `b` apart from now on; the pair as stored, with what the mirror knows
    of each (a key it does not hold is named in `warnings`)."""
    first, second = _pair(a, b)
    with library_store(config, api_factory, lock=True) as store:
        known = store.not_duplicates.contains(first, second)
        store.not_duplicates.add(first, second)
        api = _refreshed(config, store, api_factory)
        kept = _remember_in_items(api, store, first, second, apart=True)
        entry = _pair_entry(store, first, second)
    warnings = [
        f"{k} is not in the library mirror (as of the last refresh)"
        for k in (first, second)
        if _KEY.match(k) and entry[_side(entry, k)] is None
    ]
    return {**entry, "added": not known, "warnings": warnings + kept}


def forget_not_duplicate(
    config: Config, a: str, b: str, api_factory: ApiFactory = make_api
) -> bool:
    """Take a pair off the list; False when it was not on it."""
    first, second = _pair(a, b)
    with library_store(config, api_factory, lock=True) as store:
        listed = store.not_duplicates.remove(first, second)
        api = _refreshed(config, store, api_factory)  # the items may remember the pair
        in_items = frozenset((first, second)) in library_view(store).kept_apart()
        if in_items:
            _remember_in_items(api, store, first, second, apart=False)
        return listed or in_items


def list_not_duplicates(config: Config, api_factory: ApiFactory = make_api) -> list[dict[str, Any]]:
    with library_store(config, api_factory, lock=True) as store:
        _refreshed(config, store, api_factory)  # the items may remember pairs
        kept = store.not_duplicates.pairs() | library_view(store).kept_apart()
        pairs = sorted(tuple(sorted(p)) for p in kept)
        return [_pair_entry(store, a, b) for a, b in pairs]


def _refreshed(config: Config, store: StateStore, api_factory: ApiFactory) -> ZoteroApi:
    """The API, after bringing the mirror up to date (one request when nothing changed)."""
    api = api_factory(config)
    refresh_mirror(api, store)
    return api


def _remember_in_items(api: ZoteroApi, store: StateStore, first: str, second: str, *,
                       apart: bool) -> list[str]:
    """Write the pair into both items' memory (the mirror just refreshed), so it outlives
    this computer's state file; what could not be written, as warnings. Identity pairs
    stay in the state file."""
    if not (_KEY.match(first) and _KEY.match(second)):
        return ["a pair of identities is kept in this computer's state file only"]
    executor = WriteExecutor(api, store)
    executor.resume_pending()
    for attempt in range(3):  # an item edited meanwhile elsewhere: read it again, retry
        if attempt:
            refresh_mirror(api, store)
        writes = [w for w in (_apart_write(store, key, other, apart)
                              for key, other in ((first, second), (second, first))) if w]
        if not writes:
            return []
        result = executor.apply(writes, "update")
        failed = result.with_status("failed")
        if failed:
            return [f"{o.key}: the pair could not be kept in the item ({o.message})"
                    for o in failed]
        if not result.with_status("needs_replan"):
            return []
    return ["the items kept changing in Zotero; the pair is kept in this computer's state "
            "file only for now"]


def _apart_write(store: StateStore, key: str, other: str, apart: bool) -> PlannedWrite | None:
    item = store.mirror.get_item(key)
    if item is None or item.deleted:
        return None
    rest, memory = split_extra(item.data.get("extra"))
    memory = memory or Memory()
    wanted = memory.apart | {other} if apart else memory.apart - {other}
    if wanted == memory.apart:
        return None
    extra = join_extra(rest, replace(memory, apart=wanted))
    return PlannedWrite({"key": key, "version": item.version, "extra": extra})


def _side(entry: dict[str, Any], key: str) -> str:
    return "a_item" if entry["a"] == key else "b_item"


def _pair_entry(store: StateStore, a: str, b: str) -> dict[str, Any]:
    return {"a": a, "b": b, "a_item": _known(store, a), "b_item": _known(store, b)}


def _known(store: StateStore, identity: str) -> dict[str, Any] | None:
    if not _KEY.match(identity):
        return None
    item = store.mirror.get_item(identity)
    if item is None or item.deleted:
        return None
    return {"title": item_title(item.data), "item_type": item.item_type, "trashed": item.trashed}


@contextmanager
def library_store(config: Config, api_factory: ApiFactory, lock: bool) -> Iterator[StateStore]:
    """The state store with the configured library selected (the list is per library)."""
    if not config.has_zotero_account():
        raise DedupeSetupError(NO_ACCOUNT + "; the not-duplicates list is kept per library")
    with ExitStack() as stack:
        if lock:
            stack.enter_context(RunLock(config.state_path()))
        store = stack.enter_context(StateStore.from_config(config))
        if config.zotero.local:
            api_factory(config).bind(store)  # the local API names its library by server id
        else:
            library_id = config.zotero.library_id.strip()
            store.select_library(f"{config.zotero.library_type}s/{library_id}")
        yield store
