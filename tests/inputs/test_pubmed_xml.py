"""PubMed XML parser module: recognising the format, delegating, reporting errors by line."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from zsync.inputs.base import ParseFailure
from zsync.inputs.exports import pubmed_xml

_HAS_MAPPING = importlib.util.find_spec("zsync.sources.pubmed.mapping") is not None
needs_mapping = pytest.mark.skipif(not _HAS_MAPPING, reason="zsync.sources.pubmed.mapping not there yet")

_FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "pubmed" / "efetch"
_FIXTURE_FILES = sorted(_FIXTURES.glob("*.xml")) if _FIXTURES.is_dir() else []

EFETCH = """<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet>
<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM">
    <PMID Version="1">26017442</PMID>
    <Article PubModel="Print">
      <Journal>
        <ISSN IssnType="Electronic">1476-4687</ISSN>
        <JournalIssue CitedMedium="Internet">
          <Volume>521</Volume><Issue>7553</Issue>
          <PubDate><Year>2015</Year><Month>May</Month><Day>28</Day></PubDate>
        </JournalIssue>
        <Title>Nature</Title>
        <ISOAbbreviation>Nature</ISOAbbreviation>
      </Journal>
      <ArticleTitle>Deep learning.</ArticleTitle>
      <Pagination><MedlinePgn>436-44</MedlinePgn></Pagination>
      <AuthorList CompleteYN="Y">
        <Author ValidYN="Y"><LastName>LeCun</LastName><ForeName>Yann</ForeName><Initials>Y</Initials></Author>
        <Author ValidYN="Y"><LastName>Bengio</LastName><ForeName>Yoshua</ForeName><Initials>Y</Initials></Author>
        <Author ValidYN="Y"><LastName>Hinton</LastName><ForeName>Geoffrey</ForeName><Initials>G</Initials></Author>
      </AuthorList>
      <Language>eng</Language>
      <PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
    </Article>
  </MedlineCitation>
  <PubmedData>
    <ArticleIdList>
      <ArticleId IdType="pubmed">26017442</ArticleId>
      <ArticleId IdType="doi">10.1038/nature14539</ArticleId>
    </ArticleIdList>
  </PubmedData>
</PubmedArticle>
<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM">
    <PMID Version="1">16060722</PMID>
    <Article PubModel="Print-Electronic">
      <Journal><Title>PLoS medicine</Title></Journal>
      <ArticleTitle>Why most published research findings are false.</ArticleTitle>
    </Article>
  </MedlineCitation>
  <PubmedData>
    <ArticleIdList><ArticleId IdType="pmc">PMC1182327</ArticleId></ArticleIdList>
  </PubmedData>
</PubmedArticle>
</PubmedArticleSet>
"""

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (EFETCH, True),
        ("<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>", True),
        ('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticle>', True),
        ("<!-- saved from PubMed -->\n<PubmedBookArticle>\n", True),
        ('<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet>\n\n  <PubmedArticleSet>', True),
        ('<?xml version="1.0"?>\n<rss version="2.0"><channel>PubmedArticleSet</channel>', False),
        ('<?xml version="1.0"?>\n<eSearchResult><Count>1</Count></eSearchResult>', False),
        ("# Notes\n\n<PubmedArticleSet> pasted later", False),
        ("PubmedArticleSet", False),
        ("", False),
    ],
)
def test_sniff(text: str, expected: bool) -> None:
    assert pubmed_xml.sniff(text) is expected


@needs_mapping
def test_parses_an_efetch_answer() -> None:
    starts = [n for n, line in enumerate(EFETCH.splitlines(), 1) if line == "<PubmedArticle>"]
    assert starts == [4, 35]
    lecun, ioannidis = pubmed_xml.parse(EFETCH, "saved/efetch.xml")
    assert lecun.origin.path == "saved/efetch.xml"
    assert (lecun.origin.format, lecun.origin.position) == ("pubmed-xml", 1)
    assert lecun.origin.line == 4 and lecun.origin.end_line is not None
    assert 31 <= lecun.origin.end_line < ioannidis.origin.line
    assert (ioannidis.origin.line, ioannidis.origin.position) == (35, 2)
    assert lecun.ids.pmid == "26017442" and lecun.ids.doi == "10.1038/nature14539"
    assert lecun.title == "Deep learning"
    assert lecun.pages == "436-444"
    assert ioannidis.ids.pmcid == "PMC1182327"


@needs_mapping
@pytest.mark.parametrize(
    ("text", "line"),
    [
        (EFETCH.replace("</Volume>", "</Volumen>", 1), 11),
        (EFETCH[: EFETCH.index("<Language>")], 24),  # where the data ends
        ("<PubmedArticleSet>\n<PubmedArticle>\n<MedlineCitation>\n</PubmedArticle>", 4),
    ],
)
def test_malformed_xml_fails_with_line(text: str, line: int) -> None:
    with pytest.raises(ParseFailure) as failure:
        pubmed_xml.parse(text, "bad.xml")
    assert failure.value.line == line


@needs_mapping
def test_other_failures_are_parse_failures() -> None:
    with pytest.raises(ParseFailure):
        pubmed_xml.parse("<PubmedArticleSet><ERROR>bad id</ERROR>", "e.xml")


@needs_mapping
@pytest.mark.skipif(not _FIXTURE_FILES, reason="shared PubMed fixtures not present")
@pytest.mark.parametrize("path", _FIXTURE_FILES, ids=lambda p: p.name)
def test_shared_efetch_fixtures(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert pubmed_xml.sniff(text)
    records = pubmed_xml.parse(text, str(path))
    assert records
    assert [r.origin.position for r in records] == list(range(1, len(records) + 1))
    for record in records:
        assert record.origin.path == str(path) and record.origin.format == "pubmed-xml"
        assert record.ids.pmid and record.ids.pmid in path.name
        assert record.is_usable()

