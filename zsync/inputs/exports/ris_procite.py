"""ProCite's RIS: fields RIS has no tag for are written as labelled notes
(`N1  - Call Number: QA76 .S5`, `N1  - Author, Subsidiary: Jane Roe`).

Those notes are turned back into the tags a RIS reader maps (`CN`, `A3` ...) before the
record is read, as Zotero's RIS import does. In a record ProCite marks as its own
(`N1  - Record ID: 12`) its tag habits are undone too: a book's or chapter's `VL` holds its
edition, a book's `IS` its volume, a bill's `CY` its code.
"""

from __future__ import annotations

import re

from zsync.model.patterns import lazy

# Note label -> the tag it stands for; a dict when the tag depends on the item type.
_LABELS: dict[str, str | dict[str, str]] = {
    "call number": "CN",
    "edition": "ET",
    "isbn": "SN",
    "language": "LA",
    "publisher name": "PB",
    "place of publication": "CY",
    "page(s)": "SP",
    "volume id": "VL",
    "issue id": "IS",
    "issue identification": "IS",
    "history": "OP",
    "histroy": "OP",  # ProCite's own spelling
    "proceedings title": {"conferencePaper": "C3"},
    "scale": {"map": "C1"},
    "size": {"artwork": "C3"},
    "series title": {"book": "T2", "bookSection": "T3", "conferencePaper": "T3",
                     "journalArticle": "T3", "audioRecording": "T3", "report": "T2",
                     "map": "T2", "computerProgram": "T2"},
    "series volume id": {"book": "M1", "bookSection": "SV"},
}
_AUTHOR_LABELS = ("author, subsidiary", "author, monographic")
_AUTHOR_TAGS = ("A1", "A2", "A3")
_RECORD_LABELS = ("record id", "record number")
_LABELLED = lazy(r"^([A-Za-z(), ]+?)\s*:\s*(.*)$", re.DOTALL)
# ProCite's own tags for a type: (RIS type, tag written, tag meant)
_RETAGGED = (("CHAP", "VL", "ET"), ("BOOK", "VL", "ET"), ("BOOK", "IS", "VL"),
             ("COMP", "IS", "ET"), ("BILL", "CY", "T2"), ("BILL", "VL", "M1"),
             ("BILL", "SP", "SE"), ("ART", "M1", "M3"))


def from_procite(tags: dict[str, list[str]], ty: str, item_type: str) -> dict[str, list[str]]:
    """The record's tags with ProCite's labelled notes and tag habits undone; records that
    are not ProCite's (no labelled note ProCite writes) are returned as they are."""
    notes = tags.get("N1", [])
    labelled = [(m.group(1).strip().lower(), m.group(2).strip(), note)
                for note in notes if (m := _LABELLED.match(note.strip()))]
    if not any(label in _RECORD_LABELS or label in _LABELS or label in _AUTHOR_LABELS
               for label, _, _ in labelled):
        return tags
    marked = any(label in _RECORD_LABELS for label, _, _ in labelled)
    out = _retagged(tags, ty) if marked else dict(tags)  # tag habits: ProCite's records only
    moved = set()
    for label, value, note in labelled:
        tag = _tag_for(label, item_type, out)
        if tag and value and label in _AUTHOR_LABELS:
            out = _with_names(out, tag, _names(value))
            moved.add(note)
        elif tag and value:
            out[tag] = [*out.get(tag, []), value]
            moved.add(note)
        elif label in _RECORD_LABELS:
            moved.add(note)
    kept = [note for note in notes if note not in moved]
    if kept:
        out["N1"] = kept
    else:
        out.pop("N1", None)
    return out


def _retagged(tags: dict[str, list[str]], ty: str) -> dict[str, list[str]]:
    out = dict(tags)
    for record_type, written, meant in _RETAGGED:
        if ty == record_type and written in tags and written in out:
            values = out.pop(written)
            out[meant] = [*values, *out.get(meant, [])]
    return out


def _tag_for(label: str, item_type: str, tags: dict[str, list[str]]) -> str | None:
    if label in _AUTHOR_LABELS:  # the next author tag the record does not use yet
        if "A1" not in tags and "AU" not in tags:
            return "A1"
        return "A2" if "A2" not in tags else "A3"
    target = _LABELS.get(label)
    if isinstance(target, dict):
        return target.get(item_type)
    return target


def _with_names(tags: dict[str, list[str]], tag: str, names: list[str]) -> dict[str, list[str]]:
    """`names` first under `tag`, a new tag placed before the author tags that follow it
    (creators keep the order of their tags)."""
    if tag in tags:
        return {**tags, tag: [*names, *tags[tag]]}
    out: dict[str, list[str]] = {}
    for name, values in tags.items():
        if name in _AUTHOR_TAGS and name > tag and tag not in out:
            out[tag] = names
        out[name] = values
    out.setdefault(tag, names)
    return out


def _names(value: str) -> list[str]:
    """ProCite's `First Last; First Last` as RIS's `Last, First`."""
    names = []
    for name in (part.strip() for part in value.split(";")):
        if "," in name or " " not in name:
            names.append(name)
        else:
            given, family = name.rsplit(" ", 1)
            names.append(f"{family}, {given}")
    return [name for name in names if name]
