"""Parsers for every input form zsync reads; the format is told from the content."""

from .base import ParseFailure
from .registry import detect_format, parse_text

__all__ = ["ParseFailure", "detect_format", "parse_text"]
