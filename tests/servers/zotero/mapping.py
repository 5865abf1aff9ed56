"""Schema endpoints: /itemTypes, /itemFields, /itemTypeFields, /itemTypeCreatorTypes,
/creatorFields, /items/new and /schema. They never answer 304 (reference §7)."""

from __future__ import annotations

from tests.servers.base import Request, Response
from tests.servers.zotero.errors import ApiError
from tests.servers.zotero.schema import CREATOR_FIELDS, LINK_MODES, Schema

ENDPOINTS = ("itemTypes", "itemFields", "itemTypeFields", "itemTypeCreatorTypes",
             "creatorFields", "items/new", "schema")


def _item_type(schema: Schema, request: Request) -> str:
    item_type = request.arg("itemType")
    if not item_type:
        raise ApiError(400, "'itemType' not provided")
    if item_type not in schema.types or item_type == "annotation":
        raise ApiError(400, f"Invalid item type '{item_type}'")
    return item_type


def schema_response(schema: Schema, name: str, request: Request) -> Response:
    if request.method not in ("GET", "HEAD"):
        raise ApiError(405, "Method not allowed", {"Allow": "GET"})
    if name == "itemTypes":
        return Response.json(schema.item_types_listing())
    if name == "itemFields":
        return Response.json(schema.item_fields_listing())
    if name == "creatorFields":
        return Response.json(CREATOR_FIELDS)
    if name == "schema":
        return Response.json(schema.raw)
    item_type = _item_type(schema, request)
    if name == "itemTypeFields":
        return Response.json(schema.type_fields_listing(item_type))
    if name == "itemTypeCreatorTypes":
        return Response.json(schema.creator_types_listing(item_type))
    link_mode = request.arg("linkMode")
    if item_type == "attachment":
        if not link_mode:
            raise ApiError(400, "linkMode required")
        if link_mode not in LINK_MODES:
            raise ApiError(400, f"Invalid linkMode '{link_mode}'")
    return Response.json(schema.template(item_type, link_mode))
