"""Zotero's item schema (zotero/zotero-schema `schema.json`) and the mapping endpoints built on it.

The schema is read from the shared fixtures (`../shared/fixtures/zotero/zotero-schema/schema.json`
next to the repository). Without them, the reduced copy shipped next to this module
(`minimal_schema.json`, made by `reduce_schema`) is used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]
SHARED_DIR = REPO_ROOT.parent / "shared"
SHARED_SCHEMA = SHARED_DIR / "fixtures" / "zotero" / "zotero-schema" / "schema.json"
MINIMAL_SCHEMA = HERE / "minimal_schema.json"

# Item types the reduced schema keeps (what zsync writes, plus notes).
MINIMAL_TYPES = (
    "journalArticle", "book", "bookSection", "conferencePaper", "preprint",
    "thesis", "report", "document", "webpage", "dataset", "note",
)

CREATOR_FIELDS = [
    {"field": "firstName", "localized": "First"},
    {"field": "lastName", "localized": "Last"},
    {"field": "name", "localized": "Name"},
]

# Types the mapping endpoints do not list (/itemTypes) and writes do not accept as new items.
UNLISTED_TYPES = ("attachment", "annotation")
LINK_MODES = ("imported_file", "imported_url", "linked_file", "linked_url", "embedded_image")
ATTACHMENT_PROPS = ("linkMode", "contentType", "charset", "filename", "md5", "mtime", "path")


@dataclass
class ItemType:
    name: str
    fields: list[str]
    base_fields: dict[str, str]  # type-specific field -> base field
    creator_types: list[str]
    primary: str | None


@dataclass
class Schema:
    raw: dict[str, Any]
    version: int = 0
    types: dict[str, ItemType] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.version = int(self.raw.get("version", 0))
        for entry in self.raw["itemTypes"]:
            fields = [f["field"] for f in entry["fields"]]
            bases = {f["field"]: f["baseField"] for f in entry["fields"] if "baseField" in f}
            creators = [c["creatorType"] for c in entry["creatorTypes"]]
            primary = next((c["creatorType"] for c in entry["creatorTypes"] if c.get("primary")),
                           None)
            self.types[entry["itemType"]] = ItemType(
                entry["itemType"], fields, bases, creators, primary
            )
        self.labels = self.raw.get("locales", {}).get("en-US", {})
        self.all_fields = {f for t in self.types.values() for f in t.fields}
        self.all_creator_types = {c for t in self.types.values() for c in t.creator_types}

    def label(self, kind: str, name: str) -> str:
        return self.labels.get(kind, {}).get(name, name)

    def is_regular(self, item_type: str) -> bool:
        return item_type not in ("note", "attachment", "annotation")

    def field_for_type(self, item_type: str, name: str) -> str | None:
        """`name` itself if valid for the type, or the type's field that has `name` as base."""
        info = self.types[item_type]
        if name in info.fields:
            return name
        for specific, base in info.base_fields.items():
            if base == name:
                return specific
        return None

    def base_of(self, item_type: str, name: str) -> str:
        return self.types[item_type].base_fields.get(name, name)

    # -- mapping endpoints ---------------------------------------------------------------

    def item_types_listing(self) -> list[dict[str, str]]:
        rows = [{"itemType": t, "localized": self.label("itemTypes", t)}
                for t in self.types if t not in UNLISTED_TYPES]
        return sorted(rows, key=lambda r: r["localized"])

    def item_fields_listing(self) -> list[dict[str, str]]:
        rows = [{"field": f, "localized": self.label("fields", f)} for f in self.all_fields]
        return sorted(rows, key=lambda r: (r["localized"], r["field"]))

    def type_fields_listing(self, item_type: str) -> list[dict[str, str]]:
        return [{"field": f, "localized": self.label("fields", f)}
                for f in self.types[item_type].fields]

    def creator_types_listing(self, item_type: str) -> list[dict[str, str]]:
        info = self.types[item_type]
        ordered = sorted(info.creator_types, key=lambda c: (c != info.primary, c))
        return [{"creatorType": c, "localized": self.label("creatorTypes", c)} for c in ordered]

    def template(self, item_type: str, link_mode: str | None = None) -> dict[str, Any]:
        """The `/items/new` template: schema field order, creators after the first field."""
        info = self.types[item_type]
        out: dict[str, Any] = {"itemType": item_type}
        if item_type == "note":
            out["note"] = ""
        elif item_type == "attachment":
            out["linkMode"] = link_mode
            for name in info.fields:
                out[name] = ""
            out.update({"note": "", "contentType": "", "charset": ""})
            if link_mode in ("imported_file", "imported_url", "linked_file"):
                out["filename"] = ""
            if link_mode in ("imported_file", "imported_url"):
                out.update({"md5": None, "mtime": None})
            if link_mode == "linked_file":
                out["path"] = ""
        else:
            for i, name in enumerate(info.fields):
                out[name] = ""
                if i == 0 and info.primary:
                    out["creators"] = [{"creatorType": info.primary, "firstName": "",
                                        "lastName": ""}]
        out.update({"tags": [], "collections": [], "relations": {}})
        return out


def reduce_schema(raw: dict[str, Any], keep: tuple[str, ...] = MINIMAL_TYPES) -> dict[str, Any]:
    """A copy of `raw` limited to the item types in `keep` (en-US labels only, no CSL maps)."""
    types = [t for t in raw["itemTypes"] if t["itemType"] in keep]
    fields = {f["field"] for t in types for f in t["fields"]}
    creators = {c["creatorType"] for t in types for c in t["creatorTypes"]}
    labels = raw["locales"]["en-US"]
    return {
        "version": raw["version"],
        "itemTypes": types,
        "meta": raw.get("meta", {}),
        "csl": {},
        "locales": {"en-US": {
            "itemTypes": {k: v for k, v in labels["itemTypes"].items() if k in keep},
            "fields": {k: v for k, v in labels["fields"].items() if k in fields},
            "creatorTypes": {k: v for k, v in labels["creatorTypes"].items() if k in creators},
        }},
    }


def dump_minimal(raw: dict[str, Any]) -> str:
    """`reduce_schema(raw)` as compact JSON, one item type or label table per line."""
    small = reduce_schema(raw)

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    types = ",\n ".join(dump(t) for t in small["itemTypes"])
    labels = ",\n ".join(f"{dump(k)}:{dump(v)}" for k, v in small["locales"]["en-US"].items())
    return (
        f'{{"version":{small["version"]},\n"itemTypes":[\n {types}],\n'
        f'"meta":{dump(small["meta"])},\n"csl":{{}},\n"locales":{{"en-US":{{\n {labels}}}}}}}\n'
    )


@lru_cache(maxsize=4)
def load_schema(path: str | None = None) -> Schema:
    """The full shared schema when present, else the minimal copy (or an explicit `path`)."""
    if path is None:
        path = str(SHARED_SCHEMA if SHARED_SCHEMA.is_file() else MINIMAL_SCHEMA)
    return Schema(json.loads(Path(path).read_text(encoding="utf-8")))
