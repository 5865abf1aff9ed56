"""Abbreviated page ranges are written out in full."""

from __future__ import annotations

import pytest

from zsync.model.pages import expand_page_range


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("205-7", "205-207"),
        ("132-42", "132-142"),
        ("244-55", "244-255"),
        ("117-23", "117-123"),
        ("179-91", "179-191"),
        ("1653-1786", "1653-1786"),  # already full
        ("1386-1399", "1386-1399"),
        ("99-101", "99-101"),  # end longer than start: unchanged
        ("100-9", "100-109"),
        ("1099-102", "1099-1102"),
        ("e33693", "e33693"),  # e-locator
        ("026002", "026002"),
        ("ooae099", "ooae099"),
        ("R12-8", "R12-18"),  # prefix letters kept
        ("S1-S10", "S1-S10"),  # not a digits-digits pair
        ("12-4, 33-9", "12-14, 33-39"),  # every range in the string
        ("1127\u201334", "1127\u20131134"),  # en dash kept
        ("  45-9 ", "45-49"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_expand_page_range(pages: str | None, expected: str | None) -> None:
    assert expand_page_range(pages) == expected


def test_expansion_is_idempotent() -> None:
    for pages in ("205-7", "12-4, 33-9", "R12-8"):
        once = expand_page_range(pages)
        assert expand_page_range(once) == once
