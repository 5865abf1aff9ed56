"""Score the Zotero items zsync would create from an export against the items Zotero's own
import translators made of it.

Only the differences named in docs/import-differences.md are allowed; each has a rule here
(`ALLOWED`), and a test checks that the two lists agree. Run as a script to print the figures
for ../shared/realworld: `python -m tests.inputs.zotero_score [-v]`.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from zsync.inputs import parse_text
from zsync.model.dates import parse_date
from zsync.model.identifiers import find_isbns, normalize_doi
from zsync.model.records import FileResult
from zsync.model.text import normalize_title
from zsync.sources.pubmed.parts import LANGUAGES
from zsync.zotero.schema import ZoteroSchema
from zsync.zotero.to_item import record_to_item

ROOT = Path(__file__).resolve().parents[2]
DIFFERENCES_DOC = ROOT / "docs" / "import-differences.md"
REALWORLD = ROOT.parent / "shared" / "realworld"

# Fields that say nothing about the work, or that Zotero fills from the run (not the file).
_UNSCORED = frozenset({"key", "version", "extra", "accessDate", "libraryCatalog", "collections",
                       "relations", "notes", "attachments", "seeAlso", "dateAdded",
                       "dateModified", "citationKey", "PMID", "PMCID", "itemID"})
_LANGUAGE_NAMES = {
    "english": "en", "german": "de", "deutsch": "de", "french": "fr", "français": "fr",
    "spanish": "es", "español": "es", "italian": "it", "portuguese": "pt", "dutch": "nl",
    "russian": "ru", "chinese": "zh", "japanese": "ja", "polish": "pl", "swedish": "sv",
    "ngerman": "de", "american": "en", "british": "en", "usenglish": "en", "ukenglish": "en",
    "korean": "ko", "czech": "cs", "danish": "da", "finnish": "fi", "norwegian": "no",
    "turkish": "tr", "hungarian": "hu", "greek": "el", "hebrew": "he", "arabic": "ar",
}


# --- the documented differences ------------------------------------------------------------


def _language(value: str) -> str:
    codes = []
    for part in re.split(r"[;,]\s*|\s+and\s+", value.strip().lower()):
        codes.append(_LANGUAGE_NAMES.get(part, LANGUAGES.get(part, part)))
    return ", ".join(code for code in codes if code)


def _initials(value: str) -> str:
    return re.sub(r"(?<=\.)\s+(?=\w\.?)|(?<=\b\w)\s+(?=\w\b)", "", value).replace(".", "")


def _date(value: str) -> str:
    parsed = parse_date(value)
    return parsed.iso() or value if parsed else value


ALLOWED: dict[str, str] = {
    "language-codes": "language compared as ISO 639-1 codes",
    "names-verbatim": "given names compared without the spaces and periods of initials",
    "pmid-fields": "PMID and PMCID fields not scored (Zotero's schema 29 lacks them)",
    "schema-fields": "fields only zsync fills are not counted against it",
    "more-records": "records only zsync reads are not counted against it",
    "iso-dates": "dates compared as the day they name",
    "mesh-tags": "MeSH tags compared by descriptor",
    "isbn-13": "ISBNs compared as ISBN-13",
    "arxiv-preprints": "an arXiv preprint's type and server not compared",
    "comma-listed-names": "creators not compared where Zotero made one of several names",
    "von-particles": "a name's words compared whichever part holds them",
    "ris-names-without-comma": "a RIS name without a comma compared as one string",
    "all-issns": "every ISSN Zotero kept must be among zsync's",
    "medline-titles": "titles compared without a final period, journal titles without case",
    "crossref-fields": "editors zsync took from a crossref'd entry not compared when Zotero has none",
    "doubled-backslashes": "a backslash Zotero leaves before an accented letter not compared",
    "yearless-dates": "a Zotero date `0000 words` agrees with a date holding those words",
}


def documented_differences() -> list[str]:
    """The names of the differences docs/import-differences.md documents."""
    text = DIFFERENCES_DOC.read_text(encoding="utf-8")
    return re.findall(r"^###\s+([a-z0-9-]+)\s*$", text, re.MULTILINE)


# --- comparing one item --------------------------------------------------------------------


def _text(value: object) -> str:
    text = unicodedata.normalize("NFC", str(value))
    text = _BACKSLASH_BEFORE_ACCENTED.sub("", text)  # doubled-backslashes
    return re.sub(r"\s+", " ", text).strip()


_BACKSLASH_BEFORE_ACCENTED = re.compile(r"\\(?=[^\x00-\x7f])")


def _field_key(schema: ZoteroSchema, name: str) -> str:
    """Type-specific fields compared by their base field (`bookTitle` -> `publicationTitle`)."""
    return schema.base_field(name) or name


def comparable(item: Mapping[str, Any], schema: ZoteroSchema) -> dict[str, str]:
    """An item's scored fields, each as one comparable string."""
    out: dict[str, str] = {}
    for name, value in item.items():
        if name in _UNSCORED or name in ("creators", "tags") or value in (None, "", []):
            continue
        key = _field_key(schema, name)
        text = _text(value)
        if key == "language":
            text = _language(text)
        elif key == "date":
            text = _date(text)
        elif key == "DOI":
            doi = normalize_doi(text)
            if doi is None:  # not a DOI at all: Zotero copied something else
                continue
            text = doi
        elif key == "ISBN":
            text = " ".join(sorted(set(find_isbns(text)))) or text
        elif key == "ISSN":
            text = " ".join(sorted({m.upper() for m in re.findall(r"\d{4}-?\d{3}[\dXx]", text)
                                    })).replace("-", "") or text
        elif key == "pages":
            text = re.sub(r"\s*[-\u2013\u2014]+\s*", "-", text)
        out[key] = text
    if item.get("creators") and not _several_in_one(item["creators"]):
        out["creators"] = " | ".join(_creator(c) for c in item["creators"])
        out["creators~"] = " | ".join(_joined_creator(c) for c in item["creators"])
    names = [t.get("tag") if isinstance(t, Mapping) else t for t in item.get("tags") or []]
    tags = sorted({_mesh_tag(_text(name)) for name in names if name})
    if tags:
        out["tags"] = " | ".join(tags)
    return out


