"""PubMed: E-utilities and PMC's ID converter, and PubMed XML mapped to records.

`SPEC` is PubMed as the registry knows it.
"""

from __future__ import annotations

from collections.abc import Mapping

from zsync.config.settings import Config
from zsync.sources.base import FieldGroup, SourceSpec, Trust
from zsync.sources.throttle import NCBI_NO_KEY, NCBI_WITH_KEY, ServicePolicy


def pools(config: Config) -> Mapping[str, ServicePolicy]:
    """NCBI allows more requests a second to a caller with an API key."""
    return {"ncbi": NCBI_WITH_KEY if config.pubmed.api_key else NCBI_NO_KEY}


SPEC = SourceSpec(
    name="pubmed",
    title="PubMed",
    id_kinds=("pmid", "doi"),
    trust=(
        # Structured abstracts with their section labels, the ISO journal abbreviation.
        Trust("pubmed", {FieldGroup.BIBLIOGRAPHIC: 20, FieldGroup.DESCRIPTIVE: 10,
                         FieldGroup.IDENTIFIERS: 20, FieldGroup.BIOMEDICAL_IDS: 10}),
    ),
    cache=("pubmed", "pmc-idconv"),
    pools=pools,
    implementation="zsync.sources.pubmed.client:PubMedClient",
    converts=("pmcid",),
)
