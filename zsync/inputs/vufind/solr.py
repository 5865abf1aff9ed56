"""Builder values from the raw Solr fields of a VuFind staff view.

Identifiers are read only from fields that hold the work's own identifiers (`doi*`,
`identifier`, `url`, `isbn`, `issn`, Primo `recordid`), never from the record `id`:
VuFind instances harvesting PubMed Central use `pubmed-<PMC number>` there, not a PMID.
"""

from __future__ import annotations

import re

from zsync.inputs.vufind.harvest import Harvest, organisation, person, unique_creators
from zsync.inputs.vufind.spelling import container_from_spelling
from zsync.inputs.vufind.values import (
    clean_title,
    item_type_from_formats,
    language_name,
    normalise_pages,
    role_of,
    split_citation,
    words,
)
from zsync.model.patterns import lazy
from zsync.model.records import AUTHOR, CONTRIBUTOR, Creator

# Single-valued fields: several lines there are one hard-wrapped value.
_JOINED = frozenset(
    words(
        "title title_full title_short title_sub description abstract container_title "
        "container_reference ispartof spelling jtitle btitle"
    )
)
_LABELLED_ID = lazy(r"^\s*(E?ISSN|E?ISBN|DOI|PMID|PMCID|PMC)\s*[:=]\s*(\S.*?)\s*$", re.I)
_PMC_RECORD = lazy(r"^cdi_pubmedcentral_\w*?_(\d{4,9})$")
_ID_KEYS = dict(
    pair.split("=")
    for pair in words(
        "issn=issn eissn=issn isbn=isbn eisbn=isbn doi=doi pmid=pmid pmcid=pmcid pmc=pmcid"
    )
)


def solr_fields(pairs: list[tuple[str, list[str]]]) -> dict[str, list[str]]:
    """Field name -> values (first occurrence of a name wins; wrapped text joined)."""
    out: dict[str, list[str]] = {}
    for name, values in pairs:
        if name in out:
            continue
        values = [v.strip() for v in values if v.strip()]
        out[name] = [" ".join(values)] if name in _JOINED and values else values
    return out


def solr_harvest(pairs: list[tuple[str, list[str]]]) -> Harvest:
    h = Harvest()
    f = solr_fields(pairs)
    if not f:
        return h
    _title(h, f)
    h.creators = _creators(f)
    _identifiers(h, f)
    _container(h, f)
    h.add("date", _first(f, "publishDate", "date", "creationdate", "risdate", "publishDateSort"))
    h.add("language", language_name(_first(f, "language", "lang3")))
    h.add("publisher", _first(f, "publisher", "pub"))
    h.add("place", _first(f, "cop"))
    h.add("series", (_first(f, "series") or "").rstrip(" ;,") or None)
    h.add("abstract", _first(f, "description", "abstract", "summary"))
    h.extend("keywords", f.get("topic") or f.get("topic_facet") or f.get("subject") or [])
    h.item_type = item_type_from_formats(f.get("format", []) + f.get("rsrctype", []))
    return h


def _first(f: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        if f.get(name):
            return f[name][0]
    return None


def _title(h: Harvest, f: dict[str, list[str]]) -> None:
    title = clean_title(_first(f, "title", "atitle"))
    title = title or clean_title(_first(f, "title_full"), cut_statement=True)
    if not title and f.get("title_short"):
        sub = clean_title(_first(f, "title_sub"))
        short = clean_title(_first(f, "title_short"))
        title = f"{short}: {sub}" if short and sub else short
    h.add("title", title)


def _creators(f: dict[str, list[str]]) -> list[Creator]:
    creators = _people(f, "author", "author_role", AUTHOR) or _people(f, "creator", "", AUTHOR)
    creators += [c for v in f.get("author_corporate", []) if (c := organisation(v))]
    creators += _people(f, "author2", "author2_role", AUTHOR)
    if not creators:
        creators = _people(f, "contributor", "", CONTRIBUTOR)
    return unique_creators(creators)


def _people(f: dict[str, list[str]], name: str, role_field: str, role: str) -> list[Creator]:
    names = [n for v in f.get(name, []) for n in (v.split(";") if ";" in v else [v])]
    roles = f.get(role_field, []) if role_field else []
    out = []
    for i, text in enumerate(names):
        stated = role_of(roles[i]) if len(roles) == len(names) else None
        creator = person(text, stated or role)
        if creator:
            out.append(creator)
    return out


def _identifiers(h: Harvest, f: dict[str, list[str]]) -> None:
    for name, values in f.items():
        lowered = name.lower()
        if lowered.startswith("doi"):
            h.extend("doi", values)
        elif lowered.startswith("pmcid") or lowered.startswith("pmc_"):
            h.extend("pmcid", values)
        elif lowered.startswith("pmid") or lowered.startswith("pubmed_id"):
            h.extend("pmid", values)
    for value in f.get("identifier", []):
        for part in re.split(r"\s*;\s*", value):
            match = _LABELLED_ID.match(part)
            if match:
                h.add(_ID_KEYS[match.group(1).lower()], match.group(2))
    for value in f.get("recordid", []):
        pmc = _PMC_RECORD.match(value.strip())
        if pmc:
            h.add("pmcid", f"PMC{pmc.group(1)}")
    h.extend("isbn", f.get("isbn", []) + f.get("eisbn", []))
    h.extend("issn", f.get("issn", []) + f.get("eissn", []))
    h.extend("url", [v.split()[0] for v in f.get("url", []) if v.split()])


def _container(h: Harvest, f: dict[str, list[str]]) -> None:
    reference = _first(f, "ispartof", "container_reference")
    citation = split_citation(reference) if reference else None
    h.add("container", _first(f, "container_title", "jtitle", "btitle"))
    h.add("volume", _first(f, "container_volume", "volume"))
    h.add("issue", _first(f, "container_issue", "issue"))
    start = _first(f, "container_start_page", "spage")
    end = _first(f, "container_end_page", "epage")
    h.add("pages", normalise_pages(f"{start}-{end}" if start and end else start))
    if citation:
        for key in ("container", "volume", "issue", "pages", "date"):
            value = getattr(citation, key)
            if value and not h.has(key):
                h.fallback.setdefault(key, []).append(value)
    if not h.has("container") and f.get("spelling"):
        guess = container_from_spelling(f, _raw_names(f))
        if guess:
            h.fallback.setdefault("container", []).append(guess)


def _raw_names(f: dict[str, list[str]]) -> list[str]:
    return f.get("author", []) + f.get("author2", []) + f.get("author_corporate", [])
