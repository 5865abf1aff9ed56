"""Decide whether a title search result is the work a note describes.

A search engine's score ranks candidates within one answer but means nothing across
queries, so zsync validates the candidates itself, as Crossref's own reference matcher
does: the title must be nearly the same, the years within one of each other (online-first
versus issue year), and the first author's family name must agree when both are known.
When two candidates pass and neither is clearly better, nothing is accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from zsync.model.records import Record
from zsync.model.text import normalize_name, normalize_title

# Set on real cases (tests/enrich/test_titlematch.py): subtitles dropped or added, British
# versus American spelling and PubMed's trailing period stay above; different works that
# share most words ("... a systematic review" versus "... a systematic review of reviews")
# fall below.
MIN_TITLE_SIMILARITY = 92.0
# Short titles ("Deep learning") are matched only with an agreeing author and year.
SHORT_TITLE_WORDS = 4
AMBIGUITY_MARGIN = 3.0
# A main title without its subtitle identifies a work only when it has this many words.
MIN_MAIN_TITLE_WORDS = 6


@dataclass(frozen=True, slots=True)
class Verdict:
    candidate: Record | None
    accepted: bool
    title_similarity: float
    reason: str
    score: float | None = None


@cache
def _fuzz() -> Any:
    """rapidfuzz's scorers, loaded when two titles are first compared."""
    from rapidfuzz import fuzz

    return fuzz


def title_similarity(a: str | None, b: str | None) -> float:
    """0-100; punctuation, case and accents do not count, nor a subtitle that one side
    leaves out (when the main title is long enough to name the work on its own)."""
    na, nb = normalize_title(a), normalize_title(b)
    if not na or not nb:
        return 0.0
    fuzz = _fuzz()
    scores = [fuzz.ratio(na, nb), fuzz.token_sort_ratio(na, nb) - 2.0]
    for full, main, other in ((na, _main_title(a or ""), nb), (nb, _main_title(b or ""), na)):
        if main != full and len(main.split()) >= MIN_MAIN_TITLE_WORDS:
            scores.append(fuzz.ratio(main, other) - 4.0)
    return float(max(scores))


def _main_title(title: str) -> str:
    """The title before its subtitle (":", " - ", ". "), normalised."""
    return normalize_title(re.split(r":|\s[-–—]\s|\.\s", title, maxsplit=1)[0])


def _years_agree(note: Record, candidate: Record) -> bool | None:
    if note.year is None or candidate.year is None:
        return None
    return abs(note.year - candidate.year) <= 1


def _authors_agree(note: Record, candidate: Record) -> bool | None:
    mine, theirs = note.first_author, candidate.first_author
    if mine is None or theirs is None:
        return None
    a, b = normalize_name(mine.sort_name), normalize_name(theirs.sort_name)
    if not a or not b:
        return None
    families = {normalize_name(c.sort_name) for c in candidate.creators}
    return a == b or a in families or (len(a) > 3 and (a in b or b in a))


def judge(note: Record, candidate: Record, score: float | None = None) -> Verdict:
    """Whether `candidate` is the note's work, with the reason in words."""
    similarity = title_similarity(note.title, candidate.title)
    if similarity < MIN_TITLE_SIMILARITY:
        return Verdict(candidate, False, similarity, f"title differs ({similarity:.0f}%)", score)
    years, authors = _years_agree(note, candidate), _authors_agree(note, candidate)
    if years is False:
        return Verdict(candidate, False, similarity, f"year {candidate.year} vs {note.year}", score)
    if authors is False:
        return Verdict(candidate, False, similarity, "first author differs", score)
    short = len(normalize_title(note.title).split()) <= SHORT_TITLE_WORDS
    if short and not (years and authors):
        return Verdict(candidate, False, similarity, "short title needs author and year", score)
    if years is None and authors is None:
        return Verdict(candidate, False, similarity, "no author or year to confirm", score)
    return Verdict(candidate, True, similarity, "title, author and year agree", score)


def best_match(note: Record, candidates: list[tuple[Record, float | None]]) -> Verdict:
    """The one acceptable candidate, or the best rejected one with the reason."""
    verdicts = [judge(note, record, score) for record, score in candidates]
    accepted = sorted(
        (v for v in verdicts if v.accepted), key=lambda v: v.title_similarity, reverse=True
    )
    if len(accepted) >= 2 and _same_work_twice(accepted[0], accepted[1]) is False:
        top, second = accepted[0], accepted[1]
        if top.title_similarity - second.title_similarity < AMBIGUITY_MARGIN:
            reason = "ambiguous: two works match"
            return Verdict(top.candidate, False, top.title_similarity, reason, top.score)
    if accepted:
        return accepted[0]
    if not verdicts:
        return Verdict(None, False, 0.0, "no candidates")
    return max(verdicts, key=lambda v: v.title_similarity)


def _same_work_twice(a: Verdict, b: Verdict) -> bool:
    """Two hits for one work (e.g. the same DOI) are not an ambiguity."""
    if a.candidate is None or b.candidate is None:
        return False
    doi_a, doi_b = a.candidate.ids.doi, b.candidate.ids.doi
    return bool(doi_a and doi_a == doi_b)
