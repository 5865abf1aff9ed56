"""Exports read as Zotero's import translators read them: TeX decoding, entry types, names,
record structure, and the speed of reading a large BibTeX file."""

from __future__ import annotations

import pytest

from zsync.inputs import parse_text
from zsync.inputs.exports.latex import latex_to_text
from zsync.model.records import Creator


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"Jo\~{a}o", "João"),
        (r"Toru{\'n}", "Toruń"),
        (r"G\"odel and Pastr\v{n}\'ak", "Gödel and Pastrňák"),
        (r"{$\kappa$}-opioid", "κ-opioid"),
        (r"the {'}classic{'} view", "the 'classic' view"),
        (r"at $\sqrt{s}$ = 13 TeV", "at √(s) = 13 TeV"),
        (r"Cu$_2$O thin films", "Cu₂O thin films"),
        (r"$^{63}$Cu and m\textsuperscript{2}", "⁶³Cu and m²"),
        (r"Cu$_{2-\delta}$O", "Cu<sub>2-δ</sub>O"),
        (r"Search in \AIJ and {BERT}", r"Search in \AIJ and BERT"),
        (r"{\o}stergaard, \L{}ukasiewicz, Stra\ss{}e", "østergaard, Łukasiewicz, Straße"),
        (r"50\% of R\&D -- 1990--2000", "50% of R&D – 1990–2000"),
        (r"Rahnenf\ifmmode\ddot{u}\else\"{u}\fi{}hrer", "Rahnenführer"),
    ],
)
def test_tex_becomes_the_text_it_stands_for(tex: str, text: str) -> None:
    assert latex_to_text(tex) == text


def bib(text: str) -> list:
    result = parse_text(text, "refs.bib")
    assert result.format == "bibtex"
    return list(result.records)


def test_keyless_entries_are_read() -> None:
    records = bib("@article{\n  author = {Huang, Y. and Mucke, L.},\n  title = {Alzheimer"
                  " mechanisms},\n  journal = {Cell},\n  year = {2012}\n}\n"
                  "@book{\n  title = {Second},\n  year = {2001}\n}\n")
    assert [r.title for r in records] == ["Alzheimer mechanisms", "Second"]
    assert records[0].creators[0] == Creator(family="Huang", given="Y.")


def test_an_unbalanced_brace_costs_only_its_entry_and_is_named_with_its_line() -> None:
    text = ("@article{a,\n  title = {First {broken},\n  year = {2001}\n}\n\n"
            "@article{b,\n  title = {Second},\n  year = {2002}\n}\n")
    records = bib(text)
    assert [r.title for r in records][-1] == "Second"
    warned = [w for r in records for w in r.warnings if "line 1" in w]
    assert warned, [r.warnings for r in records]


def test_undefined_macro_kept_as_written() -> None:
    (record,) = bib("@article{a, title = {T}, journal = AIJ, year = 2001}")
    assert record.container == "AIJ"


@pytest.mark.parametrize(
    ("entry_type", "item_type"),
    [("video", "videoRecording"), ("web_page", "webpage"), ("book_section", "bookSection"),
     ("masterthesis", "thesis"), ("movie", "film"), ("letter", "letter")],
)
def test_entry_types_as_zotero_maps_them(entry_type: str, item_type: str) -> None:
    (record,) = bib(f"@{entry_type}{{k, title = {{A work}}, year = {{2001}}}}")
    assert record.item_type == item_type


def test_one_word_names_and_comma_listed_authors() -> None:
    (record,) = bib("@misc{a, title = {Word}, author = {Microsoft}, year = 2020}\n")
    assert record.creators == (Creator(name="Microsoft"),)
    (record,) = bib("@article{b, title = {T}, author = {Reeder Blaine, Chung Jane,"
                    " Lyden Kate}, year = 2020}")
    assert [c.family for c in record.creators] == ["Reeder", "Chung", "Lyden"]


def test_url_with_spaces_kept_whole() -> None:
    (record,) = bib("@misc{a, title = {T}, url = {https://example.org/Volume 9/Issue 2/x.pdf}}")
    assert record.urls == ("https://example.org/Volume 9/Issue 2/x.pdf",)


def test_a_record_cited_by_author_container_year_and_pages_is_kept() -> None:
    (record,) = bib("@article{a, author = {Gross, E. F.}, journal = {Nuovo Cimento},"
                    " year = {1956}, volume = {3}, pages = {672--701}}")
    assert record.container == "Nuovo Cimento" and record.pages == "672-701"


OVID = """1.
TY  - JOUR
T1  - First numbered record
A1  - Holmstrom, E.
Y1  - 2020//
ER  -

2.
TY  - JOUR
T1  - Second numbered record
A1  - Eloubeidi M.A.
Y1  - 2019//
ER  -
"""


def test_ris_with_record_numbers_or_a_preamble_is_ris() -> None:
    for text in (OVID, "Exported from a database on 2020-01-01\nDatabase: X\n\n" + OVID):
        result = parse_text(text, "export.txt")
        assert result.format == "ris"
        assert [r.title for r in result.records] == [
            "First numbered record", "Second numbered record"]
    second = parse_text(OVID, "export.txt").records[1]
    assert second.creators == (Creator(family="Eloubeidi", given="M.A."),)
