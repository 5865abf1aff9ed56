"""RIS parser: Zotero, Mendeley, EndNote and PubMed-style exports, types, names, ids."""

from __future__ import annotations

import pytest

from zsync.inputs.base import ParseFailure
from zsync.inputs.exports import ris
from zsync.model.records import Creator
from zsync.zotero.schema import ZoteroSchema
from zsync.zotero.to_item import record_to_item

# Zotero's RIS export (two records, CRLF line ends as Zotero writes them on Windows).
ZOTERO_RIS = (
    "TY  - JOUR\r\n"
    "TI  - Cardiovascular Disease, Drug Therapy, and Mortality in Covid-19\r\n"
    "AU  - Mehra, Mandeep R.\r\n"
    "AU  - Desai, Sapan S.\r\n"
    "AU  - Kuy, SreyRam\r\n"
    "T2  - New England Journal of Medicine\r\n"
    "AB  - Coronavirus disease 2019 (Covid-19) may disproportionately affect people with\r\n"
    "cardiovascular disease.\r\n"
    "DA  - 2020/06/18/\r\n"
    "PY  - 2020\r\n"
    "DO  - 10.1056/NEJMoa2007621\r\n"
    "DP  - Taylor and Francis+NEJM\r\n"
    "VL  - 382\r\n"
    "IS  - 25\r\n"
    "SP  - e102\r\n"
    "SN  - 0028-4793\r\n"
    "UR  - https://www.nejm.org/doi/10.1056/NEJMoa2007621\r\n"
    "Y2  - 2024/03/01/\r\n"
    "N1  - PMID: 32356626\r\n"
    "KW  - retracted\r\n"
    "KW  - covid-19\r\n"
    "ER  - \r\n"
    "\r\n"
    "TY  - CHAP\r\n"
    "TI  - From Intentions to Actions: A Theory of Planned Behavior\r\n"
    "AU  - Ajzen, Icek\r\n"
    "T2  - Action Control: From Cognition to Behavior\r\n"
    "A2  - Kuhl, Julius\r\n"
    "A2  - Beckmann, Jürgen\r\n"
    "T3  - SSSP Springer Series in Social Psychology\r\n"
    "CY  - Berlin, Heidelberg\r\n"
    "DA  - 1985///\r\n"
    "PY  - 1985\r\n"
    "SP  - 11\r\n"
    "EP  - 39\r\n"
    "PB  - Springer\r\n"
    "SN  - 978-3-642-69748-7\r\n"
    "ST  - From Intentions to Actions\r\n"
    "ER  - \r\n"
)

# Mendeley's export: one-space variants are not used, but JO/ID/SN without hyphen are.
MENDELEY_RIS = """TY  - JOUR
AU  - LeCun, Yann
AU  - Bengio, Yoshua
AU  - Hinton, Geoffrey
AB  - Deep learning allows computational models that are composed of multiple processing layers to learn representations of data.
DO  - 10.1038/nature14539
IS  - 7553
JO  - Nature
KW  - Deep learning, Neural networks, Representation learning
PY  - 2015
SN  - 14764687
SP  - 436
EP  - 444
T2  - Nature
TI  - Deep learning
UR  - http://dx.doi.org/10.1038/nature14539
VL  - 521
ID  - LeCun2015
ER  -
"""

