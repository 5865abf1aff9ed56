"""Markdown literature notes: label forms, front matter, tags, identifiers, several records."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from zsync.inputs import parse_text
from zsync.inputs.files import parse_file
from zsync.inputs.notes import markdown
from zsync.model.identifiers import arxiv_doi
from zsync.model.records import Record

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO.parent / "shared" / "examples"
SEED = REPO / "seeds" / "markdown-bullets-fredriksen-2021-volunteers.txt"


def _all(text: str) -> list[Record]:
    return markdown.parse(text, "note.md")


def _one(text: str) -> Record:
    records = _all(text)
    assert len(records) == 1, [r.title for r in records]
    return records[0]


def _families(record: Record) -> list[str]:
    return [c.sort_name for c in record.creators]


# --- label forms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "- **Title**: Deep learning",
        "- **Title:** Deep learning",
        "**Title**:: Deep learning",
        "- __Title__: Deep learning",
        "__Title:__ Deep learning",
        "*Title*: Deep learning",
        "Title: Deep learning",
        "- Title: Deep learning",
        "title:: Deep learning",
        "- title:: Deep learning",
        "> **Title**:: Deep learning",
        "Some text [title:: Deep learning] inline",
    ],
)
def test_title_label_forms(line: str) -> None:
    record = _one(f"{line}\n- DOI: 10.1038/nature14539\n")
    assert record.title == "Deep learning"
    assert record.ids.doi == "10.1038/nature14539"


@pytest.mark.parametrize(
    ("label", "value", "attr", "expected"),
    [
        ("Título", "Una revisión", "title", "Una revisión"),
        ("Titel", "Ein Überblick", "title", "Ein Überblick"),
        ("Titre", "Une synthèse", "title", "Une synthèse"),
        ("Titolo", "Una rassegna", "title", "Una rassegna"),
        ("Autores", "García, Ana; López, Juan", "families", ["García", "López"]),
        ("Autoren", "Müller, Hans und Schmidt, Eva", "families", ["Müller", "Schmidt"]),
        ("Auteurs", "Dupont, Jean et Martin, Paul", "families", ["Dupont", "Martin"]),
        ("By", "[[Yann LeCun]], [[Yoshua Bengio]]", "families", ["LeCun", "Bengio"]),
        ("Creator", "Ada Lovelace", "families", ["Lovelace"]),
        ("Jahr", "2019", "year", 2019),
        ("Año", "2018", "year", 2018),
        ("Ano", "2017", "year", 2017),
        ("Fecha", "12/03/2016", "year", 2016),
        ("Datum", "2015-04-01", "year", 2015),
        ("Published", "May 2014", "year", 2014),
        ("Zeitschrift", "Das Gesundheitswesen", "container", "Das Gesundheitswesen"),
        ("Revista", "Gaceta Sanitaria", "container", "Gaceta Sanitaria"),
        ("In", "[[Nature]]", "container", "Nature"),
        ("Publication", "The Lancet", "container", "The Lancet"),
        ("Estado", "Leído", "status", "Leído"),
        ("Reading status", "[[To read]]", "status", "To read"),
        ("Etiquetas", "salud, digital", "tags", ("salud", "digital")),
        ("Schlagwörter", "Gesundheit; Technik", "tags", ("Gesundheit", "Technik")),
        ("Palabras clave", "búsqueda, docencia", "keywords", ("búsqueda", "docencia")),
        ("Schlüsselwörter", "eHealth, Adhärenz", "keywords", ("eHealth", "Adhärenz")),
        ("Mots-clés", "santé, numérique", "keywords", ("santé", "numérique")),
        ("Resumen", "Estudio sobre búsquedas.", "abstract", "Estudio sobre búsquedas."),
        ("Zusammenfassung", "Eine Studie.", "abstract", "Eine Studie."),
        ("Résumé", "Une étude.", "abstract", "Une étude."),
        ("Resumo", "Um estudo.", "abstract", "Um estudo."),
        ("Herausgeber", "Kuhl, Julius", "editors", ["Kuhl"]),
        ("Seiten", "11-39", "pages", "11-39"),
        ("Páginas", "75-87", "pages", "75-87"),
        ("Band", "81", "volume", "81"),
        ("Heft", "3", "issue", "3"),
        ("Número", "18", "issue", "18"),
        ("Verlag", "Springer", "publisher", "Springer"),
        ("Editorial", "Elsevier", "publisher", "Elsevier"),
        ("Item type", "Book chapter", "item_type", "Book chapter"),
        ("ISBN", "978-3-642-69748-7", "isbn", ("9783642697487",)),
        ("PMID", "16060722", "pmid", "16060722"),
        ("PMCID", "PMC1182327", "pmcid", "PMC1182327"),
        ("Link", "https://example.org/paper", "urls", ("https://example.org/paper",)),
        ("Source", "<https://example.org/a>", "urls", ("https://example.org/a",)),
    ],
)
def test_multilingual_labels(label: str, value: str, attr: str, expected: object) -> None:
    record = _one(
        f"- **{label}**: {value}\n- **Title**: Placeholder work\n".replace(
            "- **Title**: Placeholder work\n", "" if attr == "title" else "- **Title**: Some work\n"
        )
    )
    if attr == "families":
        assert _families(record) == expected
    elif attr == "editors":
        assert [c.sort_name for c in record.creators if c.role == "editor"] == expected
    elif attr in ("isbn", "pmid", "pmcid"):
        assert getattr(record.ids, attr) == expected
    else:
        assert getattr(record, attr) == expected


def test_unknown_plain_labels_are_not_fields() -> None:
    record = _one("# A study of things\nNote: Year 1999 was odd\nAuthor: Jane Doe\n")
    assert record.year is None
    assert _families(record) == ["Doe"]


# --- the project's example-1 bullets ---------------------------------------------------------


def test_seed_bullets() -> None:
    record = _one(SEED.read_text(encoding="utf-8"))
    assert record.ids.doi == "10.1186/s12913-021-06429-w"
    assert record.title == (
        "Digitalisation of municipal healthcare collaboration with volunteers: "
        "a case study applying normalization process theory"
    )
    assert [(c.family, c.given) for c in record.creators] == [
        ("Fredriksen", "Erica"),
        ("Thygesen", "Elin"),
        ("Moe", "Carl E."),
        ("Martinez", "Santiago"),
    ]
    assert record.year == 2021
    assert record.status == "New"
    assert record.container == "BMC Health Services Research"
    assert len(record.keywords) == 6 and record.keywords[4] == "Digital system"
    assert record.tags == ()
    paragraphs = (record.abstract or "").split("\n\n")
    assert [p.split(":")[0] for p in paragraphs] == [
        "Background",
        "Methods",
        "Results",
        "Conclusion",
    ]
    assert paragraphs[0].startswith("Background: Increasing use of volunteers")
    assert record.note == SEED.read_text(encoding="utf-8").strip("\n")


def test_abstract_stops_at_next_field_and_keeps_inline_value() -> None:
    text = (
        "- **Title**: A\n- **Abstract**: First sentence.\n  Second line.\n"
        "- **Keywords**: x, y\n- **DOI**: 10.1000/a1\n"
    )
    record = _one(text)
    assert record.abstract == "First sentence. Second line."
    assert record.keywords == ("x", "y")


# --- front matter ----------------------------------------------------------------------------

_FRONT_CASES = [
    ("authors: [Jane Doe, John Roe]", "families", ["Doe", "Roe"]),
    ("author: Ross, Jamie and Stevenson, Fiona", "families", ["Ross", "Stevenson"]),
    (
        "author:\n  - family: Toriz Castillo\n    given: Héctor Armando",
        "families",
        ["Toriz Castillo"],
    ),
    (
        "author:\n  - {family: Smith, given: Jo}\n  - literal: WHO Collaboration",
        "families",
        ["Smith", "WHO Collaboration"],
    ),
    ('authors:\n- "[[Jane Doe]]"', "families", ["Doe"]),
    ("issued:\n  date-parts:\n    - [2016, 5]", "year", 2016),
    ("issued: 2015", "year", 2015),
    ("date: 2014-06-01\nyear: 2013", "year", 2013),
    ("doi: doi:10.1007/978-3-642-69746-3_2", "doi", "10.1007/978-3-642-69746-3_2"),
    ("DOI: 10.1016/J.RIEM.2015.10.001", "doi", "10.1016/j.riem.2015.10.001"),
    ("url: https://doi.org/10.1038/nature14539", "doi", "10.1038/nature14539"),
    ("pmid: 21513547", "pmid", "21513547"),
    ("pmcid: PMC3096582", "pmcid", "PMC3096582"),
    ("tags: [theory, behaviour]", "tags", ("theory", "behaviour")),
    ("tags:\n  - methods/qualitative\n  - '#review'", "tags", ("methods/qualitative", "review")),
    ("tags: a, b", "tags", ("a", "b")),
    ("keywords:\n  - búsqueda de información", "tags", ("búsqueda de información",)),
    ('status: "[[Read]]"', "status", "Read"),
    ("container-title: Implementation Science", "container", "Implementation Science"),
    ("journal: Nature", "container", "Nature"),
    ("publication: The BMJ", "container", "The BMJ"),
    ("bookTitle: Action Control", "container", "Action Control"),
    ("series: SSSP", "series", "SSSP"),
    ("publisher: Springer", "publisher", "Springer"),
    ("isbn: 978-3-642-69748-7", "isbn", ("9783642697487",)),
    ("itemType: bookSection", "item_type", "bookSection"),
    ("type: article-journal", "item_type", "article-journal"),
    ("type: literature-note", "item_type", None),
    ("citekey: smith2019\nid: 42", "title", "T"),
]


@pytest.mark.parametrize(("yaml", "attr", "expected"), _FRONT_CASES)
def test_front_matter(yaml: str, attr: str, expected: object) -> None:
    record = _one(f"---\ntitle: T\n{yaml}\n---\nBody.\n")
    if attr == "families":
        assert _families(record) == expected
    elif attr in ("doi", "pmid", "pmcid", "isbn"):
        assert getattr(record.ids, attr) == expected
    else:
        assert getattr(record, attr) == expected
    assert record.warnings == ()


def test_front_matter_editors() -> None:
    record = _one(
        "---\ntitle: T\nauthor: Icek Ajzen\neditors: [Julius Kuhl, Jürgen Beckmann]\n---\n"
    )
    assert [(c.family, c.role) for c in record.creators] == [
        ("Ajzen", "author"),
        ("Kuhl", "editor"),
        ("Beckmann", "editor"),
    ]


def test_broken_front_matter_warns_and_recovers() -> None:
    text = (
        "---\ntitle: Factors: a review\nauthors:\n- Jamie Ross\n - Fiona Stevenson\n"
        'year: 2016\ndoi: "10.1186/s13012-016-0510-7\n---\n\nStatus: Reading\n#ehealth\n'
    )
    record = _one(text)
    assert len(record.warnings) == 1
    assert "not valid YAML" in record.warnings[0] and "line " in record.warnings[0]
    assert record.title == "Factors: a review"
    assert _families(record) == ["Ross", "Stevenson"]
    assert (record.year, record.ids.doi) == (2016, "10.1186/s13012-016-0510-7")
    assert (record.status, record.tags) == ("Reading", ("ehealth",))


@pytest.mark.parametrize("comment", ["", "  # from PubMed", "\nnote: a: b # breaks the fast reader"])
def test_front_matter_values_are_strings_as_written(comment: str) -> None:
    text = f"---\ntitle: T\npmid: 01234567{comment}\nissue: 010\nvolume: 0o17\nyear: 2020\n---\n"
    record = _one(text)
    assert record.ids.pmid == "1234567"  # never the octal reading, 342391
    assert (record.issue, record.volume, record.year) == ("010", "0o17", 2020)


def test_front_matter_yes_no_and_dates_are_text() -> None:
    record = _one("---\ntitle: no\nissue: yes\ndate: 2016-05-01\n---\n")
    assert (record.title, record.issue, record.year) == ("no", "yes", 2016)


def test_a_yaml_alias_bomb_is_refused_quickly_and_named() -> None:
    import time

    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    text = "---\ntitle: T\n" + "\n".join(levels) + "\ntags: *i\n---\nBody\n"
    assert len(text.encode()) < 450
    started = time.perf_counter()
    result = parse_text(text, "bomb.md")
    assert time.perf_counter() - started < 2
    assert not result.records
    (problem,) = result.problems
    assert "front matter refused" in problem.message and "aliases" in problem.message


def test_a_few_yaml_aliases_are_read() -> None:
    record = _one("---\ntitle: &t A title\nshort-title: *t\ntags: &x [a, b]\nkeywords: *x\n---\n")
    assert (record.title, record.tags) == ("A title", ("a", "b"))


def test_toml_front_matter() -> None:
    record = _one(
        '+++\ntitle = "Evaluating forecasts"\nauthors = "Cerqueira et al."\nyear = 2020\n'
        'tags = ["time-series"]\n+++\n\nThe authors compare evaluation methods.\n'
    )
    assert (record.title, _families(record), record.year) == ("Evaluating forecasts", ["Cerqueira"], 2020)
    assert record.tags == ("time-series",)


def test_rules_around_body_text_are_not_front_matter() -> None:
    records = _all("---\n- **Title**: A\n- **DOI**: 10.1000/a1\n---\n- **Title**: B\n")
    assert [r.title for r in records] == ["A", "B"]
    assert all(r.warnings == () for r in records)


# --- Logseq, Dataview, callouts --------------------------------------------------------------


def test_logseq_zotero_import_properties() -> None:
    text = (
        "title:: @Some Paper\noriginal-title:: Some Paper: The Full Title\n"
        "item-type:: [[journalArticle]]\nauthors:: [[Jane Doe]], [[John Roe]]\n"
        "publication-title:: [[BMJ Open]]\ndate:: [[Jul 1st, 2014]]\ndoi:: 10.1136/X\n"
        "links:: [Local library](zotero://select/items/A), [Web](https://www.zotero.org/users/1)\n"
        "tags:: [[ml]], #nlp, [[deep learning]]\n\n- [[Abstract]]\n  We study things.\n"
        "- [[Attachments]]\n  - [PDF](zotero://open-pdf/x)\n"
    )
    record = _one(text)
    assert record.title == "Some Paper: The Full Title"
    assert (record.item_type, record.container) == ("journalArticle", "BMJ Open")
    assert record.date is not None and record.date.iso() == "2014-07-01"
    assert record.ids.doi == "10.1136/x"
    assert record.tags == ("ml", "nlp", "deep learning")
    assert record.abstract == "We study things."
    assert record.urls == ()


def test_logseq_block_properties() -> None:
    record = _one("- Reading note\n  title:: A Study\n  author:: Jane Doe\n  year:: 2020\n")
    assert (record.title, _families(record), record.year) == ("A Study", ["Doe"], 2020)


def test_obsidian_callouts() -> None:
    text = (
        "---\nstatus: reading\ntags: [nlp]\n---\n> [!Cite]\n> Devlin, J. (2019). *BERT*. "
        "arXiv. http://arxiv.org/abs/1810.04805\n\n> [!md]\n> **FirstAuthor**:: Devlin, Jacob\n"
        "> **Author**:: van Stralen, Maartje M\n> **Title**:: BERT\n> **itemType**:: preprint\n\n"
        "> [!Abstract]\n> Pre-trains a model.\n> Second line.\n\n## Notes\n- other doi:10.1000/x9\n"
    )
    record = _one(text)
    assert record.ids.arxiv == "1810.04805" and record.ids.doi is None
    assert [(c.family, c.given) for c in record.creators] == [
        ("Devlin", "Jacob"),
        ("van Stralen", "Maartje M"),
    ]
    assert (record.title, record.item_type, record.status) == ("BERT", "preprint", "reading")
    assert record.abstract == "Pre-trains a model. Second line."


def test_dataview_title_from_heading() -> None:
    text = "# Why most published research findings are false\n\nauthor:: John P. A. Ioannidis\n"
    record = _one(text + "pmcid:: PMC1182327\ntags:: #metascience #replication\n")
    assert record.title == "Why most published research findings are false"
    assert (record.ids.pmcid, record.tags) == ("PMC1182327", ("metascience", "replication"))


# --- hashtags --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("#ehealth #implementation", ("ehealth", "implementation")),
        ("nested #methods/qualitative tag", ("methods/qualitative",)),
        ("accents #búsqueda and #Tag_2-x.", ("búsqueda", "Tag_2-x")),
        ("issue #1 and #2020 are numbers", ()),
        ("colours #fff, #a1b2c3 and color: #abcdef", ()),
        ("but #bad is a word", ("bad",)),
        ("inline `#code` and C# or F#", ()),
        ("link https://x.org/page#anchor and [t](note.md#part)", ()),
        ("wikilink [[Note#Heading]] and #[[multi word]]", ("multi word",)),
        ("entity &#123; and (#paren) tag", ("paren",)),
        ("## Heading with #tag", ("tag",)),
        ("```\n#notatag\n```\nafter #real", ("real",)),
        ("~~~python\n# comment #x\n~~~", ()),
    ],
)
def test_hashtags(body: str, expected: tuple[str, ...]) -> None:
    record = _one(f"- **Title**: T\n\n{body}\n")
    assert record.tags == expected


def test_wikilinks_in_body_are_not_tags() -> None:
    assert _one("- **Title**: T\n\nSee [[Other note]] and [[Deep learning]].\n").tags == ()


# --- the work's own identifiers only -------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Solid review; see also doi:10.1000/xyz for the follow-up.",
        "Compare with PMID: 12345678 which found the opposite.",
        "## Related\n- [[Other paper]] https://doi.org/10.1000/abc",
        "## References\n1. Smith J. Title. doi:10.1000/ref1",
        "## Notes\n- DOI: 10.1000/notes1 is the erratum",
        "Erratum: https://doi.org/10.1000/err2",
        "Preprint: arXiv:2101.00001",
        "A long comment paragraph about the methods and what they mean for our study here, "
        "then a mention of 10.1000/inprose in passing.",
    ],
)
def test_commentary_identifiers_are_ignored(body: str) -> None:
    record = _one(f"# Deep learning\nAuthors: Yann LeCun, Yoshua Bengio\nYear: 2015\n\n{body}\n")
    assert record.ids.is_empty()
    assert record.title == "Deep learning"


@pytest.mark.parametrize(
    ("body", "kind", "expected"),
    [
        (
            "Implementation Science 11:146 — https://doi.org/10.1186/s13012-016-0510-7",
            "doi",
            "10.1186/s13012-016-0510-7",
        ),
        (
            "Ioannidis JPA. PLoS Med. 2005. doi:10.1371/journal.pmed.0020124",
            "doi",
            "10.1371/journal.pmed.0020124",
        ),
        ("https://pubmed.ncbi.nlm.nih.gov/16060722/", "pmid", "16060722"),
        (
            "## Citation\nSome text first.\n\nIoannidis 2005, PMCID: PMC1182327",
            "pmcid",
            "PMC1182327",
        ),
        (
            "- **In**: [[Nature]] 521:436. https://doi.org/10.1038/nature14539",
            "doi",
            "10.1038/nature14539",
        ),
    ],
)
def test_own_identifiers_in_metadata_lines(body: str, kind: str, expected: str) -> None:
    record = _one(f"# A title\nAuthor: Jane Doe\n\n{body}\n\nA comment.\n")
    assert getattr(record.ids, kind) == expected


def test_labelled_identifier_wins_over_scanned_one() -> None:
    record = _one("- **DOI**: 10.1000/labelled\n\nCited as X. doi:10.1000/cited\n")
    assert record.ids.doi == "10.1000/labelled"


# --- several records in one file -------------------------------------------------------------


def test_records_separated_by_rules() -> None:
    text = (
        "# Reading\n\n- **Status**: [[Done]]\n- **Title**: First\n- **DOI**: 10.1000/one\n\n"
        "---\n\n- **Status**: [[Read]]\n- **Title**: Second\n- **PMID**: 21513547\n"
    )
    first, second = _all(text)
    assert (first.title, first.status, first.ids.doi) == ("First", "Done", "10.1000/one")
    assert (second.title, second.status, second.ids.pmid) == ("Second", "Read", "21513547")
    assert [(r.origin.position, r.origin.line, r.origin.end_line) for r in (first, second)] == [
        (1, 1, 5),
        (2, 9, 11),
    ]
    assert second.note.startswith("- **Status**: [[Read]]") and "First" not in second.note


def test_records_under_repeated_headings() -> None:
    text = (
        "---\ntags: [reading-list]\n---\n# Reading list\n\n## Deep learning\n"
        "- Authors: LeCun, Bengio, Hinton\n- Year: 2015\n- DOI: 10.1038/nature14539\n"
        "Notes #ml\n\n## Why most published research findings are false\n- Author: Ioannidis\n"
        "- Year: 2005\n- PMID: 16060722\n"
    )
    first, second = _all(text)
    assert (first.title, first.ids.doi, first.tags) == (
        "Deep learning",
        "10.1038/nature14539",
        ("reading-list", "ml"),
    )
    assert (second.title, second.ids.pmid, second.year) == (
        "Why most published research findings are false",
        "16060722",
        2005,
    )
    assert second.tags == ("reading-list",)
    assert (second.origin.line, second.origin.position) == (12, 2)


def test_sections_of_one_work_do_not_split_it() -> None:
    text = (
        "# Deep learning\n- DOI: 10.1038/nature14539\n\n## Details\n- Journal: Nature\n"
        "- Year: 2015\n\n## Notes\n- Title: Something else entirely\n"
    )
    record = _one(text)
    assert (record.title, record.container, record.year) == ("Deep learning", "Nature", 2015)


# --- titles from headings, unusable notes ----------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("# Notes on The behaviour change wheel", "The behaviour change wheel"),
        ("# Literature note: Deep learning", "Deep learning"),
        ("# @lecun2015deep", None),
        ("# @lecun2015deep - Deep learning", "Deep learning"),
        ("# Encontrar sin perderse (2016)", "Encontrar sin perderse"),
        ("# Smith 2019 - Deep learning for X", "Deep learning for X"),
        ("# [[Deep learning]]", "Deep learning"),
    ],
)
def test_title_from_heading(heading: str, expected: str | None) -> None:
    assert _one(f"{heading}\nYear:: 2015\n").title == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Things to read:\n- the one with the wheel diagram?\n#reading-list\n",
        "# Meeting notes\n\nWe talked about the budget.\n",
        '---\ntitle: "{{title}}"\nauthors: "{{authors}}"\nyear: <% tp.date.now() %>\ndoi:\n---\n'
        "# {{title}}\n",
        "- **Title**: \n- **By**: \n- **DOI**: \n- **Status**: [[New]]\n",
        "---\n: : :\n---\n",
    ],
)
def test_notes_without_a_work_are_not_usable(text: str) -> None:
    records = _all(text)
    assert records and not any(r.is_usable() for r in records)
    if text.strip():
        result = parse_text(text, "note.md")
        assert result.failed and not result.records


def test_registry_reports_unusable_markdown_without_stopping() -> None:
    result = parse_text("Just a reminder to read more.\n", "x.md")
    assert result.format == "markdown" and result.failed
    assert "no identifier" in result.problems[0].message


# --- the shared examples ---------------------------------------------------------------------


def _norm_title(title: str | None) -> str | None:
    if title is None:
        return None
    text = unicodedata.normalize("NFC", title).casefold()
    text = " ".join(text.replace("\u2013", "-").replace("\u2014", "-").split())
    return text[:-1] if text.endswith(".") else text


def _expected_lines(suffixes: tuple[str, ...]) -> list[dict]:
    if not (EXAMPLES / "EXPECTED.jsonl").exists():
        return []
    lines = [json.loads(line) for line in (EXAMPLES / "EXPECTED.jsonl").read_text().splitlines()]
    return [e for e in lines if e["files"][0].endswith(suffixes)]


def check_expected(expected: dict) -> None:
    """Compare a parsed example with its EXPECTED.jsonl line (shared by the Org tests)."""
    result = parse_file(EXAMPLES / expected["files"][0])
    if expected["should_fail"]:
        assert result.failed and not result.records
        return
    by_position = {r.origin.position: r for r in result.records}
    record = by_position[expected.get("position", 1)]
    skip = set(expected.get("unverified", []))
    ok = expected.get("also_acceptable", {})
    in_note = set(expected.get("in_note", []))
    for kind in ("doi", "pmid", "pmcid"):
        value = getattr(record.ids, kind)
        if kind in in_note:
            assert value == expected[kind], kind
        elif kind not in skip:
            assert value in (None, expected[kind]), kind  # never a wrong identifier
    if "arxiv" in in_note:
        assert record.ids.arxiv and arxiv_doi(record.ids.arxiv) == expected["doi"]
    titles = [expected["title"], *ok.get("title", [])]
    assert _norm_title(record.title) in {_norm_title(t) for t in titles}
    assert record.year in [expected["year"], *ok.get("year", [])]
    assert record.first_author and record.first_author.sort_name == expected["first_author_family"]
    assert (record.status or "").casefold() == (expected["status"] or "").casefold()
    assert sorted(record.tags) == sorted(expected["tags"])
    if "keywords" in expected:
        assert list(record.keywords) == expected["keywords"]
    assert record.item_type == expected["item_type"]


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared examples not available")
@pytest.mark.parametrize("expected", _expected_lines((".md",)), ids=lambda e: e["id"])
def test_shared_examples(expected: dict) -> None:
    check_expected(expected)


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared examples not available")
def test_broken_front_matter_example_warns() -> None:
    result = parse_file(EXAMPLES / "broken-frontmatter-ross-2016-ehealth-implementation.md")
    (record,) = result.records
    assert any("YAML" in w for w in record.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "# Meeting notes\nStatus: done\n",
        "# Project ideas\nLink: https://example.org/board\n#ideas\n",
    ],
)
def test_heading_without_bibliographic_evidence_is_not_a_title(text: str) -> None:
    assert _one(text).title is None


def test_citekey_makes_the_heading_a_title() -> None:
    text = "---\nzotero-key: ABCD1234\ncitekey: devlin2019\n---\n# BERT: Pre-training of things\n"
    assert _one(text).title == "BERT: Pre-training of things"


ZOTERO_INTEGRATION = """---
category: literaturenote
tags: ml/transformers,
citekey: lecun2015
status: unread
dateread:
---

