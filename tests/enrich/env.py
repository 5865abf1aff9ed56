"""What the enrichment tests share: a small corpus both emulators hold, notes, an Enricher.

The corpus is picked from `tests/servers/generate.py` (series 23) so that each case is
present: works with and without a PMCID, a retracted one (Crossref `updated-by`
retraction-watch; PubMed "Retracted Publication" + RetractionIn), a corrected one; plus an
arXiv preprint registered with DataCite and one Crossref work that PubMed lacks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.servers.base import LocalServer
from tests.servers.crossref import arxiv_csl
from tests.servers.generate import SyntheticWork, crossref_work, generate, pubmed_article
from tests.support import Stack, config_for, make_stack
from zsync.enrich.enricher import Enricher
from zsync.model.records import Creator, Identifiers, Origin, PartialDate, Record

SEED = 23
_ALL = generate(120, seed=SEED)
WITH_PMC = [w for w in _ALL if w.pmcid and not (w.retraction or w.correction_doi)][:12]
NO_PMC = [w for w in _ALL if not w.pmcid and not (w.retraction or w.correction_doi)][:12]
RETRACTED = next(w for w in _ALL if w.retraction)
CORRECTED = next(w for w in _ALL if w.correction_doi)
CORPUS = [*WITH_PMC, *NO_PMC, RETRACTED, CORRECTED]
CROSSREF_ONLY: dict[str, Any] = {"DOI": "10.5555/crossref-only.0001", "type": "journal-article",
                 "title": ["A work that PubMed does not index"],
                 "author": [{"family": "Okafor", "given": "Ngozi", "sequence": "first"}],
                 "issued": {"date-parts": [[2021, 3]]}, "container-title": ["Grey Notes"]}
ARXIV_ID = "2101.00001"
ARXIV = arxiv_csl(ARXIV_ID, "Sparse attention for long bibliographies",
                  [("Ada", "Lovelace"), ("Alan", "Turing")], 2021)
CLOCK = "2026-01-02T03:04:05Z"


def load_corpus(crossref: LocalServer, pubmed: LocalServer) -> None:
    crossref.app.add_works([crossref_work(w) for w in CORPUS])
    crossref.app.add_work(CROSSREF_ONLY)
    crossref.app.add_datacite(ARXIV)
    pubmed.app.add_articles([pubmed_article(w) for w in CORPUS])


def note(n: int = 1, *, doi: str | None = None, pmid: str | None = None,
         pmcid: str | None = None, arxiv: str | None = None, title: str | None = None,
         author: str | None = None, year: int | None = None) -> Record:
    """A record as a parser would give it for a short note."""
    return Record(
        Origin(f"notes/note-{n}.md", line=1, format="markdown", position=1),
        Identifiers(doi=doi, pmid=pmid, pmcid=pmcid, arxiv=arxiv),
        title=title,
        creators=(Creator(family=author),) if author else (),
        date=PartialDate(str(year), year) if year else None,
    )


def by_title(work: SyntheticWork, n: int = 1, *, year: int | None = None,
             author: str | None = None) -> Record:
    return note(n, title=work.title, author=author or work.first_author.family,
                year=year or work.year)


def stack_for(tmp_path: Path, crossref: LocalServer | str | None,
              pubmed: LocalServer | str | None, **env: str) -> Stack:
    return make_stack(config_for(tmp_path, crossref=crossref, pubmed=pubmed, **env))


def enricher(stack: Stack) -> Enricher:
    return Enricher(stack.crossref(), stack.pubmed(), clock=lambda: CLOCK)


def requests_made(*servers: LocalServer) -> dict[str, int]:
    counts: dict[str, int] = {}
    for server in servers:
        counts.update(server.counts)
    return counts