def test_zotero_export() -> None:
    mehra, chapter = ris.parse(ZOTERO_RIS, "export.ris")
    assert (mehra.origin.line, mehra.origin.end_line, mehra.origin.position) == (1, 22, 1)
    assert (chapter.origin.line, chapter.origin.end_line, chapter.origin.position) == (24, 39, 2)
    assert mehra.origin.format == "ris"
    assert mehra.item_type == "journalArticle"
    assert mehra.title == "Cardiovascular Disease, Drug Therapy, and Mortality in Covid-19"
    assert [c.display() for c in mehra.creators] == [
        "Mehra, Mandeep R.", "Desai, Sapan S.", "Kuy, SreyRam"]
    assert mehra.container == "New England Journal of Medicine"
    assert mehra.abstract == ("Coronavirus disease 2019 (Covid-19) may disproportionately "
                              "affect people with cardiovascular disease.")
    assert mehra.date is not None and mehra.date.iso() == "2020-06-18"
    assert mehra.ids.doi == "10.1056/nejmoa2007621"
    assert mehra.ids.pmid == "32356626"
    assert (mehra.volume, mehra.issue, mehra.pages) == ("382", "25", "e102")
    assert mehra.issn == ("0028-4793",)
    assert mehra.keywords == ("retracted", "covid-19")
    assert mehra.fields["accessDate"] == "2024-03-01"

    assert chapter.item_type == "bookSection"
    assert chapter.container == "Action Control: From Cognition to Behavior"
    assert chapter.series == "SSSP Springer Series in Social Psychology"
    assert [(c.display(), c.role) for c in chapter.creators] == [
        ("Ajzen, Icek", "author"), ("Kuhl, Julius", "editor"), ("Beckmann, Jürgen", "editor")]
    assert chapter.pages == "11-39"
    assert chapter.ids.isbn == ("9783642697487",)
    assert chapter.issn == ()
    assert chapter.date is not None and chapter.date.iso() == "1985"
    assert (chapter.publisher, chapter.place) == ("Springer", "Berlin, Heidelberg")


def test_mendeley_export() -> None:
    (lecun,) = ris.parse(MENDELEY_RIS, "mendeley.ris")
    assert lecun.title == "Deep learning"
    assert lecun.container == "Nature" and lecun.journal_abbreviation == "Nature"
    assert lecun.issn == ("1476-4687",)
    assert lecun.pages == "436-444"
    assert lecun.keywords == ("Deep learning", "Neural networks", "Representation learning")
    assert lecun.ids.doi == "10.1038/nature14539"
    assert lecun.date is not None and lecun.date.iso() == "2015"


@pytest.mark.parametrize(
    ("ty", "item_type"),
    [
        ("JOUR", "journalArticle"), ("EJOUR", "journalArticle"), ("JFULL", "journalArticle"),
        ("ABST", "journalArticle"), ("GEN", "journalArticle"), ("BOOK", "book"),
        ("EBOOK", "book"), ("EDBOOK", "book"), ("CHAP", "bookSection"),
        ("ECHAP", "bookSection"), ("CONF", "conferencePaper"), ("CPAPER", "conferencePaper"),
        ("THES", "thesis"), ("RPRT", "report"), ("GOVDOC", "report"), ("ELEC", "webpage"),
        ("WEB", "webpage"), ("NEWS", "newspaperArticle"), ("MGZN", "magazineArticle"),
        ("UNPD", "manuscript"), ("DATA", "dataset"), ("PAT", "patent"), ("jour", "journalArticle"),
    ],
)
def test_types_as_zotero_maps_them(ty: str, item_type: str) -> None:
    (record,) = ris.parse(f"TY  - {ty}\nTI  - Title\nER  - \n", "t.ris")
    assert record.item_type == item_type
    assert not record.warnings


def test_unknown_type_defaults_to_journal_article_with_warning() -> None:
    (record,) = ris.parse("TY  - XYZ\nTI  - Title\nER  - \n", "t.ris")
    assert record.item_type == "journalArticle"
    assert "XYZ" in record.warnings[0]


def test_editor_roles_follow_type() -> None:
    text = """TY  - EDBOOK
TI  - Handbook of Theories of Social Psychology
AU  - Van Lange, Paul A. M.
AU  - Kruglanski, Arie W.
ER  -
TY  - BOOK
TI  - A Book in a Series
AU  - Author, Ann
A2  - Series, Editor
A3  - Volume, Editor
ER  -
TY  - CONF
TI  - Attention Is All You Need
AU  - Vaswani, Ashish
T2  - 31st Conference on Neural Information Processing Systems (NIPS 2017)
C3  - Advances in Neural Information Processing Systems 30
CY  - Long Beach, CA
ER  -
"""
    edited, series_book, paper = ris.parse(text, "roles.ris")
    assert [c.role for c in edited.creators] == ["editor", "editor"]
    assert [(c.family, c.role) for c in series_book.creators] == [
        ("Author", "author"), ("Series", "seriesEditor"), ("Volume", "editor")]
    assert paper.container == "Advances in Neural Information Processing Systems 30"
    assert paper.fields["conferenceName"].startswith("31st Conference")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Smith, John A.", Creator(family="Smith", given="John A.")),
        ("van der Berg, Jan, Jr.", Creator(family="van der Berg", given="Jan, Jr.")),
        ("World Health Organization", Creator(name="World Health Organization")),
        ("GBD 2019 Diseases and Injuries Collaborators",
         Creator(name="GBD 2019 Diseases and Injuries Collaborators")),
        ("Smith JA", Creator(family="Smith", given="J. A.")),
    ],
)
def test_name_forms(value: str, expected: Creator) -> None:
    (record,) = ris.parse(f"TY  - JOUR\nTI  - T\nAU  - {value}\nER  - \n", "n.ris")
    assert record.creators == (expected,)