def _several_in_one(creators: list[dict[str, Any]]) -> bool:
    """comma-listed-names: Zotero made one creator of `A B, C D, E F`; zsync makes three."""
    return any("," in str(c.get("firstName") or "") for c in creators)


def _mesh_tag(tag: str) -> str:
    """A MeSH heading as its descriptor (`*Humans/ethics` -> `Humans`): mesh-tags."""
    return tag.lstrip("*").split("/", 1)[0] if "/" in tag or tag.startswith("*") else tag


def _joined_creator(creator: Mapping[str, Any]) -> str:
    """ris-names-without-comma: a name as one string, however it is split into fields."""
    parts = (creator.get("name"), creator.get("lastName"), creator.get("firstName"))
    words = re.findall(r"[^\W_]+", " ".join(str(p) for p in parts if p))
    letters = "".join(sorted(words))  # von-particles: `at Work, American Rights`
    return f"{creator.get('creatorType', 'author')}:{letters}"


def _creator(creator: Mapping[str, Any]) -> str:
    role = creator.get("creatorType", "author")
    if creator.get("name") or creator.get("fieldMode") == 1:
        return f"{role}:{_text(creator.get('name') or creator.get('lastName') or '')}"
    given = _initials(_text(creator.get("firstName") or ""))
    return f"{role}:{_text(creator.get('lastName') or '')},{given}"


# --- scoring a file ------------------------------------------------------------------------


@dataclass
class Score:
    """Field agreement over items both sides made, and the records each side missed."""

    agreed: int = 0
    compared: int = 0
    zotero_items: int = 0
    matched: int = 0
    missed: list[str] = field(default_factory=list)  # Zotero items zsync lost, unnamed
    named: list[str] = field(default_factory=list)  # Zotero items zsync lost, with a reason
    wrong_dois: list[str] = field(default_factory=list)
    by_field: Counter[str] = field(default_factory=Counter)
    disagreements: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        return self.agreed / self.compared if self.compared else 1.0

    def add(self, other: Score) -> None:
        self.agreed += other.agreed
        self.compared += other.compared
        self.zotero_items += other.zotero_items
        self.matched += other.matched
        self.missed += other.missed
        self.named += other.named
        self.wrong_dois += other.wrong_dois
        self.by_field.update(other.by_field)
        self.disagreements += other.disagreements


def zsync_items(result: FileResult, schema: ZoteroSchema) -> list[dict[str, Any]]:
    return [record_to_item(record, schema) for record in result.records]


def _title(item: Mapping[str, Any]) -> str:
    """The item's title, in whichever field its type keeps it (`caseName`, `nameOfAct` ...)."""
    for name in ("title", "caseName", "nameOfAct", "subject"):
        if item.get(name):
            return str(item[name])
    return ""


