"""Parsers for every input form zsync reads; the format is told from the content."""

from zsync.inputs.base import ParseFailure
from zsync.inputs.registry import detect_format, parse_text

__all__ = ["ParseFailure", "detect_format", "parse_text"]
