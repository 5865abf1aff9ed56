"""Dates as written in notes and records, read into year, month and day where possible."""

from __future__ import annotations

import re

from zsync.model.patterns import lazy
from zsync.model.records import PartialDate

_MONTHS = {
    # English, Spanish, Portuguese, German, French, Italian, Dutch (first letters suffice)
    1: ("jan", "ene", "janv", "gen", "jän"),
    2: ("feb", "fev", "fév", "févr"),
    3: ("mar", "mär", "mrt"),
    4: ("apr", "abr", "avr"),
    5: ("may", "mai", "mag", "mei", "mayo", "maio"),
    6: ("jun", "juin", "giu"),
    7: ("jul", "juil", "lug"),
    8: ("aug", "ago", "aoû", "aout", "août"),
    9: ("sep", "set"),
    10: ("oct", "okt", "out", "ott"),
    11: ("nov",),
    12: ("dec", "dic", "dez", "déc"),
}
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_YEAR = lazy(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_ISO = lazy(r"(?<!\d)(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?!\d)")
_DMY = lazy(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)")
_WORD = lazy(r"[^\W\d_]+", re.UNICODE)
_DAY = lazy(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th|\.)?(?!\d)")


def month_from_word(word: str) -> int | None:
    w = word.lower().rstrip(".")
    if w in _SEASONS:
        return _SEASONS[w]
    for number, prefixes in _MONTHS.items():
        if any(w.startswith(p) for p in prefixes) and len(w) >= 3:
            return number
    return None


def parse_date(raw: str | None) -> PartialDate | None:
    """Read a date in any common form; None when `raw` holds no year."""
    if raw is None:
        return None
    text = str(raw).replace("[[", "").replace("]]", "").strip()
    if not text:
        return None
    iso = _ISO.search(text)
    if iso and 1 <= int(iso.group(2)) <= 12:
        day = int(iso.group(3)) if iso.group(3) else None
        return PartialDate(text, int(iso.group(1)), int(iso.group(2)), _valid_day(day))
    dmy = _DMY.search(text)
    if dmy and 1 <= int(dmy.group(2)) <= 12:
        day = _valid_day(int(dmy.group(1)))
        return PartialDate(text, int(dmy.group(3)), int(dmy.group(2)), day)
    year = _YEAR.search(text)
    if not year:
        return None
    return PartialDate(text, int(year.group(1)), *_month_and_day(text, year.span()))


def _month_and_day(text: str, year_span: tuple[int, int]) -> tuple[int | None, int | None]:
    month = None
    for word in _WORD.findall(text):
        month = month_from_word(word)
        if month:
            break
    if month is None:
        return None, None
    rest = text[: year_span[0]] + " " + text[year_span[1] :]
    day = _DAY.search(rest)
    return month, _valid_day(int(day.group(1))) if day else None


def _valid_day(day: int | None) -> int | None:
    return day if day and 1 <= day <= 31 else None
