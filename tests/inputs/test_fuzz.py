"""Every parser, given damaged input of every format, answers or refuses with a
`ParseFailure`; it never raises anything else. (`bench/fuzz.py` runs the same idea over
100,000 mutations of real files.)"""

from __future__ import annotations

import contextlib
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zsync.inputs import registry
from zsync.inputs.base import ParseFailure
from zsync.model.records import FileResult, Record

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# Characters that carry structure in one format or another, and a few that trip decoders.
JUNK = "{}[]()<>\\@\",=:;-#*|&%$'`~\n\r\t \u2028\u00a0\ufeff\ufffdéü–ßaZ09"

SAMPLES = [
    r"""@string{nat = "Nature"}
% a comment
@article{lecun2015,
  title = {Deep {L}earning and {\"U}ber-models},
  author = {LeCun, Yann and Bengio, Yoshua and {World Health Organization}},
  journal = nat, year = 2015, month = may, volume = {521}, number = {7553},
  pages = {436--444}, doi = {10.1038/nature14539}, keywords = {ai, learning},
}
@incollection{ajzen1985, title = "From intentions to actions", author = "Ajzen, I.",
  booktitle = {Action Control}, editor = {Kuhl, J. and Beckmann, J.}, year = {1985}}
""",
    """1.
TY  - JOUR
TI  - Deep learning
AU  - LeCun, Yann
AU  - Bengio, Yoshua
PY  - 2015/05/28/
JO  - Nature
VL  - 521
SP  - 436
EP  - 444
DO  - 10.1038/nature14539
KW  - learning
ER  -

2.
TY  - CHAP
T1  - From intentions to actions
A1  - Ajzen, I.
T2  - Action Control
A2  - Kuhl, J.
SN  - 978-3-642-69748-7
ER  -
""",
    """PMID- 26017442
OWN - NLM
DP  - 2015 May 28
TI  - Deep learning.
PG  - 436-44
LID - 10.1038/nature14539 [doi]
AB  - Deep learning allows computational models that are composed of multiple
      processing layers to learn representations.
FAU - LeCun, Yann
AU  - LeCun Y
FAU - Bengio, Yoshua
AU  - Bengio Y
LA  - eng
PT  - Journal Article
MH  - *Neural Networks, Computer
TA  - Nature
JT  - Nature
AID - nature14539 [pii]
SO  - Nature. 2015 May 28;521(7553):436-44.
""",
    """<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2019//EN" "x.dtd">
<PubmedArticleSet><PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">26017442</PMID><Article PubModel="Print"><Journal>
<JournalIssue CitedMedium="Internet"><Volume>521</Volume><Issue>7553</Issue>
<PubDate><Year>2015</Year><Month>May</Month><Day>28</Day></PubDate></JournalIssue>
<Title>Nature</Title><ISOAbbreviation>Nature</ISOAbbreviation></Journal>
<ArticleTitle>Deep learning <i>in</i> H<sub>2</sub>O.</ArticleTitle>
<Pagination><MedlinePgn>436-44</MedlinePgn></Pagination>
<Abstract><AbstractText Label="BACKGROUND">Deep learning allows models.</AbstractText></Abstract>
<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>LeCun</LastName>
<ForeName>Yann</ForeName><Initials>Y</Initials></Author>
<Author><CollectiveName>The Deep Group</CollectiveName></Author></AuthorList>
</Article></MedlineCitation><PubmedData><ArticleIdList>
<ArticleId IdType="pubmed">26017442</ArticleId><ArticleId IdType="doi">10.1038/nature14539</ArticleId>
</ArticleIdList></PubmedData></PubmedArticle></PubmedArticleSet>
""",
    """[
  {"id": "lecun2015", "type": "article-journal", "title": "Deep learning",
   "container-title": "Nature", "DOI": "10.1038/nature14539", "page": "436-444",
   "author": [{"family": "LeCun", "given": "Yann"}, {"literal": "WHO"}],
   "issued": {"date-parts": [[2015, 5, 28]]}, "note": "PMID: 26017442"}
]
""",
    """[{"key": "ABCD2345", "itemType": "bookSection", "title": "From intentions to actions",
  "creators": [{"creatorType": "author", "lastName": "Ajzen", "firstName": "Icek"},
               {"creatorType": "editor", "name": "Kuhl"}],
  "bookTitle": "Action Control", "date": "1985", "ISBN": "978-3-642-69748-7",
  "tags": [{"tag": "behaviour"}], "extra": "PMID: 1"}]
""",
    """#+title: The behaviour change wheel
#+roam_tags: paper
:PROPERTIES:
:ID: 8a1c
:ROAM_REFS: cite:michie2011 https://doi.org/10.1186/1748-5908-6-42
:AUTHOR: Michie, Susan and van Stralen, Maartje M.
:YEAR: 2011
:END:
* TODO Notes :reading:
- Journal :: Implementation Science
** [[https://example.org][a link]]
""",
    """---
title: "Deep learning"
authors: [LeCun, Yann; Bengio, Yoshua]
year: 2015
doi: "[10.1038/nature14539](https://doi.org/10.1038/nature14539)"
pmid: 026017442
tags: [paper, ai]
aliases: &a [x, y]
other: *a
---
# Deep learning
> [!Cite]
> LeCun, Y. (2015). Deep learning. *Nature*, 521, 436–444.

## Notes
- **Status**: [[Reading]]
""",
    "title:: Deep learning\nauthors:: [[Yann LeCun]], [[Yoshua Bengio]]\ndoi:: 10.1038/x\n\n- a block\n",
    *(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))),
]


