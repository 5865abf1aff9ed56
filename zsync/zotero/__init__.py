"""Zotero: the item schema, records to and from item data, zsync's memory in each item,
and the API client, mirror and writer."""
