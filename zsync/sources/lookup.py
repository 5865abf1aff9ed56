"""The cache-first pattern every client shares: answer what the record cache holds."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from zsync.sources.batching import Progress, tick
from zsync.sources.cache import RecordCache
from zsync.sources.outcomes import OFFLINE, NotEnriched, NotFound

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


def left_to_fetch(
    keys: dict[str, str],
    answers: dict[str, Any],
    source: str,
    offline: bool,
    progress: Progress | None,
) -> list[str]:
    """The cache keys `answers` has no answer for, each once in order, to ask the service.

    `progress` hears of the keys answered already (and of the total). Offline nothing is
    asked: the missing keys are answered `NotEnriched` (named after `source`) here.
    """
    todo = [key for key in dict.fromkeys(keys.values()) if key not in answers]
    total = len(set(keys.values()))
    tick(progress, total - len(todo), total)
    if todo and offline:
        answers.update(dict.fromkeys(todo, NotEnriched(source, OFFLINE)))
        tick(progress, len(todo))
        return []
    return todo
