"""Making sure collections such as "Status" and "Status/New" exist, exactly once.

Each path is looked up in the mirror by name under its parent; only missing ones are
created, with client keys and `version: 0`, parents before children (a child may name a
parent created in the same batch). Refresh the mirror first, so that collections made in
Zotero since the last run are found rather than made again.
"""

from __future__ import annotations

from collections.abc import Iterable

from zsync.errors import ZoteroError
from zsync.zotero.writer import PlannedWrite, WriteExecutor


class CollectionError(ZoteroError):
    """A collection zsync needs could not be created."""


def ensure_collections(executor: WriteExecutor,
                       paths: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """Key of every collection path (and of each of its ancestors), creating missing ones."""
    mirror = executor.store.mirror
    keys: dict[tuple[str, ...], str] = {}
    planned: list[PlannedWrite] = []
    for path in paths:
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if prefix in keys:
                continue
            parent = keys[prefix[:-1]] if depth > 1 else None
            found = mirror.find_collection(prefix[-1], parent)
            if found is not None:
                keys[prefix] = found.key
                continue
            key = executor.new_key()
            keys[prefix] = key
            planned.append(PlannedWrite(
                {"key": key, "name": prefix[-1], "parentCollection": parent or False},
                ref="/".join(prefix)))
    if planned:
        result = executor.apply(planned, "create", "collections")
        failed = result.with_status("failed")
        if failed:
            reasons = "; ".join(f"{o.ref}: {o.code or ''} {o.message}".strip() for o in failed)
            raise CollectionError(f"could not create collections: {reasons}")
    return keys