> [!Cite]
> LeCun, Y., Bengio, Y., & Hinton, G. (2015). Deep learning. *Nature*, *521*(7553), 436–444.

>[!Synth]
>**Contribution**::
>**Related**:: [[@schmidhuber2015]] https://doi.org/10.1016/j.neunet.2014.09.003

>[!md]
> **FirstAuthor**:: LeCun, Yann
> **Author**:: Bengio, Yoshua
> **Title**:: Deep learning
> **Year**:: 2015
> **Citekey**:: lecun2015
> **itemType**:: journalArticle
> **Journal**:: *Nature*
> **Volume**:: 521
> **Pages**:: 436-444
> **DOI**:: 10.1038/nature14539
> **ISBN**::

> [!Abstract]
> Deep learning allows computational models.
"""

FOAM = """# Deep learning

Type: #literature
Authors: [[Yann LeCun]], [[Yoshua Bengio]]
Year: 2015

Notes about it. #ml

[//begin]: # "Autogenerated link references for markdown compatibility"
[Yann LeCun]: yann-lecun.md "Yann LeCun"
[//end]: # "Autogenerated link references"
"""


def test_zotero_integration_community_template() -> None:
    record = _one(ZOTERO_INTEGRATION)
    assert (record.title, record.container, record.volume, record.pages) == (
        "Deep learning",
        "Nature",
        "521",
        "436-444",
    )
    assert record.ids.doi == "10.1038/nature14539"  # not the "Related" one
    assert (record.status, record.tags, record.item_type) == (
        "unread",
        ("ml/transformers",),
        "journalArticle",
    )
    assert _families(record) == ["LeCun", "Bengio"]
    assert record.abstract == "Deep learning allows computational models."


def test_foam_note() -> None:
    record = _one(FOAM)
    assert (record.title, record.year, _families(record)) == (
        "Deep learning",
        2015,
        ["LeCun", "Bengio"],
    )
    assert record.tags == ("literature", "ml")


def test_crlf_and_bom_given_directly() -> None:
    record = _one("\ufeff- **Title**: A\r\n- **DOI**: 10.1000/a1\r\n")
    assert (record.title, record.ids.doi) == ("A", "10.1000/a1")


def test_plain_structured_abstract_keeps_sections() -> None:
    text = "Title: A\nAbstract:\nBACKGROUND: We studied.\nMore text.\nMethods: We did.\nKeywords: a\n"
    record = _one(text)
    assert record.abstract == "BACKGROUND: We studied. More text.\n\nMethods: We did."
    assert record.keywords == ("a",)