def _match_keys(item: Mapping[str, Any]) -> list[str]:
    keys = []
    if item.get("DOI"):
        keys.append("doi:" + (normalize_doi(str(item["DOI"])) or str(item["DOI"]).lower()))
    title = normalize_title(_title(item))
    if title:
        keys.append("title:" + title)
    creators = item.get("creators") or []
    first = creators[0] if creators else {}
    family = normalize_title(str(first.get("lastName") or first.get("name") or ""))
    pages = str(item.get("pages") or "")
    if family and pages:
        keys.append(f"cite:{family}:{pages}")
    year = re.search(r"\d{4}", str(item.get("date") or ""))
    if family and year:
        keys.append(f"by:{family}:{year.group(0)}")
    return keys


def _pair(zotero: list[dict[str, Any]], ours: list[dict[str, Any]]) -> list[tuple[int, int | None]]:
    """Each Zotero item with the zsync item for the same record (by DOI, title, first author
    and pages), or None."""
    index: dict[str, list[int]] = {}
    for position, item in enumerate(ours):
        for key in _match_keys(item):
            index.setdefault(key, []).append(position)
    used: set[int] = set()
    pairs: list[tuple[int, int | None]] = []
    for position, item in enumerate(zotero):
        found = None
        for key in _match_keys(item):
            found = next((p for p in index.get(key, []) if p not in used), None)
            if found is not None:
                break
        if found is not None:
            used.add(found)
        pairs.append((position, found))
    pairs = _pair_by_similar_title(zotero, ours, pairs, used)
    return _pair_by_creators(zotero, ours, pairs, used)


def _pair_by_similar_title(
    zotero: list[dict[str, Any]],
    ours: list[dict[str, Any]],
    pairs: list[tuple[int, int | None]],
    used: set[int],
) -> list[tuple[int, int | None]]:
    """Zotero items still alone paired with the free zsync item with the most similar title
    (Zotero may leave LaTeX commands in a title that zsync decodes)."""
    out = []
    for z_pos, o_pos in pairs:
        if o_pos is None:
            title = normalize_title(_title(zotero[z_pos]))
            best, best_score = None, 85.0
            for position, item in enumerate(ours):
                if position in used or not title:
                    continue
                similarity = fuzz.ratio(title, normalize_title(_title(item)))
                if similarity >= best_score:
                    best, best_score = position, similarity
            if best is not None:
                used.add(best)
                o_pos = best
        out.append((z_pos, o_pos))
    return out


def _creators_key(item: Mapping[str, Any]) -> str:
    names = [normalize_title(str(c.get("lastName") or c.get("name") or ""))
             for c in item.get("creators") or []]
    return f"{item.get('itemType')}:{'|'.join(names)}" if any(names) else ""


def _pair_by_creators(
    zotero: list[dict[str, Any]],
    ours: list[dict[str, Any]],
    pairs: list[tuple[int, int | None]],
    used: set[int],
) -> list[tuple[int, int | None]]:
    """Zotero items still alone paired with the one free zsync item of the same type and
    creators (a title Zotero left full of TeX commands may share few letters with zsync's)."""
    free: dict[str, list[int]] = {}
    for position, item in enumerate(ours):
        if position not in used and _creators_key(item):
            free.setdefault(_creators_key(item), []).append(position)
    out = []
    for z_pos, o_pos in pairs:
        candidates = free.get(_creators_key(zotero[z_pos]), []) if o_pos is None else []
        if len(candidates) == 1:
            o_pos = candidates.pop()
            used.add(o_pos)
        out.append((z_pos, o_pos))
    return out


def score_file(
    path: Path, zotero: list[dict[str, Any]], schema: ZoteroSchema, text: str | None = None
) -> Score:
    """How the items zsync makes of `path` agree with `zotero` (Zotero's items for it)."""
    text = path.read_text(encoding="utf-8-sig", errors="replace") if text is None else text
    result = parse_text(text, str(path))
    ours = zsync_items(result, schema)
    score = compare_items(path.name, zotero, ours, schema, len(result.problems))
    for item in ours:
        doi = normalize_doi(str(item.get("DOI") or ""))
        if doi and doi not in normalize_doi_text(text):
            score.wrong_dois.append(f"{path.name}: {doi}")
    return score


