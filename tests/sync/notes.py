"""Notes in the seeds' Markdown bullet form for generated works (tests/servers/generate.py),
so that a sync over many notes finds matching records in the Crossref and PubMed emulators."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

from tests.servers.generate import SyntheticWork, iter_generate

STATUSES = ("New", "Reading", "Read", "to read", "done")


def markdown_note(work: SyntheticWork, status: str | None = None, thoughts: str = "",
                  keywords: Sequence[str] = ()) -> str:
    """A note like seeds/markdown-bullets-*.txt: the fields as bullets, then free text
    (`keywords`: the note's own keywords before the work's)."""
    people = ", ".join(f"[[{p.given} {p.family}]]" for p in work.authors)
    lines = [
        f"- **Status**: [[{status or STATUSES[work.index % len(STATUSES)]}]]",
        f"- **Title**: {work.title.rstrip('.')}.",
        f"- **By**: {people}",
        f"- **In**: [[{work.journal.title}]]",
        f"- **Year**: [[{work.year}]]",
        f"- **DOI**: https://doi.org/{work.doi}",
        f"- **Keywords**: {', '.join([*keywords, *work.keywords])}",
    ]
    if thoughts:
        lines.append(f"- **Notes**: {thoughts}")
    return "\n".join(lines) + "\n"


def plain_works(n: int, seed: int, limit: int) -> list[SyntheticWork]:
    """The first `n` of `generate(limit, seed)` that are neither retracted nor corrected
    (those get a notice note besides the user's own, which these tests do not count)."""
    plain = [w for w in iter_generate(limit, seed) if not (w.retraction or w.correction_doi)]
    if len(plain) < n:
        raise ValueError(f"only {len(plain)} plain works among the first {limit}")
    return plain[:n]


def write_notes(folder: Path, works: Iterable[SyntheticWork], **options: str) -> list[Path]:
    """One note file per work (`note-<index>.md`); returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for work in works:
        path = folder / f"note-{work.index:06d}.md"
        path.write_text(markdown_note(work, **options), encoding="utf-8")
        paths.append(path)
    return paths


MARKDOWN_SEED = "markdown-bullets-fredriksen-2021-volunteers.txt"


def copy_seeds(seeds: Path, folder: Path) -> Path:
    """A copy of the seed notes a test may edit."""
    shutil.copytree(seeds, folder)
    return folder


def set_status(folder: Path, status: str, name: str = MARKDOWN_SEED) -> None:
    """Change the status bullet of one Markdown note."""
    path = folder / name
    text = re.sub(r"^- \*\*Status\*\*: .*$", f"- **Status**: [[{status}]]",
                  path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")


def title_note(title: str, authors: Sequence[str], year: int, status: str = "New",
               keywords: Sequence[str] = (), abstract: str = "", thoughts: str = "") -> str:
    """A note without identifiers, in the seeds' Markdown bullet form."""
    lines = [
        f"- **Status**: [[{status}]]",
        f"- **Title**: {title}",
        f"- **By**: {', '.join(f'[[{a}]]' for a in authors)}",
        f"- **Year**: [[{year}]]",
    ]
    if keywords:
        lines.append(f"- **Keywords**: {', '.join(keywords)}")
    if abstract:
        lines += ["- **Abstract**:", f"  {abstract}"]
    if thoughts:
        lines.append(f"- **Notes**: {thoughts}")
    return "\n".join(lines) + "\n"
