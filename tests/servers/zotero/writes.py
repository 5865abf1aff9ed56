"""Write semantics: multi-object POST, single-object PUT/PATCH, DELETE, tag DELETE.

Version rules follow reference §8.2-§8.5. `mode` selects how a multi-object POST assigns
versions (§8.3): "per_object" (current dataserver: every processed object bumps the library,
unchanged ones included) or "per_request" (the docs: one bump for the whole request).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.servers.zotero import relations
from tests.servers.zotero.errors import ApiError, ObjectError
from tests.servers.zotero.library import Entry, Library, is_valid_key, utc_now
from tests.servers.zotero.schema import Schema
from tests.servers.zotero.validate import merge_item
from tests.servers.zotero.validate_collection import merge_collection

MAX_WRITE = 50
SINGULAR = {"items": "item", "collections": "collection"}
VOLATILE = ("version", "dateModified")
# Changes to these alone leave dateModified alone (dataserver `Zotero_Items::updateFromJSON`).
MEMBERSHIP = {"collections", "relations", "inPublications"}


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return ({k: v for k, v in a.items() if k not in VOLATILE}
            == {k: v for k, v in b.items() if k not in VOLATILE})


def _membership_only(old: dict[str, Any], new: dict[str, Any]) -> bool:
    changed = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    return bool(changed - set(VOLATILE)) and changed - set(VOLATILE) <= MEMBERSHIP


def editable(obj: dict[str, Any]) -> dict[str, Any]:
    """For a full object as returned by GET ({key, version, library, links, meta, data}),
    only `data` counts (dataserver `extractEditableJSON`)."""
    if isinstance(obj.get("data"), dict) and "itemType" not in obj and "name" not in obj:
        return dict(obj["data"])
    return obj


def parse_version(raw: str | None, name: str = "If-Unmodified-Since-Version") -> int | None:
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, f"Invalid {name} value") from None


def check_library_version(lib: Library, header: int | None) -> None:
    if header is not None and lib.version > header:
        raise ApiError(412, f"Library has been modified since specified version "
                            f"(expected {header}, found {lib.version})",
                       {"Last-Modified-Version": str(lib.version)})


class Writer:
    def __init__(self, schema: Schema, mode: str = "per_object") -> None:
        if mode not in ("per_object", "per_request"):
            raise ValueError(f"unknown version mode {mode!r}")
        self.schema = schema
        self.mode = mode
        # Items whose version a write in the current request moved as a side effect (the
        # target of a new dc:relation); their stale version in the same request is accepted.
        self.side_effects: set[str] = set()

    def merge(self, lib: Library, kind: str, key: str, incoming: dict[str, Any],
              stored: Entry | None, replace: bool = False) -> dict[str, Any]:
        old = stored.data if stored else None
        if kind == "items":
            return merge_item(self.schema, lib, key, incoming, old, replace)
        return merge_collection(lib, key, incoming, old, replace)

    def commit(self, lib: Library, kind: str, new: dict[str, Any], stored: Entry | None,
               version: int) -> Entry:
        """Store changed data at `version`; dateModified is now unless the client moved it."""
        new["version"] = version
        if kind == "items" and (stored is None
                                or new["dateModified"] == stored.data["dateModified"]):
            new["dateModified"] = utc_now() if stored else new["dateAdded"]
            if stored is not None and _membership_only(stored.data, new):
                new["dateModified"] = stored.data["dateModified"]
        if kind == "items":
            self._touch_related(lib, new, stored, version)
        parent = new.get("parentCollection")
        if kind == "collections" and parent and parent in lib.descendants(new["key"]):
            # Becoming the child of one's own descendant moves that descendant to the root.
            moved = lib.collections[parent].data
            lib.put(kind, {**moved, "parentCollection": False, "version": version})
        return lib.put(kind, new)

    def _touch_related(self, lib: Library, new: dict[str, Any], stored: Entry | None,
                       version: int) -> None:
        """A new dc:relation moves the related item's version too (`Zotero_Item::save`)."""
        old = stored.data.get("relations") if stored else None
        for uri in relations.added_related(old, new.get("relations")):
            target = relations.key_of(lib, uri)
            if target and target != new["key"] and target in lib.items:
                lib.items[target].data["version"] = version
                self.side_effects.add(target)

    # -- multi-object POST ----------------------------------------------------------------

    def post(self, lib: Library, kind: str, body: Any, header: int | None,
             render: Callable[[Entry], dict[str, Any]]) -> dict[str, Any]:
        if not isinstance(body, list):
            raise ApiError(400, "Uploaded data must be a JSON array")
        if len(body) > MAX_WRITE:
            raise ApiError(413, f"Cannot add more than {MAX_WRITE} {kind} at a time")
        check_library_version(lib, header)
        self.side_effects = set()
        report: dict[str, dict[str, Any]] = {"successful": {}, "success": {}, "unchanged": {},
                                             "failed": {}}
        shared_version = lib.version + 1
        changed = False
        for index, obj in enumerate(body):
            slot = str(index)
            key = obj.get("key") if isinstance(obj, dict) else None
            try:
                key, entry = self._post_one(lib, kind, index, obj, header is not None)
            except ObjectError as err:
                report["failed"][slot] = err.report(key if isinstance(key, str) else None)
                continue
            if entry is None:
                report["unchanged"][slot] = key
                if self.mode == "per_object":
                    lib.bump()
                continue
            version = lib.bump() if self.mode == "per_object" else shared_version
            changed = True
            stored = self.commit(lib, kind, entry, self._stored(lib, kind, key), version)
            report["successful"][slot] = render(stored)
            report["success"][slot] = key
        if changed and self.mode == "per_request":
            lib.version = shared_version
        return report

    def _stored(self, lib: Library, kind: str, key: str) -> Entry | None:
        return lib.store(kind).get(key)

    def _post_one(self, lib: Library, kind: str, index: int, obj: Any,
                  has_header: bool) -> tuple[str, dict[str, Any] | None]:
        """(key, new data) for one object, or (key, None) if unchanged; ObjectError if failed."""
        name = SINGULAR[kind]
        if not isinstance(obj, dict):
            raise ObjectError(400, f"Invalid value for index {index} in uploaded data; "
                                   f"expected JSON {name} object")
        obj = editable(obj)
        key, version = obj.get("key"), obj.get("version")
        if key is not None and not is_valid_key(key):
            raise ObjectError(400, f"'{key}' is not a valid {name} key")
        if version is not None:
            if isinstance(version, bool) or not str(version).isdigit():
                raise ObjectError(400, "'version' must be an integer")
            version = int(version)
            if key is None:
                raise ObjectError(400, "'version' is valid only if item key is provided")
        stored = self._stored(lib, kind, key) if key else None
        if key and version is None and not has_header:
            raise ObjectError(428, "Either If-Unmodified-Since-Version or 'version' property "
                                   "must be provided for 'key'-based writes")
        title = name.capitalize()
        if (version is not None and stored is not None and stored.version > version
                and key not in self.side_effects):
            raise ObjectError(412, f"{title} has been modified since specified version "
                                   f"(expected {version}, found {stored.version})")
        if version is not None and version > 0 and stored is None:
            raise ObjectError(404, f"{title} doesn't exist (expected version {version}; "
                                   "use 0 instead)")
        key = key or lib.new_key()
        new = self.merge(lib, kind, key, obj, stored)
        if stored is not None and _same(new, stored.data):
            return key, None
        return key, new

    # -- single-object PUT / PATCH ----------------------------------------------------------

    def put_one(self, lib: Library, kind: str, key: str, body: Any, header: int | None,
                method: str) -> int:
        """Returns the library version to report (204 response)."""
        title = SINGULAR[kind].capitalize()
        if not isinstance(body, dict):
            raise ApiError(400, "Uploaded data must be a JSON object")
        body = editable(body)
        if "key" in body and body["key"] != key:
            raise ApiError(409, f"'key' property in JSON does not match {SINGULAR[kind]} key "
                                "of request")
        given = body.get("version")
        if given is not None and (isinstance(given, bool) or not str(given).isdigit()):
            raise ApiError(400, "'version' must be an integer")
        if header is not None and given is not None and int(given) != header:
            raise ApiError(400, "If-Unmodified-Since-Version value does not match JSON "
                                f"'version' property ({header} != {given})")
        version = header if header is not None else (int(given) if given is not None else None)
        stored = self._stored(lib, kind, key)
        if version is None:
            if stored is not None:
                raise ApiError(428, "Either If-Unmodified-Since-Version or object version "
                                    "property must be provided for key-based writes")
            if method == "PATCH":
                raise ApiError(404, f"{title} not found (to create, use "
                                    "If-Unmodified-Since-Version: 0, JSON 'version' 0, "
                                    "or PUT method)")
        elif stored is not None and stored.version > version:
            raise ApiError(412, f"{title} has been modified since specified version "
                                f"(expected {version}, found {stored.version})",
                           {"Last-Modified-Version": str(stored.version)})
        elif stored is None and version > 0:
            raise ApiError(412, f"{title} not found (expected version {version})")
        try:
            new = self.merge(lib, kind, key, body, stored, replace=method == "PUT")
        except ObjectError as err:
            raise ApiError(err.code, err.message) from None
        if stored is not None and _same(new, stored.data):
            return lib.version
        self.commit(lib, kind, new, stored, lib.bump())
        return lib.version

    # -- DELETE ---------------------------------------------------------------------------

    def delete_one(self, lib: Library, kind: str, key: str, header: int | None) -> int:
        if header is None:
            raise ApiError(428, "If-Unmodified-Since-Version must be provided for delete "
                                "requests")
        title = SINGULAR[kind].capitalize()
        stored = self._stored(lib, kind, key)
        if stored is None:
            if header > 0:
                raise ApiError(412, f"{title} not found (expected version {header})")
            return lib.version
        if stored.version > header:
            raise ApiError(412, f"{title} has been modified since specified version "
                                f"(expected {header}, found {stored.version})",
                           {"Last-Modified-Version": str(stored.version)})
        return self.delete_many(lib, kind, [key])

    def delete_many(self, lib: Library, kind: str, keys: list[str]) -> int:
        """Delete existing objects among `keys` (children/subcollections too), one bump."""
        present = [k for k in keys if k in lib.store(kind)]
        if not present:
            return lib.version
        version = lib.bump()
        for key in present:
            if kind == "items":
                for child in lib.children(key):
                    lib.remove("items", child.key, version)
                lib.remove("items", key, version)
                continue
            for sub in [key, *lib.descendants(key)]:
                for member in lib.collection_members(sub):
                    # Membership goes away without a new item version (reference §8.5).
                    member.data["collections"].remove(sub)
                lib.remove("collections", sub, version)
        return version

    def delete_tags(self, lib: Library, names: list[str], header: int | None) -> int:
        if header is None:
            raise ApiError(428, "If-Unmodified-Since-Version not provided")
        check_library_version(lib, header)
        wanted = set(names)
        touched = [e for e in lib.items.values()
                   if any(t["tag"] in wanted for t in e.data.get("tags", []))]
        existing = {t["tag"] for e in touched for t in e.data["tags"]} & wanted
        if not existing:
            return lib.version
        version = lib.bump()
        for entry in touched:
            tags = [t for t in entry.data["tags"] if t["tag"] not in wanted]
            self.commit(lib, "items", {**entry.data, "tags": tags}, entry, version)
        for name in existing:
            lib.deleted["tags"][name] = version
        return version