@pytest.mark.parametrize(
    ("lines", "field", "expected"),
    [
        (["SN  - 0028-4793 (Print)", "SN  - 1533-4406 (Electronic)"], "issn",
         ("0028-4793", "1533-4406")),
        (["SN  - 9780306406157"], "issn", ()),
        (["SN  - 1476-4687; 978-0-306-40615-7"], "issn", ("1476-4687",)),
        (["M3  - 10.1371/journal.pmed.0020124"], "doi", "10.1371/journal.pmed.0020124"),
        (["UR  - https://doi.org/10.1002/(SICI)1097-4636(199706)35:4<443::AID-JBM5>3.0.CO;2-P"],
         "doi", "10.1002/(sici)1097-4636(199706)35:4<443::aid-jbm5>3.0.co;2-p"),
        (["AN  - 16060722", "DB  - PubMed"], "pmid", "16060722"),
        (["AN  - WOS:000231208600012", "DB  - Web of Science"], "pmid", None),
        (["AN  - 16060722"], "pmid", None),
        (["C2  - PMC1182327"], "pmcid", "PMC1182327"),
        (["UR  - PM:16060722"], "pmid", "16060722"),
        (["UR  - http://arxiv.org/abs/1810.04805v2"], "arxiv", "1810.04805"),
        (["N1  - arXiv: 1810.04805"], "arxiv", "1810.04805"),
    ],
)
def test_identifiers(lines: list[str], field: str, expected: object) -> None:
    text = "\n".join(["TY  - JOUR", "TI  - T", *lines, "ER  - "])
    (record,) = ris.parse(text, "ids.ris")
    value = record.issn if field == "issn" else getattr(record.ids, field)
    assert value == expected


def test_dates_pages_and_abstract_fallbacks() -> None:
    text = """TY  - JOUR
T1  - Old-style title tag
Y1  - 2005/08/30
N2  - Abstract in N2.
SP  - 696-701
ER  -
TY  - BOOK
TI  - Book
PY  - 2011
SP  - 329
ER  -
"""
    old, book = ris.parse(text, "d.ris")
    assert old.title == "Old-style title tag"
    assert old.date is not None and old.date.iso() == "2005-08-30"
    assert old.abstract == "Abstract in N2."
    assert old.pages == "696-701"
    assert book.pages is None and book.fields["numPages"] == "329"


@pytest.mark.parametrize(
    ("lines", "iso"),
    [
        (["DA  - 2020/06/18/", "PY  - 2020"], "2020-06-18"),
        (["PY  - 2020///"], "2020"),
        (["DA  - 0000/05/", "PY  - 2019"], "2019-05"),
        (["DA  - 2020 Jun 18"], "2020-06-18"),
        (["Y1  - 2005/08/30/Spring"], "2005-08-30"),
        (["DA  - Spring"], None),
    ],
)
def test_dates(lines: list[str], iso: str | None) -> None:
    (record,) = ris.parse("\n".join(["TY  - JOUR", "TI  - T", *lines, "ER  -"]), "d.ris")
    assert (record.date.iso() if record.date else None) == iso


def test_one_space_tags_missing_er_and_preamble() -> None:
    text = """Provider: Publisher Example
Content: text/plain; charset="UTF-8"

TY - JOUR
TI - First
ER -

TY  - JOUR
TI  - Second, its ER is missing

TY  - JOUR
TI  - Third, truncated file
AU  - Doe, Jane"""
    first, second, third = ris.parse(text, "odd.ris")
    assert first.title == "First" and not first.warnings
    assert second.title == "Second, its ER is missing"
    assert (second.origin.line, second.origin.end_line) == (8, 9)
    assert "ER" in second.warnings[0]
    assert third.title == "Third, truncated file"
    assert (third.origin.line, third.origin.end_line, third.origin.position) == (11, 13, 3)
    assert third.creators == (Creator(family="Doe", given="Jane"),)


