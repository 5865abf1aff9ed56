"""MEDLINE/nbib parser: PubMed exports of real articles, books, errata, retractions."""

from __future__ import annotations

import pytest

from zsync.inputs.base import ParseFailure
from zsync.inputs.exports import medline
from zsync.model.records import Creator, MeshHeading

# Saved from pubmed.gov ("Save" > format "PubMed"): a retracted article and a PNAS article.
PUBMED_EXPORT = """PMID- 32356626
OWN - NLM
STAT- MEDLINE
DCOM- 20200615
LR  - 20240413
IS  - 1533-4406 (Electronic)
IS  - 0028-4793 (Print)
IS  - 0028-4793 (Linking)
VI  - 382
IP  - 25
DP  - 2020 Jun 18
TI  - Cardiovascular Disease, Drug Therapy, and Mortality in Covid-19.
PG  - e102
LID - 10.1056/NEJMoa2007621 [doi]
AB  - BACKGROUND: Coronavirus disease 2019 (Covid-19) may disproportionately affect
      people with cardiovascular disease. METHODS: Using an observational database
      from 169 hospitals in Asia, Europe, and North America, we evaluated the
      relationship of cardiovascular disease and drug therapy with in-hospital death.
FAU - Mehra, Mandeep R
AU  - Mehra MR
AUID- ORCID: 0000-0001-7215-4373
AD  - From Brigham and Women's Hospital Heart and Vascular Center and Harvard Medical
      School, Boston (M.R.M.).
FAU - Desai, Sapan S
AU  - Desai SS
FAU - Kuy, SreyRam
AU  - Kuy S
FAU - Henry, Timothy D
AU  - Henry TD
FAU - Patel, Amit N
AU  - Patel AN
LA  - eng
PT  - Journal Article
PT  - Multicenter Study
PT  - Retracted Publication
DEP - 20200501
PL  - United States
TA  - N Engl J Med
JT  - The New England journal of medicine
JID - 0255562
SB  - IM
RIN - N Engl J Med. 2020 Jun 25;382(26):2582. doi: 10.1056/NEJMc2021225. PMID: 32501665
CIN - N Engl J Med. 2020 Jun 4;382(23):e74. doi: 10.1056/NEJMe2018164. PMID: 32356627
MH  - Aged
MH  - Angiotensin-Converting Enzyme Inhibitors/*therapeutic use
MH  - *Betacoronavirus
MH  - Coronavirus Infections/*complications/drug therapy/mortality
MH  - Humans
PMC - PMC7206931
OTO - NOTNLM
OT  - COVID-19
OT  - ACE inhibitors
EDAT- 2020/05/02 06:00
MHDA- 2020/06/16 06:00
CRDT- 2020/05/02 06:00
PHST- 2020/05/02 06:00 [entrez]
AID - NEJMoa2007621 [pii]
AID - 10.1056/NEJMoa2007621 [doi]
PST - ppublish
SO  - N Engl J Med. 2020 Jun 18;382(25):e102. doi: 10.1056/NEJMoa2007621. Epub 2020 May 1.

PMID- 8692918
OWN - NLM
STAT- MEDLINE
DA  - 19960829
IS  - 0027-8424 (Print)
IS  - 0027-8424 (Linking)
VI  - 93
IP  - 14
DP  - 1996 Jul 9
TI  - The structure of bovine F1-ATPase complexed with the antibiotic inhibitor
      aurovertin B.
PG  - 6913-7
FAU - van Raaij, M J
AU  - van Raaij MJ
AD  - Medical Research Council Laboratory of Molecular Biology, Cambridge, United
      Kingdom.
FAU - Abrahams, J P
AU  - Abrahams JP
FAU - Leslie, A G
AU  - Leslie AG
FAU - Walker, J E
AU  - Walker JE
LA  - eng
PT  - Journal Article
PT  - Research Support, Non-U.S. Gov't
PL  - UNITED STATES
TA  - Proc Natl Acad Sci U S A
JT  - Proceedings of the National Academy of Sciences of the United States of America
JID - 7505876
MH  - Aurovertins/*chemistry/*metabolism
MH  - *Protein Structure, Secondary
MH  - Proton-Translocating ATPases/*chemistry/*metabolism
PMC - PMC38908
OID - NLM: PMC38908
SO  - Proc Natl Acad Sci U S A. 1996 Jul 9;93(14):6913-7.
"""

