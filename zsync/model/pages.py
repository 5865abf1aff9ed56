"""Page ranges: expand the abbreviated ranges MEDLINE and many publishers write.

`expand_page_range("205-7")` gives `"205-207"`: where the end of a range has fewer digits than
its start, the missing leading digits are taken from the start. Zotero's PubMed XML importer
does the same to every `digits-digits` pair in the string (so `"R12-8, 44-5"` becomes
`"R12-18, 44-45"`); text around the pairs is kept as it is.
"""

from __future__ import annotations

import re

from zsync.model.patterns import lazy

# digits, a hyphen or en dash, digits; not inside a longer run of digits.
_RANGE = lazy(r"(?<!\d)(\d+)([-\u2013])(\d+)(?!\d)")


def _expand(match: re.Match[str]) -> str:
    start, dash, end = match.group(1), match.group(2), match.group(3)
    missing = len(start) - len(end)
    if missing > 0:
        end = start[:missing] + end
    return f"{start}{dash}{end}"


def expand_page_range(pages: str | None) -> str | None:
    """`pages` with every abbreviated `start-end` range written out in full.

    >>> expand_page_range("132-42")
    '132-142'
    """
    if pages is None:
        return None
    text = pages.strip()
    return _RANGE.sub(_expand, text) if text else None
