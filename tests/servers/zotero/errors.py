"""Errors raised inside the emulator.

`ApiError` ends a whole request with a plain-text error body (Zotero's error bodies are
plain text, never JSON). `ObjectError` fails one object of a multi-object write; it ends up in
the `failed` member of the write report, or as the whole response of a single-object write.
"""

from __future__ import annotations

import html
from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


class ObjectError(Exception):
    def __init__(self, code: int, message: str, data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def report(self, key: str | None) -> dict[str, Any]:
        """The entry for `failed` in a write report (`key` left out when the object had none)."""
        entry: dict[str, Any] = {}
        if key:
            entry["key"] = key
        entry["code"] = self.code
        # dataserver `Zotero_Results::generateReport` HTML-escapes messages (ENT_COMPAT).
        entry["message"] = html.escape(self.message, quote=False).replace('"', "&quot;")
        if self.data is not None:
            entry["data"] = self.data
        return entry


def not_found() -> ApiError:
    return ApiError(404, "Not found")
