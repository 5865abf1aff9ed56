"""Notes written with the templates people use, read as a careful reader reads them: the
work's title, authors and year, never a section heading, a template slot, a page path, the
page's writer or the note's own dates; and never an identifier that is not in the note."""

from __future__ import annotations

import re
import string
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zsync.inputs.notes import markdown, org
from zsync.inputs.notes.reference import read_alias, read_reference
from zsync.model import identifiers as ids
from zsync.model.records import Record


def _one(text: str) -> Record:
    records = markdown.parse(text, "note.md")
    assert len(records) == 1, [r.title for r in records]
    return records[0]


def _first_author(record: Record) -> str | None:
    first = record.first_author
    return first.sort_name if first else None


# --- titles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "title"),
    [
        ('"journalArticle | A Mathematical Theory of Communication"', "A Mathematical Theory of Communication"),
        ("book | Vision: A Computational Investigation", "Vision: A Computational Investigation"),
        ("Paper | A Theory of Learning to Infer", "A Theory of Learning to Infer"),
        ("Dogs | Cats in Urban Ecology", "Dogs | Cats in Urban Ecology"),
    ],
)
def test_a_templates_item_type_is_not_part_of_the_title(written: str, title: str) -> None:
    assert _one(f"---\ntitle: {written}\nyear: 1948\n---\n").title == title


def test_the_opening_heading_titles_a_note_whose_fields_are_in_front_matter() -> None:
    text = (
        "---\naliases: [\"Beneš et al. (2011) Urban ecosystem design\"]\nyear: 2011\n---\n"
        "# Urban ecosystem design [📖](zotero://select/library/items/RU7FYPRG)\n\n"
        "> [!abstract]-\n> \n\n## Permanent notes\n### Initial thoughts:\n- worth a look\n\n"
        "### Relations:\n\n### Summary\n"
    )
    record = _one(text)
    assert record.title == "Urban ecosystem design"
    assert (_first_author(record), record.year) == ("Beneš", 2011)


def test_a_bilingual_section_heading_is_not_a_title() -> None:
    text = (
        "---\ntype: literature_note\ntags: [AMC]\n---\n# Abandon Locality: Frame-Wise Embedding\n\n"
        "## 📑 논문 개요 (Overview)\n- **저자:** Yantao Chen, Binhong Dong\n- **발표 연도:** 2023\n"
        "## 🖋️ 조테로 하이라이트 & 캡처\n> quoted text\n"
    )
    record = _one(text)
    assert record.title == "Abandon Locality: Frame-Wise Embedding"
    assert (_first_author(record), record.year) == ("Chen", 2023)


def test_an_unfilled_template_gives_no_title_tags_or_fields() -> None:
    text = (
        "# ImageNet Classification with Deep Convolutional Neural Networks\n\n"
        "**{Year}, {Authors}, {Journal Name}**\n\n## Summary\n\nSome notes.\n\n---\n"
        "# {{authorString}} ({{year}}) - {{title}}\n**Tags:** #source, (type), (status)\n"
        "Authors: {{authorString}}\nYear: {{year}}\nDOI: {{DOI}}\n"
    )
    record = _one(text)
    assert record.title == "ImageNet Classification with Deep Convolutional Neural Networks"
    assert (record.creators, record.year, record.tags, record.ids.doi) == ((), None, (), None)


def test_a_logseq_page_path_is_not_a_title_and_the_reference_line_is_read() -> None:
    text = (
        "title:: wiki/refs/sebastian-2020-in-memory-computing\ntype:: external-ref\n"
        "year:: 2020\ndoi:: 10.1038/s41565-020-0655-z\n\n"
        "- **Memory devices and applications for in-memory computing** — Sebastian, Le Gallo,"
        " Eleftheriou (2020), *Nature Nanotechnology* 15:529–544 (Review).\n"
    )
    record = _one(text)
    assert record.title == "Memory devices and applications for in-memory computing"
    assert _first_author(record) == "Sebastian"


