"""CSL-JSON parser: Zotero and Better BibTeX exports, Zotero item JSON, invalid JSON."""

from __future__ import annotations

import json

import pytest

from zsync.inputs.base import ParseFailure
from zsync.inputs.exports import csl_json
from zsync.model.records import Creator

# Zotero's "CSL JSON" export (tab-indented, Extra written into `note`).
ZOTERO_CSL = """[
	{
		"id": "http://zotero.org/users/1234567/items/ABCD2345",
		"type": "article-journal",
		"abstract": "Deep learning allows computational models that are composed of multiple processing layers to learn representations of data with multiple levels of abstraction.",
		"container-title": "Nature",
		"DOI": "10.1038/nature14539",
		"ISSN": "1476-4687",
		"issue": "7553",
		"journalAbbreviation": "Nature",
		"language": "en",
		"note": "PMID: 26017442",
		"page": "436-444",
		"source": "www.nature.com",
		"title": "Deep learning",
		"URL": "https://www.nature.com/articles/nature14539",
		"volume": "521",
		"author": [
			{"family": "LeCun", "given": "Yann"},
			{"family": "Bengio", "given": "Yoshua"},
			{"family": "Hinton", "given": "Geoffrey"}
		],
		"accessed": {"date-parts": [["2024", 3, 1]]},
		"issued": {"date-parts": [["2015", 5, 28]]}
	},
	{
		"id": "http://zotero.org/users/1234567/items/EFGH6789",
		"type": "article",
		"abstract": "We introduce a new language representation model called BERT.",
		"DOI": "10.48550/arXiv.1810.04805",
		"note": "arXiv:1810.04805 [cs]",
		"number": "arXiv:1810.04805",
		"publisher": "arXiv",
		"source": "arXiv.org",
		"title": "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
		"title-short": "BERT",
		"URL": "http://arxiv.org/abs/1810.04805",
		"author": [
			{"family": "Devlin", "given": "Jacob"},
			{"family": "Chang", "given": "Ming-Wei"}
		],
		"issued": {"date-parts": [["2019", 5, 24]]}
	},
	{
		"id": "http://zotero.org/users/1234567/items/IJKL0123",
		"type": "chapter",
		"container-title": "Action Control: From Cognition to Behavior",
		"collection-title": "SSSP Springer Series in Social Psychology",
		"event-place": "Berlin, Heidelberg",
		"ISBN": "978-3-642-69748-7",
		"page": "11-39",
		"publisher": "Springer",
		"publisher-place": "Berlin, Heidelberg",
		"title": "From Intentions to Actions: A Theory of Planned Behavior",
		"author": [{"family": "Ajzen", "given": "Icek"}],
		"editor": [
			{"family": "Kuhl", "given": "Julius"},
			{"family": "Beckmann", "given": "Jürgen"}
		],
		"issued": {"date-parts": [["1985"]]}
	}
]
"""

def test_zotero_csl_export() -> None:
    lecun, bert, chapter = csl_json.parse(ZOTERO_CSL, "export.json")
    assert [r.origin.line for r in (lecun, bert, chapter)] == [2, 26, 44]
    assert [r.origin.position for r in (lecun, bert, chapter)] == [1, 2, 3]
    assert lecun.origin.end_line == 25 and lecun.origin.format == "csl-json"
    assert lecun.item_type == "journalArticle"
    assert lecun.title == "Deep learning"
    assert lecun.ids.doi == "10.1038/nature14539" and lecun.ids.pmid == "26017442"
    assert [c.family for c in lecun.creators] == ["LeCun", "Bengio", "Hinton"]
    assert (lecun.container, lecun.journal_abbreviation) == ("Nature", "Nature")
    assert (lecun.volume, lecun.issue, lecun.pages) == ("521", "7553", "436-444")
    assert lecun.date is not None and lecun.date.iso() == "2015-05-28"
    assert lecun.issn == ("1476-4687",)
    assert lecun.fields["accessDate"] == "2024-03-01"

    assert bert.item_type == "preprint"
    assert bert.ids.arxiv == "1810.04805"
    assert bert.ids.doi == "10.48550/arxiv.1810.04805"
    assert bert.fields["archiveID"] == "arXiv:1810.04805"
    assert bert.fields["repository"] == "arXiv"
    assert bert.fields["shortTitle"] == "BERT"

    assert chapter.item_type == "bookSection"
    assert chapter.container == "Action Control: From Cognition to Behavior"
    assert chapter.series == "SSSP Springer Series in Social Psychology"
    assert [(c.display(), c.role) for c in chapter.creators] == [
        ("Ajzen, Icek", "author"), ("Kuhl, Julius", "editor"), ("Beckmann, Jürgen", "editor")]
    assert chapter.ids.isbn == ("9783642697487",)
    assert (chapter.publisher, chapter.place) == ("Springer", "Berlin, Heidelberg")
    assert chapter.date is not None and chapter.date.iso() == "1985"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ({"family": "Stralen", "given": "Maartje M.", "non-dropping-particle": "van"},
         Creator(family="van Stralen", given="Maartje M.")),
        ({"family": "Gogh", "given": "Vincent", "dropping-particle": "van"},
         Creator(family="Gogh", given="Vincent van")),
        ({"family": "King", "given": "Martin Luther", "suffix": "Jr."},
         Creator(family="King", given="Martin Luther, Jr.")),
        ({"literal": "World Health Organization"}, Creator(name="World Health Organization")),
        ({"family": "Cochrane Collaboration"}, Creator(name="Cochrane Collaboration")),
        ({"family": "Plato"}, Creator(family="Plato")),
        ("Fernández-Altuna, María de los Ángeles",
         Creator(family="Fernández-Altuna", given="María de los Ángeles")),
    ],
)
def test_name_forms(name: object, expected: Creator) -> None:
    item = {"type": "article-journal", "title": "T", "author": [name]}
    (record,) = csl_json.parse(json.dumps(item), "n.json")
    assert record.creators == (expected,)


