"""Crossref: works by DOI and by citation, and their mapping to records.

`SPEC` is Crossref as the registry knows it. DOIs registered elsewhere (DataCite, mEDRA)
are fetched through DOI content negotiation and labelled `datacite`.
"""

from __future__ import annotations

from collections.abc import Mapping

from zsync.config.settings import Config
from zsync.sources.base import FieldGroup, SourceSpec, Trust
from zsync.sources.throttle import (
    CROSSREF_POLITE_LIST,
    CROSSREF_POLITE_SINGLE,
    CROSSREF_PUBLIC_LIST,
    CROSSREF_PUBLIC_SINGLE,
    DOI_RESOLVER,
    ServicePolicy,
)


def pools(config: Config) -> Mapping[str, ServicePolicy]:
    """The polite pools when a mailto address is set, else the public ones; doi.org."""
    polite = bool(config.crossref.mailto)
    return {
        "crossref-single": CROSSREF_POLITE_SINGLE if polite else CROSSREF_PUBLIC_SINGLE,
        "crossref-list": CROSSREF_POLITE_LIST if polite else CROSSREF_PUBLIC_LIST,
        "doi": DOI_RESOLVER,
    }


SPEC = SourceSpec(
    name="crossref",
    title="Crossref",
    id_kinds=("doi",),
    trust=(
        # The publisher's deposit is the version of record.
        Trust("crossref", {FieldGroup.BIBLIOGRAPHIC: 10, FieldGroup.DESCRIPTIVE: 20,
                           FieldGroup.IDENTIFIERS: 10, FieldGroup.BIOMEDICAL_IDS: 20}),
        Trust("datacite", {FieldGroup.BIBLIOGRAPHIC: 30, FieldGroup.DESCRIPTIVE: 30,
                           FieldGroup.IDENTIFIERS: 30}),
    ),
    cache=("crossref", "crossref-search", "doi.org"),
    pools=pools,
    implementation="zsync.sources.crossref.client:CrossrefClient",
    search_label="crossref-search",
)
