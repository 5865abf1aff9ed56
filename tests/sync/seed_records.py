"""Crossref and PubMed emulator records for the two seed notes in `seeds/`.

Neither the Crossref nor the PubMed fixtures hold a recording of the seeds' papers
(shared/fixtures/*/PROVENANCE.md), so the records are rendered with the emulators' own
generators (`tests/servers/generate.py`) from the seeds' metadata: title, authors,
journal, year, DOI, PMID, PMCID, keywords and abstract are what the seed files say.
Values the seeds do not give (ISSNs, volume/issue, article numbers, affiliations, MeSH
headings) are plausible stand-ins, not recorded data.

The Fredriksen paper gets a Crossref record only (its seed names no PMID), so its item has
no MeSH; the Hinder paper gets both, and its MeSH headings become automatic tags.
"""

from __future__ import annotations

from typing import Any

from tests.servers.generate import (
    Journal,
    Mesh,
    Person,
    SyntheticWork,
    crossref_work,
    pubmed_article,
)

FREDRIKSEN_DOI = "10.1186/s12913-021-06429-w"
HINDER_DOI = "10.1371/journal.pone.0255220"
HINDER_PMID = "34339429"
HINDER_PMCID = "PMC8328305"

FREDRIKSEN_TITLE = ("Digitalisation of municipal healthcare collaboration with volunteers: "
                    "a case study applying normalization process theory")
HINDER_TITLE = ("Promoting inter-organisational knowledge sharing: A qualitative evaluation "
                "of England’s Global Digital Exemplar and Fast Follower Programme")
FREDRIKSEN_KEYWORDS = ("Volunteers", "Coordination", "Collaboration", "Healthcare",
                       "Digital system", "Implementation")
HINDER_MESH = ("England", "Humans", "Information Dissemination", "Qualitative Research",
               "State Medicine")
FREDRIKSEN_AUTHORS = (("Fredriksen", "Erica"), ("Thygesen", "Elin"), ("Moe", "Carl E."),
                      ("Martinez", "Santiago"))
HINDER_AUTHORS = (
    ("Hinder", "Susan"), ("Cresswell", "Kathrin"), ("Sheikh", "Aziz"),
    ("Franklin", "Bryony Dean"), ("Krasuska", "Marta"), ("The Nguyen", "Hung"),
    ("Lane", "Wendy"), ("Mozaffar", "Hajar"), ("Mason", "Kathy"), ("Eason", "Sally"),
    ("Potts", "Henry W. W."), ("Williams", "Robin"),
)

_BMC = Journal("bmchsr", "BMC Health Services Research", "BMC Health Serv Res", None,
               "1472-6963", "Springer Science and Business Media LLC",
               "bmchealthservres.biomedcentral.com", "England", "101088677", True)
_PLOS = Journal("pone", "PLOS ONE", "PLoS One", None, "1932-6203",
                "Public Library of Science (PLoS)", "journals.plos.org", "United States",
                "101285081", True)

_FREDRIKSEN_ABSTRACT = [
    ("BACKGROUND", "Increasing use of volunteers in healthcare requires structured "
     "collaboration between healthcare services and volunteers. The aim of this research "
     "was to explore critical issues and strategies in the implementation process of a "
     "digital solution for collaboration with and coordination of volunteers in municipal "
     "healthcare services."),
    ("METHODS", "Qualitative data collection was used to study implementation of a digital "
     "system for collaboration with volunteers in three Norwegian municipalities."),
    ("RESULTS", "An inductive analysis resulted in eleven themes that were grouped based on "
     "the four constructs of the normalisation process theory (NPT), plus two themes that "
     "fall outside those constructs."),
    ("CONCLUSION", "Crucial aspects for implementation of the digital tool for collaboration "
     "with volunteers include having structure in place, establishing policies for "
     "involving volunteers, defining clear roles and expectations and involving management "
     "and key people to drive the implementation."),
]
_HINDER_ABSTRACT = [
    ("BACKGROUND", "The Global Digital Exemplar (GDE) Programme was designed to promote the "
     "digitisation of hospital services in England."),
    ("AIMS", "This paper explores how partnerships between GDE and FF sites have promoted "
     "knowledge sharing and learning between organisations."),
    ("METHODS", "We conducted an independent qualitative longitudinal evaluation of the GDE "
     "Programme, collecting data across 36 provider organisations."),
    ("RESULTS", "Formally established GDE and FF partnerships were perceived to enhance "
     "learning and accelerate adoption of technologies in most pairings."),
    ("CONCLUSIONS", "Inter-organisational partnerships have produced significant gains for "
     "both follower (FF) and exemplar (GDE) sites."),
]


def _people(names: tuple[tuple[str, str], ...], affiliation: str) -> list[Person]:
    return [Person(family, given, None, affiliation) for family, given in names]


def _work(**values: Any) -> SyntheticWork:
    base: dict[str, Any] = dict(
        index=0, seed=0, first_page=None, last_page=None, abstract_in_crossref=True,
        references=[], license_url="http://creativecommons.org/licenses/by/4.0/",
        cited_by=10,
    )
    return SyntheticWork(**{**base, **values})


FREDRIKSEN = _work(
    doi=FREDRIKSEN_DOI, title=FREDRIKSEN_TITLE, journal=_BMC,
    authors=_people(FREDRIKSEN_AUTHORS, "University of Agder, Kristiansand, Norway"),
    year=2021, month=5, day=24, online=(2021, 5, 24), volume="21", issue="1",
    article_number="492", abstract=_FREDRIKSEN_ABSTRACT, keywords=list(FREDRIKSEN_KEYWORDS),
    mesh=[], publication_types=[("D016428", "Journal Article")], pmid="", pmcid=None,
)
HINDER = _work(
    doi=HINDER_DOI, title=HINDER_TITLE, journal=_PLOS,
    authors=_people(HINDER_AUTHORS, "Usher Institute, The University of Edinburgh, "
                    "Edinburgh, United Kingdom"),
    year=2021, month=8, day=2, online=(2021, 8, 2), volume="16", issue="8",
    article_number="e0255220", abstract=_HINDER_ABSTRACT, abstract_in_crossref=False,
    keywords=[], mesh=[Mesh("D004738", "England"), Mesh("D006801", "Humans"),
                       Mesh("D007255", "Information Dissemination", major=True),
                       Mesh("D036301", "Qualitative Research"),
                       Mesh("D013227", "State Medicine", major=True)],
    publication_types=[("D016428", "Journal Article"),
                       ("D013485", "Research Support, Non-U.S. Gov't")],
    pmid=HINDER_PMID, pmcid=HINDER_PMCID,
)


def crossref_works() -> list[dict[str, Any]]:
    """Work messages for the Crossref emulator (`app.add_works`)."""
    return [crossref_work(FREDRIKSEN), crossref_work(HINDER)]


def pubmed_articles() -> list[str]:
    """<PubmedArticle> XML for the PubMed emulator (`app.add_article`)."""
    return [pubmed_article(HINDER)]
