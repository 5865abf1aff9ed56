"""The setting table: every setting zsync reads, once, with its type, default, environment
variable and allowed values. `zsync.config.settings` reads the file, the environment and
the flags through it; `zsync.config.sections` gives the same settings typed fields, and
`config.example.toml` documents each (tests keep the three in step)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zsync.config.sections import Secret

DEFAULT_STATUS_MAP = {
    "new": "New",
    "to read": "New",
    "to-read": "New",
    "toread": "New",
    "unread": "New",
    "todo": "New",
    "inbox": "New",
    "queued": "New",
    "por leer": "New",
    "zu lesen": "New",
    "reading": "Reading",
    "in progress": "Reading",
    "started": "Reading",
    "leyendo": "Reading",
    "doing": "Reading",
    "now": "Reading",
    "next": "Reading",
    "read": "Read",
    "done": "Read",
    "finished": "Read",
    "leído": "Read",
    "gelesen": "Read",
    "archived": "Archived",
    "archive": "Archived",
    "archivado": "Archived",
    "dropped": "Archived",
}


@dataclass(frozen=True)
class Setting:
    section: str
    key: str
    kind: type
    default: Any
    env: str | None = None
    choices: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"


SETTINGS = (
    Setting("zotero", "api_key", Secret, Secret(""), "ZOTERO_API_KEY"),
    Setting("zotero", "library_id", str, "", "ZOTERO_LIBRARY_ID"),
    Setting("zotero", "library_type", str, "user", "ZOTERO_LIBRARY_TYPE", ("user", "group")),
    Setting("zotero", "api_url", str, "https://api.zotero.org", "ZOTERO_API_URL"),
    Setting("zotero", "local", bool, False, "ZOTERO_LOCAL"),
    Setting("zotero", "local_url", str, "http://localhost:23119", "ZOTERO_LOCAL_URL"),
    Setting("zotero", "local_api_key", Secret, Secret(""), "ZOTERO_LOCAL_API_KEY"),
    Setting("zotero", "hybrid", bool, False, "ZOTERO_HYBRID"),
    Setting("crossref", "mailto", str, "", "CROSSREF_MAILTO"),
    Setting("crossref", "api_url", str, "https://api.crossref.org", "CROSSREF_API_URL"),
    Setting("crossref", "doi_url", str, "https://doi.org", "DOI_RESOLVER_URL"),
    Setting("pubmed", "api_key", Secret, Secret(""), "NCBI_API_KEY"),
    Setting("pubmed", "email", str, "", "NCBI_EMAIL"),
    Setting("pubmed", "tool", str, "zsync", "NCBI_TOOL"),
    Setting(
        "pubmed",
        "eutils_url",
        str,
        "https://eutils.ncbi.nlm.nih.gov/entrez/eutils",
        "NCBI_EUTILS_URL",
    ),
    Setting(
        "pubmed",
        "idconv_url",
        str,
        "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/",
        "NCBI_IDCONV_URL",
    ),
    Setting("network", "timeout", float, 30.0, "ZSYNC_TIMEOUT"),
    Setting("network", "max_retries", int, 5, "ZSYNC_MAX_RETRIES"),
    Setting("network", "offline", bool, False, "ZSYNC_OFFLINE"),
    Setting("cache", "dir", str, "", "ZSYNC_CACHE_DIR"),
    Setting("cache", "ttl_days", int, 30),
    Setting("cache", "not_found_ttl_days", int, 7),
    Setting("state", "path", str, "", "ZSYNC_STATE"),
    Setting("sync", "status_parent", str, "Status"),
    Setting("sync", "default_status", str, "New"),
    Setting("sync", "status_map", dict, DEFAULT_STATUS_MAP),
    Setting("sync", "child_note", bool, True),
    Setting("sync", "merge_preprints", bool, False),
    Setting("notes", "link_back", bool, False),
    Setting("reports", "keep_days", int, 90),
    Setting("notes", "exclude", list, ()),
)
BY_NAME = {s.name: s for s in SETTINGS}
