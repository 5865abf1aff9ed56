"""Citation keys in the forms literature-note templates write them."""

from __future__ import annotations

import pytest

from zsync.inputs.notes.citekeys import note_citekey


@pytest.mark.parametrize(("fields", "path", "heading", "lines", "key"), [
    (["lecunDeepLearning2015"], "notes/x.md", None, [], "lecunDeepLearning2015"),
    (["@lecun2015"], "x.md", None, [], "lecun2015"),
    (["cite:&doe2020"], "x.org", None, [], "doe2020"),
    (["zotero://select/library/items/ABCD2345", "smith2019"], "x.md", None, [], "smith2019"),
    (["ABCD2345"], "x.md", None, [], None),  # a Zotero item key, not a citation key
    ([], "notes/@smith2019.md", None, [], "smith2019"),
    ([], "x.md", "@smith2019 Reading notes", [], "smith2019"),
    ([], "x.md", None, ["[@smith2019]"], "smith2019"),
    ([], "x.md", None, ["Source: [@smith2019, p. 33]"], "smith2019"),
    ([], "x.md", None, ["- [@smith2019]"], "smith2019"),
    ([], "x.md", None, ["As [@other2018] argues, and more."], None),  # running text
    ([], "x.md", None, ["[@a2019]", "[@b2020]"], None),  # two works: neither surely
])
def test_where_a_note_names_its_key(fields: list[str], path: str, heading: str | None,
                                    lines: list[str], key: str | None) -> None:
    assert note_citekey(fields, path, heading, lines) == key
