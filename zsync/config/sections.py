"""The settings as typed, frozen sections: `config.zotero.api_key`, `config.network.timeout`.

One class per `[section]` of the config file, one field per setting, typed as the setting
table in `zsync.config.settings` declares it (defaults, environment variables and choices
live there; a test keeps the two in step). API keys are held as `Secret`, whose text form
never shows the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal


class Secret(str):
    """A string that does not show itself in logs, reprs or tracebacks."""

    def __repr__(self) -> str:
        return "Secret('****')" if self else "Secret('')"

    def __str__(self) -> str:
        return "****" if self else ""

    def reveal(self) -> str:
        return str.__str__(self)


LibraryType = Literal["user", "group"]


@dataclass(frozen=True)
class ZoteroSettings:
    """[zotero]: the library zsync writes to, and how it reaches it (web API or desktop)."""

    api_key: Secret
    library_id: str
    library_type: LibraryType
    api_url: str
    local: bool
    local_url: str
    local_api_key: Secret
    hybrid: bool


@dataclass(frozen=True)
class CrossrefSettings:
    """[crossref]: the contact address sent along, and where Crossref and doi.org answer."""

    mailto: str
    api_url: str
    doi_url: str


@dataclass(frozen=True)
class PubmedSettings:
    """[pubmed]: NCBI's key and contact details, and where the E-utilities answer."""

    api_key: Secret
    email: str
    tool: str
    eutils_url: str
    idconv_url: str


@dataclass(frozen=True)
class NetworkSettings:
    """[network]: seconds to wait for an answer, retries, and whether to go online at all."""

    timeout: float
    max_retries: int
    offline: bool


@dataclass(frozen=True)
class CacheSettings:
    """[cache]: where answers are kept ('' = the platform's cache folder), and how long."""

    dir: str
    ttl_days: int
    not_found_ttl_days: int


@dataclass(frozen=True)
class StateSettings:
    """[state]: the state database ('' = the platform's state folder)."""

    path: str


@dataclass(frozen=True)
class SyncSettings:
    """[sync]: status collections, the child note, and whether preprints merge."""

    status_parent: str
    default_status: str
    status_map: Mapping[str, str]
    child_note: bool
    merge_preprints: bool


@dataclass(frozen=True)
class NotesSettings:
    """[notes]: links written back into notes, and files left out."""

    link_back: bool
    exclude: tuple[str, ...]


@dataclass(frozen=True)
class ReportsSettings:
    """[reports]: how long the reports of past runs are kept."""

    keep_days: int


# Each section's class, under its name in the config file.
SECTIONS: Mapping[str, type] = {
    "zotero": ZoteroSettings,
    "crossref": CrossrefSettings,
    "pubmed": PubmedSettings,
    "network": NetworkSettings,
    "cache": CacheSettings,
    "state": StateSettings,
    "sync": SyncSettings,
    "notes": NotesSettings,
    "reports": ReportsSettings,
}
