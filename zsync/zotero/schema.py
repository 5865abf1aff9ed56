"""Zotero's item schema: which fields and creator types each item type has.

zsync ships a compact copy (`zsync/data/zotero_schema.json`) made from the `schema.json` that
`https://api.zotero.org/schema` serves; a live library's own schema (the same full JSON) can
replace it with `ZoteroSchema.from_schema_json`. Regenerate the shipped copy with
`python -m zsync.zotero.schema path/to/schema.json zsync/data/zotero_schema.json`.

Compact form: `{"version": 41, "itemTypes": {type: {"fields": [...], "base": {field: base},
"creatorTypes": [primary, ...]}}}`, fields in Zotero's order.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

# Keys of an item's `data` object that are not item fields.
ITEM_META_KEYS = frozenset(
    {"key", "version", "itemType", "creators", "tags", "collections", "relations",
     "parentItem", "dateAdded", "dateModified", "deleted", "inPublications"}
)


@dataclass(frozen=True, slots=True)
class ItemTypeSpec:
    fields: tuple[str, ...]
    base: Mapping[str, str]  # type-specific field -> base field (bookTitle -> publicationTitle)
    creator_types: tuple[str, ...]  # primary creator type first


class ZoteroSchema:
    """Valid fields, base-field mappings and creator types per Zotero item type."""

    def __init__(self, version: int, item_types: Mapping[str, ItemTypeSpec]) -> None:
        self.version = version
        self._types = dict(item_types)
        self._base_of: dict[str, str] = {}
        for spec in self._types.values():
            self._base_of.update(spec.base)

    # --- construction ------------------------------------------------------------------------

    @classmethod
    def from_schema_json(cls, full: Mapping[str, Any]) -> ZoteroSchema:
        """From the full schema JSON (the Zotero server's `/schema` answer)."""
        return cls.from_compact(compact_schema(full))

    @classmethod
    def from_compact(cls, compact: Mapping[str, Any]) -> ZoteroSchema:
        types = {
            name: ItemTypeSpec(
                fields=tuple(spec["fields"]),
                base=dict(spec.get("base", {})),
                creator_types=tuple(spec.get("creatorTypes", ())),
            )
            for name, spec in compact["itemTypes"].items()
        }
        return cls(int(compact["version"]), types)

    @classmethod
    def load_default(cls) -> ZoteroSchema:
        """The schema shipped with zsync (cached)."""
        return _default_schema()

    # --- queries -----------------------------------------------------------------------------

    @property
    def item_types(self) -> tuple[str, ...]:
        return tuple(self._types)

    def has_type(self, item_type: str) -> bool:
        return item_type in self._types

    def fields(self, item_type: str) -> tuple[str, ...]:
        return self._spec(item_type).fields

    def has_field(self, item_type: str, field: str) -> bool:
        return item_type in self._types and field in self._types[item_type].fields

    def base_field(self, field: str) -> str | None:
        """The base field of a type-specific field (`university` -> `publisher`)."""
        return self._base_of.get(field)

    def resolve_field(self, item_type: str, field: str) -> str | None:
        """The field of `item_type` that holds `field`: itself, its type-specific variant
        (`publicationTitle` -> `bookTitle` on bookSection), or the variant of its base field
        (`repository` -> `publisher` on book). None when the type has no such field."""
        spec = self._spec(item_type)
        if field in spec.fields:
            return field
        base = self._base_of.get(field, field)
        if base in spec.fields:
            return base
        for specific, its_base in spec.base.items():
            if its_base == base:
                return specific
        return None

    def creator_types(self, item_type: str) -> tuple[str, ...]:
        return self._spec(item_type).creator_types

    def primary_creator_type(self, item_type: str) -> str | None:
        types = self._spec(item_type).creator_types
        return types[0] if types else None

    def item_problems(self, data: Mapping[str, Any]) -> list[str]:
        """Why Zotero would reject item `data` under this schema (empty list: valid)."""
        item_type = data.get("itemType")
        if not isinstance(item_type, str) or item_type not in self._types:
            return [f"unknown itemType {item_type!r}"]
        problems = [
            f"field {name!r} is not valid for {item_type}"
            for name in data
            if name not in ITEM_META_KEYS and not self.has_field(item_type, name)
        ]
        valid_creators = self.creator_types(item_type)
        for creator in data.get("creators", ()):
            if creator.get("creatorType") not in valid_creators:
                problems.append(f"creatorType {creator.get('creatorType')!r} not valid for "
                                f"{item_type}")
            if not ("name" in creator or "lastName" in creator):
                problems.append(f"creator without name or lastName: {creator!r}")
        for tag in data.get("tags", ()):
            if not tag.get("tag") or tag.get("type", 0) not in (0, 1):
                problems.append(f"bad tag {tag!r}")
        return problems

    def _spec(self, item_type: str) -> ItemTypeSpec:
        try:
            return self._types[item_type]
        except KeyError:
            raise KeyError(f"unknown Zotero item type {item_type!r}") from None


@cache
def _default_schema() -> ZoteroSchema:
    text = resources.files("zsync").joinpath("data/zotero_schema.json").read_text("utf-8")
    return ZoteroSchema.from_compact(json.loads(text))


# --- generator -------------------------------------------------------------------------------


def _creator_types(entries: Iterable[Mapping[str, Any]]) -> list[str]:
    entries = list(entries)
    primary = [e["creatorType"] for e in entries if e.get("primary")]
    return primary + [e["creatorType"] for e in entries if not e.get("primary")]


def compact_schema(full: Mapping[str, Any]) -> dict[str, Any]:
    """The compact form of a full Zotero `schema.json` (see the module docstring)."""
    item_types: dict[str, Any] = {}
    for entry in full["itemTypes"]:
        spec: dict[str, Any] = {"fields": [f["field"] for f in entry["fields"]]}
        base = {f["field"]: f["baseField"] for f in entry["fields"] if f.get("baseField")}
        if base:
            spec["base"] = base
        spec["creatorTypes"] = _creator_types(entry.get("creatorTypes", ()))
        item_types[entry["itemType"]] = spec
    return {"version": int(full["version"]), "itemTypes": item_types}


def dump_compact(compact: Mapping[str, Any]) -> str:
    """Compact JSON, one item type a line (small, and diffs stay readable)."""
    lines = [f'{{"version":{compact["version"]},"itemTypes":{{']
    entries = [
        f"{json.dumps(name)}:{json.dumps(spec, separators=(',', ':'))}"
        for name, spec in compact["itemTypes"].items()
    ]
    lines.append(",\n".join(entries))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: python -m zsync.zotero.schema SRC_SCHEMA_JSON DEST_COMPACT_JSON",
              file=sys.stderr)
        return 2
    full = json.loads(Path(args[0]).read_text("utf-8"))
    Path(args[1]).write_text(dump_compact(compact_schema(full)), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
