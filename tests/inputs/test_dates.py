"""Dates as notes write them."""

from __future__ import annotations

import pytest

from zsync.model.dates import parse_date


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("[[Jul 1st, 2014]]", "2014-07-01"),
        ("[[May 1st, 2020]]", "2020-05-01"),
        ("[[2015]]", "2015"),
        ("2016-05-12", "2016-05-12"),
        ("2016-05", "2016-05"),
        ("12/03/2016", "2016-03-12"),
        ("March 2019", "2019-03"),
        ("3. März 2018", "2018-03-03"),
        ("2015a", "2015"),
        ("Published 2021", "2021"),
    ],
)
def test_parse_date(raw: str, iso: str) -> None:
    date = parse_date(raw)
    assert date is not None and date.iso() == iso
    assert date.raw == raw.replace("[[", "").replace("]]", "")


@pytest.mark.parametrize("raw", [None, "", "[[]]", "no date", "n.d."])
def test_no_date(raw: str | None) -> None:
    assert parse_date(raw) is None
