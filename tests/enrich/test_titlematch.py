"""Title-only matching on real cases: what must match, and look-alikes that must not."""

from __future__ import annotations

import pytest

from zsync.enrich.titlematch import best_match, judge
from zsync.model.records import Creator, Identifiers, Origin, PartialDate, Record
from zsync.model.text import normalize_title


def rec(title: str, family: str | None, year: int | None, doi: str | None = None) -> Record:
    return Record(
        origin=Origin("x"),
        ids=Identifiers(doi=doi),
        title=title,
        creators=(Creator(family, "A"),) if family else (),
        date=PartialDate(str(year), year) if year else None,
    )


SAME_WORK = [
    # PubMed's trailing period and sentence case against the publisher's Title Case
    ("Why most published research findings are false.", "Ioannidis", 2005,
     "Why Most Published Research Findings Are False", "Ioannidis", 2005),
    # online-first year against issue year
    ("Encontrar sin perderse: ¿se ha frustrado al buscar la información médica que necesita?",
     "Fernández-Altuna", 2015,
     "Encontrar sin perderse: ¿se ha frustrado al buscar la informacion medica que necesita?",
     "Fernández-Altuna", 2016),
    # RETRACTED: prefix added by the publisher after retraction
    ("Cardiovascular Disease, Drug Therapy, and Mortality in Covid-19", "Mehra", 2020,
     "RETRACTED: Cardiovascular Disease, Drug Therapy, and Mortality in Covid-19", "Mehra", 2020),
    # a short title confirmed by author and year
    ("Deep learning", "LeCun", 2015, "Deep learning", "LeCun", 2015),
    # HTML markup in the Crossref title
    ("Clarifying the concept of adherence to eHealth technology", "Sieverink", 2017,
     "Clarifying the Concept of Adherence to <i>eHealth</i> Technology", "Sieverink", 2017),
    # the note leaves the subtitle out
    ("Clarifying the concept of adherence to eHealth technology", "Sieverink", 2017,
     "Clarifying the Concept of Adherence to eHealth Technology: Systematic Review on When "
     "Usage Becomes Adherence", "Sieverink", 2017),
]

DIFFERENT_WORKS = [
    # same theme, different work by the same first author
    ("The behaviour change wheel: A new method for characterising and designing behaviour change interventions",
     "Michie", 2011, "The Behaviour Change Wheel: A Guide to Designing Interventions", "Michie", 2014),
    # a review and the review of reviews that updates it
    ("Factors that influence the implementation of e-health: a systematic review of systematic reviews (an update)",
     "Ross", 2016,
     "Factors that promote or inhibit the implementation of e-health systems: an explanatory systematic review",
     "Mair", 2012),
    # a short main title shared by different works
    ("Deep learning: a review", "LeCun", 2015, "Deep learning: methods and applications", "LeCun", 2015),
    # a short title by another author
    ("Deep learning", "LeCun", 2015, "Deep learning", "Goodfellow", 2016),
    # same title, years far apart (a reprint or a namesake)
    ("Deep learning", "LeCun", 2015, "Deep learning", "LeCun", 2021),
]


@pytest.mark.parametrize(("t1", "a1", "y1", "t2", "a2", "y2"), SAME_WORK)
def test_the_same_work_is_accepted(t1: str, a1: str, y1: int, t2: str, a2: str, y2: int) -> None:
    verdict = judge(rec(t1, a1, y1), rec(t2, a2, y2))
    assert verdict.accepted, verdict.reason


@pytest.mark.parametrize(("t1", "a1", "y1", "t2", "a2", "y2"), DIFFERENT_WORKS)
def test_look_alikes_are_rejected(t1: str, a1: str, y1: int, t2: str, a2: str, y2: int) -> None:
    assert not judge(rec(t1, a1, y1), rec(t2, a2, y2)).accepted


def test_a_short_title_without_author_is_not_trusted() -> None:
    verdict = judge(rec("Deep learning", None, 2015), rec("Deep learning", "LeCun", 2015))
    assert not verdict.accepted
    assert "short title" in verdict.reason


def test_two_different_works_with_one_title_are_ambiguous() -> None:
    note = rec("BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", "Devlin", 2019)
    preprint = rec(note.title or "", "Devlin", 2018, doi="10.48550/arxiv.1810.04805")
    proceedings = rec(note.title or "", "Devlin", 2019, doi="10.18653/v1/n19-1423")
    verdict = best_match(note, [(proceedings, 40.0), (preprint, 38.0)])
    assert not verdict.accepted
    assert "ambiguous" in verdict.reason


def test_unmatched_reports_the_best_candidate_and_its_score() -> None:
    note = rec("Deep learning", "LeCun", 2015)
    verdict = best_match(note, [(rec("Deep learning for audio", "Smith", 2019), 12.5)])
    assert not verdict.accepted
    assert verdict.candidate is not None and verdict.score == 12.5


@pytest.mark.parametrize(
    "title",
    ["RETRACTED: A title.", "<i>Italic</i> &amp; more", "  Spaced   OUT  ", "Ünïcödé—dash"],
)
def test_title_normalisation_is_idempotent(title: str) -> None:
    once = normalize_title(title)
    assert normalize_title(once) == once
