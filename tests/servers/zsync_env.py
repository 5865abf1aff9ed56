"""The settings that point zsync at the local emulators (Zotero, Crossref, PubMed), for the
benchmarks that run zsync against them."""

from __future__ import annotations

from pathlib import Path


def emulated_env(folder: Path, *, zotero: str, crossref: str, pubmed: str, key: str,
                 user: int) -> dict[str, str]:
    """zsync's environment settings for the emulators at these addresses, with its state
    and cache in `folder`."""
    return {
        "ZOTERO_API_URL": zotero, "ZOTERO_API_KEY": key, "ZOTERO_LIBRARY_ID": str(user),
        "CROSSREF_API_URL": crossref, "DOI_RESOLVER_URL": f"{crossref}/doi",
        "CROSSREF_MAILTO": "bench@example.org", "NCBI_EMAIL": "bench@example.org",
        "NCBI_EUTILS_URL": f"{pubmed}/entrez/eutils",
        "NCBI_IDCONV_URL": f"{pubmed}/tools/idconv/api/v1/articles/",
        "ZSYNC_STATE": str(folder / "state.sqlite"), "ZSYNC_CACHE_DIR": str(folder / "cache"),
    }
