"""`zsync dedupe` matches names and titles written with and without Latin letters that do
not decompose (ø, ł, æ, œ, ß, þ): one work written two ways is one group."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.dedupe.env import DedupeEnv

ENTRY = """
@article{{{key},
  title = {{{title}}},
  author = {{{author}}},
  year = {{2019}}, journal = {{Journal of Examples}}
}}
"""


def groups(world: DedupeEnv, *entries: tuple[str, str]) -> list[list[str]]:
    path = world.tmp / "refs.bib"
    path.write_text("".join(ENTRY.format(key=f"k{i}", title=title, author=author)
                            for i, (title, author) in enumerate(entries)), encoding="utf-8")
    result = world.cli("dedupe", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return [[r["title"] for r in g["records"]] for g in report["groups"]]


LONG = "Sleep and memory consolidation in adolescents across three school years"


@pytest.mark.parametrize(("written", "plain"), [
    ("Østergaard, Mette", "Ostergaard, Mette"),
    ("Łukasiewicz, Jan", "Lukasiewicz, Jan"),
    ("Sæther, Bjørn", "Saether, Bjorn"),
    ("Weiß, Anna", "Weiss, Anna"),
    ("Þórsdóttir, Sigrún", "Thorsdottir, Sigrun"),
])
def test_an_author_written_both_ways_is_one_author(world: DedupeEnv, written: str,
                                                   plain: str) -> None:
    found = groups(world, (LONG, written), (LONG + ".", plain))
    assert found == [[LONG, LONG + "."]]


@pytest.mark.parametrize(("written", "plain"), [
    ("Œuvres complètes de Łódź", "Oeuvres completes de Lodz"),
    ("Encyclopædia of Straße names", "Encyclopaedia of Strasse names"),
])
def test_a_short_title_written_both_ways_is_one_title(world: DedupeEnv, written: str,
                                                      plain: str) -> None:
    found = groups(world, (written, "Nowak, Jan"), (plain, "Nowak, Jan"))
    assert found == [[written, plain]]


def test_different_authors_stay_apart(world: DedupeEnv) -> None:
    assert groups(world, (LONG, "Østergaard, Mette"), (LONG, "Ostrowski, Mette")) == []
