"""Zotero's Extra field: the `Field: value` lines Zotero, Better BibTeX and users write are
read wherever they stand, and lines zsync adds read back as written."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zsync.zotero.extra import extra_fields, extra_line, extra_lines, with_lines

LABELS = st.sampled_from(["DOI", "PMID", "PMCID", "Citation Key", "arXiv", "Original Date"])
VALUES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                 max_size=40).filter(lambda v: v.strip())


def test_lines_are_read_by_lower_case_name_the_first_of_each_winning() -> None:
    extra = ("Read for the methods chapter.\n  DOI: 10.1000/ABC  \nPMID:123\n"
             "Citation Key: smith2020\ndoi: 10.1000/other\n\n")
    fields = extra_fields(extra)
    assert fields["doi"] == "10.1000/ABC"
    assert fields["pmid"] == "123"
    assert fields["citation key"] == "smith2020"
    assert "read for the methods chapter." not in fields
    assert extra_lines(extra)[0] == "Read for the methods chapter."
    assert extra_fields(None) == {} and extra_lines("") == []


FREE_TEXT = st.text(st.characters(blacklist_characters=":"), max_size=80)


@given(FREE_TEXT, LABELS, VALUES)
def test_a_line_added_reads_back_and_keeps_what_was_there(have: str, label: str,
                                                          value: str) -> None:
    extra = with_lines(have, [extra_line(label, value)])
    assert extra.startswith(have.rstrip())
    assert extra_lines(extra)[-1] == extra_line(label, value)
    assert extra_fields(extra)[label.lower()] == " ".join(value.split())
