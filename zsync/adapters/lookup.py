"""The cache-first pattern every client shares: answer what the record cache holds."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from .cache import RecordCache
from .outcomes import NotFound

T = TypeVar("T")


def unique_keys(ids: Iterable[str], normalise: Callable[[str], str]) -> dict[str, str]:
    """Each id as given -> its cache key (several spellings may share one key)."""
    return {raw: normalise(raw.strip()) for raw in ids}


def cached_answers(
    cache: RecordCache,
    source: str,
    id_kind: str,
    keys: Iterable[str],
    offline: bool,
    decode: Callable[[str, str], T],
) -> dict[str, T | NotFound]:
    """Cached answers among `keys` (stale ones too when offline); unreadable rows are skipped."""
    answers: dict[str, T | NotFound] = {}
    for key, entry in cache.get_many(source, id_kind, keys, allow_stale=offline).items():
        if entry.not_found or entry.payload is None:
            answers[key] = NotFound(source, "cached answer")
            continue
        try:
            answers[key] = decode(key, entry.payload)
        except (ValueError, KeyError, TypeError):
            continue
    return answers
