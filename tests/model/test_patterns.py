"""Patterns compiled on first use answer as `re` does, and a process that only reads
Markdown notes compiles and imports nothing the other formats need."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from zsync.model.patterns import lazy

CASES = [
    (r"(\d+)-(\d+)", 0, "pages 12-34 and 56-7"),
    (r"^doi:\s*(\S+)$", re.IGNORECASE | re.MULTILINE, "x\nDOI: 10.1000/a\ndoi:10.2/b"),
    (r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]", 0, "see [[Smith 2020|Smith]] and [[Jones]]"),
]


def found(match: re.Match[str] | None) -> tuple[tuple[int, int], tuple[str | None, ...]] | None:
    return None if match is None else (match.span(), match.groups())


@pytest.mark.parametrize(("source", "flags", "text"), CASES)
def test_a_lazy_pattern_answers_as_the_compiled_pattern(source: str, flags: int,
                                                        text: str) -> None:
    pattern, compiled = lazy(source, flags), re.compile(source, flags)
    assert pattern.pattern == source
    for start in range(len(text)):
        assert found(pattern.search(text, start)) == found(compiled.search(text, start))
        assert found(pattern.match(text, start)) == found(compiled.match(text, start))
    assert [found(m) for m in pattern.finditer(text)] == \
        [found(m) for m in compiled.finditer(text)]
    assert pattern.findall(text) == compiled.findall(text)
    assert pattern.sub(r"<\g<0>>", text) == compiled.sub(r"<\g<0>>", text)
    assert pattern.subn("", text) == compiled.subn("", text)
    assert pattern.split(text) == compiled.split(text)
    assert found(pattern.fullmatch(text)) == found(compiled.fullmatch(text))
    assert pattern.flags == compiled.flags and pattern.groups == compiled.groups


def test_a_broken_pattern_fails_when_first_used() -> None:
    pattern = lazy(r"(unclosed")
    with pytest.raises(re.error):
        pattern.search("text")
    with pytest.raises(AttributeError):
        pattern.no_such_method  # noqa: B018


def test_reading_a_markdown_note_loads_no_other_format_machinery() -> None:
    code = ("import sys; from zsync.inputs import parse_text; "
            "result = parse_text('- **Title**: A study\\n- **DOI**: 10.1000/x\\n\\nMy notes.',"
            " 'a.md'); "
            "heavy = ('yaml', 'lxml', 'pyparsing', 'bibtexparser', 'pylatexenc', 'rispy', "
            "'zsync.inputs.exports.bibtex_fields', 'zsync.inputs.exports.ris_fields', "
            "'zsync.inputs.exports.medline_fields', 'zsync.inputs.exports.zotero_items'); "
            "print(result.format, [m for m in heavy if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split(maxsplit=1) == ["markdown", "[]\n"]
