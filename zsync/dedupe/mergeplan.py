"""What merging a duplicate cluster would do, as Zotero merges items: as data, no I/O.

Zotero (duplicatesMerge.js, Zotero.Items.merge) merges items of one type only. The master
is the item added first (oldest `dateAdded`); the user may pick another field value from
the other items, field by field. Then, for each other item: its notes and attachments move
under the master; its relations are added to the master and its own `dc:replaces` taken
off it; relations of other items in the library that point to it are pointed at the
master; its collections and tags are added to the master (a tag the master already has
keeps the master's manual type, an automatic one takes the other's type); `dc:replaces`
with its URI is set on the master; it goes to the trash. The master takes the earliest
`dateAdded` of all.

zsync does the same, choosing field values by rule instead of by hand: a field empty on
the master takes the first non-empty value among the others, oldest first (creators too,
when the master has none). Not done here: Zotero's newer merge also folds attachments with
identical files (by hash) into one; that needs the files, so every child is moved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from zsync.zotero.library import LibraryItem, LibraryView
from zsync.zotero.memory import Contribution, Memory, join_extra, split_extra

REPLACES = "dc:replaces"
_NOT_FIELDS = frozenset({
    "key", "version", "itemType", "creators", "tags", "collections", "relations",
    "dateAdded", "dateModified", "deleted", "parentItem", "inPublications",
})
_CHILD_TYPES = ("note", "attachment")

MasterRule = Callable[[Sequence[LibraryItem]], LibraryItem]


def oldest_first(items: Sequence[LibraryItem]) -> LibraryItem:
    """Zotero's rule: the item added first (oldest `dateAdded`; then the smaller key)."""
    return min(items, key=lambda i: (str(i.data.get("dateAdded") or "9999"), i.key))


def choose_master(keys: Sequence[str], library: LibraryView,
                  rule: MasterRule = oldest_first) -> str:
    """The key of the item that survives a merge of `keys` (default: Zotero's rule)."""
    return rule([library.items[k] for k in keys]).key


@dataclass(frozen=True, slots=True)
class FieldFill:
    field: str
    value: Any
    source: str  # key of the item the value comes from


@dataclass(frozen=True, slots=True)
class ChildMove:
    key: str
    version: int
    item_type: str
    from_parent: str


@dataclass(frozen=True, slots=True)
class RelationRewrite:
    """Item `key` points at a merged-away item with `predicate`; point it at the master."""

    key: str
    version: int
    predicate: str
    old: str
    new: str


@dataclass(frozen=True)
class MergePlan:
    master: str
    others: tuple[str, ...]
    refused: str | None = None  # why Zotero would not merge these items
    fills: tuple[FieldFill, ...] = ()
    date_added: str | None = None  # set when an other item is older
    tags: tuple[dict[str, Any], ...] = ()  # the master's tags after the merge
    tags_added: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()
    collections_added: tuple[str, ...] = ()
    relations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    replaces: tuple[str, ...] = ()  # URIs the master's dc:replaces gains
    children: tuple[ChildMove, ...] = ()
    rewrites: tuple[RelationRewrite, ...] = ()
    trash: tuple[str, ...] = ()
    master_payload: Mapping[str, Any] = field(default_factory=dict)


def item_uri(library_uri: str, key: str) -> str:
    """Zotero's URI of an item, e.g. http://zotero.org/users/123/items/ABCD2345."""
    return f"{library_uri.rstrip('/')}/items/{key}"


def plan_merge(keys: Sequence[str], library: LibraryView, library_uri: str,
               rule: MasterRule = oldest_first) -> MergePlan:
    """What merging the items `keys` into one would change (see the module docstring)."""
    items = [library.items[k] for k in keys]
    master = library.items[choose_master(keys, library, rule)]
    others = sorted((i for i in items if i.key != master.key),
                    key=lambda i: (str(i.data.get("dateAdded") or ""), i.key))
    other_keys = tuple(i.key for i in others)
    types = sorted({i.item_type for i in items})
    if len(types) > 1:
        reason = f"items of different types ({', '.join(types)}): change one type first"
        return MergePlan(master.key, other_keys, refused=reason)
    fills = _fills(master, others)
    tags, tags_added = _tags(master, others)
    collections = _union([master, *others], "collections")
    relations, replaces = _relations(master, others, library_uri)
    earliest = min((str(i.data.get("dateAdded") or "") for i in items if
                    i.data.get("dateAdded")), default=None)
    date_added = earliest if earliest and earliest != master.data.get("dateAdded") else None
    plan = MergePlan(
        master=master.key, others=other_keys, fills=tuple(fills), date_added=date_added,
        tags=tuple(tags), tags_added=tuple(tags_added), collections=tuple(collections),
        collections_added=tuple(c for c in collections
                                if c not in master.data.get("collections", [])),
        relations=relations, replaces=replaces,
        children=tuple(_children(others, library)),
        rewrites=tuple(_rewrites(master, others, library, library_uri)), trash=other_keys,
    )
    return _with_payload(plan, master, folded_extra(master, others, fills))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _fills(master: LibraryItem, others: Sequence[LibraryItem]) -> list[FieldFill]:
    fills = []
    for name, value in master.data.items():
        if name in _NOT_FIELDS or not _empty(value):
            continue
        for other in others:
            if not _empty(other.data.get(name)):
                fills.append(FieldFill(name, other.data[name], other.key))
                break
    if not master.data.get("creators"):
        for other in others:
            if other.data.get("creators"):
                fills.append(FieldFill("creators", other.data["creators"], other.key))
                break
    return fills


