"""Validation of item and collection JSON, with the Zotero dataserver's messages.

`merge_item` (and `merge_collection` in validate_collection.py) take the incoming editable JSON and the stored data (None for
a new object) and return the canonical data to store, or raise `ObjectError` (per-object 400,
409 or 413). Messages follow reference §8.7/§8.8 (dataserver `validateJSONItem`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from tests.servers.zotero import relations
from tests.servers.zotero.cleaning import php_trim, unicode_trim
from tests.servers.zotero.errors import ObjectError
from tests.servers.zotero.library import Library, is_valid_key, utc_now
from tests.servers.zotero.notes import clean_note, too_long_excerpt
from tests.servers.zotero.schema import ATTACHMENT_PROPS, Schema

ITEM_PROPS = {"key", "version", "itemType", "parentItem", "creators", "tags", "collections",
              "relations", "deleted", "inPublications", "dateAdded", "dateModified", "note",
              *ATTACHMENT_PROPS}
CREATOR_PROPS = {"creatorType", "firstName", "lastName", "name"}
PREDICATES = {"owl:sameAs", "dc:replaces", "dc:relation"}
ITEM_URI = re.compile(r"^https?://zotero\.org/(users|groups)/\d+/items/[23456789A-NP-Z]{8}$")
MAX_FIELD_BYTES = 65535
MAX_NOTE_CHARS = 500000
MAX_NAME_CHARS = 255
CREATOR_TOO_LONG = ("The creator name \u2018{name}\u2026\u2019 is too long to sync. Shorten the name and "
                    "sync again.\n\nIf you receive this message repeatedly for items saved from a "
                    "particular site, you can report this issue in the Zotero Forums.")
FIELD_LABEL = re.compile(r"([A-Za-z ]+) field value")
DATE_FIELDS = ("accessDate", "dateAdded", "dateModified")


def reject(message: str, code: int = 400, data: dict[str, Any] | None = None) -> ObjectError:
    return ObjectError(code, message, data)


def normalize_date(name: str, value: Any) -> str:
    """ISO 8601 or 'YYYY-MM-DD[ hh:mm:ss]' (UTC) -> 'YYYY-MM-DDThh:mm:ssZ'."""
    if name == "accessDate" and value == "CURRENT_TIMESTAMP":
        return utc_now()
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        suffix = " or 'CURRENT_TIMESTAMP'" if name == "accessDate" else ""
        raise reject(f"'{name}' must be in ISO 8601 or UTC 'YYYY-MM-DD[ hh:mm:ss]' format"
                   f"{suffix} ({value})") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")


def _field_value(name: str, value: Any) -> str:
    if isinstance(value, (list, dict)):
        raise reject(f"Unexpected array for property '{name}'")
    return php_trim("" if value is None or value is False else str(value))


def _check_field_length(schema: Schema, lib: Library, key: str, name: str, text: str,
                        is_new: bool, key_given: bool) -> None:
    """413 as `Zotero_Item::save` (new items: '…', updates: '...') and `Zotero_Errors`."""
    if len(text.encode("utf-8")) <= MAX_FIELD_BYTES:
        return
    ellipsis = "…" if is_new else "..."
    message = f"{schema.label('fields', name)} field value '{text[:50]}{ellipsis}' too long"
    if key_given or not is_new:
        message += f" for item '{lib.id}/{key}'"
    label = FIELD_LABEL.search(message)
    raise reject(message, 413, {"field": label.group(1) if label else name,
                                "value": text[:50] + ellipsis})


def _creators(schema: Schema, item_type: str, value: Any, is_new: bool) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise reject("'creators' property must be an array")
    allowed = schema.types[item_type].creator_types
    out: list[dict[str, str]] = []
    for creator in value:
        if not isinstance(creator, dict):
            raise reject("Creator must be an object")
        for prop in creator:
            if prop not in CREATOR_PROPS:
                raise reject(f"Invalid creator property '{prop}'")
        ctype = creator.get("creatorType")
        if not ctype:
            raise reject("creator object must contain 'creatorType'")
        if ctype not in schema.all_creator_types:
            raise reject(f"'{ctype}' is not a valid creator type")
        if ctype not in allowed and not (ctype == "author" and schema.is_regular(item_type)):
            raise reject(f"'{ctype}' is not a valid creator type for item type '{item_type}'")
        if creator.get("lastName") is not None and creator.get("firstName") is None:
            raise reject("'firstName' creator field must be set if 'lastName' is set")
        first = unicode_trim(str(creator.get("firstName") or ""))
        last = unicode_trim(str(creator.get("lastName") or ""))
        name = unicode_trim(str(creator.get("name") or ""))
        if name and (first or last):
            raise reject("'firstName' and 'name' creator fields are mutually exclusive")
        _check_creator_length(first, last or name)
        if name:
            out.append({"creatorType": ctype, "name": name})
        elif first and not last:
            raise reject("'lastName' creator field must be set if 'firstName' is set")
        elif last:
            out.append({"creatorType": ctype, "firstName": first, "lastName": last})
        elif not (is_new and len(value) == 1):  # the template's empty creator is dropped
            raise reject("creator object must contain 'firstName'/'lastName' or 'name'")
    return out


def _check_creator_length(first: str, last: str) -> None:
    """`Zotero_Creator::save`: names are limited to 255 characters; 413 via `Zotero_Errors`."""
    if len(first) <= MAX_NAME_CHARS and len(last) <= MAX_NAME_CHARS:
        return
    name = first if len(first.encode("utf-8")) > MAX_NAME_CHARS else last
    value = name[:50] + "…"
    raise reject(CREATOR_TOO_LONG.format(name=value), 413, {"field": "creator", "value": value})


def _tags(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise reject("'tags' property must be an array")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for tag in value:
        if not isinstance(tag, dict):
            raise reject("Tag must be an object")
        for prop in tag:
            if prop not in ("tag", "type"):
                raise reject(f"Invalid tag property '{prop}'")
        name = php_trim(str(tag.get("tag") or ""))
        raw_type = tag.get("type", 0)
        if str(raw_type) not in ("0", "1"):
            raise reject(f"Invalid tag type '{raw_type}'")
        if not name or name in seen:
            continue
        if len(name) > MAX_NAME_CHARS:
            raise reject(f"Tag '{name[:50]}…' too long", 413, {"tag": name})
        seen.add(name)
        out.append({"tag": name, "type": 1} if str(raw_type) == "1" else {"tag": name})
    return out


def _relations(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise reject("'relations' property must be an object")
    for predicate, objects in value.items():
        if predicate not in PREDICATES:
            raise reject(f"Unsupported predicate '{predicate}'")
        for uri in objects if isinstance(objects, list) else [objects]:
            if not isinstance(uri, str) or not ITEM_URI.match(uri):
                raise reject("'relations' values currently must be Zotero item URIs")
    return dict(value)


def _collections(lib: Library, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise reject("'collections' property must be an array")
    out: list[str] = []
    for key in value:
        if not is_valid_key(key):
            raise reject(f"'{key}' is not a valid collection key")
        if key not in lib.collections:
            raise reject(f"Collection {key} not found", 409, {"collection": key})
        if key not in out:
            out.append(key)
    return out


def _retype(schema: Schema, state: dict[str, Any], new_type: str) -> None:
    """Change the type of stored data: keep fields via base-field mapping, remap creators."""
    old_type = state["itemType"]
    info = schema.types[new_type]
    if old_type in schema.types:
        for name in list(schema.types[old_type].fields):
            value = state.pop(name, "")
            target = schema.field_for_type(new_type, schema.base_of(old_type, name))
            if value and target:
                state[target] = value
    for creator in state.get("creators", []):
        if creator["creatorType"] not in info.creator_types and info.primary:
            creator["creatorType"] = info.primary
    state["itemType"] = new_type


def merge_item(schema: Schema, lib: Library, key: str, incoming: dict[str, Any],
               stored: dict[str, Any] | None, replace: bool = False) -> dict[str, Any]:
    """Validate `incoming` and return the canonical data it leads to (version not changed)."""
    known_fields = schema.all_fields | {b for t in schema.types.values()
                                        for b in t.base_fields.values()}
    for prop in incoming:
        if prop not in ITEM_PROPS and prop not in known_fields:
            raise reject(f"Invalid property '{prop}'")
    if stored is not None and replace:
        for prop in ("itemType", "tags", "relations"):
            if prop not in incoming:
                raise reject(f"'{prop}' property not provided")
    item_type = incoming.get("itemType") or (stored or {}).get("itemType")
    if not item_type:
        raise reject("'itemType' property not provided")
    if item_type not in schema.types or item_type == "annotation":
        raise reject(f"'{item_type}' is not a valid itemType")
    state: dict[str, Any] = {"key": key, "version": 0, "itemType": item_type}
    if stored is not None:
        state["version"] = stored["version"]
        state["dateAdded"] = stored["dateAdded"]
        if not replace:
            state = {**stored, "creators": [dict(c) for c in stored.get("creators", [])]}
            if item_type != stored["itemType"]:
                _retype(schema, state, item_type)
    fields = schema.types[item_type].fields
    for name, value in incoming.items():
        if name in known_fields and name not in ITEM_PROPS:
            text = _field_value(name, value)
            if name not in fields:
                if text:
                    raise reject(f"'{name}' is not a valid field for type '{item_type}'")
                continue
            _check_field_length(schema, lib, key, name, text, stored is None,
                                bool(incoming.get("key")))
            state[name] = normalize_date(name, text) if name == "accessDate" and text else text
    if "creators" in incoming:
        state["creators"] = _creators(schema, item_type, incoming["creators"], stored is None)
    if "tags" in incoming:
        state["tags"] = _tags(incoming["tags"])
    if "relations" in incoming:
        state["relations"] = relations.merge(lib, key, (stored or {}).get("relations"),
                                             _relations(incoming["relations"]))
    if "note" in incoming:
        if item_type not in ("note", "attachment"):
            raise reject("'note' property is valid only for note and attachment items")
        note = str(incoming["note"] or "")
        if len(note) > MAX_NOTE_CHARS:
            suffix = f" for item '{lib.id}/{key}'" if incoming.get("key") or stored else ""
            raise reject(f"Note '{too_long_excerpt(note)}...' too long{suffix}", 413)
        state["note"] = clean_note(note)
    for prop in ATTACHMENT_PROPS:
        if prop in incoming:
            if item_type != "attachment":
                raise reject(f"'{prop}' is valid only for attachment items")
            state[prop] = incoming[prop]
    if "deleted" in incoming:
        flag = incoming["deleted"]
        if flag not in (True, False, 0, 1, "0", "1"):
            raise reject("'deleted' must be a boolean", 500)
        state["deleted"] = 1 if flag in (True, 1, "1") else 0
    if "inPublications" in incoming:
        state["inPublications"] = bool(incoming["inPublications"])
    _parent_and_collections(schema, lib, key, incoming, state)
    for name in ("dateAdded", "dateModified"):
        if incoming.get(name):
            state[name] = normalize_date(name, incoming[name])
    if stored is not None and state.get("dateAdded") != stored["dateAdded"]:
        raise reject("'dateAdded' cannot be modified for existing items")
    return canonical_item(schema, state)


def _parent_and_collections(schema: Schema, lib: Library, key: str, incoming: dict[str, Any],
                            state: dict[str, Any]) -> None:
    if "parentItem" in incoming:
        parent = incoming["parentItem"]
        if parent in (False, None, ""):
            state.pop("parentItem", None)
        elif not is_valid_key(parent):
            raise reject("'parentItem' must be a valid item key or false")
        elif parent == key:
            raise reject(f"Item {key} cannot be a child of itself")
        elif parent not in lib.items:
            raise reject(f"Parent item {parent} not found", 409, {"parentItem": parent})
        elif not schema.is_regular(lib.items[parent].data["itemType"]):
            raise reject("Parent item cannot be a note or attachment", 409)
        else:
            state["parentItem"] = parent
    if state.get("parentItem"):
        if schema.is_regular(state["itemType"]):
            raise reject("Child item must be note, attachment, or annotation")
        if incoming.get("collections"):
            raise reject("Child items cannot be assigned to collections")
        state.pop("collections", None)
    elif "collections" in incoming:
        state["collections"] = _collections(lib, incoming["collections"])


def canonical_item(schema: Schema, state: dict[str, Any]) -> dict[str, Any]:
    """Editable JSON in the server's property order (all fields of the type, empty as "")."""
    item_type = state["itemType"]
    info = schema.types[item_type]
    regular = schema.is_regular(item_type)
    out: dict[str, Any] = {"key": state["key"], "version": state.get("version", 0)}
    if state.get("parentItem"):
        out["parentItem"] = state["parentItem"]
    out["itemType"] = item_type
    if item_type == "attachment":
        out["linkMode"] = state.get("linkMode", "")
    for i, name in enumerate(info.fields):
        out[name] = state.get(name, "")
        if i == 0 and regular:
            out["creators"] = state.get("creators", [])
    if regular and "creators" not in out:
        out["creators"] = state.get("creators", [])
    if not regular:
        out["note"] = state.get("note", "")
    for prop in ATTACHMENT_PROPS[1:]:
        if item_type == "attachment" and prop in state:
            out[prop] = state[prop]
    out["tags"] = state.get("tags", [])
    if not state.get("parentItem"):
        out["collections"] = state.get("collections", [])
    out["relations"] = state.get("relations", {})
    if state.get("deleted"):
        out["deleted"] = 1
    if state.get("inPublications"):
        out["inPublications"] = True
    now = utc_now()
    out["dateAdded"] = state.get("dateAdded") or now
    out["dateModified"] = state.get("dateModified") or out["dateAdded"]
    return out
