"""`zsync add`: works named by identifier, through the same steps as a note's.

Each identifier becomes a record, is enriched, folded with the others and matched against
the library exactly as `zsync sync` does, so a work already in the library is found, not
added twice. A DOI, PMID or PMCID no source knows is reported and not added (it is most
often mistyped). ISBNs have no source here, and an arXiv id may have none: such an item is
made from the identifier alone (a book with its ISBN; a preprint with its arXiv id and
link) and the report says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from zsync.config.settings import Config
from zsync.enrich.enricher import Enricher, utc_now
from zsync.enrich.merge import Enriched
from zsync.inputs.idlist import ORIGIN, Wanted, named, records_from
from zsync.model.records import InputProblem, Record
from zsync.sync.plan_file import file_in
from zsync.sync.run import PlanStep, SyncResult, sync_works, works_of
from zsync.zotero.api import make_api

NO_ISBN_SOURCE = ("no source here looks up ISBNs: the item was made from the ISBN alone; "
                  "add its title and authors in Zotero")
ARXIV_ALONE = "made from the arXiv id alone"


def _alone(record: Record) -> bool:
    """A record whose identifier no source here may know: kept even when none answered."""
    return bool(record.ids.isbn or record.ids.arxiv)


def resolved(
    records: Sequence[Record], enriched: Sequence[Enriched]
) -> tuple[list[Enriched], list[InputProblem]]:
    """The enriched records to add, and a problem naming each identifier no source knew."""
    kept: list[Enriched] = []
    problems: list[InputProblem] = []
    for record, result in zip(records, enriched, strict=True):
        if result.sources:
            kept.append(result)
        elif _alone(record):
            why = NO_ISBN_SOURCE if record.ids.isbn else ARXIV_ALONE
            kept.append(replace(result, not_enriched=(*result.not_enriched, why)))
        else:
            reasons = "; ".join(p.removeprefix("not enriched: ") for p in result.not_enriched
                                ) or "no source knows it"
            problems.append(InputProblem(
                ORIGIN, f"{named(record)} was not added: {reasons}", record.origin.line))
    return kept, problems


def add(
    config: Config,
    identifiers: Sequence[str],
    enricher: Enricher,
    *,
    dry_run: bool,
    wanted: Wanted | None = None,
    collection: str | None = None,
    api_factory: Callable[[Config], Any] = make_api,
) -> SyncResult:
    started = utc_now()
    records, problems = records_from(identifiers, wanted)
    kept, unresolved = resolved(records, enricher.enrich(records))
    then: PlanStep | None = None
    if collection:
        then = lambda planned, inputs: file_in(planned, inputs, collection)  # noqa: E731
    works, notes = works_of(config, kept)
    return sync_works(config, works, notes, [*problems, *unresolved], dry_run=dry_run,
                      api_factory=api_factory, started=started, then=then)

