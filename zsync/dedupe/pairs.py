"""The user's "not duplicates" list: pairs of item keys or work identities kept apart.

add_not_duplicate(config, "ABCD2345", "EFGH6789")    # kept apart from now on
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from zsync.config.settings import Config
from zsync.dedupe.signature import item_title
from zsync.model import identifiers as idn
from zsync.state.store import RunLock, StateStore
from zsync.zotero.api import ZoteroApi, make_api

ApiFactory = Callable[[Config], ZoteroApi]
NO_ACCOUNT = (
    "no Zotero account configured: set zotero.library_id and zotero.api_key "
    "(or ZOTERO_LIBRARY_ID / ZOTERO_API_KEY)"
)
_KEY = re.compile(r"^[23456789ABCDEFGHIJKLMNPQRSTUVWXYZ]{8}$", re.IGNORECASE)
_KINDS = ("doi", "pmid", "pmcid", "arxiv", "isbn")


class DedupeSetupError(Exception):
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
        entry = _pair_entry(store, first, second)
    warnings = [
        f"{k} is not in the library mirror (as of the last refresh)"
        for k in (first, second)
        if _KEY.match(k) and entry[_side(entry, k)] is None
    ]
    return {**entry, "added": not known, "warnings": warnings}


def forget_not_duplicate(
    config: Config, a: str, b: str, api_factory: ApiFactory = make_api
) -> bool:
    """Take a pair off the list; False when it was not on it."""
    first, second = _pair(a, b)
    with library_store(config, api_factory, lock=True) as store:
        return store.not_duplicates.remove(first, second)


def list_not_duplicates(config: Config, api_factory: ApiFactory = make_api) -> list[dict[str, Any]]:
    with library_store(config, api_factory, lock=False) as store:
        pairs = sorted(tuple(sorted(p)) for p in store.not_duplicates.pairs())
        return [_pair_entry(store, a, b) for a, b in pairs]


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
        if config["zotero.local"]:
            api_factory(config).bind(store)  # the local API names its library by server id
        else:
            library_id = str(config["zotero.library_id"]).strip()
            store.select_library(f"{config['zotero.library_type']}s/{library_id}")
        yield store
