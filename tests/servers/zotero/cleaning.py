"""String cleaning the Zotero Web API applies to everything a client uploads.

- Every string in an uploaded JSON body loses its control characters (U+0000-U+001F except
  tab and line feed, and U+007F): dataserver `ApiController::jsonDecode` ->
  `Zotero_Utilities::cleanStringRecursive`.
- Item fields and tags are trimmed with PHP `trim` (space, tab, LF, CR, NUL, VT only):
  `Zotero_Item::setField`, `Zotero_Item::setTags`.
- Creator names are trimmed of every Unicode space, control and format character
  (`Zotero_Utilities::unicodeTrim`, used by `Zotero_Creator::__set`).
- Collection names are PHP-trimmed and NFC-normalised (`Zotero_DataObject::setField`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
PHP_TRIM = " \t\n\r\0\x0b"


def strip_controls(text: str) -> str:
    return _CONTROL.sub("", text)


def clean_strings(value: Any) -> Any:
    """A copy of decoded JSON with control characters removed from every string value
    (object keys are left alone, as PHP does)."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list):
        return [clean_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: clean_strings(v) for k, v in value.items()}
    return value


def php_trim(text: str) -> str:
    return text.strip(PHP_TRIM)


def _is_space_or_control(char: str) -> bool:
    return unicodedata.category(char)[0] in ("Z", "C")


def unicode_trim(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_space_or_control(text[start]):
        start += 1
    while end > start and _is_space_or_control(text[end - 1]):
        end -= 1
    return text[start:end]


def collection_name(text: str) -> str:
    return unicodedata.normalize("NFC", php_trim(text))