@pytest.mark.parametrize(
    ("written", "title"),
    [("wiki/refs/Memory Devices for Computing", "Memory Devices for Computing"), ("TCP/IP Illustrated", "TCP/IP Illustrated")],
)
def test_a_logseq_namespace_is_not_part_of_the_title(written: str, title: str) -> None:
    assert _one(f"title:: {written}\nyear:: 2020\n").title == title


def test_a_formatted_reference_gives_title_authors_and_year() -> None:
    text = (
        "---\ntags:\n  - resilience\n---\nDOI: 10.33612/diss.144252644\n\n"
        "[Hill, Y. (2020). A Dynamical Approach to Psychological Resilience.]"
        "(https://pure.rug.nl/ws/portalfiles/portal/144252662/Chapter_8.pdf)\n"
    )
    record = _one(text)
    assert record.title == "A Dynamical Approach to Psychological Resilience"
    assert (_first_author(record), record.year) == ("Hill", 2020)
    assert record.ids.doi == "10.33612/diss.144252644"


def test_the_cite_callout_of_zotero_integration_gives_the_authors_and_a_clean_doi() -> None:
    text = (
        "---\ncitekey: 1982marr\ntitle: \"book | Vision\"\nyear: 1982\ndate: 2024-08-15\n---\n"
        "> Marr, D. (1982). _Vision_. The MIT Press. [https://doi.org/10.7551/mitpress/"
        "9780262514620.001.0001](https://doi.org/10.7551/mitpress/9780262514620.001.0001)\n"
    )
    record = _one(text)
    assert (record.title, _first_author(record), record.year) == ("Vision", "Marr", 1982)
    assert record.ids.doi == "10.7551/mitpress/9780262514620.001.0001"


# --- the work's authors and year, not the page's -------------------------------------------


def test_a_roam_exports_page_writer_is_not_the_works_author() -> None:
    text = (
        "---\ntitle: @ackermanAugmentingOrganizationalMemory1994\n"
        "url: https://roamresearch.com/#/app/megacoglab/page/L-laSH-S8\nauthor: Joel Chan\n"
        "date: Fri Jun 18 2021 02:13:05 GMT+0800 (Malaysia Time)\n---\n\n"
        "- Title:: Augmenting the organizational memory\n- Author(s):: [[Mark S. Ackerman]]\n"
        "- URL : https://doi.org/10.1145/192844.193019\n- Date Added:: [[June 17th, 2021]]\n"
    )
    record = _one(text)
    assert [c.sort_name for c in record.creators] == ["Ackerman"]
    assert record.year is None  # the page's export date and the date added are not it
    assert record.ids.doi == "10.1145/192844.193019"


def test_front_matter_authors_stay_when_the_body_names_none() -> None:
    record = _one("---\ntitle: A Study\nauthor: Jane Doe\n---\nSome thoughts.\n")
    assert _first_author(record) == "Doe"


def test_a_notes_creation_time_is_not_the_publication_year() -> None:
    text = (
        "---\naliases:\n  - Jaques et al. (2019)\ntitle: Paper | Social Influence\n"
        "date: 2023-12-28 18:40\nlastmod: 2024-08-17T00:43:49-07:00\ncreated: 2023-12-28\n---\n"
    )
    record = _one(text)
    assert (record.title, _first_author(record), record.year) == ("Social Influence", "Jaques", 2019)


def test_a_front_matter_date_filled_on_the_day_of_writing_yields_to_the_works_year() -> None:
    text = "---\naliases:\n  - Jaques et al. (2019)\ntitle: Social Influence\ndate: 2023-12-28\n---\n"
    assert _one(text).year == 2019
    assert _one("---\ntitle: Social Influence\ndate: 2018-03-01\n---\n").year == 2018


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("Attention Is All You Need (Vaswani et al., 2017)", "Attention Is All You Need"),
        ("(2016) Deep Residual Learning", "Deep Residual Learning"),
    ],
)
def test_a_year_or_citation_around_a_heading_title_is_dropped(heading: str, title: str) -> None:
    assert _one(f"# {heading}\n\nDOI: 10.1000/abc\n").title == title


