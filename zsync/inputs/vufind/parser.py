"""VuFind catalogue records copied as text: the full-record page, the raw Solr fields of the
staff view and the MARC staff view, in English, Spanish, German, French, Portuguese,
Italian and Dutch.

Each record's parts are read separately (`vufind_display`, `vufind_solr`, `vufind_marc`)
and merged, the most structured source winning: Solr fields, then MARC, then the page.
VuFind records carry no user tags and no reading status.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from zsync.inputs.builder import RecordBuilder
from zsync.inputs.vufind.display import display_harvest, read_display
from zsync.inputs.vufind.fields import KNOWN_FIELDS
from zsync.inputs.vufind.harvest import Harvest, merge, unique_creators
from zsync.inputs.vufind.labels import FIELD_LABELS, VUFIND_SPECIFIC, is_boilerplate, is_loading
from zsync.inputs.vufind.marc import marc_harvest, marc_tag
from zsync.inputs.vufind.solr import solr_harvest
from zsync.inputs.vufind.spelling import is_article_type
from zsync.inputs.vufind.split import Chunk, split_records
from zsync.inputs.vufind.values import words
from zsync.model.records import Origin, Record

FORMAT = "vufind"

_SNIFF_CHARS = 30_000
_SNIFF_LINES = 400
# First lines of YAML front matter, Markdown, Org, BibTeX, RIS, MEDLINE, JSON and XML.
_NOT_VUFIND = tuple(
    p.replace("_", " ") for p in words("--- # @ TY__- PMID- :PROPERTIES: { [ < -_ *_ ``` % + <?xml")
)
# Fields (nearly) every VuFind Solr document prints.
_SOLR_CORE = frozenset(
    words(
        "_version_ id title author format recordtype record_format creator recordid publishDate "
        "title_full author_facet spelling institution collection fullrecord container_title "
        "title_short ispartof url"
    )
)


def sniff(text: str) -> bool:
    """A VuFind page, Solr dump or MARC staff view; never Markdown, BibTeX, RIS, MEDLINE."""
    head = text[:_SNIFF_CHARS].lstrip("\ufeff")
    if not unicodedata.is_normalized("NFC", head):
        head = unicodedata.normalize("NFC", head)
    lines = head.splitlines()[:_SNIFF_LINES]
    first = next((line.strip() for line in lines if line.strip()), "")
    if not first or first.startswith(_NOT_VUFIND):
        return False
    if is_loading(first):
        return True
    labels, specific, solr = set(), set(), set()
    headings = marc = 0
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        idx = line.find(":")
        key = (line[:idx] if 0 < idx <= 40 else line if len(line) <= 40 else "").strip()
        key = key.casefold()
        if key in FIELD_LABELS:
            labels.add(FIELD_LABELS[key])
            if key in VUFIND_SPECIFIC:
                specific.add(key)
        elif len(line) <= 60 and is_boilerplate(line):
            headings += 1
        parts = line.split(None, 1)
        if len(parts) == 2 and parts[0] in KNOWN_FIELDS:
            solr.add(parts[0])
        elif line[:3].isdigit() and marc_tag(line, False):
            marc += 1
    if marc >= 3 or (len(solr) >= 4 and len(solr & _SOLR_CORE) >= 2):
        return True
    return (headings >= 1 and len(labels) >= 2) or (len(specific) >= 2 and len(labels) >= 3)


def parse(text: str, path: str) -> list[Record]:
    """Every record in the text, in order."""
    records: list[Record] = []
    for chunk in split_records(text):
        harvest = _harvest(chunk)
        if harvest is None:
            continue
        origin = Origin(path, chunk.start, chunk.end, FORMAT, len(records) + 1)
        records.append(_build(harvest, origin))
    return records


def _harvest(chunk: Chunk) -> Harvest | None:
    page = read_display(chunk.display, chunk.header)
    if not (chunk.solr or chunk.marc or page.has_labels):
        return None  # stray text, not a record
    solr, marc = solr_harvest(chunk.solr), marc_harvest(chunk.marc)
    display = display_harvest(page, with_creators=not (solr.creators or marc.creators))
    harvest = merge([solr, marc, display])
    return None if harvest.is_empty() else harvest


def subjects(values: list[str], record: Record) -> tuple[str, ...]:
    """The record's subjects, without the article type ("Research Article", "Essay") that
    catalogues harvesting PubMed Central show among them."""
    from_pmc = bool(record.ids.pmcid) or any("/pmc/" in url for url in record.urls)
    return tuple(v for v in values if not (from_pmc and is_article_type(v)))


def _build(harvest: Harvest, origin: Origin) -> Record:
    builder = RecordBuilder(origin)
    for key, values in harvest.values.items():
        if key != "keywords":
            builder.extend(key, values)
    record = builder.build()
    return replace(
        record,
        creators=tuple(unique_creators(harvest.creators)),
        item_type=harvest.item_type,
        keywords=subjects(harvest.values.get("keywords", []), record),
        tags=(),
        status=None,
    )
