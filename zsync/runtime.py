"""Building the adapters a command needs from its settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from zsync.adapters.cache import RecordCache
from zsync.adapters.crossref import CrossrefClient
from zsync.adapters.http import HttpLayer
from zsync.adapters.pubmed import PubMedClient
from zsync.config import Config
from zsync.enrich import Enricher


@contextmanager
def enricher(config: Config) -> Iterator[Enricher]:
    """An `Enricher` over Crossref and PubMed with the record cache; closed on exit."""
    cache = RecordCache.from_config(config)
    http = HttpLayer(config)
    try:
        yield Enricher(CrossrefClient(config, http, cache), PubMedClient(config, http, cache))
    finally:
        cache.close()