@st.composite
def damaged(draw: st.DrawFn) -> str:
    """A sample cut, with junk inserted, a span deleted or a span repeated (long lines,
    deep nesting), up to three times over."""
    text = draw(st.sampled_from(SAMPLES))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        end = draw(st.integers(at, min(len(text), at + 200)))
        operation = draw(st.sampled_from(("cut", "insert", "delete", "repeat")))
        if operation == "cut":
            text = text[:at]
        elif operation == "insert":
            text = text[:at] + draw(st.text(alphabet=JUNK, max_size=16)) + text[at:]
        elif operation == "delete":
            text = text[:at] + text[end:]
        else:
            text = text[:at] + text[at:end] * draw(st.integers(2, 200)) + text[end:]
    return text


@pytest.fixture(params=registry.parsers(), ids=lambda parser: parser.FORMAT)
def parser(request: pytest.FixtureRequest) -> ModuleType:
    return request.param


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=damaged())
def test_damaged_input_raises_only_parse_failure(parser: ModuleType, text: str) -> None:
    assert isinstance(parser.sniff(text), bool)
    with contextlib.suppress(ParseFailure):
        records = parser.parse(text, "damaged")
        assert all(isinstance(r, Record) for r in records)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=damaged())
def test_damaged_input_of_any_format_gives_a_result(text: str) -> None:
    result = registry.parse_text(text, "damaged")
    assert isinstance(result, FileResult)
    assert result.records or result.problems


def test_known_hard_cases_raise_only_parse_failure(parser: ModuleType) -> None:
    samples = ["@article{", "@article{k, title = {{{}", "@article(k, title = {x})", "@@@",
               "@article{k, title = \"unclosed}", "@article{k, author = { and and }, title={x}}",
               "@article{k, author = {Smith, John, Jr, Extra, Parts}, title={x}}",
               "TY  - \nER  - ", "PMID- \n", "<PubmedArticleSet><", "[{\"type\": ", "---\n---",
               "\ufeff", "#+title:", ":PROPERTIES:\n:END:", "[[]]", "- **Title**:"]
    for sample in samples:
        assert isinstance(parser.sniff(sample), bool)
        with contextlib.suppress(ParseFailure):
            parser.parse(sample, "hard")
