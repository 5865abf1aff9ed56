"""Bytes to text for the user's input files.

Text marked by a byte-order mark is read in that encoding; a UTF-16 or UTF-32 file cut in
the middle of a character is read up to the cut, with a warning. Unmarked text is UTF-8,
also when a few bytes in it are not (a Windows-1252 paste into a UTF-8 note): those bytes
alone are read as Windows-1252, with a warning naming the line of the first one, so one
stray byte never turns every accent of the note into mojibake. Text with no valid UTF-8
beyond ASCII is read in the most likely legacy encoding.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from zsync.errors import InputError
from zsync.model.patterns import lazy

# Longest first: the UTF-32 little-endian mark starts with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", 4),
    (codecs.BOM_UTF32_BE, "utf-32-be", 4),
    (codecs.BOM_UTF8, "utf-8", 1),
    (codecs.BOM_UTF16_LE, "utf-16-le", 2),
    (codecs.BOM_UTF16_BE, "utf-16-be", 2),
)
_STRAY = lazy("[\udc80-\udcff]")  # bytes kept by the surrogateescape error handler
# More damaged characters than this share of a marked Unicode file: not text at all.
_DAMAGE_SHARE = 0.05


class UnreadableInput(InputError):
    """A file that holds no text zsync can read (binary, or not decodable)."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text, with a warning when some of its bytes had to be guessed or dropped."""

    text: str
    warning: str | None = None


def decode(data: bytes) -> Decoded:
    """Text from bytes: BOM-marked Unicode, UTF-8 (stray bytes read as Windows-1252),
    else the most likely legacy encoding. Raises `UnreadableInput` for binary data."""
    for bom, encoding, unit in _BOMS:
        if data.startswith(bom):
            return _marked(data[len(bom):], encoding, unit)
    if b"\x00" in data[:4096]:
        raise UnreadableInput("binary file (contains NUL bytes), not text")
    try:
        return Decoded(_newlines(data.decode("utf-8")))
    except UnicodeDecodeError:
        pass
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return mixed
    from charset_normalizer import from_bytes  # only for text that is not UTF-8

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableInput("not text in any known encoding")
    return Decoded(_newlines(str(best)))


def _marked(body: bytes, encoding: str, unit: int) -> Decoded:
    """Text after a byte-order mark, which names its encoding."""
    try:
        return Decoded(_newlines(body.decode(encoding)))
    except UnicodeDecodeError:
        pass
    if unit == 1:
        mixed = _mostly_utf8(body)
        if mixed is None:
            raise UnreadableInput(
                "starts with a UTF-8 byte-order mark, but most of what follows is not UTF-8"
            ) from None
        return mixed
    name = encoding.split("-", 2)[0].upper() + "-" + encoding.split("-")[1]
    whole = len(body) - len(body) % unit
    text = body[:whole].decode(encoding, errors="replace")
    damaged = text.count("\ufffd") - body[:whole].decode(encoding, "ignore").count("\ufffd")
    if damaged > max(1, len(text) * _DAMAGE_SHARE):
        raise UnreadableInput(
            f"starts with a {name} byte-order mark, but {damaged} of its {len(text)} "
            f"characters cannot be decoded: not {name} text"
        ) from None
    notes = []
    if whole < len(body):
        notes.append(f"{name} text that ends in the middle of a character: the file looks "
                     "truncated, its last character was dropped")
    if damaged:
        notes.append(f"{damaged} damaged {name} character(s) replaced by U+FFFD")
    return Decoded(_newlines(text), "; ".join(notes))


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few bytes of another encoding, or None when most non-ASCII bytes are
    not UTF-8 (then the file is in a legacy encoding, or not text)."""
    text = data.decode("utf-8", errors="surrogateescape")
    stray = _STRAY.findall(text)
    valid = sum(1 for c in text if ord(c) > 0x7F) - len(stray)
    if valid < len(stray):
        return None
    first = _STRAY.search(text)
    line = text.count("\n", 0, first.start() if first else 0) + 1
    repaired = _STRAY.sub(_windows_1252, text)
    warning = (f"not all UTF-8: {len(stray)} byte(s) from another encoding (the first on "
               f"line {line}) read as Windows-1252; check those characters")
    return Decoded(_newlines(repaired), warning)


def _windows_1252(match: re.Match[str]) -> str:
    return bytes([ord(match.group()) - 0xDC00]).decode("cp1252", errors="replace")


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