def test_the_citation_keys_year_when_nothing_else_gives_one() -> None:
    text = "---\ntitle: Transcriptomic analysis\ncitekey: voineaguTranscriptomicAnalysisAutistic2011\ncreationdate: 09-01-2024\n---\n"
    assert _one(text).year == 2011


@pytest.mark.parametrize(
    ("alias", "family", "year"),
    [
        ("Jaques et al. (2019)", "Jaques", "2019"),
        ("Jaques et al., 2019", "Jaques", "2019"),
        ("Smith & Jones (2020)", "Smith", "2020"),
        ("Social Influence as Intrinsic Motivation", None, None),
        ("becker2023", None, None),
    ],
)
def test_aliases_that_name_the_work_by_author_and_year(alias: str, family: str | None, year: str | None) -> None:
    found = read_alias(alias)
    assert (found.authors[0] if found else None, found.year if found else None) == (family, year)


@pytest.mark.parametrize(
    ("line", "first", "year", "title"),
    [
        ("Marr, D. (1982). _Vision_. The MIT Press.", "Marr, D.", "1982", "Vision"),
        ("Marr, David. 1982. *Vision: A Computational Investigation*. MIT Press.", "Marr, David", "1982", "Vision: A Computational Investigation"),
        (
            "Shannon, Claude E. “A Mathematical Theory of Communication.” *The Bell System Technical Journal* 27, no. 3 (1948): 379–423.",
            "Shannon, Claude E", "1948", "A Mathematical Theory of Communication",
        ),
        (
            "Mnih, Volodymyr, Koray Kavukcuoglu, David Silver, et al. “Human-Level Control through Deep Reinforcement Learning.” *Nature* 518, no. 7540 (February 2015): 529–33.",
            "Mnih, Volodymyr", "2015", "Human-Level Control through Deep Reinforcement Learning",
        ),
        (
            "Shannon, C. E. “A Mathematical Theory of Communication.” The Bell System Technical Journal, vol. 27, 1948.",
            "Shannon, C. E", "1948", "A Mathematical Theory of Communication",
        ),
        (
            "[1] C. E. Shannon and W. Weaver, “A mathematical theory of communication,” Bell Syst. Tech. J., vol. 27, pp. 379–423, 1948.",
            "C. E. Shannon", "1948", "A mathematical theory of communication",
        ),
        (
            "Voineagu I, Wang X, Johnston P, et al. Transcriptomic analysis of autistic brain. Nature. 2011;474(7351):380-384.",
            "Voineagu I", "2011", "Transcriptomic analysis of autistic brain",
        ),
    ],
)
def test_formatted_references_in_the_common_styles(line: str, first: str, year: str, title: str) -> None:
    found = read_reference(line)
    assert found is not None
    assert (found.authors[0], found.year, found.title) == (first, year, title)


@pytest.mark.parametrize(
    "line",
    [
        "We found (2019) that this is true.",
        "In the study by Smith (2019). Results were good.",
        "Plain text.",
        'He said “this is great,” in 2019.',
        "See also the discussion. *Important* in 2020.",
    ],
)
def test_prose_is_not_a_formatted_reference(line: str) -> None:
    assert read_reference(line) is None


def test_a_chinese_name_written_without_a_space_has_its_family_name_first() -> None:
    text = '---\ntitle: "关于研究生文献综述撰写的几点建议"\nauthor:\n- "[[陈立宏]]"\n- "[[欧阳修文]]"\n---\n'
    creators = _one(text).creators
    assert [(c.family, c.given) for c in creators] == [("陈", "立宏"), ("欧阳", "修文")]


