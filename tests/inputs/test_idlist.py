"""What `zsync add` takes each typed or listed identifier to be."""

from __future__ import annotations

import pytest

from zsync.inputs.idlist import Wanted, entries, identify, records_from


@pytest.mark.parametrize(("entry", "kind", "value"), [
    ("10.1038/nature14539", "doi", "10.1038/nature14539"),
    ("https://doi.org/10.1038/NATURE14539", "doi", "10.1038/nature14539"),
    ("doi:10.1038/nature14539", "doi", "10.1038/nature14539"),
    ("26017442", "pmid", "26017442"),
    ("PMID: 26017442", "pmid", "26017442"),
    ("https://pubmed.ncbi.nlm.nih.gov/26017442/", "pmid", "26017442"),
    ("PMC4519462", "pmcid", "PMC4519462"),
    ("arXiv:1810.04805v2", "arxiv", "1810.04805"),
    ("1810.04805", "arxiv", "1810.04805"),
    ("https://arxiv.org/abs/hep-th/9901001", "arxiv", "hep-th/9901001"),
    ("978-0-262-03561-3", "isbn", ("9780262035613",)),
    ("0262035618", "isbn", ("9780262035613",)),  # ISBN-10, converted
])
def test_each_kind_of_identifier_is_recognised(entry: str, kind: str, value: object) -> None:
    ids = identify(entry)
    assert ids is not None and getattr(ids, kind) == value


@pytest.mark.parametrize("entry", ["9780262035614", "hello", "10.1038", ""])
def test_what_names_no_identifier_is_refused(entry: str) -> None:
    assert identify(entry) is None


def test_a_list_keeps_labels_with_their_values_and_skips_comments() -> None:
    text = "# my reading list\nISBN 978-0-262-03561-3, PMID: 26017442\n\n10.1/x # why\n"
    assert entries(text) == ["ISBN 978-0-262-03561-3", "PMID: 26017442", "10.1/x"]


def test_records_carry_the_tags_and_status_and_name_what_was_not_read() -> None:
    records, problems = records_from(["10.1234/x", "https://doi.org/10.1234/X", "nope"],
                                     Wanted(("t",), "reading"))
    assert len(records) == 1  # the same DOI twice is one work
    assert records[0].tags == ("t",) and records[0].status == "reading"
    assert len(problems) == 1 and "'nope'" in problems[0].message
