"""Whether two works are one: the duplicate rules, each verdict with its rule and evidence.

Zotero's own rules (zotero/zotero, chrome/content/zotero/xpcom/duplicates.js):

* books with the same ISBN (cleaned) are duplicates; only items of type book;
* items whose `DOI` field holds the same value (trimmed, upper-cased, starting "10.") are
  duplicates, whatever else differs;
* otherwise the titles, with diacritics removed, ASCII punctuation turned into spaces and
  lower-cased, must be equal; then the pair is refused if both have DOIs that differ, or
  both have ISBNs that differ, or both have years more than one apart; it is accepted if
  neither has creators, refused if only one has, and else needs one creator with the same
  last name and the same first initial. Unions are transitive (a disjoint-set forest).

Misses fixed here (several reported on the Zotero forums and issue tracker):

1. Identifiers only in the `DOI` field: a DOI kept in `extra` or pasted into `url` (types
   without a DOI field, older preprints) is not seen. Here identifiers are read wherever
   they are (`library.item_identifiers`), and PMID, PMCID and arXiv id count too.
2. Titles must be exactly equal after normalisation: one typo, HTML markup (`<i>`), an
   entity (`&amp;`), non-ASCII punctuation (¿ ‘ ’ – —) or a `RETRACTED:` prefix keeps two
   copies apart. Here titles are normalised by `text.normalize_title` and compared by
   similarity (`MIN_SIMILARITY`), with a dropped subtitle tolerated for long main titles.
3. A first initial must agree: a record with family names only ("LeCun et al.") never
   matches; particles and compound names ("van Stralen" / "Stralen", "Fernández-Altuna" /
   "Fernández Altuna") fail. Here one family name key in common suffices.
4. Item types are not compared: a book and a journal article called "Deep learning" by
   overlapping authors a year apart, or a paper and its blog post, are reported as
   duplicates (Zotero then refuses to merge different types). Here `compatible_types`
   decides: one type; journal, magazine, newspaper article and conference paper;
   conference paper, book section, encyclopedia and dictionary entry; report and
   manuscript; thesis and manuscript; web page, blog and forum post (see `_GROUPS`); an
   untyped record or a `document` fits any. A book fits only a book (not its chapters).
5. Transitivity through a third item: A (DOI 1) and C (DOI 2) are joined through B (no
   DOI). Here a union is refused when the two clusters hold different identifiers of one
   kind (see `clusters.Clusters`).
6. Series and notices: "... Part 1" and "... Part 2" by the same authors in one year, or a
   "Correction:" / "Retraction notice:" and the article it concerns, are not the same work.
   Here differing title numbers or a notice on one side only veto the match.
7. A preprint and its published version (arXiv id vs journal DOI, or no identifiers) are
   merged when the preprint carries no DOI. Here they are RELATED, merged only when
   `Settings.merge_preprints` says so; two version-of-record DOIs never merge.
8. Same DOI with unrelated titles (Zotero issue #2926): the user's "not duplicates" pairs
   (`Settings.not_duplicates`) keep any pair apart, exact identifier or not.

Deliberate differences: two items without creators never match on title alone (Zotero
matches them); a short title (four words or fewer) must be equal after normalisation and
both years known; a preprint may precede its published version by `PREPRINT_YEARS`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from zsync.dedupe.signature import EXCLUSIVE_KINDS, Sig

DUPLICATE = "duplicate"
RELATED = "related"
RULE_EXACT = "same {kind}"
RULE_FUZZY = "title, year and creator"
RULE_PREPRINT = "preprint and published version"

MIN_SIMILARITY = 92.0  # as titlematch: typos and punctuation above, different works below
SHORT_TITLE_WORDS = 4  # short titles need an exact title and both years
MIN_MAIN_TITLE_WORDS = 6  # a main title without its subtitle names a work only this long
PREPRINT_YEARS = 3  # a preprint may precede its published version by this many years

_GROUPS: tuple[frozenset[str], ...] = tuple(frozenset(g.split()) for g in (
    "journalArticle magazineArticle newspaperArticle conferencePaper",
    "conferencePaper bookSection encyclopediaArticle dictionaryEntry",
    "report manuscript",
    "thesis manuscript",
    "webpage blogPost forumPost",
    "videoRecording film tvBroadcast",
    "audioRecording podcast radioBroadcast",
    "statute bill",
    "standard report",
))
# A preprint's published version may be any of these.
_PUBLISHED = frozenset(
    "journalArticle conferencePaper bookSection report manuscript thesis magazineArticle "
    "document".split()
)
_UNTYPED = frozenset({"", "document"})


@dataclass(frozen=True)
class Settings:
    """merge_preprints: treat a preprint and its published version as one work.
    not_duplicates: pairs of identities (record identity or item key) kept apart."""

    merge_preprints: bool = False
    not_duplicates: frozenset[frozenset[str]] = field(default_factory=frozenset)

    @classmethod
    def of(cls, merge_preprints: bool = False,
           not_duplicates: Iterable[Collection[str]] = ()) -> Settings:
        return cls(merge_preprints, frozenset(frozenset(p) for p in not_duplicates))

    def apart(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self.not_duplicates


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: str  # DUPLICATE or RELATED
    rule: str
    evidence: str
    score: float


def compatible_types(a: str, b: str) -> bool:
    """Whether items of types `a` and `b` can be one work (preprints aside)."""
    if a == b or a in _UNTYPED or b in _UNTYPED:
        return True
    return any(a in group and b in group for group in _GROUPS)


def conflicting(a: frozenset[str], b: frozenset[str]) -> str | None:
    """The identifier kind on which two sets of `kind:value` strings disagree, if any."""
    if not a or not b or a & b == a | b:
        return None
    kinds_a = {i.split(":", 1)[0] for i in a}
    for kind in EXCLUSIVE_KINDS:
        if kind not in kinds_a:
            continue
        prefix = kind + ":"
        other = {i for i in b if i.startswith(prefix)}
        if other and not other & a:
            return kind
    return None


@cache
def _fuzz() -> Any:
    """rapidfuzz's scorers, loaded when two titles are first compared."""
    from rapidfuzz import fuzz

    return fuzz