@pytest.mark.parametrize(
    ("written", "name"),
    [("OpenAI", "OpenAI"), ("WHO", "WHO"), ("World Health Organization", "World Health Organization"),
     ("ATLAS Collaboration", "ATLAS Collaboration")],
)
def test_organisations_and_collaborations_are_one_name(written: str, name: str) -> None:
    (creator,) = _one(f"---\ntitle: A Report\nauthor: {written}\nyear: 2023\n---\n").creators
    assert (creator.name, creator.family) == (name, None)


def test_a_one_word_family_name_stays_a_person() -> None:
    (creator,) = _one("---\ntitle: A Report\nauthor: McDonald\nyear: 2023\n---\n").creators
    assert (creator.name, creator.family) == (None, "McDonald")


# --- Logseq journals, org-roam-bibtex -------------------------------------------------------


def test_a_logseq_journal_page_with_several_paper_blocks() -> None:
    text = (
        "- Read some papers today\n- [[@Attention Is All You Need]]\n"
        "  title:: Attention Is All You Need\n  authors:: [[Ashish Vaswani]], [[Noam Shazeer]]\n"
        "  date:: 2017\n  doi:: 10.48550/arXiv.1706.03762\n- [[@Deep Residual Learning]]\n"
        "  title:: Deep Residual Learning for Image Recognition\n  authors:: [[Kaiming He]]\n"
        "  date:: 2016\n  doi:: 10.1109/CVPR.2016.90\n- Lunch\n"
    )
    records = markdown.parse(text, "journals/2024_01_02.md")
    assert [(r.title, _first_author(r), r.year) for r in records] == [
        ("Attention Is All You Need", "Vaswani", 2017),
        ("Deep Residual Learning for Image Recognition", "He", 2016),
    ]
    assert records[0].ids.arxiv == "1706.03762"  # the arXiv DOI names the preprint
    assert records[1].ids.doi == "10.1109/cvpr.2016.90"


def test_an_org_roam_bibtex_title_with_author_and_year() -> None:
    text = (
        ":PROPERTIES:\n:ID:       1234\n:ROAM_REFS: @vaswani2017\n:END:\n"
        "#+title: Vaswani et al. (2017): Attention Is All You Need\n\n* Notes\nGood.\n"
    )
    (record,) = org.parse(text, "note.org")
    assert (record.title, _first_author(record), record.year) == ("Attention Is All You Need", "Vaswani", 2017)


def test_an_org_note_opening_with_its_reference() -> None:
    text = "#+title: Vision notes\n\nMarr, D. (1982). /Vision: A Computational Investigation/. The MIT Press.\n"
    (record,) = org.parse(text, "vision.org")
    assert (record.title, _first_author(record), record.year) == ("Vision: A Computational Investigation", "Marr", 1982)


def test_a_list_of_references_names_no_single_work() -> None:
    text = (
        "# Reading list\n\nMarr, D. (1982). _Vision_. The MIT Press.\n\n"
        "Shannon, C. E. (1948). A Mathematical Theory of Communication. _Bell Syst. Tech. J._\n"
    )
    assert all(r.title != "Vision" and not r.creators for r in markdown.parse(text, "list.md"))


# --- tags ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("###### tags: `Paper` `ml`\n\n## Metadata\nDOI: 10.1111/j.1540-6261.2004.00662.x\n", ("Paper", "ml")),
        ('---\ntitle: T\ntags: to-read, x\n---\nTags: `=join(this.file.tags, " ")`\n', ("to-read", "x")),
        ("---\ntitle: T\n---\n1. MHSA은 F(#frame)의 제곱에 비례 (#real)\n", ("real",)),
    ],
)
def test_tags_as_written_and_not_computed_or_inside_words(text: str, tags: tuple[str, ...]) -> None:
    assert _one(text).tags == tags


