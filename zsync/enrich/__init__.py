"""Enrichment: each record completed from the metadata sources, every field keeping its source."""
