"""Literature notes written by other people, read as a careful reader reads them.

`../shared/realnotes/` holds real notes copied unchanged from public vaults (Obsidian,
Logseq, Roam, org-roam) and EXPECTED.jsonl, what a careful reader finds in each. Every
field the note states is scored (fields a reader had to infer are not); a field stated as
null must be absent. Identifiers must never be wrong: one that is present but different,
or present where the note has none, fails the test whatever the overall score.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from zsync.inputs.files import parse_paths
from zsync.model.records import FileResult, Record

REALNOTES = Path(__file__).resolve().parents[2].parent / "shared" / "realnotes"
pytestmark = pytest.mark.skipif(not REALNOTES.is_dir(), reason="../shared/realnotes is absent")

ID_FIELDS = ("doi", "pmid", "pmcid", "arxiv", "isbn")
FIELDS = ("record", "title", "first_author", "year", *ID_FIELDS, "tags", "status")
MIN_OVERALL = 0.98


def _fold(text: str | None) -> str:
    text = unicodedata.normalize("NFC", text or "").casefold()
    text = re.sub(r"[\u2010-\u2015]", "-", " ".join(text.split())).strip()
    return text[:-1] if text.endswith(".") else text


def _found(record: Record | None, name: str) -> Any:
    """What zsync read for one scored field, in the form EXPECTED.jsonl writes it."""
    if record is None:
        return [] if name in ("isbn", "tags") else None
    if name == "title":
        return record.title
    if name == "first_author":
        first = record.first_author
        return first.sort_name if first else None
    if name == "year":
        return record.year
    if name == "isbn":
        return list(record.ids.isbn)
    if name == "tags":
        return list(record.tags)
    if name == "status":
        return record.status
    return getattr(record.ids, name)


def _agrees(case: dict[str, Any], name: str, found: Any) -> bool:
    wanted = case[name]
    if name == "title":
        accepted = [] if wanted is None else [wanted, *case.get("title_alt", [])]
        return _fold(found) in {_fold(t) for t in accepted} if accepted else found is None
    if name in ("first_author", "status"):
        return _fold(found) == _fold(wanted)
    if name in ("isbn", "tags"):
        return sorted(found) == sorted(wanted or [])
    return bool(found == wanted)


def score_case(case: dict[str, Any], result: FileResult) -> dict[str, tuple[bool, Any]]:
    """Field -> (agrees, what zsync found), for every field the note itself states."""
    records = list(result.records)
    scores: dict[str, tuple[bool, Any]] = {}
    scores["record"] = (len(records) == _wanted_records(case), len(records))
    if case["expect"] == "none":
        for name in ID_FIELDS:
            found = sorted({v for r in records for v in _as_list(_found(r, name))})
            scores[name] = (not found, found)
        return scores
    record = records[0] if records else None
    for name in FIELDS[1:]:
        if name not in case["inferred"]:
            found = _found(record, name)
            scores[name] = (_agrees(case, name, found), found)
    return scores


def _wanted_records(case: dict[str, Any]) -> int:
    return 0 if case["expect"] == "none" else 1


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def wrong_identifiers(case: dict[str, Any], scores: dict[str, tuple[bool, Any]]) -> list[str]:
    """Identifiers zsync gives that are not the work's (a missing one is only a miss)."""
    wrong = []
    for name in ID_FIELDS:
        agrees, found = scores.get(name, (True, None))
        if agrees or not found:
            continue
        wanted = _as_list(case[name])
        if any(v not in wanted for v in _as_list(found)):
            wrong.append(f"{case['file']}: {name} {found!r}, expected {case[name]!r}")
    return wrong


@pytest.fixture(scope="module")
def results() -> dict[str, FileResult]:
    return {Path(r.path).name: r for r in parse_paths([REALNOTES])}


def cases() -> list[dict[str, Any]]:
    lines = (REALNOTES / "EXPECTED.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_real_notes_are_read_as_a_careful_reader_reads_them(
    results: dict[str, FileResult],
) -> None:
    right: Counter[str] = Counter()
    scored: Counter[str] = Counter()
    misses: list[str] = []
    wrong_ids: list[str] = []
    for case in cases():
        scores = score_case(case, results[case["file"]])
        for name, (agrees, found) in scores.items():
            scored[name] += 1
            right[name] += agrees
            if not agrees:
                wanted = _wanted_records(case) if name == "record" else case.get(name)
                misses.append(f"{case['file']}: {name} {found!r}, expected {wanted!r}")
        wrong_ids += wrong_identifiers(case, scores)
    overall = sum(right.values()) / sum(scored.values())
    print("\nreal notes, per field:")
    for name in FIELDS:
        print(f"  {name:13} {right[name]:3}/{scored[name]:<3} {right[name] / scored[name]:.3f}")
    print(f"  {'overall':13} {sum(right.values()):3}/{sum(scored.values()):<3} {overall:.3f}")
    print("\n".join(["misses:", *misses]) if misses else "no misses")
    assert not wrong_ids, "wrong identifiers:\n" + "\n".join(wrong_ids)
    assert overall >= MIN_OVERALL, "\n".join(misses)


def test_the_scorer_tells_a_wrong_identifier_from_a_missing_one() -> None:
    case: dict[str, Any] = {"file": "n.md", "expect": "record", "doi": "10.1/x", "pmid": None, "inferred": []}
    case.update({"pmcid": None, "arxiv": None, "isbn": []})
    missing = {"doi": (False, None), "pmid": (True, None)}
    assert wrong_identifiers(case, missing) == []
    corrupt = {"doi": (False, "10.1/x](https://doi.org/10.1/x"), "pmid": (False, "123")}
    assert len(wrong_identifiers(case, corrupt)) == 2
