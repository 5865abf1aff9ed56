"""Metadata sources (Crossref, PubMed) and the HTTP layer, cache and pacing they share."""