def compare_items(
    name: str,
    zotero: list[dict[str, Any]],
    ours: list[dict[str, Any]],
    schema: ZoteroSchema,
    problems: int,
) -> Score:
    """Zotero's items for one input against zsync's; `problems`: how many records zsync
    named as unreadable (a Zotero item zsync lacks counts as named while any are left)."""
    score = Score(zotero_items=len(zotero))
    unnamed_budget = problems
    for z_pos, o_pos in _pair(zotero, ours):
        label = f"{name}#{z_pos + 1} {str(zotero[z_pos].get('title'))[:60]!r}"
        if o_pos is None:
            if unnamed_budget > 0:
                unnamed_budget -= 1
                score.named.append(label)
            else:
                score.missed.append(label)
            continue
        score.matched += 1
        _compare(score, label, comparable(zotero[z_pos], schema), comparable(ours[o_pos], schema))
    return score


def normalize_doi_text(text: str) -> str:
    """The input as lower case with URL escapes undone, for checking a DOI appears in it."""
    from urllib.parse import unquote

    return unquote(text).lower()


def _compare(score: Score, label: str, theirs: dict[str, str], ours: dict[str, str]) -> None:
    skipped: set[str] = set()
    if ours.get("itemType") == "preprint" and theirs.get("itemType") != "preprint":
        skipped = {"itemType", "publicationTitle"}  # arxiv-preprints
    for name, value in theirs.items():
        if name in skipped or name == "creators~":
            continue
        if name == "creators" and "editor:" not in value:  # crossref-fields
            ours = _editors_dropped(ours)
        if name == "creators" and theirs.get("creators~") == ours.get("creators~"):
            ours = {**ours, name: value}
        score.compared += 1
        mine = ours.get(name)
        if mine is not None and (mine == value or _same_text(name, mine, value)):
            score.agreed += 1
        else:
            score.by_field[name] += 1
            score.disagreements.append((label, name, value[:100], (mine or "<none>")[:100]))


def _editors_dropped(item: dict[str, str]) -> dict[str, str]:
    """crossref-fields: the item's creators without its editors."""
    out = dict(item)
    for key in ("creators", "creators~"):
        if key in out:
            out[key] = " | ".join(c for c in out[key].split(" | ") if not c.startswith("editor:"))
    return out


def _same_text(name: str, a: str, b: str) -> bool:
    """medline-titles: a final period MEDLINE adds to titles, the case of journal titles;
    all-issns: every ISSN the record gives."""
    if name == "publicationTitle":
        return a.replace(" : ", ": ").casefold() == b.replace(" : ", ": ").casefold()
    if name == "ISSN":
        return set(b.split()) <= set(a.split())
    if name == "date":
        return _yearless_date_agrees(a, b)
    return name == "title" and a.rstrip(".") == b.rstrip(".")


def _yearless_date_agrees(ours: str, zotero: str) -> bool:
    """yearless-dates: Zotero writes a RIS date without a year as `0000` and the first word
    (`0000 Spring`); zsync keeps the words as written."""
    placeholder = re.fullmatch(r"0000\b(.*)", zotero)
    if placeholder is None or re.search(r"\b\d{4}\b", ours):
        return False
    words = set(re.findall(r"\w+", ours.casefold()))
    return set(re.findall(r"\w+", placeholder.group(1).casefold())) <= words


def realworld_files(root: Path = REALWORLD) -> Iterable[tuple[Path, list[dict[str, Any]]]]:
    for expected in sorted(root.glob("*/*.zotero.json")):
        source = expected.with_name(expected.name.removesuffix(".zotero.json"))
        if source.is_file():
            yield source, json.loads(expected.read_text(encoding="utf-8"))


def score_all(
    files: Iterable[tuple[Path, list[dict[str, Any]]]], schema: ZoteroSchema
) -> tuple[Score, dict[str, Score]]:
    total, per_file = Score(), {}
    for path, zotero in files:
        per_file[path.name] = score_file(path, zotero, schema)
        total.add(per_file[path.name])
    return total, per_file


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    total, per_file = score_all(realworld_files(), ZoteroSchema.load_default())
    for name, score in per_file.items():
        print(f"{score.agreement:.4f} {score.matched}/{score.zotero_items} "
              f"missed={len(score.missed)} named={len(score.named)} {name}")
    print("by field:", dict(total.by_field.most_common()))
    if verbose:
        show: Callable[[tuple[str, str, str, str]], str] = lambda d: " || ".join(d)  # noqa: E731
        for row in total.disagreements:
            print(show(row))
        for label in total.missed:
            print("MISSED", label)
    print(json.dumps({"agreement": round(total.agreement, 4), "compared": total.compared,
                      "zotero_items": total.zotero_items, "matched": total.matched,
                      "missed": len(total.missed), "named": len(total.named),
                      "wrong_dois": len(total.wrong_dois)}))


if __name__ == "__main__":
    main(sys.argv[1:])