def _tags(master: LibraryItem, others: Sequence[LibraryItem]
          ) -> tuple[list[dict[str, Any]], list[str]]:
    tags = [dict(t) for t in master.data.get("tags", [])]
    by_name = {t["tag"]: t for t in tags}
    added: list[str] = []
    for other in others:
        for tag in other.data.get("tags", []):
            held = by_name.get(tag["tag"])
            if held is None:
                by_name[tag["tag"]] = new = dict(tag)
                tags.append(new)
                added.append(tag["tag"])
            elif held.get("type", 0) and not tag.get("type", 0):
                held.pop("type", None)  # an automatic tag becomes the other's manual tag
    return tags, added


def _union(items: Sequence[LibraryItem], name: str) -> list[str]:
    return list(dict.fromkeys(v for i in items for v in i.data.get(name, [])))


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _relations(master: LibraryItem, others: Sequence[LibraryItem], library_uri: str
               ) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    merged: dict[str, list[str]] = {}
    for item in (master, *others):
        for predicate, objects in (item.data.get("relations") or {}).items():
            merged.setdefault(predicate, []).extend(_as_list(objects))
    master_uri = item_uri(library_uri, master.key)
    replaced = [item_uri(library_uri, o.key) for o in others]
    merged.setdefault(REPLACES, []).extend(replaced)
    before = set(_as_list((master.data.get("relations") or {}).get(REPLACES)))
    out = {p: tuple(dict.fromkeys(o for o in objs if o != master_uri and
                                  (p == REPLACES or o not in replaced)))
           for p, objs in merged.items()}
    return out, tuple(u for u in out[REPLACES] if u not in before)


def _children(others: Sequence[LibraryItem], library: LibraryView) -> list[ChildMove]:
    return [
        ChildMove(child.key, child.version, child.item_type, other.key)
        for other in others for kind in _CHILD_TYPES
        for child in library.children(other.key, kind)
    ]


def _rewrites(master: LibraryItem, others: Sequence[LibraryItem], library: LibraryView,
              library_uri: str) -> list[RelationRewrite]:
    targets = {item_uri(library_uri, o.key) for o in others}
    new = item_uri(library_uri, master.key)
    skip = {master.key, *(o.key for o in others)}
    found: list[RelationRewrite] = []
    for item in library.items.values():
        if item.key in skip or item.trashed:
            continue
        for predicate, objects in (item.data.get("relations") or {}).items():
            if predicate == REPLACES:
                continue
            found.extend(RelationRewrite(item.key, item.version, predicate, old, new)
                         for old in _as_list(objects) if old in targets)
    return found


def folded_extra(master: LibraryItem, others: Sequence[LibraryItem],
                 fills: Sequence[FieldFill]) -> str | None:
    """The master's `extra` with zsync's memory of every merged item folded into it, so
    what zsync wrote to the copies (their notes, tags, status, kept-apart pairs) is still
    known as zsync's; None when no copy holds a memory line (nothing to fold)."""
    memories = {i.key: split_extra(i.data.get("extra"))[1] for i in others}
    if not any(memories.values()):
        return None
    rests = (split_extra(i.data.get("extra"))[0] for i in (master, *others))
    rest = next((r for r in rests if r), "")  # zsync's line aside, as Zotero fills fields
    mine = split_extra(master.data.get("extra"))[1] or Memory()
    copies = [m for m in memories.values() if m]
    fields = dict(mine.fields)
    for f in fills:
        hashed = (memories.get(f.source) or Memory()).fields.get(f.field)
        if hashed:
            fields[f.field] = hashed
    contributors: dict[str, Contribution] = {}
    for memory in [*reversed(copies), mine]:  # the master's own record wins
        contributors.update(memory.contributors)
    merged = {master.key, *memories}
    folded = Memory(
        fields=fields, tags=mine.tags.union(*(m.tags for m in copies)),
        collection=mine.collection or next((m.collection for m in copies if m.collection),
                                           None),
        contributors=contributors,
        work=mine.work or next((m.work for m in copies if m.work), None),
        noticed=mine.noticed.union(*(m.noticed for m in copies)),
        apart=mine.apart.union(*(m.apart for m in copies)) - merged,
    )
    return join_extra(rest, folded)


def _with_payload(plan: MergePlan, master: LibraryItem, extra: str | None) -> MergePlan:
    payload: dict[str, Any] = {"key": master.key, "version": master.version}
    payload.update({f.field: f.value for f in plan.fills})
    if extra is not None:
        payload["extra"] = extra
    if plan.tags_added or plan.tags != tuple(master.data.get("tags", [])):
        payload["tags"] = list(plan.tags)
    if plan.collections_added:
        payload["collections"] = list(plan.collections)
    payload["relations"] = {p: list(o) if len(o) != 1 else o[0]
                            for p, o in plan.relations.items() if o}
    if plan.date_added:
        payload["dateAdded"] = plan.date_added
    return MergePlan(**{**plan.__dict__, "master_payload": payload})
