"""Front matter has one reading: the fast reader for plain YAML gives exactly what a YAML
parser without typing (BaseLoader) gives, or steps aside; a comment never changes a value."""

from __future__ import annotations

import string
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from zsync.inputs.notes import markdown, simpleyaml

_NULLS = {"", "~", "null", "Null", "NULL"}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return None if value is None or value in _NULLS else value


_scalars = st.text(alphabet=string.ascii_letters + string.digits + " .:-#'\"[],{}&*!|>%@`?/\\é", max_size=12)
_keys = st.from_regex(r"[a-z][a-z_-]{0,8}", fullmatch=True)
_lines = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", _keys, _scalars),
    st.builds(
        lambda k, vs: f"{k}:\n" + "\n".join(f"  - {v}" for v in vs), _keys, st.lists(_scalars, min_size=1, max_size=3)
    ),
    st.builds(lambda k, vs: f"{k}: [{', '.join(vs)}]", _keys, st.lists(_scalars, max_size=3)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_lines, min_size=1, max_size=4))
def test_the_fast_reader_agrees_with_yaml_or_steps_aside(lines: list[str]) -> None:
    text = "\n".join(lines)
    fast = simpleyaml.load(text)
    if fast is not None:
        assert _plain(fast) == _plain(yaml.load(text, Loader=yaml.BaseLoader))


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["pmid", "issue", "volume", "pages", "isbn"]),
    st.from_regex(r"0[0-9]{1,8}|[0-9]{1,4}|0x1F|1_000|0o17|1e3|\.5|yes|on|2020-01-01", fullmatch=True),
    st.sampled_from(["", "  # a comment", "\nnote: a: b"]),
)
def test_a_value_reads_the_same_whatever_else_the_block_holds(key: str, value: str, extra: str) -> None:
    def read(text: str) -> Any:
        (record,) = markdown.parse(text, "note.md")
        return {"pmid": record.ids.pmid, "issue": record.issue, "volume": record.volume, "pages": record.pages}

    plain = read(f"---\ntitle: T\n{key}: {value}\n---\n")
    assert read(f"---\ntitle: T\n{key}: {value}{extra}\n---\n") == plain
    if key in ("issue", "volume", "pages"):
        assert plain[key] == value
