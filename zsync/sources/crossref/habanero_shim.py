"""Route habanero's HTTP through zsync's HTTP layer, for the length of a `with` block.

habanero 2.9 sends every request with the module-level `httpx2.get(url, params=, headers=,
timeout=)` inside `habanero.request` and `habanero.request_class`; it takes no client, sends
no retries and shows no response headers. Rather than patch `httpx2.get` for the whole
process, the name `httpx2` inside those two habanero modules (and only there) is bound to a
stand-in module: it forwards everything to the real httpx2, except `get`, which goes to the
getter set by `routed()` when there is one (a context variable, so threads and other callers
are unaffected) and to the real `httpx2.get` otherwise.
"""

from __future__ import annotations

import importlib
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpx2

Getter = Callable[..., httpx2.Response]

_ROUTE: ContextVar[Getter | None] = ContextVar("zsync_habanero_route", default=None)
_MODULES = ("habanero.request", "habanero.request_class")


class _Httpx2ForHabanero(types.ModuleType):
    """The real httpx2 module, with `get` routed when a route is set."""

    def __getattr__(self, name: str) -> Any:
        return getattr(httpx2, name)

    def get(self, url: Any, **kwargs: Any) -> httpx2.Response:
        route = _ROUTE.get()
        return route(url, **kwargs) if route is not None else httpx2.get(url, **kwargs)


_STAND_IN = _Httpx2ForHabanero("httpx2")


def install() -> None:
    """Bind `httpx2` inside habanero's request modules to the stand-in (idempotent)."""
    for name in _MODULES:
        module = importlib.import_module(name)
        if getattr(module, "httpx2", None) is not _STAND_IN:
            module.httpx2 = _STAND_IN  # type: ignore[attr-defined]


def is_installed() -> bool:
    return all(
        getattr(importlib.import_module(name), "httpx2", None) is _STAND_IN for name in _MODULES
    )


@contextmanager
def routed(getter: Getter) -> Iterator[None]:
    """Inside the block, habanero's `httpx2.get` calls go to `getter`."""
    install()
    token = _ROUTE.set(getter)
    try:
        yield
    finally:
        _ROUTE.reset(token)
