"""Identifiers in every form people paste them, and the properties normalising must keep."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zsync.model import identifiers as ids

DOI_CASES = [
    ("10.1186/s12913-021-06429-w", "10.1186/s12913-021-06429-w"),
    ("doi:10.1186/s12913-021-06429-w", "10.1186/s12913-021-06429-w"),
    ("DOI: 10.1186/s12913-021-06429-w", "10.1186/s12913-021-06429-w"),
    ("https://doi.org/10.1186/s12913-021-06429-w", "10.1186/s12913-021-06429-w"),
    ("http://dx.doi.org/10.1371/journal.pone.0255220", "10.1371/journal.pone.0255220"),
    ("https://dx.doi.org/10.1371/journal.pone.0255220", "10.1371/journal.pone.0255220"),
    ("doi.org/10.1038/nature14539", "10.1038/nature14539"),
    ("10.1056/NEJMoa2007621", "10.1056/nejmoa2007621"),
    ("10.1016/J.RIEM.2015.10.001.", "10.1016/j.riem.2015.10.001"),
    ("(10.1038/nature14539)", "10.1038/nature14539"),
    ("[10.1038/nature14539]", "10.1038/nature14539"),
    ("<https://doi.org/10.1038/nature14539>", "10.1038/nature14539"),
    ("10.1038/nature14539,", "10.1038/nature14539"),
    ("10.1038/nature14539;", "10.1038/nature14539"),
    ("https://doi.org/10.1000%2Fabc%2F123", "10.1000/abc/123"),
    ("https://doi.org/10.1007%2F978-3-642-69746-3_2", "10.1007/978-3-642-69746-3_2"),
    (
        "10.1890/0012-9615(1999)069[0569:EDILSA]2.0.CO;2",
        "10.1890/0012-9615(1999)069[0569:edilsa]2.0.co;2",
    ),
    (
        "(10.1890/0012-9615(1999)069[0569:EDILSA]2.0.CO;2).",
        "10.1890/0012-9615(1999)069[0569:edilsa]2.0.co;2",
    ),
    (
        "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
        "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0",
    ),
    ("info:doi/10.1371/journal.pmed.0020124", "10.1371/journal.pmed.0020124"),
    ("https://doi.org/10.48550/arXiv.1810.04805", "10.48550/arxiv.1810.04805"),
    # A DOI ends where its syntax ends, never inside the markup around it.
    (
        "[https://doi.org/10.1038/nature03687](https://doi.org/10.1038/nature03687)",
        "10.1038/nature03687",
    ),
    ('DOI: <a href="https://doi.org/10.1038/nature03687">10.1038/nature03687</a>', "10.1038/nature03687"),
    ('"10.1038/nature03687"', "10.1038/nature03687"),
    ("`10.1038/nature03687`", "10.1038/nature03687"),
    ("**10.1038/nature03687**", "10.1038/nature03687"),
    ("| 10.1038/nature03687 |", "10.1038/nature03687"),
    ("10.1038/nature03687<br>", "10.1038/nature03687"),
    ("[[10.1038/nature03687]]", "10.1038/nature03687"),
    ("doi:10.1016/S0079-6123(05)50004-9.", "10.1016/s0079-6123(05)50004-9"),
    ("(see 10.1016/S0079-6123(05)50004-9)", "10.1016/s0079-6123(05)50004-9"),
    (
        "https://doi.org/10.1002%2F%28SICI%291097-4571%28199806%2949%3A8%3C693%3A%3AAID-ASI4%3E3.0.CO%3B2-0",
        "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0",
    ),
    (
        "10.1002/(SICI)1097-4571(199806)49:8&lt;693::AID-ASI4&gt;3.0.CO;2-0",
        "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0",
    ),
    (
        "10.1175/1520-0469(1999)056<0400:TPOTTO>2.0.CO;2",
        "10.1175/1520-0469(1999)056<0400:tpotto>2.0.co;2",
    ),
    (
        "https://onlinelibrary.wiley.com/doi/10.1111/j.1467-9280.2008.02106.x/full",
        "10.1111/j.1467-9280.2008.02106.x",
    ),
    ("not a doi", None),
    ("", None),
    ("10.12/short-registrant", None),
]


@pytest.mark.parametrize(("raw", "expected"), DOI_CASES)
def test_normalize_doi(raw: str, expected: str | None) -> None:
    assert ids.normalize_doi(raw) == expected


def test_find_dois_in_order_without_repeats() -> None:
    text = "See https://doi.org/10.1038/NATURE14539. Also (doi:10.1186/1748-5908-6-42) and 10.1038/nature14539"
    assert ids.find_dois(text) == ["10.1038/nature14539", "10.1186/1748-5908-6-42"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("34339429", "34339429"),
        ("PMID: 34339429", "34339429"),
        ("PMID:34339429", "34339429"),
        ("https://www.ncbi.nlm.nih.gov/pubmed/34339429", "34339429"),
        ("https://pubmed.ncbi.nlm.nih.gov/34339429/", "34339429"),
        ("[34339429]", "34339429"),
        ("abc", None),
        ("", None),
    ],
)
def test_normalize_pmid(raw: str, expected: str | None) -> None:
    assert ids.normalize_pmid(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PMC8328305", "PMC8328305"),
        ("pmc8328305", "PMC8328305"),
        ("PMCID: PMC8328305", "PMC8328305"),
        ("PMCID: 8328305", "PMC8328305"),
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC8328305/", "PMC8328305"),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC8328305/", "PMC8328305"),
        ("8328305", "PMC8328305"),
        ("none", None),
    ],
)
def test_normalize_pmcid(raw: str, expected: str | None) -> None:
    assert ids.normalize_pmcid(raw) == expected


def test_pubmed_and_pmc_urls_are_told_apart() -> None:
    text = (
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC8328305/\n"
        "https://www.ncbi.nlm.nih.gov/pubmed/34339429"
    )
    assert ids.find_pmids(text) == ["34339429"]
    assert ids.find_pmcids(text) == ["PMC8328305"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("978-3-642-69746-3", "9783642697463"),
        ("ISBN 978-3-642-69746-3", "9783642697463"),
        ("3-642-69746-1", "9783642697463"),
        ("0-306-40615-2", "9780306406157"),
        ("080442957X", "9780804429573"),
        ("978-3-642-69746-4", None),  # bad checksum
        ("0-306-40615-3", None),
        ("12345", None),
    ],
)
def test_normalize_isbn(raw: str, expected: str | None) -> None:
    assert ids.normalize_isbn(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("arXiv:1810.04805", "1810.04805"),
        ("arXiv:1810.04805v2", "1810.04805"),
        ("https://arxiv.org/abs/1810.04805v1", "1810.04805"),
        ("https://arxiv.org/pdf/1810.04805.pdf", "1810.04805"),
        ("10.48550/arXiv.1810.04805", "1810.04805"),
        ("1810.04805", "1810.04805"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("https://arxiv.org/abs/hep-th/9901001v3", "hep-th/9901001"),
        ("nothing", None),
    ],
)
def test_normalize_arxiv(raw: str, expected: str | None) -> None:
    assert ids.normalize_arxiv(raw) == expected


# --- properties ---------------------------------------------------------------------------

_SUFFIX_CHARS = string.ascii_letters + string.digits + "-._;()/:[]"
# Real DOI suffixes start and end with a letter or digit; inside, anything goes (SICI DOIs
# hold brackets, colons, semicolons and `<…::…>` segments), as long as brackets are balanced.
_plain_parts = st.text(alphabet=_SUFFIX_CHARS, min_size=1, max_size=30)
_sici_segments = st.builds(
    lambda a, b: f"<{a}::{b}>",
    st.text(alphabet=string.digits, min_size=1, max_size=4),
    st.text(alphabet=string.ascii_uppercase + string.digits + "-", min_size=1, max_size=8),
)
suffixes = st.builds(
    lambda head, sici, tail: head + sici + tail,
    _plain_parts,
    st.one_of(st.just(""), _sici_segments),
    st.one_of(st.just(""), _plain_parts),
).filter(
    lambda s: s[0].isalnum()
    and s[-1].isalnum()
    and s.count("(") == s.count(")")
    and s.count("[") == s.count("]")
    and _balanced(s)
)


def _balanced(text: str) -> bool:
    stack: list[str] = []
    for char in text:
        if char in "([":
            stack.append(")" if char == "(" else "]")
        elif char in ")]" and (not stack or stack.pop() != char):
            return False
    return not stack

dois = st.builds(
    lambda reg, suffix: f"10.{reg}/{suffix}",
    st.integers(min_value=1000, max_value=99999999),
    suffixes,
)
WRAPPERS = [
    "{}", "doi:{}", "DOI: {}", "https://doi.org/{}", "http://dx.doi.org/{}", "({})", "[{}]",
    "{}.", "{},", "{};", "<{}>", "see {} for details", "({}).", "https://doi.org/{}#abstract",
    "[https://doi.org/{0}](https://doi.org/{0})", '<a href="https://doi.org/{0}">{0}</a>',
    '"{}"', "'{}'", "`{}`", "**{}**", "_{}_", "| {} |", "{}<br>", "[[{}]]", "DOI:{}",
]


@given(dois)
def test_normalising_a_doi_is_idempotent(doi: str) -> None:
    once = ids.normalize_doi(doi)
    assert once is not None
    assert ids.normalize_doi(once) == once


@given(dois, st.sampled_from(WRAPPERS))
def test_a_doi_survives_every_wrapper(doi: str, wrapper: str) -> None:
    expected = ids.normalize_doi(doi)
    assert ids.normalize_doi(wrapper.format(doi)) == expected
    assert ids.normalize_doi(wrapper.format(doi.upper())) == expected


@given(dois)
def test_a_percent_encoded_doi_url_decodes_to_the_same_doi(doi: str) -> None:
    from urllib.parse import quote

    assert ids.normalize_doi("https://doi.org/" + quote(doi, safe="")) == ids.normalize_doi(doi)


@given(dois, st.sampled_from(WRAPPERS), st.sampled_from(WRAPPERS))
def test_found_dois_are_valid_and_whole_in_any_text(doi: str, before: str, after: str) -> None:
    text = f"{before.format('10.1000/other')} then {after.format(doi)}."
    found = ids.find_dois(text)
    assert found == ["10.1000/other", doi.lower()]
    assert all(ids.is_valid_doi(d) for d in found)


@pytest.mark.parametrize(
    "text", ["10.1038/x](https://doi.org/10.1038/x", '10.1038/x">10.1038/x</a', "10.1000/a b", "10.1038/X"]
)
def test_markup_or_capitals_are_never_a_valid_doi(text: str) -> None:
    assert not ids.is_valid_doi(text)


@given(st.integers(min_value=1, max_value=99999999))
def test_pmid_and_pmcid_normalising_is_idempotent(number: int) -> None:
    pmid = ids.normalize_pmid(str(number))
    assert pmid == str(number) and ids.normalize_pmid(pmid) == pmid
    pmcid = ids.normalize_pmcid(f"PMC{number}")
    assert pmcid == f"PMC{number}" and ids.normalize_pmcid(pmcid) == pmcid


@given(st.text(alphabet=string.digits, min_size=9, max_size=9))
def test_isbn10_and_its_isbn13_normalise_alike(first9: str) -> None:
    total = sum((10 - i) * int(c) for i, c in enumerate(first9))
    check = (11 - total % 11) % 11
    isbn10 = first9 + ("X" if check == 10 else str(check))
    isbn13 = ids.normalize_isbn(isbn10)
    assert isbn13 is not None and len(isbn13) == 13
    assert ids.normalize_isbn(isbn13) == isbn13
