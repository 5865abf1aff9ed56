"""Kept for the adapter tests' imports: the helpers live in `tests.support`."""

from tests.support import (
    FAST,
    MAILTO,
    NCBI_KEY,
    Stack,
    config_for,
    dead_url,
    fast_throttles,
    make_stack,
)

__all__ = ["FAST", "MAILTO", "NCBI_KEY", "Stack", "config_for", "dead_url", "fast_throttles",
           "make_stack"]
