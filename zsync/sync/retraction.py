"""Retraction watch: the tag and the one child note an item gets when its work was retracted,
corrected or given an expression of concern.

Pure. The notices come from Crossref `updated-by` and PubMed (`model.notices`) through
enrichment. Each watched kind has a tag (`Retracted`, `Corrected`, `Expression of concern`)
and a slug; the note carries the slugs of what it reports in its marker class
(`zsync-notice zsync-notice-retracted`) and in its footer line, so a later run (or
`sync`) sees the note is there and adds nothing, also after the user edited it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from zsync.model.records import UpdateNotice
from zsync.zotero.library import LibraryView

MARKER = "zsync-notice"
FOOTER = "zsync retraction watch:"

# Notice kind -> (tag, slug, what the note calls it). Withdrawals are retractions in effect.
_WATCHED: dict[str, tuple[str, str, str]] = {
    "retraction": ("Retracted", "retracted", "Retraction"),
    "withdrawal": ("Retracted", "retracted", "Withdrawal"),
    "correction": ("Corrected", "corrected", "Correction"),
    "expression_of_concern": ("Expression of concern", "expression-of-concern",
                              "Expression of concern"),
}
_SLUG_OF_TAG = {tag: slug for tag, slug, _ in _WATCHED.values()}
_MARKER_CLASS = re.compile(r'class="[^"]*\b' + MARKER + r'\b([^"]*)"')
_SLUG_CLASS = re.compile(MARKER + r"-([a-z-]+)")
_FOOTER_TEXT = re.compile(re.escape(FOOTER) + r"\s*([^<]+)")


def watched(notices: Iterable[UpdateNotice]) -> tuple[UpdateNotice, ...]:
    """The notices retraction watch acts on (not addenda or other updates)."""
    return tuple(n for n in notices if n.kind in _WATCHED)


def _join(a: str | None, b: str | None) -> str | None:
    if not a or not b or a == b:
        return a or b
    return f"{a}, {b}"


def _says_more(notice: UpdateNotice) -> bool:
    """Whether the notice's label says more than its kind (a citation, not "Retraction")."""
    label = (notice.label or "").strip().lower()
    return bool(label) and label not in (notice.kind, _WATCHED[notice.kind][2].lower())


def combined(notices: Iterable[UpdateNotice]) -> tuple[UpdateNotice, ...]:
    """Watched notices, one per notice: Crossref's and PubMed's entries for the same notice
    DOI become one (date, PMID and sources together); an entry naming no notice at all
    (PubMed's "Retracted Publication" type) is dropped when another one says more."""
    merged: list[UpdateNotice] = []
    for n in watched(notices):
        same = next((i for i, m in enumerate(merged) if m.kind == n.kind and (
            (n.doi and m.doi == n.doi) or (n.pmid and m.pmid == n.pmid))), None)
        if same is None:
            merged.append(n)
            continue
        m = merged[same]
        label = m.label if _says_more(m) else n.label or m.label
        merged[same] = UpdateNotice(m.kind, m.doi or n.doi, m.pmid or n.pmid, label,
                                    m.date or n.date, _join(m.source, n.source))
    named = {m.kind for m in merged if m.doi or m.pmid}
    return tuple(m for m in merged if m.doi or m.pmid or m.kind not in named)


def tags_for(notices: Iterable[UpdateNotice]) -> tuple[str, ...]:
    """The tags the item should carry, in a stable order, each once."""
    return tuple(dict.fromkeys(_WATCHED[n.kind][0] for n in watched(notices)))


def slugs_for(notices: Iterable[UpdateNotice]) -> frozenset[str]:
    return frozenset(_WATCHED[n.kind][1] for n in watched(notices))


def _where(notice: UpdateNotice) -> list[str]:
    parts = []
    if notice.doi:
        doi = html.escape(notice.doi)
        parts.append(f'<a href="https://doi.org/{doi}">doi:{doi}</a>')
    if notice.pmid:
        pmid = html.escape(notice.pmid)
        parts.append(f'<a href="https://pubmed.ncbi.nlm.nih.gov/{pmid}/">PMID {pmid}</a>')
    return parts


def _line(notice: UpdateNotice) -> str:
    what = _WATCHED[notice.kind][2]
    bits = [f"<strong>{what}</strong>"]
    if notice.date:
        bits.append(f"of {html.escape(notice.date)}")
    where = _where(notice)
    if where:
        bits.append("— notice " + ", ".join(where))
    if notice.label and _says_more(notice):
        bits.append(f"({html.escape(notice.label)})")
    if notice.source:
        bits.append(f"[source: {html.escape(notice.source)}]")
    return "<li>" + " ".join(bits) + "</li>"


def note_html(notices: Sequence[UpdateNotice]) -> str | None:
    """The child note for the watched notices (None when there are none)."""
    found = combined(notices)
    if not found:
        return None
    tags = tags_for(found)
    slugs = sorted(slugs_for(found))
    classes = " ".join([MARKER, *(f"{MARKER}-{s}" for s in slugs)])
    heading = html.escape(" / ".join(tags))
    items = "".join(_line(n) for n in found)
    return (
        f'<div class="{classes}"><h2>{heading}: this work has a published notice</h2>'
        f"<ul>{items}</ul>"
        "<p>Check the notice before citing or relying on this work.</p>"
        f"<p><em>{FOOTER} {html.escape(', '.join(tags))}</em></p></div>"
    )


def noted_slugs(note: str | None) -> frozenset[str]:
    """The notice kinds (slugs) a note says it reports; empty for any other note."""
    text = note or ""
    marker = _MARKER_CLASS.search(text)
    if marker:
        return frozenset(_SLUG_CLASS.findall(marker.group(0)))
    footer = _FOOTER_TEXT.search(text)
    if footer:
        tags = (t.strip() for t in html.unescape(footer.group(1)).split(","))
        return frozenset(_SLUG_OF_TAG[t] for t in tags if t in _SLUG_OF_TAG)
    return frozenset()


def is_notice_note(note: str | None) -> bool:
    return bool(noted_slugs(note))


def noted_on(parent: str, library: LibraryView, written: Iterable[str] = ()) -> frozenset[str]:
    """Kinds already noted on `parent`: by notes zsync wrote there (`written`, from the
    state store, even if the user deleted them since) and by marked child notes in the
    library, trashed ones included (a note the user trashed is not added again)."""
    noted = set(written)
    for child in library.children(parent, trashed=True):
        noted |= noted_slugs(str(child.data.get("note", "")))
    return frozenset(noted)


def missing(wanted_note: str | None, noted: Iterable[str]) -> frozenset[str]:
    """Slugs `wanted_note` reports that no earlier note did."""
    return noted_slugs(wanted_note) - frozenset(noted)


def summary(notices: Iterable[UpdateNotice]) -> str:
    """One line for the run report: kind, notice id and date of each watched notice."""
    parts = []
    for n in combined(notices):
        where = f"doi:{n.doi}" if n.doi else f"PMID {n.pmid}" if n.pmid else n.label or ""
        parts.append(" ".join(p for p in (n.kind.replace("_", " "), where, n.date or "") if p))
    return "; ".join(dict.fromkeys(parts))
