"""Partial dates as Crossref and PubMed write them, read into `PartialDate`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from zsync.model.records import PartialDate

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def month_number(text: str | None) -> int | None:
    """1-12 from `"3"`, `"03"`, `"Mar"` or `"March"`; None otherwise."""
    if not text:
        return None
    text = text.strip().lower().rstrip(".")
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(text)


def _valid_day(text: str | None) -> int | None:
    if text and text.strip().isdigit():
        day = int(text)
        return day if 1 <= day <= 31 else None
    return None


def crossref_date(value: Mapping[str, Any] | None) -> PartialDate | None:
    """A Crossref partial date (`{"date-parts": [[y, m, d]]}`); None for `[[null]]`."""
    if not value:
        return None
    parts = (value.get("date-parts") or [[]])[0] or []
    year = parts[0] if parts and isinstance(parts[0], int) else None
    if year is None:
        return None
    month = parts[1] if len(parts) > 1 and isinstance(parts[1], int) else None
    day = parts[2] if month and len(parts) > 2 and isinstance(parts[2], int) else None
    date = PartialDate(raw="", year=year, month=month, day=day)
    return PartialDate(raw=date.iso() or str(year), year=year, month=month, day=day)


def pubmed_date(
    year: str | None,
    month: str | None = None,
    day: str | None = None,
    season: str | None = None,
    medline_date: str | None = None,
) -> PartialDate | None:
    """A PubMed `PubDate`: Year/Month/Day, Year + Season, or a free-text MedlineDate."""
    if medline_date and not year:
        found = re.search(r"\b(\d{4})\b", medline_date)
        return PartialDate(raw=medline_date.strip(), year=int(found.group(1)) if found else None)
    if not year or not year.strip().isdigit():
        return None
    number = month_number(month)
    day_number = _valid_day(day) if number else None
    if season and not number:
        return PartialDate(raw=f"{year.strip()} {season.strip()}", year=int(year))
    date = PartialDate(raw="", year=int(year), month=number, day=day_number)
    return PartialDate(raw=date.iso() or year.strip(), year=int(year), month=number,
                       day=day_number)


def month_names(number: int) -> tuple[str, ...]:
    """Lower-case English names and abbreviations of month `number` (1-12)."""
    return tuple(name for name, n in _MONTHS.items() if n == number)
