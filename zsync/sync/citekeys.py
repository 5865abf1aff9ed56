"""Citation keys as an identity: the key an item holds, and which item a note's key names.

Zotero 7 keeps a citation key in the `citationKey` field; Better BibTeX kept it for years
as a `Citation Key: …` line in `extra`. A note's key names an item holding it unless their
identifiers show two different works: that is a clash, reported and never merged. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping

from zsync.zotero.library import LibraryItem, LibraryView, item_identifiers

ID_KINDS = ("doi", "pmid", "pmcid", "isbn", "arxiv")


def different_work(identifiers: Mapping[str, str], item: LibraryItem) -> str | None:
    """Why `item` is not the work with these identifiers (an identifier of one kind that
    disagrees), else None."""
    held = item_identifiers(item.data)
    for kind in ID_KINDS:
        ours = identifiers.get(kind)
        if ours and held[kind] and ours not in held[kind]:
            return f"{kind.upper()} {ours} there is {', '.join(sorted(held[kind]))}"
    return None


def _holders(identifiers: Mapping[str, str], library: LibraryView) -> list[LibraryItem]:
    keys = library.find("citekey", identifiers.get("citekey"))
    return sorted((library.items[k] for k in keys),
                  key=lambda i: str(i.data.get("dateAdded") or ""))


def same_key_item(
    identifiers: Mapping[str, str], library: LibraryView
) -> tuple[LibraryItem | None, str | None]:
    """The item holding the work's citation key, and how it was matched, when no identifier
    says it is another work."""
    for item in _holders(identifiers, library):
        if different_work(identifiers, item) is None:
            return item, f"citation key {identifiers['citekey']}"
    return None, None


def key_clashes(identifiers: Mapping[str, str], library: LibraryView,
                matched: str | None) -> list[str]:
    """A sentence for each other item holding the work's citation key as another work."""
    out = []
    for item in _holders(identifiers, library):
        why = different_work(identifiers, item) if item.key != matched else None
        if why:
            out.append(f"citation key {identifiers['citekey']} is also the key of item "
                       f"{item.key}, a different work ({why}); not merged: give one of "
                       "them another key")
    return out
