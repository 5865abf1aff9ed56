"""What a lookup can answer besides a payload: not found, or not enriched (and why).

Clients return `dict[id, payload | NotFound | NotEnriched]`: a source that is down, rate
limited or switched off (`--offline`) degrades to `NotEnriched` per id instead of raising.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NotFound:
    """The source answered, and it holds nothing for this id."""

    source: str
    detail: str = ""

    def __str__(self) -> str:
        return f"not found in {self.source}" + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class NotEnriched:
    """The source could not be asked or did not answer usably; try again on a later run."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"not enriched: {self.source}: {self.reason}"


@dataclass(frozen=True)
class CslWork:
    """CSL-JSON from DOI content negotiation, for a DOI another agency (DataCite, mEDRA) holds.

    Not a Crossref work: map it as CSL-JSON, not with the Crossref work mapping.
    """

    doi: str
    agency: str
    csl: dict[str, Any]
    format: str = "csl-json"


OFFLINE = "offline (answered from the cache only)"


def is_payload(value: object) -> bool:
    """True for an answer that carries data (not `NotFound` / `NotEnriched`)."""
    return not isinstance(value, NotFound | NotEnriched)
