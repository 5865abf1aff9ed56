"""Building the adapters a command needs from its settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from zsync.config.settings import Config
from zsync.enrich.enricher import Enricher
from zsync.sources.cache import RecordCache
from zsync.sources.crossref.client import CrossrefClient
from zsync.sources.http import HttpLayer
from zsync.sources.pubmed.client import PubMedClient


@contextmanager
def enricher(config: Config) -> Iterator[Enricher]:
    """An `Enricher` over Crossref and PubMed with the record cache; closed on exit."""
    cache = RecordCache.from_config(config)
    http = HttpLayer(config)
    try:
        yield Enricher(CrossrefClient(config, http, cache), PubMedClient(config, http, cache))
    finally:
        cache.close()
