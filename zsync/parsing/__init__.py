"""Parsers for every input form zsync reads; the format is told from the content."""

from zsync.parsing.base import ParseFailure
from zsync.parsing.registry import detect_format, parse_text

__all__ = ["ParseFailure", "detect_format", "parse_text"]
