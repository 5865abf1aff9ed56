"""The source registry: precedence comes from each source's declared trust, names stay
unique, and a registration lasts only as long as asked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.sources.openalex_like import SPEC as OPENALEX
from tests.sources.openalex_like import OpenAlexLike
from tests.support import config_for
from zsync.sources.base import FieldGroup, Trust
from zsync.sources.cache import RecordCache
from zsync.sources.http import HttpLayer, default_throttles
from zsync.sources.registry import NOTE, REGISTRY, Registry


def test_the_registered_sources_give_the_documented_precedence() -> None:
    order = REGISTRY.precedence().order
    assert order(FieldGroup.BIBLIOGRAPHIC) == ("crossref", "pubmed", "datacite", NOTE)
    assert order(FieldGroup.DESCRIPTIVE) == ("pubmed", "crossref", "datacite", NOTE)
    assert order(FieldGroup.IDENTIFIERS) == (NOTE, "crossref", "pubmed", "datacite")
    assert order(FieldGroup.BIOMEDICAL_IDS) == (NOTE, "pubmed", "crossref")


def test_a_new_source_takes_the_place_its_ranks_give_it_and_no_other() -> None:
    registry = Registry(REGISTRY.specs())
    registry.register(OPENALEX)
    order = registry.precedence().order
    assert order(FieldGroup.DESCRIPTIVE) == ("pubmed", "openalex", "crossref", "datacite", NOTE)
    assert order(FieldGroup.BIOMEDICAL_IDS) == (NOTE, "pubmed", "crossref", "openalex")
    assert "openalex" not in order(FieldGroup.BIBLIOGRAPHIC)
    assert registry.precedence().labels[-1] == "openalex"  # reports list it last


def test_equal_ranks_go_by_registration_order() -> None:
    first = replace(OPENALEX, name="first", cache=("first",),
                    trust=(Trust("first", {FieldGroup.DESCRIPTIVE: 10}),))
    second = replace(first, name="second", cache=("second",),
                     trust=(Trust("second", {FieldGroup.DESCRIPTIVE: 10}),))
    assert Registry([second, first]).precedence().order(FieldGroup.DESCRIPTIVE)[:2] == \
        ("second", "first")


def test_names_labels_and_cache_namespaces_stay_unique() -> None:
    registry = Registry(REGISTRY.specs())
    with pytest.raises(ValueError, match="registered already"):
        registry.register(replace(OPENALEX, name="crossref"))
    with pytest.raises(ValueError, match="pmc-idconv"):
        registry.register(replace(OPENALEX, cache=("openalex", "pmc-idconv")))
    with pytest.raises(ValueError, match="datacite"):
        registry.register(replace(OPENALEX, trust=(Trust("datacite", {}),)))
    assert registry.names() == ("crossref", "pubmed")


def test_a_registration_ends_with_its_block_even_on_error() -> None:
    with pytest.raises(RuntimeError), REGISTRY.registered(OPENALEX):
        assert REGISTRY.names() == ("crossref", "pubmed", "openalex")
        assert REGISTRY.cache_namespaces()["openalex"] == ("openalex",)
        raise RuntimeError
    assert REGISTRY.names() == ("crossref", "pubmed")
    assert "openalex" not in REGISTRY.precedence().labels


def test_pools_and_implementations_are_read_from_the_registry(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    assert set(default_throttles(config)) == {"crossref-single", "crossref-list", "doi", "ncbi"}
    with REGISTRY.registered(OPENALEX):
        throttles = default_throttles(config)
        assert throttles["openalex"].rate == 10.0 and throttles["openalex"].concurrency == 2
        cache = RecordCache.from_config(config)
        http = HttpLayer(config, throttles={})
        try:
            built = REGISTRY.build(config, http, cache)
        finally:
            http.close()
            cache.close()
    assert [type(s).__name__ for s in built] == ["CrossrefClient", "PubMedClient", "OpenAlexLike"]
    assert isinstance(built[-1], OpenAlexLike) and built[-1].spec is OPENALEX