BOOK_CHAPTER = """PMID- 21249755
STAT- Publisher
DA  - 20110121
PB  - National Center for Biotechnology Information (US)
DP  - 2009
TI  - Peutz-Jeghers Syndrome
BTI - Cancer Syndromes
AB  - PJS is a rare disease.
CI  - Copyright (c) 2009-, Douglas L Riegert-Johnson
FED - Riegert-Johnson, Douglas L
ED  - Riegert-Johnson DL
FED - Boardman, Lisa A
ED  - Boardman LA
FAU - Riegert-Johnson, Douglas
AU  - Riegert-Johnson D
FAU - Gleeson, Ferga C.
AU  - Gleeson FC
LA  - eng
PT  - Book Chapter
PL  - Bethesda (MD)
EDAT- 2011/01/21 06:00
AID - NBK1826 [bookaccession]
"""

def test_pubmed_export() -> None:
    mehra, pnas = medline.parse(PUBMED_EXPORT, "pubmed-export.nbib")
    assert (mehra.origin.line, mehra.origin.end_line, mehra.origin.position) == (1, 60, 1)
    assert (pnas.origin.line, pnas.origin.end_line, pnas.origin.position) == (62, 96, 2)
    assert mehra.origin.format == "medline"
    assert mehra.ids.pmid == "32356626"
    assert mehra.ids.pmcid == "PMC7206931"
    assert mehra.ids.doi == "10.1056/nejmoa2007621"
    assert mehra.title == "Cardiovascular Disease, Drug Therapy, and Mortality in Covid-19"
    assert mehra.creators[0] == Creator(family="Mehra", given="Mandeep R.")
    assert mehra.creators[2] == Creator(family="Kuy", given="SreyRam")
    assert len(mehra.creators) == 5
    assert mehra.container == "The New England Journal of Medicine"
    assert mehra.journal_abbreviation == "N Engl J Med"
    assert mehra.issn == ("1533-4406", "0028-4793")
    assert (mehra.volume, mehra.issue, mehra.pages) == ("382", "25", "e102")
    assert mehra.date is not None and mehra.date.iso() == "2020-06-18"
    assert mehra.abstract is not None and mehra.abstract.startswith("BACKGROUND: Coronavirus")
    assert "people with cardiovascular disease.\nMETHODS: Using" in mehra.abstract
    assert mehra.language == "en"
    assert mehra.item_type == "journalArticle"
    assert mehra.publication_types == (
        "Journal Article", "Multicenter Study", "Retracted Publication")
    assert mehra.keywords == ("COVID-19", "ACE inhibitors")
    assert mehra.mesh[1] == MeshHeading("Angiotensin-Converting Enzyme Inhibitors", True,
                                        ("therapeutic use",))
    assert mehra.mesh[2] == MeshHeading("Betacoronavirus", True)
    assert mehra.mesh[3].qualifiers == ("complications", "drug therapy", "mortality")
    assert mehra.mesh[0] == MeshHeading("Aged")
    (notice,) = mehra.notices  # the comment (CIN) is not a notice
    assert (notice.kind, notice.pmid, notice.doi) == ("retraction", "32501665",
                                                      "10.1056/nejmc2021225")

    assert pnas.title == ("The structure of bovine F1-ATPase complexed with the antibiotic "
                          "inhibitor aurovertin B")
    assert pnas.pages == "6913-6917"
    assert [c.display() for c in pnas.creators] == [
        "van Raaij, M. J.", "Abrahams, J. P.", "Leslie, A. G.", "Walker, J. E."]
    assert pnas.issn == ("0027-8424",)
    assert pnas.place is None  # PL is the journal's country, not a place of publication
    assert pnas.notices == ()


