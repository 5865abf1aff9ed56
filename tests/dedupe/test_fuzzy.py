"""Fuzzy duplicate rules: real look-alikes, Zotero's misses, and properties of the rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zsync.dedupe.duplicates import find_duplicates
from zsync.dedupe.rules import (
    DUPLICATE,
    RELATED,
    RULE_FUZZY,
    RULE_PREPRINT,
    Settings,
    Verdict,
    judge,
)
from zsync.dedupe.signature import name_keys, sig_of_item, sig_of_record, title_key
from zsync.model.records import Creator, Identifiers, Origin, PartialDate, Record
from zsync.model.text import normalize_title

LECUN = ("LeCun", "Bengio", "Hinton")
MICHIE = "The behaviour change wheel: a new method for characterising and designing behaviour change interventions"


def rec(title: str, families: tuple[str, ...] = LECUN, year: int | None = 2015,
        item_type: str = "journalArticle", container: str | None = None, **ids: object) -> Record:
    return Record(
        origin=Origin("notes.md"), ids=Identifiers(**ids), title=title,  # type: ignore[arg-type]
        creators=tuple(Creator(family=f) for f in families),
        date=PartialDate(str(year), year) if year else None, item_type=item_type,
        container=container,
    )


def verdict(a: Record, b: Record) -> Verdict | None:
    return judge(sig_of_record(a), sig_of_record(b))


# --- what must match -------------------------------------------------------------------

def test_the_same_article_told_twice_matches_with_rule_and_evidence() -> None:
    a = rec(MICHIE, ("Michie", "van Stralen", "West"), 2011, doi="10.1186/1748-5908-6-42")
    b = rec(MICHIE.title(), ("Michie", "van Stralen", "West"), 2011, pmid="21513547")
    found = verdict(a, b)
    assert found is not None and found.kind == DUPLICATE and found.rule == RULE_FUZZY
    assert found.evidence == "title 100% + year 2011/2011 + author Michie"


def test_typos_trailing_period_markup_entities_and_retracted_prefix_still_match() -> None:
    base = rec("Why most published research findings are false", ("Ioannidis",), 2005)
    for variant in (
        "Why most published reserach findings are false",
        "Why Most Published Research Findings Are False.",
        "Why <i>most</i> published research findings are false",
        "RETRACTED: Why most published research findings are false",
        "[Retracted] Why most published research findings are false",
    ):
        found = verdict(base, rec(variant, ("Ioannidis",), 2005))
        assert found is not None and found.kind == DUPLICATE, variant
    amp = rec("Drug therapy &amp; mortality in Covid-19: a registry analysis", ("Mehra",), 2020)
    assert verdict(amp, rec("Drug therapy & mortality in Covid-19: a registry analysis",
                            ("Mehra",), 2020))


def test_year_one_apart_matches_but_two_apart_does_not() -> None:
    a = rec("Encontrar sin perderse: ¿se ha frustrado al buscar la información médica?",
            ("Fernández-Altuna",), 2016)
    assert verdict(a, rec(a.title or "", ("Fernández-Altuna",), 2015))
    assert verdict(a, rec(a.title or "", ("Fernández-Altuna",), 2014)) is None


def test_family_names_with_particles_compounds_and_no_given_names_match() -> None:
    title = "Clarifying the concept of adherence to eHealth technology: systematic review"
    a = rec(title, ("Sieverink", "Kelders", "van Gemert-Pijnen"), 2017)
    assert verdict(a, rec(title, ("Gemert-Pijnen",), 2017))
    b = rec("Encontrar sin perderse en la informacion medica", ("Fernández-Altuna",), 2016)
    assert verdict(b, rec("Encontrar sin perderse en la información médica", ("Fernández Altuna",), 2016))
    assert verdict(b, rec("Encontrar sin perderse en la informacion medica", ("Fernandez",), 2016))


def test_a_dropped_subtitle_matches_when_the_main_title_names_the_work() -> None:
    long_main = "Factors that influence the implementation of e-health in health care"
    a = rec(long_main + ": a systematic review of systematic reviews", ("Ross",), 2016)
    assert verdict(a, rec(long_main, ("Ross",), 2016))
    assert verdict(rec("Deep learning: a review", LECUN, 2015), rec("Deep learning", LECUN, 2015)) is None


def test_short_titles_need_the_exact_title_and_both_years() -> None:
    assert verdict(rec("Deep learning"), rec("Deep learning."))
    assert verdict(rec("Deep learning"), rec("Deep lerning")) is None
    assert verdict(rec("Deep learning"), rec("Deep learning", year=None)) is None


def test_exact_identifiers_match_whatever_the_title() -> None:
    found = verdict(rec("Deep learning", doi="10.1038/nature14539"),
                    rec("Deep learning review", ("Someone",), doi="10.1038/nature14539"))
    assert found is not None and (found.rule, found.evidence) == ("same DOI", "10.1038/nature14539")


# --- what must stay apart ----------------------------------------------------------------

def test_a_book_and_an_article_with_one_title_and_a_shared_author_stay_apart() -> None:
    # Zotero reports these as duplicates (overlapping author, years within one).
    article = rec("Deep learning", LECUN, 2015)
    book = rec("Deep learning", ("Goodfellow", "Bengio", "Courville"), 2016, item_type="book")
    assert verdict(article, book) is None


def test_a_book_and_a_chapter_of_it_stay_apart() -> None:
    chapter = rec("Action control: from cognition to behavior", ("Ajzen", "Kuhl"), 1985, "bookSection")
    book = rec("Action control: from cognition to behavior", ("Kuhl", "Beckmann"), 1985, "book")
    assert verdict(chapter, book) is None


def test_same_title_by_other_authors_or_years_apart_stays_apart() -> None:
    a = rec("Why most published research findings are false", ("Ioannidis",), 2005)
    assert verdict(a, rec(a.title or "", ("Jager", "Leek"), 2005)) is None
    assert verdict(a, rec(a.title or "", ("Ioannidis",), 2019)) is None


def test_parts_of_a_series_stay_apart() -> None:
    title = "Qualitative research in health care: assessing quality in qualitative research, Part {}"
    one, two = rec(title.format(1), ("Mays", "Pope"), 2000), rec(title.format(2), ("Mays", "Pope"), 2000)
    assert verdict(one, two) is None
    assert verdict(rec(title.format("I"), ("Mays",), 2000), rec(title.format("II"), ("Mays",), 2000)) is None
    assert verdict(rec(title.format("one"), ("Mays",), 2000), rec(title.format("1"), ("Mays",), 2000))


def test_a_correction_or_retraction_notice_is_not_the_article() -> None:
    title = "Cardiovascular disease, drug therapy, and mortality in Covid-19"
    article = rec(title, ("Mehra", "Desai"), 2020)
    for notice in ("Retraction: " + title, "Correction to: " + title, "Notice of retraction: " + title,
                   "Comment on: " + title, "Reply to: " + title):
        assert verdict(article, rec(notice, ("Mehra", "Desai"), 2020)) is None, notice
    assert verdict(article, rec("RETRACTED: " + title, ("Mehra",), 2020))


def test_a_reprint_with_its_own_doi_stays_apart() -> None:
    title = "Why most published research findings are false"
    a = rec(title, ("Ioannidis",), 2005, doi="10.1371/journal.pmed.0020124")
    b = rec(title, ("Ioannidis",), 2005, doi="10.1080/09332480.2005.10722754")
    assert verdict(a, b) is None
    assert [g.members for g in find_duplicates([a, b])] == [[0], [1]]


# --- preprints -----------------------------------------------------------------------------

BERT = "BERT: Pre-training of deep bidirectional transformers for language understanding"
BERT_AUTHORS = ("Devlin", "Chang", "Lee", "Toutanova")


def test_a_preprint_and_its_published_version_are_related_not_duplicates() -> None:
    preprint = rec(BERT, BERT_AUTHORS, 2018, "preprint", arxiv="1810.04805")
    paper = rec(BERT, BERT_AUTHORS, 2019, "conferencePaper", doi="10.18653/v1/n19-1423")
    found = verdict(preprint, paper)
    assert found is not None and (found.kind, found.rule) == (RELATED, RULE_PREPRINT)
    groups = find_duplicates([preprint, paper])
    assert [g.members for g in groups] == [[0], [1]]
    assert groups[0].related and groups[0].related[0].kind == RELATED
    merged = find_duplicates([preprint, paper], Settings(merge_preprints=True))
    assert [g.members for g in merged] == [[0, 1]]


def test_arxiv_doi_and_arxiv_id_are_one_identifier() -> None:
    a = rec(BERT, BERT_AUTHORS, 2019, "preprint", doi="10.48550/arxiv.1810.04805")
    b = rec("BERT", ("Devlin",), 2018, "preprint", arxiv="1810.04805")
    found = verdict(a, b)
    assert found is not None and found.rule == "same arXiv id" and found.evidence == "1810.04805"


def test_an_arxiv_posting_typed_as_an_article_counts_as_a_preprint() -> None:
    posting = rec(BERT, BERT_AUTHORS, 2018, "journalArticle", container="arXiv", arxiv="1810.04805")
    paper = rec(BERT, BERT_AUTHORS, 2019, "conferencePaper", doi="10.18653/v1/n19-1423")
    assert sig_of_record(posting).preprint
    found = verdict(posting, paper)
    assert found is not None and found.kind == RELATED


# --- clusters --------------------------------------------------------------------------------

def test_two_dois_are_never_joined_through_a_record_without_one() -> None:
    title = "Why most published research findings are false"
    records = [rec(title, ("Ioannidis",), 2005, doi="10.1/one"), rec(title, ("Ioannidis",), 2005),
               rec(title, ("Ioannidis",), 2005, doi="10.1/two")]
    groups = [g.members for g in find_duplicates(records)]
    assert [0, 1, 2] not in groups and len(groups) == 2


def test_not_duplicates_pairs_are_honoured_even_with_one_doi() -> None:
    a = rec("Deep learning", doi="10.1038/nature14539")
    b = rec("Deep learning", year=2015)
    b = Record(origin=Origin("other.md", position=3), ids=b.ids, title=b.title, creators=b.creators,
               date=b.date, item_type=b.item_type)
    assert [g.members for g in find_duplicates([a, b])] == [[0, 1]]
    apart = Settings.of(not_duplicates=[("doi:10.1038/nature14539", "other.md#3")])
    assert [g.members for g in find_duplicates([a, b], apart)] == [[0], [1]]


def test_item_data_gives_the_same_signature_as_a_record() -> None:
    item = {"itemType": "journalArticle", "title": "Deep learning", "date": "2015-05-27",
            "creators": [{"creatorType": "author", "firstName": "Yann", "lastName": "LeCun"}],
            "extra": "DOI: 10.1038/NATURE14539\nPMID: 26017442", "url": ""}
    sig = sig_of_item(item)
    assert sig.ids == {"doi:10.1038/nature14539", "pmid:26017442"}
    found = judge(sig, sig_of_record(rec("Deep learning", ("LeCun",), 2015, doi="10.1038/nature14539")))
    assert found is not None and found.rule == "same DOI"


# --- properties ------------------------------------------------------------------------------

WORDS = ["deep", "learning", "wheel", "behaviour", "change", "part", "1", "2", "ii", "review",
         "correction", "retracted", "<i>x</i>", "&amp;", "Über", "ÉTUDE", ":", "-", "."]
titles = st.lists(st.sampled_from(WORDS), min_size=1, max_size=9).map(" ".join)
families = st.lists(st.sampled_from(["LeCun", "van Stralen", "Stralen", "Fernández-Altuna",
                                     "Michie", "O'Neil"]), min_size=0, max_size=3)
id_values = st.fixed_dictionaries({
    "doi": st.sampled_from([None, "10.1/a", "10.1/b", "10.48550/arxiv.1810.04805"]),
    "pmid": st.sampled_from([None, "1", "2"]),
    "pmcid": st.sampled_from([None, "PMC1", "PMC2"]),
    "arxiv": st.sampled_from([None, "1810.04805", "2101.00001"]),
}).filter(lambda ids: not (ids["doi"] or "").startswith("10.48550/")
          or ids["arxiv"] in (None, "1810.04805"))  # a record's own ids agree
records = st.builds(
    lambda t, f, y, k, ids: rec(t, tuple(f), y, k, **ids),
    titles, families, st.sampled_from([None, 2014, 2015, 2016, 2018]),
    st.sampled_from(["journalArticle", "preprint", "book", "bookSection", "conferencePaper", ""]),
    id_values,
)


@settings(max_examples=400, deadline=None)
@given(records, records)
def test_matching_is_symmetric(a: Record, b: Record) -> None:
    assert verdict(a, b) == verdict(b, a)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_normalisation_is_idempotent_and_the_fast_path_agrees(text: str) -> None:
    once = title_key(text)
    assert title_key(once) == once
    if not text.lstrip().startswith("["):
        assert once == normalize_title(text)
    for key in name_keys(text):
        assert key in name_keys(key)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_the_ascii_fast_path_equals_normalize_title(text: str) -> None:
    if not text.lstrip().startswith("["):
        assert title_key(text) == normalize_title(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(records, min_size=1, max_size=8), st.booleans())
def test_records_with_conflicting_identifiers_never_merge(items: list[Record], merge: bool) -> None:
    for group in find_duplicates(items, Settings(merge_preprints=merge)):
        for kind in ("doi", "pmid", "pmcid", "arxiv"):
            values = {getattr(items[i].ids, kind) for i in group.members} - {None}
            if kind == "doi":
                values = {v for v in values if not v.startswith("10.48550/")}
            assert len(values) <= 1, (kind, values)
