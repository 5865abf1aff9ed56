"""Org-mode notes: org-roam files, org-ref headings with drawers, sniffing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zsync.inputs import detect_format, parse_text
from zsync.inputs.files import parse_file
from zsync.inputs.notes import org
from zsync.model.records import Record

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO.parent / "shared" / "examples"

ROAM = """:PROPERTIES:
:ID:       b81f0d3e-5a9c-4c1e-8f0e-2a7d6c9e4b55
:ROAM_REFS: cite:lecun2015 https://doi.org/10.1038/nature14539
:END:
#+title: Deep learning
#+filetags: :ml:review:

Review by three founders of the field.
"""

READING_LIST = """#+TODO: TOREAD READING | FINISHED
#+title: Reading list
#+filetags: :list:

* TOREAD [#A] Deep learning [1/2] :ml:
:PROPERTIES:
:AUTHOR: LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey
:YEAR: 2015
:JOURNAL: Nature
:DOI: 10.1038/nature14539
:CUSTOM_ID: lecun2015
:END:
Some notes.
** Abstract
Deep learning allows computational models
to learn representations.
** Notes
- compare doi:10.1000/other and PMID: 999
* FINISHED Why most published research findings are false
:PROPERTIES:
:TITLE: {Why Most Published Research Findings Are False}
:AUTHOR: Ioannidis, John P. A.
:URL: https://pubmed.ncbi.nlm.nih.gov/16060722/
:BTYPE: article
:END:
* Ideas
text
"""


def _all(text: str) -> list[Record]:
    return org.parse(text, "notes.org")


def _one(text: str) -> Record:
    records = _all(text)
    assert len(records) == 1
    return records[0]


def test_org_roam_file_level_record() -> None:
    record = _one(ROAM)
    assert (record.title, record.ids.doi) == ("Deep learning", "10.1038/nature14539")
    assert record.tags == ("ml", "review")
    assert record.status is None
    assert record.note == ROAM.strip("\n")


def test_org_ref_headings_are_records() -> None:
    first, second = _all(READING_LIST)
    assert first.title == "Deep learning"
    assert [(c.family, c.given) for c in first.creators] == [
        ("LeCun", "Yann"),
        ("Bengio", "Yoshua"),
        ("Hinton", "Geoffrey"),
    ]
    assert (first.status, first.year, first.container) == ("TOREAD", 2015, "Nature")
    assert first.ids.doi == "10.1038/nature14539" and first.ids.pmid is None
    assert first.tags == ("list", "ml")
    assert first.abstract == "Deep learning allows computational models to learn representations."
    assert (first.origin.line, first.origin.end_line, first.origin.position) == (5, 18, 1)
    assert first.origin.format == "org"
    assert second.title == "Why Most Published Research Findings Are False"
    assert (second.status, second.ids.pmid, second.item_type) == ("FINISHED", "16060722", "article")
    assert (second.origin.line, second.origin.end_line, second.origin.position) == (19, 25, 2)
    assert second.tags == ("list",)


@pytest.mark.parametrize(
    ("heading", "status", "title"),
    [
        ("* TODO A study of things", "TODO", "A study of things"),
        ("** DONE A study of things", "DONE", "A study of things"),
        ("* READING A study of things :a:", "READING", "A study of things"),
        ("* WAITING A study of things", "WAITING", "A study of things"),
        ("* NEXT [#B] A study of things [50%]", "NEXT", "A study of things"),
        ("* DNA repair in yeast", None, "DNA repair in yeast"),
        (
            "* TODO Read [[https://doi.org/10.1000/x1][A study of things]]",
            "TODO",
            "A study of things",
        ),
        ("* TODO A study of things cite:smith2019", "TODO", "A study of things"),
    ],
)
def test_heading_keyword_and_title(heading: str, status: str | None, title: str) -> None:
    record = _one(f"{heading}\n:PROPERTIES:\n:AUTHOR: Smith, Jo\n:END:\n")
    assert (record.status, record.title) == (status, title)


@pytest.mark.parametrize(
    ("prop", "attr", "expected"),
    [
        (":PMID: 21513547", "pmid", "21513547"),
        (":PMCID: PMC3096582", "pmcid", "PMC3096582"),
        (":DOI: https://doi.org/10.1186/1748-5908-6-42", "doi", "10.1186/1748-5908-6-42"),
        (":URL: https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3096582/", "pmcid", "PMC3096582"),
        (":EPRINT: 1810.04805", "arxiv", "1810.04805"),
        (":ISBN: 978-3-642-69748-7", "isbn", ("9783642697487",)),
        (":ROAM_REFS: @key https://arxiv.org/abs/1810.04805v2", "arxiv", "1810.04805"),
    ],
)
def test_identifier_properties(prop: str, attr: str, expected: object) -> None:
    record = _one(f"* A work\n:PROPERTIES:\n{prop}\n:END:\n")
    assert getattr(record.ids, attr) == expected


def test_title_property_and_braces() -> None:
    text = "* TODO short name\n:PROPERTIES:\n:TITLE: {The {COM-B} Model}\n:YEAR: 2011\n:END:\n"
    assert _one(text).title == "The COM-B Model"


def test_description_list_fields_make_a_record() -> None:
    text = "* TODO Deep learning\n- Author :: LeCun, Yann\n- Year :: 2015\n- DOI :: 10.1038/x1\n"
    record = _one(text)
    assert (record.title, record.year, record.ids.doi) == ("Deep learning", 2015, "10.1038/x1")


def test_commentary_subtree_identifiers_are_ignored() -> None:
    text = (
        "* Deep learning\n:PROPERTIES:\n:AUTHOR: LeCun, Yann\n:END:\n"
        "** Related\n- DOI :: 10.1000/other\n- see https://doi.org/10.1000/other2\n"
    )
    record = _one(text)
    assert record.ids.is_empty()


def test_single_heading_record_takes_file_level_refs() -> None:
    text = ROAM.replace("Review by", "* TODO Deep learning\n:PROPERTIES:\n:YEAR: 2015\n:END:\nBy")
    record = _one(text)
    assert (record.title, record.status, record.year) == ("Deep learning", "TODO", 2015)
    assert record.ids.doi == "10.1038/nature14539"


def test_file_without_a_work_is_not_usable() -> None:
    records = _all("#+title: Weekly review\n\n* Done this week\n- gardening\n")
    assert len(records) == 1 and not records[0].is_usable()
    result = parse_text("#+title: Weekly review\n\n* Done this week\n- gardening\n", "w.org")
    assert result.format == "org" and result.failed


def test_verbatim_blocks_and_logbook_are_skipped() -> None:
    text = (
        "* TODO A study\n:PROPERTIES:\n:AUTHOR: Smith, Jo\n:END:\n:LOGBOOK:\n"
        '- State "DONE" from "TODO" [2024-01-01]\n:END:\n#+begin_src python\n'
        "doi = '10.1000/code'\n#+end_src\n"
    )
    record = _one(text)
    assert record.ids.is_empty() and record.title == "A study"


@pytest.mark.parametrize(
    ("text", "is_org"),
    [
        (ROAM, True),
        (READING_LIST, True),
        ("#+TITLE: Notes\nSome text\n", True),
        ("* TODO Read this paper\nSome text\n", True),
        ("* Paper [[https://doi.org/10.1/x][link]]\n", True),
        ("* item one\n* item two\n", False),
        ("- a\n#+BEGIN_QUOTE\nquoted\n#+END_QUOTE\n", False),
        ("# Heading\n\nText with #+title: inline\n", False),
        ("title:: A\nauthors:: [[B]]\n", False),
        ("---\ntitle: A\n---\n# A\n", False),
        ("@article{x,\n  title = {A}\n}\n", False),
        ("TY  - JOUR\nTI  - A\nER  - \n", False),
    ],
)
def test_sniff(text: str, is_org: bool) -> None:
    assert org.sniff(text) is is_org


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared examples not available")
def test_registry_picks_org_and_markdown_for_the_examples() -> None:
    for path in EXAMPLES.iterdir():
        if path.suffix in (".md", ".org") and path.stat().st_size:
            parser = detect_format(path.read_text(encoding="utf-8"))
            assert parser is not None
            expected = "org" if path.suffix == ".org" else "markdown"
            fmt = parser.FORMAT
            assert fmt == expected, path.name


def _org_expected() -> list[dict]:
    if not (EXAMPLES / "EXPECTED.jsonl").exists():
        return []
    lines = [json.loads(line) for line in (EXAMPLES / "EXPECTED.jsonl").read_text().splitlines()]
    return [e for e in lines if e["files"][0].endswith(".org")]


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared examples not available")
@pytest.mark.parametrize("expected", _org_expected(), ids=lambda e: e["id"])
def test_shared_org_examples(expected: dict) -> None:
    result = parse_file(EXAMPLES / expected["files"][0])
    (record,) = result.records
    for kind in ("doi", "pmid", "pmcid"):
        value = getattr(record.ids, kind)
        assert value == expected[kind] if kind in expected["in_note"] else value is None
    assert (record.title or "").casefold() == expected["title"].casefold()
    assert record.year == expected["year"]
    assert record.first_author is not None
    assert record.first_author.sort_name == expected["first_author_family"]
    assert (record.status, record.item_type) == (expected["status"], expected["item_type"])
    assert sorted(record.tags) == sorted(expected["tags"])


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared examples not available")
def test_org_roam_example_particle_surname() -> None:
    result = parse_file(EXAMPLES / "org-roam-michie-2011-behaviour-change-wheel.org")
    (record,) = result.records
    assert [(c.family, c.given) for c in record.creators] == [
        ("Michie", "Susan"),
        ("van Stralen", "Maartje M"),
        ("West", "Robert"),
    ]
    assert record.origin.line == 8 and "#+filetags" in record.note


def test_roam_citekey_makes_the_file_title_a_title() -> None:
    text = ":PROPERTIES:\n:ID: 1\n:ROAM_REFS: cite:smith2019\n:END:\n#+title: Deep learning\n"
    assert _one(text).title == "Deep learning"