def test_a_hackmd_tag_line_is_not_a_title() -> None:
    record = _one("###### tags: `Paper`\n\n## Metadata\n\nAuthor: Antweiler, Werner\n\nDOI: 10.1111/x.1\n")
    assert record.title is None and _first_author(record) == "Antweiler"


# --- never an identifier that is not in the note -------------------------------------------

_SUFFIX = st.text(alphabet=string.ascii_letters + string.digits + "-._;()/:", min_size=1, max_size=25)


def _nested(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0 and "()" not in text


_DOI = st.builds(lambda r, s: f"10.{r}/{s}", st.integers(1000, 99999), _SUFFIX).filter(
    lambda d: d[8:9].isalnum() and d[-1].isalnum() and _nested(d)
)
_FORMS = [
    "DOI: {}", "doi:: {}", "- **DOI**: {}", "[https://doi.org/{0}](https://doi.org/{0})",
    'DOI: <a href="https://doi.org/{0}">{0}</a>', '"{}"', "`{}`", "({}).", "https://doi.org/{}.",
    "> Smith, J. (2020). A title. _Journal_. https://doi.org/{}", "[[{}]]", "| {} |",
]
_NOISE = st.text(alphabet=string.ascii_letters + string.digits + " .,:;()[]<>\"'`*_#|-/%&", max_size=40)
_PMID = st.integers(1, 99_999_999)


def _in_input(value: str, text: str) -> bool:
    folded = unquote(text).casefold()
    return value.casefold() in folded or value.casefold() in re.sub(r"[\s-]", "", folded)


@settings(max_examples=150, deadline=None)
@given(_DOI, st.sampled_from(_FORMS), _NOISE, _NOISE, _PMID, st.sampled_from(["md", "org"]))
def test_every_identifier_read_is_in_the_note_and_valid(
    doi: str, form: str, before: str, after: str, pmid: int, kind: str
) -> None:
    body = f"{before}\n{form.format(doi)}\nPMID: {pmid:08d}\n{after}\n"
    text = f"---\ntitle: A Study\n---\n{body}" if kind == "md" else f"#+title: A Study\n{body}"
    parse = markdown.parse if kind == "md" else org.parse
    for record in parse(text, f"note.{kind}"):
        found = record.ids
        if found.doi:
            assert ids.is_valid_doi(found.doi), found.doi
            assert _in_input(found.doi, text), found.doi
        if found.pmid:
            assert found.pmid.isdigit() and _in_input(found.pmid, text)
        if found.pmcid:
            assert re.fullmatch(r"PMC\d+", found.pmcid) and _in_input(found.pmcid[3:], text)
        if found.arxiv:
            assert _in_input(found.arxiv, text)
        for isbn in found.isbn:
            assert ids.normalize_isbn(isbn) == isbn


@settings(max_examples=100, deadline=None)
@given(_DOI, st.sampled_from(_FORMS))
def test_the_doi_of_each_form_is_read_whole(doi: str, form: str) -> None:
    record = _one(f"---\ntitle: A Study\n---\n{form.format(doi)}\n")
    assert record.ids.doi == doi.lower()


_DOCUMENTS = [
    "@article{k,\n  title = {A Study},\n  doi = {%s}\n}\n",
    "TY  - JOUR\nTI  - A Study\nDO  - %s\nER  - \n",
    "PMID- 123\nTI  - A Study\nLID - %s [doi]\n",
    '[{"type": "article-journal", "title": "A Study", "DOI": "%s"}]',
    "---\ntitle: A Study\ndoi: %s\n---\n",
    "#+title: A Study\n:PROPERTIES:\n:DOI: %s\n:END:\n",
]


@settings(max_examples=150, deadline=None)
@given(_DOI, st.sampled_from(_DOCUMENTS))
def test_every_format_keeps_a_doi_whole(doi: str, document: str) -> None:
    from zsync.inputs import parse_text

    (record,) = parse_text(document % doi, "input").records
    assert record.ids.doi == doi.lower() and ids.is_valid_doi(record.ids.doi)