def title_score(a: Sig, b: Sig) -> float:
    """0-100, symmetric: edit similarity of the normalised titles, word order aside, or of a
    long main title against the other title."""
    if not a.title or not b.title:
        return 0.0
    if a.title == b.title:
        return 100.0
    cutoff = MIN_SIMILARITY - 4.0
    fuzz = _fuzz()
    scores = [fuzz.ratio(a.title, b.title, score_cutoff=cutoff),
              fuzz.token_sort_ratio(a.title, b.title, score_cutoff=cutoff) - 2.0]
    for main, other in ((a.main, b.title), (b.main, a.title)):
        if main and len(main.split()) >= MIN_MAIN_TITLE_WORDS:
            scores.append(fuzz.ratio(main, other, score_cutoff=cutoff) - 4.0)
    return float(max(scores))


def shared_creator(a: Sig, b: Sig) -> str | None:
    """A family name both works list, in display form, or None. Symmetric: the earliest
    listed shared name, spelled as the alphabetically first of its two spellings."""
    common = a.families & b.families
    if not common:
        return None
    best: tuple[int, str, str] | None = None
    for sig in (a, b):
        for position, (key, name) in enumerate(zip(sig.lead, sig.names, strict=True)):
            if key in common and (best is None or (position, key, name) < best):
                best = (position, key, name)
    return best[2] if best else sorted(common)[0]


def _pair_kind(a: Sig, b: Sig) -> str | None:
    if a.preprint != b.preprint:
        other = b if a.preprint else a
        return RELATED if other.item_type in _PUBLISHED or not other.item_type else None
    return DUPLICATE if compatible_types(a.item_type, b.item_type) else None


def _years(a: Sig, b: Sig, kind: str) -> tuple[bool, str]:
    low, high = sorted((a.year or 0, b.year or 0))
    shown = f"year {low or '?'}/{high or '?'}"
    if a.year is None or b.year is None:
        return True, shown
    if kind == RELATED:
        pre, pub = (a, b) if a.preprint else (b, a)
        return -1 <= (pub.year or 0) - (pre.year or 0) <= PREPRINT_YEARS, shown
    return abs(a.year - b.year) <= 1, shown


def judge(a: Sig, b: Sig) -> Verdict | None:
    """Whether `a` and `b` are one work (DUPLICATE), versions of one (RELATED), or neither
    (None). Symmetric: judge(a, b) and judge(b, a) agree."""
    shared = sorted(a.ids & b.ids)
    if not shared and a.year and b.year and abs(a.year - b.year) > PREPRINT_YEARS:
        return None  # no title rule accepts years this far apart: the cheap test first
    if conflicting(a.ids, b.ids):
        return None
    if shared:
        label, value = shared[0].split(":", 1)
        evidence = f"{_label(label, value)} {value.split(':', 1)[-1]}"
        if a.preprint != b.preprint:
            return Verdict(RELATED, RULE_PREPRINT, evidence, 100.0)
        return Verdict(DUPLICATE, RULE_EXACT.format(kind=_label(label, value)),
                       value.split(":", 1)[-1], 100.0)
    kind = _pair_kind(a, b)
    if kind is None or a.notice != b.notice:
        return None
    return _fuzzy(a, b, kind)


def _label(kind: str, value: str) -> str:
    if kind == "pre":
        return "arXiv id" if value.startswith("arxiv:") else "preprint DOI"
    return kind.upper()


def _fuzzy(a: Sig, b: Sig, kind: str) -> Verdict | None:
    if a.numbers != b.numbers:
        return None
    score = title_score(a, b)
    short = min(a.title.count(" "), b.title.count(" ")) < SHORT_TITLE_WORDS
    if score < MIN_SIMILARITY or (short and score < 100.0):
        return None
    years_ok, years = _years(a, b, kind)
    if not years_ok or (short and (a.year is None or b.year is None)):
        return None
    creator = shared_creator(a, b)
    if creator is None:
        return None
    rule = RULE_PREPRINT if kind == RELATED else RULE_FUZZY
    evidence = f"title {score:.0f}% + {years} + author {creator}"
    return Verdict(kind, rule, evidence, score)
