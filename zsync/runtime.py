"""Building the adapters a command needs from its settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .adapters.cache import RecordCache
from .adapters.crossref import CrossrefClient
from .adapters.http import HttpLayer
from .adapters.pubmed import PubMedClient
from .config import Config
from .enrich import Enricher


@contextmanager
def enricher(config: Config) -> Iterator[Enricher]:
    """An `Enricher` over Crossref and PubMed with the record cache; closed on exit."""
    cache = RecordCache.from_config(config)
    http = HttpLayer(config)
    try:
        yield Enricher(CrossrefClient(config, http, cache), PubMedClient(config, http, cache))
    finally:
        cache.close()
