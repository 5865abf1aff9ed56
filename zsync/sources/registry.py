"""The metadata sources zsync asks, one line each, and what the rest of zsync reads from them.

The Enricher (through `runtime`), merge precedence, `zsync cache`, and the HTTP layer's
throttles all read this list; none of them names a source. Adding a source is one module
(a `SourceSpec` plus its `Source` implementation, `zsync.sources.base`) and one line in
`REGISTRY` below. Registration order breaks ties in precedence and orders reports.

Reading the registry imports no client: specs are plain data and an implementation is
imported only when `build` makes it for a run.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from zsync.config.settings import Config
from zsync.sources import crossref, pubmed
from zsync.sources.base import NOTE_FIRST, FieldGroup, Source, SourceFactory, SourceSpec
from zsync.sources.throttle import ServicePolicy

NOTE = "note"  # the note's own values, placed by each group's rule (`base.NOTE_FIRST`)


class Precedence:
    """Per field group, the provenance labels in the order their values win, note included."""

    def __init__(self, specs: Sequence[SourceSpec]) -> None:
        trusts = [t for spec in specs for t in spec.trust]
        self.labels: tuple[str, ...] = tuple(t.label for t in trusts)
        self._orders: dict[FieldGroup, tuple[str, ...]] = {}
        for group in FieldGroup:
            ranked = sorted(
                (t.ranks[group], position, t.label)
                for position, t in enumerate(trusts) if group in t.ranks
            )
            labels = tuple(label for _, _, label in ranked)
            self._orders[group] = (NOTE, *labels) if group in NOTE_FIRST else (*labels, NOTE)

    def order(self, group: FieldGroup) -> tuple[str, ...]:
        return self._orders[group]

    def rank(self, label: str) -> int:
        """Where `label` comes in reports: registration order, unknown labels last."""
        return self.labels.index(label) if label in self.labels else len(self.labels)


class Registry:
    def __init__(self, specs: Sequence[SourceSpec]) -> None:
        self._specs: list[SourceSpec] = []
        self._precedence: Precedence | None = None
        for spec in specs:
            self.register(spec)

    def specs(self) -> tuple[SourceSpec, ...]:
        return tuple(self._specs)

    def names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self._specs)

    def register(self, spec: SourceSpec) -> None:
        """Add a source after those registered so far."""
        if spec.name in self.names():
            raise ValueError(f"a source named {spec.name!r} is registered already")
        taken = {label for s in self._specs for label in (*s.labels(), *s.cache)}
        clash = taken & {*spec.labels(), *spec.cache}
        if clash:
            raise ValueError(f"source {spec.name!r} reuses names of another: {sorted(clash)}")
        self._specs.append(spec)
        self._precedence = None

    def unregister(self, name: str) -> None:
        self._specs = [spec for spec in self._specs if spec.name != name]
        self._precedence = None

    @contextmanager
    def registered(self, spec: SourceSpec) -> Iterator[SourceSpec]:
        """`spec` is registered inside the block only."""
        self.register(spec)
        try:
            yield spec
        finally:
            self.unregister(spec.name)

    def precedence(self) -> Precedence:
        if self._precedence is None:
            self._precedence = Precedence(self._specs)
        return self._precedence

    def cache_namespaces(self) -> dict[str, tuple[str, ...]]:
        """Source name -> the record-cache namespaces it writes."""
        return {spec.name: spec.cache for spec in self._specs}

    def pools(self, config: Config) -> dict[str, ServicePolicy]:
        """Every request pool of every source, with its documented limits."""
        return {name: policy for spec in self._specs
                for name, policy in spec.pools(config).items()}

    def build(self, config: Config, http: Any, cache: Any) -> list[Source]:
        """Every source, made for one run over the shared HTTP layer and record cache."""
        return [_factory(spec)(config, http, cache) for spec in self._specs]


def _factory(spec: SourceSpec) -> SourceFactory:
    if not isinstance(spec.implementation, str):
        return spec.implementation
    module, _, name = spec.implementation.partition(":")
    factory: SourceFactory = getattr(importlib.import_module(module), name)
    return factory


REGISTRY = Registry([
    crossref.SPEC,
    pubmed.SPEC,
])