def test_book_chapter() -> None:
    (chapter,) = medline.parse(BOOK_CHAPTER, "book.nbib")
    assert chapter.item_type == "bookSection"
    assert chapter.title == "Peutz-Jeghers Syndrome"
    assert chapter.container == "Cancer Syndromes"
    assert [(c.display(), c.role) for c in chapter.creators] == [
        ("Riegert-Johnson, Douglas", "author"), ("Gleeson, Ferga C.", "author"),
        ("Riegert-Johnson, Douglas L.", "editor"), ("Boardman, Lisa A.", "editor")]
    assert chapter.publisher == "National Center for Biotechnology Information (US)"
    assert chapter.place == "Bethesda (MD)"
    assert chapter.date is not None and chapter.date.iso() == "2009"


def test_collective_author_erratum_and_au_fallback() -> None:
    text = """PMID- 29963580
TI  - Development of a pulmonary imaging biomarker pipeline.
DP  - 2018 Jul-Aug
FAU - Doe, Jane
CN  - QIBA Lung Density Committee
FAU - Roe, Richard
EIN - Radiology. 2019 Mar;290(3):E12. PMID: 30615567
PG  - 132-42
PT  - Journal Article

PMID- 11748933
TI  - Is cryopreservation a homogeneous process?
AU  - Smith JA
AU  - van der Berg HW
CN  - Early Breast Cancer Trialists' Collaborative Group
LID - e1234 [pii]
PT  - Journal Article
"""
    first, second = medline.parse(text, "c.nbib")
    assert [c.display() for c in first.creators] == [
        "Doe, Jane", "QIBA Lung Density Committee", "Roe, Richard"]
    assert first.creators[1].is_organisation
    assert first.pages == "132-142"
    assert first.date is not None and first.date.year == 2018 and first.date.month is None
    (erratum,) = first.notices
    assert (erratum.kind, erratum.pmid) == ("correction", "30615567")
    assert [c.display() for c in second.creators] == [
        "Smith, J. A.", "van der Berg, H. W.", "Early Breast Cancer Trialists' Collaborative Group"]
    assert second.pages == "e1234"  # an e-only article's pii stands in for pages


def test_preprint() -> None:
    text = """PMID- 37398060
TI  - Neuronal Connectivity as a Determinant of Cell Types.
DP  - 2023 Jun 16
LID - 2023.06.15.545174 [pii]
LID - 10.1101/2023.06.15.545174 [doi]
PT  - Preprint
TA  - bioRxiv
JT  - bioRxiv : the preprint server for biology
UIN - Nat Neurosci. 2024 Jan;27(1):10-20. doi: 10.1038/s41593-023-01501-2. PMID: 38012345
"""
    (record,) = medline.parse(text, "p.nbib")
    assert record.item_type == "preprint"
    assert record.fields["archiveID"] == "2023.06.15.545174"
    assert record.pages is None
    assert record.ids.doi == "10.1101/2023.06.15.545174"
    assert [n.kind for n in record.notices] == ["update"]


def test_records_without_blank_lines_and_stray_lines() -> None:
    text = (
        "PMID- 1\nTI  - First.\nthis line is not MEDLINE\nPMID- 2\nTI  - Second.\n"
        "\n\nPMID- 3\nTI  - Truncated title that goes on and\n      on"
    )
    first, second, third = medline.parse(text, "s.nbib")
    assert [r.ids.pmid for r in (first, second, third)] == ["1", "2", "3"]
    assert [r.origin.line for r in (first, second, third)] == [1, 4, 8]
    assert third.origin.end_line == 10
    assert "line 3" in first.warnings[0]
    assert third.title == "Truncated title that goes on and on"


def test_no_record_fails() -> None:
    with pytest.raises(ParseFailure):
        medline.parse("just some text\nwithout tags\n", "x.nbib")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PMID- 32356626\nOWN - NLM\n", True),
        ("\n\nPMID- 1\n", True),
        ("\ufeffPMID- 8692918\n", True),
        ("OWN - ERIC\nTI  - Something\n", True),
        ("PMID: 32356626\n", False),
        ("# PMID- 123\n", False),
        ("Title: x\nPMID- 1\n", False),
        ("TY  - JOUR\n", False),
        ("pmid- 1", False),
    ],
)
def test_sniff(text: str, expected: bool) -> None:
    assert medline.sniff(text) is expected