def test_text_with_no_record_fails() -> None:
    with pytest.raises(ParseFailure):
        ris.parse("Provider: X\n\nnothing here\n", "empty.ris")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TY  - JOUR\nTI  - T\nER  - ", True),
        ("\ufeffTY  - BOOK\n", True),
        ("\n\nTY - JOUR\n", True),
        ("Provider: Elsevier\nDatabase: ScienceDirect\n\nTY  - JOUR\n", True),
        ("# TY  - JOUR\n", False),
        ("Notes on the TY field\nTY  - JOUR\n", False),
        ("TY is a tag\n", False),
        ("- TY  - JOUR\n", False),
        ("PMID- 12345\nTI  - T\n", False),
        ("@article{k, title={T}}", False),
    ],
)
def test_sniff(text: str, expected: bool) -> None:
    assert ris.sniff(text) is expected


def _item(ty: str, *lines: str) -> dict:
    """The Zotero item a single RIS record of type `ty` becomes."""
    text = "\n".join([f"TY  - {ty}", "TI  - A Work", *lines, "ER  - "])
    (record,) = ris.parse(text, "typed.ris")
    return record_to_item(record, ZoteroSchema.load_default())


@pytest.mark.parametrize(
    ("ty", "line", "field", "expected"),
    [
        ("HEAR", "T2  - Committee on Ways and Means", "committee", "Committee on Ways and Means"),
        ("HEAR", "T3  - Senate", "legislativeBody", "Senate"),
        ("BILL", "ET  - 117th Congress", "session", "117th Congress"),
        ("BILL", "M1  - H.R. 4521", "billNumber", "H.R. 4521"),
        ("BILL", "OP  - Referred to committee", "history", "Referred to committee"),
        ("CASE", "PB  - Supreme Court of Canada", "court", "Supreme Court of Canada"),
        ("CASE", "SV  - 38521", "docketNumber", "38521"),
        ("CASE", "A2  - S.C.R.", "reporter", "S.C.R."),
        ("SOUND", "C5  - Vinyl LP", "audioRecordingFormat", "Vinyl LP"),
        ("SOUND", "T3  - Complete Recordings", "seriesTitle", "Complete Recordings"),
        ("COMP", "ET  - 3.11.4", "versionNumber", "3.11.4"),
        ("COMP", "LA  - Python", "programmingLanguage", "Python"),
        ("CHAP", "IS  - 4", "numberOfVolumes", "4"),
        ("CHAP", "SV  - 12", "seriesNumber", "12"),
        ("BOOK", "M1  - 7", "seriesNumber", "7"),
        ("BOOK", "NV  - 2", "numberOfVolumes", "2"),
        ("ART", "C3  - 60 x 80 cm", "artworkSize", "60 x 80 cm"),
        ("ART", "M3  - Oil on canvas", "artworkMedium", "Oil on canvas"),
        ("MAP", "C1  - 1:50000", "scale", "1:50000"),
        ("STAT", "VL  - 42", "codeNumber", "42"),
        ("NEWS", "SE  - Business", "section", "Business"),
        ("CONF", "C1  - Vienna", "place", "Vienna"),
    ],
)
def test_tags_whose_field_depends_on_the_type(ty: str, line: str, field: str, expected: str) -> None:
    assert _item(ty, line)[field] == expected


def test_book_series_from_t2_before_t3() -> None:
    item = _item("BOOK", "T2  - Lecture Notes in Physics", "T3  - Another Series")
    assert item["series"] == "Lecture Notes in Physics"