def test_name_roles() -> None:
    item = {
        "type": "chapter", "title": "T",
        "author": [{"family": "A", "given": "B"}],
        "container-author": [{"family": "C", "given": "D"}],
        "collection-editor": [{"family": "E", "given": "F"}],
        "translator": [{"family": "G", "given": "H"}],
    }
    (record,) = csl_json.parse(json.dumps([item]), "r.json")
    assert [c.role for c in record.creators] == [
        "author", "bookAuthor", "seriesEditor", "translator"]


@pytest.mark.parametrize(
    ("csl_type", "item_type"),
    [
        ("article-journal", "journalArticle"), ("article", "preprint"), ("book", "book"),
        ("chapter", "bookSection"), ("paper-conference", "conferencePaper"),
        ("thesis", "thesis"), ("report", "report"), ("webpage", "webpage"),
        ("dataset", "dataset"), ("article-newspaper", "newspaperArticle"),
        ("manuscript", "manuscript"), ("review", "journalArticle"), ("document", "document"),
    ],
)
def test_types(csl_type: str, item_type: str) -> None:
    (record,) = csl_json.parse(json.dumps([{"type": csl_type, "title": "T"}]), "t.json")
    assert record.item_type == item_type


@pytest.mark.parametrize(
    ("issued", "iso"),
    [
        ({"date-parts": [[2020, 3, 15]]}, "2020-03-15"),
        ({"date-parts": [["2019", "11"]]}, "2019-11"),
        ({"raw": "2018-07"}, "2018-07"),
        ({"literal": "Spring 2017"}, "2017-03"),
        ("2016-02-01", "2016-02-01"),
        ([{"date-parts": [[2015]]}], "2015"),
        ({"date-parts": [[None]]}, None),
    ],
)
def test_dates(issued: object, iso: str | None) -> None:
    (record,) = csl_json.parse(json.dumps([{"type": "book", "title": "T", "issued": issued}]),
                               "d.json")
    assert (record.date.iso() if record.date else None) == iso


def test_identifier_variables_and_extra_in_note() -> None:
    items = [
        {"type": "article-journal", "title": "Why Most Published Research Findings Are False",
         "DOI": "https://doi.org/10.1371/journal.pmed.0020124", "PMID": "16060722",
         "PMCID": "PMC1182327", "ISSN": ["1549-1277", "1549-1676"]},
        {"type": "article-journal", "title": "T",
         "note": "PMID: 16060722\nPMCID: PMC1182327\nDOI: 10.1371/journal.pmed.0020124"},
        {"type": "book", "title": "T", "ISBN": "0-306-40615-2 978-3-642-69748-7"},
    ]
    first, second, third = csl_json.parse(json.dumps(items), "ids.json")
    for record in (first, second):
        assert record.ids.doi == "10.1371/journal.pmed.0020124"
        assert (record.ids.pmid, record.ids.pmcid) == ("16060722", "PMC1182327")
    assert first.issn == ("1549-1277", "1549-1676")
    assert third.ids.isbn == ("9780306406157", "9783642697487")


