"""Logging set-up and the two filters every outgoing text passes: secrets masked
(`redact`) and control characters shown escaped (`printable`).

Every value zsync knows to be secret (API keys) is registered here once, when the
settings are read; from then on every log line, terminal line, report, stored error and
HTTP answer zsync keeps goes through `redact`. Text that reaches a terminal or a text
report goes through `printable`, so an escape sequence in a note, a file name, a library
item or a server's answer is shown (`\\x1b[2J`) instead of acting on the terminal.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterable
from typing import Any

MASK = "****"
_SECRETS: set[str] = set()
_FORMAT = {"lines": "text"}  # "json": every line on stderr is one JSON object

# C0 controls other than tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), and
# the invisible bidirectional overrides that make text read differently than it is.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_OUTSIDE_JSON = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def register_secret(value: str) -> None:
    """Mask `value` wherever zsync would show or keep it."""
    if value and len(value) >= 4:
        _SECRETS.add(value)


def secrets() -> frozenset[str]:
    return frozenset(_SECRETS)


def redact(text: str, secrets: Iterable[str] | None = None) -> str:
    """`text` with every registered secret (or each of `secrets`) replaced by `****`."""
    for secret in sorted(secrets if secrets is not None else _SECRETS, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redact_bytes(data: bytes) -> bytes:
    """`data` with every registered secret masked, as it appears in UTF-8 or in a URL."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        for form in _encodings(secret):
            if form in data:
                data = data.replace(form, MASK.encode())
    return data


def holds_secret(data: str | bytes) -> bool:
    """True when `data` contains a registered secret."""
    if isinstance(data, str):
        return any(secret in data for secret in _SECRETS)
    return any(form in data for secret in _SECRETS for form in _encodings(secret))


def _encodings(secret: str) -> set[bytes]:
    from urllib.parse import quote, quote_plus

    return {secret.encode(), quote(secret, safe="").encode(), quote_plus(secret).encode()}


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, newlines: bool = True) -> str:
    """`text` safe to show on a terminal or in a text report: secrets masked, control
    characters escaped as `\\x1b` (tab kept; newline kept unless `newlines` is False)."""
    text = _UNSAFE.sub(_escape, redact(text))
    return text if newlines else text.replace("\n", "\\n")


def printable_json(text: str) -> str:
    """Serialised JSON safe for a terminal: secrets masked, and the controls `json.dumps`
    leaves raw (C1, bidirectional overrides) written as `\\u` escapes, still valid JSON."""
    return _UNSAFE_OUTSIDE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", redact(text))


def json_lines() -> bool:
    """True under `--log-format json`: stderr carries JSON objects only, no progress."""
    return _FORMAT["lines"] == "json"


def _stamp(epoch: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + "Z"


def json_line(level: str, event: str, message: str, **fields: Any) -> str:
    """One JSON log object (see docs/logging.md), secrets masked, safe for a terminal."""
    entry = {"time": _stamp(), "level": level, "event": event,
             "message": message, **fields}
    return printable_json(json.dumps(entry, ensure_ascii=False, default=str))


def emit(level: str, event: str, message: str, **fields: Any) -> None:
    """Tell the user something on stderr: a JSON object under `--log-format json`,
    otherwise `zsync: LEVEL: message` (errors as `zsync: error: message`)."""
    if json_lines():
        line = json_line(level, event, message, **fields)
    else:
        line = printable(f"zsync: {level}: {message}")
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


class _SafeFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": _stamp(record.created),
            "level": record.levelname.lower(),
            "event": "log",
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return printable_json(json.dumps(entry, ensure_ascii=False))


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time (as logging's own last resort does)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def setup(verbosity: int = 0, quiet: bool = False, fmt: str = "text") -> None:
    """verbosity 0: warnings; 1: info; 2+: debug. quiet: errors only."""
    level = (
        logging.ERROR
        if quiet
        else [logging.WARNING, logging.INFO, logging.DEBUG][min(verbosity, 2)]
    )
    _FORMAT["lines"] = fmt
    handler = _CurrentStderr()
    if fmt == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(_SafeFormatter("zsync: %(levelname)s: %(message)s"))
    # What other libraries log with no handler of their own set up (logging's "last
    # resort") passes the same filters: it can hold a server's text or a URL.
    last_resort = _CurrentStderr()
    last_resort.setLevel(logging.WARNING)
    last_resort.setFormatter(handler.formatter)
    logging.lastResort = last_resort
    root = logging.getLogger("zsync")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