def test_conference_place_prefers_c1_over_the_venue_in_cy() -> None:
    item = _item("CPAPER", "C1  - Cham", "CY  - Lisbon, Portugal")
    assert item["place"] == "Cham"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["PY  - 2019", "DA  - Fall"], "2019 Fall"),
        (["PY  - 2021", "DA  - August 3"], "2021-08-03"),
        (["PY  - 1987", "DA  - 0000/11/"], "1987-11"),
        (["PY  - n.d.", "DA  - Winter"], "n.d. Winter"),
        (["DA  - Winter term"], "Winter term"),
        (["DA  - 2002/04/09/", "PY  - 2002"], "2002-04-09"),
    ],
)
def test_date_words_completed_by_the_year(lines: list[str], expected: str) -> None:
    assert _item("JOUR", *lines)["date"] == expected


def test_call_number_and_archive_fields() -> None:
    item = _item("BOOK", "CN  - QA76.73.P98", "AN  - 000812345", "AV  - Stack 4",
                 "DB  - Library Hub", "DP  - Example Catalogue")
    assert item["callNumber"] == "QA76.73.P98"
    assert item["archiveLocation"] == "000812345"  # AN first, RefMan's AV as a fall-back
    assert item["archive"] == "Library Hub"
    assert _item("BOOK", "AV  - Special Collections, box 9")["archiveLocation"] == (
        "Special Collections, box 9")


@pytest.mark.parametrize(
    ("ty", "line", "expected"),
    [
        ("THES", "A3  - Moreau, Claire", [("Moreau", "contributor")]),
        ("ADVS", "A2  - Ensemble, The", []),  # EndNote's performers of a film: not kept
        ("MGZN", "A2  - Someone, Else", []),
        ("CASE", "A4  - Okafor, Chidi", [("Okafor", "counsel")]),
        ("SOUND", "C4  - Lyric, Writer", [("Lyric", "wordsBy")]),
        ("VIDEO", "C1  - Star, Leading", [("Star", "castMember")]),
        ("BLOG", "C2  - Reader, Avid", [("Reader", "commenter")]),
        ("PAT", "C4  - Agent, Patent", [("Agent", "attorneyAgent")]),
    ],
)
def test_creator_roles_by_tag_and_type(ty: str, line: str, expected: list[tuple[str, str]]) -> None:
    creators = _item(ty, line)["creators"]
    assert [(c.get("lastName") or c.get("name"), c["creatorType"]) for c in creators] == expected


def test_procite_labelled_notes_become_fields_and_creators() -> None:
    text = """TY  - BOOK
N1  - Record ID: 77
A1  - Varga, Ilona
T1  - River Towns
N1  - Author, Subsidiary: Tomas Lindqvist
VL  - 2nd ed.
IS  - 3
CY  - Uppsala
N1  - Call Number: HT119 .V37
N1  - Series Volume ID: 14
A3  - Holm, Greta
N1  - Notes: read in full
ER  -
"""
    (record,) = ris.parse(text, "procite.ris")
    item = record_to_item(record, ZoteroSchema.load_default())
    assert item["callNumber"] == "HT119 .V37"
    assert item["edition"] == "2nd ed." and item["volume"] == "3"
    assert item["seriesNumber"] == "14"
    assert [(c["lastName"], c["creatorType"]) for c in item["creators"]] == [
        ("Varga", "author"), ("Lindqvist", "seriesEditor"), ("Holm", "editor")]
    assert record.note == "Notes: read in full"


def test_notes_with_colons_are_not_procite_without_its_labels() -> None:
    text = "TY  - JOUR\nTI  - T\nVL  - 12\nN1  - Comment: see erratum\nER  - \n"
    (record,) = ris.parse(text, "plain.ris")
    assert record.volume == "12" and record.note == "Comment: see erratum"


def test_a_labelled_note_alone_does_not_retag_volume_as_edition() -> None:
    text = "TY  - BOOK\nTI  - T\nVL  - 3\nN1  - Call Number: PR6045\nER  - \n"
    (record,) = ris.parse(text, "labelled.ris")
    assert record.volume == "3" and record.fields["callNumber"] == "PR6045"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2023/11/05/", "2023-11-05"), ("2023/11//", "2023-11-01"), ("2023", "2023-01-01"),
     ("5 March 2024", "2024-03-05"), ("Access Date", None)],
)
def test_access_date_in_the_form_zotero_stores(value: str, expected: str | None) -> None:
    (record,) = ris.parse(f"TY  - ELEC\nTI  - Page\nY2  - {value}\nER  - \n", "y2.ris")
    assert record.fields.get("accessDate") == expected
