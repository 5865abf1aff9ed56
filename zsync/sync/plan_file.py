"""Filing planned items in one more collection the user names (`zsync add --collection`).
Pure: amends a `Plan`; the collection (and its parents, `A/B`) is made when missing."""

from __future__ import annotations

from dataclasses import replace

from zsync.sync.plantypes import Action, CollectionCreate, Plan, PlanInputs, WorkPlan


def collection_parts(path: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in path.split("/") if part.strip())


def _collection(parts: tuple[str, ...], inputs: PlanInputs,
                planned: tuple[CollectionCreate, ...]) -> tuple[str, list[CollectionCreate]]:
    """The key of the collection at `parts`, and the collections to make for it."""
    creates: list[CollectionCreate] = []
    parent: str | None = None
    for depth in range(1, len(parts) + 1):
        key = inputs.library.find_collection(parts[:depth])
        if key is None:
            key = next((c.key for c in (*planned, *creates)
                        if c.name == parts[depth - 1] and c.parent == parent), None)
        if key is None:
            key = inputs.new_key()
            creates.append(CollectionCreate(key, parts[depth - 1], parent))
        parent = key
    assert parent is not None
    return parent, creates


def _filed(work: WorkPlan, key: str, inputs: PlanInputs) -> WorkPlan:
    if work.action in (Action.DUPLICATE, Action.ERROR) or work.item_key is None:
        return work
    if work.action == Action.CREATE and work.payload is not None:
        payload = {**work.payload, "collections": [*work.payload["collections"], key]}
        return replace(work, payload=payload,
                       collections_added=(*work.collections_added, key))
    item = inputs.library.items.get(work.item_key)
    if item is None or item.trashed:
        return work
    current = list((work.payload or {}).get("collections", item.data.get("collections", [])))
    if key in current:
        return work
    payload = {"key": item.key, "version": item.version, **(work.payload or {}),
               "collections": [*current, key]}
    action = Action.UPDATE if work.action == Action.UNCHANGED else work.action
    return replace(work, action=action, payload=payload,
                   collections_added=(*work.collections_added, key))


def file_in(planned: Plan, inputs: PlanInputs, path: str) -> Plan:
    """`planned`, with every item it creates or keeps also in the collection at `path`."""
    parts = collection_parts(path)
    if not parts:
        return planned
    key, creates = _collection(parts, inputs, planned.collections)
    names = {**planned.collection_names, key: "/".join(parts)}
    return replace(planned, collections=(*planned.collections, *creates),
                   works=tuple(_filed(w, key, inputs) for w in planned.works),
                   collection_names=names)
