"""Crossref: works by DOI and by citation, and their mapping to records."""