def test_better_bibtex_json_and_zotero_api_items() -> None:
    bbt = {
        "config": {"id": "36a3b0b5-bad0-4a04-b79b-441c7cef77db", "label": "BetterBibTeX JSON"},
        "collections": {},
        "items": [
            {"itemType": "journalArticle", "title": "Deep learning",
             "creators": [{"firstName": "Yann", "lastName": "LeCun", "creatorType": "author"},
                          {"name": "Google Brain", "creatorType": "author"}],
             "publicationTitle": "Nature", "date": "2015-05-28", "DOI": "10.1038/nature14539",
             "extra": "PMID: 26017442", "citationKey": "lecunDeepLearning2015",
             "tags": [{"tag": "deep learning"}, {"tag": "to-read", "type": 1}]},
            {"itemType": "thesis", "title": "Essays", "university": "MIT", "date": "2019",
             "extra": "DOI: 10.1000/thesis.1"},
        ],
    }
    text = json.dumps(bbt, indent=2)
    lecun, thesis = csl_json.parse(text, "bbt.json")
    assert lecun.origin.line == 8 and lecun.origin.position == 1
    assert lecun.item_type == "journalArticle"
    assert lecun.creators == (Creator(family="LeCun", given="Yann"), Creator(name="Google Brain"))
    assert lecun.ids.pmid == "26017442" and lecun.ids.doi == "10.1038/nature14539"
    assert lecun.keywords == ("deep learning", "to-read")
    assert lecun.fields["citationKey"] == "lecunDeepLearning2015"
    assert thesis.publisher == "MIT" and thesis.fields["university"] == "MIT"
    assert thesis.ids.doi == "10.1000/thesis.1"

    api = [{"key": "ABCD2345", "version": 12,
            "data": {"key": "ABCD2345", "itemType": "bookSection", "title": "Chapter",
                     "bookTitle": "The Book", "ISBN": "9783642697487", "date": "1985"}}]
    (chapter,) = csl_json.parse(json.dumps(api), "api.json")
    assert (chapter.item_type, chapter.container) == ("bookSection", "The Book")
    assert chapter.ids.isbn == ("9783642697487",)


def test_single_object_and_json_lines() -> None:
    single = '{"type": "book", "title": "One", "id": "one"}'
    assert [r.title for r in csl_json.parse(single, "one.json")] == ["One"]
    lines = '{"type": "book", "title": "A"}\n{"type": "book", "title": "B"}\n'
    records = csl_json.parse(lines, "items.jsonl")
    assert [(r.title, r.origin.line, r.origin.position) for r in records] == [
        ("A", 1, 1), ("B", 2, 2)]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[\n  {"type": "book", "title": "A"},\n  {"type": "book", "title": "B",}\n]', 3),
        ('[\n  {"type": "book",\n   "title": "Truncated', 3),
        ('[\n  {"type": "book", "title": "A"}\n  {"type": "book", "title": "B"}\n]', 3),
        ('[{"type": "book", "title": "A"}', 1),
        ('{"items": [\n{"type": "book", "title": "A"},\n]}', 3),
    ],
)
def test_invalid_json_fails_with_line(text: str, line: int) -> None:
    with pytest.raises(ParseFailure) as failure:
        csl_json.parse(text, "bad.json")
    assert failure.value.line == line
    assert "invalid JSON" in failure.value.message


def test_elements_that_are_not_items_are_skipped() -> None:
    records = csl_json.parse('[{"type": "book", "title": "A"}, 3, "x", null]', "mixed.json")
    assert [r.title for r in records] == ["A"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[\n\t{\n\t\t"id": "x",\n\t\t"type": "article-journal",\n\t\t"title": "T"', True),
        ('{"type": "book", "title": "T"}', True),
        ('\ufeff[{"title": "T", "author": [{"family": "Doe"}]}]', True),
        ('{"id": "lecun2015", "files": ["a.md"], "doi": "10.1038/x", "title": "T"}\n', False),
        ('[{"title": "T", "id": "x", "author": []}]', False),
        ('{"config": {}, "items": [{"itemType": "book", "title": "T"}]}', True),
        ('[{"itemType": "book", "creators": []}]', True),
        ('{"name": "my-package", "version": "1.0.0"}', False),
        ('[1, 2, 3]', False),
        ("[[Wikilink]] and a note with \"title\": here", False),
        ("[link](http://example.org) \"type\": \"x\", \"title\": \"y\"", False),
        ("# Title\n\n{\"type\": \"book\", \"title\": \"T\"}", False),
        ("", False),
    ],
)
def test_sniff(text: str, expected: bool) -> None:
    assert csl_json.sniff(text) is expected
