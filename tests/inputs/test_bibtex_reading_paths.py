"""BibTeX blocks and fields are read in one match where they are simple; whatever the text,
that reading must give exactly what reading them sign by sign gives (blocks, line numbers,
field values, notes, broken entries), so these tests compare the two on generated text."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from zsync.inputs.exports import bibtex, bibtex_blocks, bibtex_reader

_NEVER = re.compile(r"(?!)")

# The signs that decide where a block ends, and some text between them.
_SIGNS = ["@article{", "@misc(", "@comment{", "\n@book{k2,", "\n  @inproceedings{x,", "key,",
          "{", "}", "(", ")", "\\", "\\{", "\n", "%", '"', "a = b,", "é"]
_texts = st.lists(st.sampled_from(_SIGNS), max_size=24).map("".join)


def _field_value() -> st.SearchStrategy[str]:
    inner = st.lists(st.sampled_from(["a", " ", "{", "}", "\\", '"', "#", ",", "\n", "é"]),
                     max_size=12).map("".join)
    return st.one_of(inner.map(lambda v: "{" + v + "}"), inner.map(lambda v: f'"{v}"'),
                     st.sampled_from(["2020", "2020a", "jan", "macro", "{A} # jan"]))


_fields = st.lists(st.tuples(st.sampled_from(["title", "Year", "doi", "x-y"]), _field_value(),
                             st.sampled_from([",", ", ", ",\n  ", "", " "])), max_size=6)


def _entry(fields: list[tuple[str, str, str]], closer: str) -> str:
    return "@article{key,\n  " + "".join(f"{n} = {v}{sep}" for n, v, sep in fields) + closer


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(_texts)
@example("@article{a,\n@book{k2, }}")  # a new block's line inside an open brace
@example("@article{a, {\\\n@book{k2, }}}")  # ... after an escaped line break
@example("@article{a, {{{{{{x}}}}}}}")  # deeper than one match reads
def test_blocks_read_in_one_match_are_the_blocks_read_sign_by_sign(text: str) -> None:
    fast = bibtex_blocks.split_blocks(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bibtex_blocks, "_BRACED_BLOCK", _NEVER)
        assert bibtex_blocks.split_blocks(text) == fast


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(_fields, st.sampled_from(["}", "\n}", ",}", "} junk", ""]))
def test_fields_read_in_one_match_are_the_fields_read_sign_by_sign(
    fields: list[tuple[str, str, str]], closer: str
) -> None:
    text = _entry(fields, closer)
    strings = {"macro": "Expanded"}
    fast_notes: list[str] = []
    fast = bibtex_reader.read_block(text, dict(strings), fast_notes)
    slow_notes: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bibtex_reader, "_SIMPLE", _NEVER)
        assert bibtex_reader.read_block(text, dict(strings), slow_notes) == fast
    assert slow_notes == fast_notes


def test_a_deeply_nested_or_broken_entry_is_read_as_sign_by_sign() -> None:
    nested = "@article{deep, title = {a {b {c {d {e {f}}}}}}, year = 2020}\n"
    broken = "@article{open, title = {No end,\n@article{next, title = {Next}, year = 2021}\n"
    records = bibtex.parse(nested + broken, "x.bib")
    assert [r.title for r in records][::2] == ["a b c d e f", "Next"]
    assert [r.origin.line for r in records] == [1, 2, 3]
    assert "not closed" in records[1].warnings[0]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bibtex_blocks, "_BRACED_BLOCK", _NEVER)
        patch.setattr(bibtex_reader, "_SIMPLE", _NEVER)
        assert bibtex.parse(nested + broken, "x.bib") == records
