"""Logging set-up: human or JSON lines on stderr, with every known secret masked."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterable

_SECRETS: set[str] = set()


def register_secret(value: str) -> None:
    """Mask `value` wherever it would appear in a log line."""
    if value and len(value) >= 4:
        _SECRETS.add(value)


def redact(text: str, secrets: Iterable[str] | None = None) -> str:
    for secret in secrets if secrets is not None else _SECRETS:
        text = text.replace(secret, "****")
    return text


class _RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + "Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, ensure_ascii=False))


def setup(verbosity: int = 0, quiet: bool = False, fmt: str = "text") -> None:
    """verbosity 0: warnings; 1: info; 2+: debug. quiet: errors only."""
    level = (
        logging.ERROR
        if quiet
        else [logging.WARNING, logging.INFO, logging.DEBUG][min(verbosity, 2)]
    )
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(_RedactingFormatter("zsync: %(levelname)s: %(message)s"))
    root = logging.getLogger("zsync")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
