"""Which library item a work's citation key names, and when two works claim one key."""

from __future__ import annotations

from zsync.model.identifiers import normalize_citekey
from zsync.sync.citekeys import key_clashes, same_key_item
from zsync.zotero.library import LibraryItem, LibraryView


def _view(*items: dict[str, object]) -> LibraryView:
    return LibraryView.build([LibraryItem(f"K{i}", 1, {"itemType": "book", **data})
                              for i, data in enumerate(items)])


def test_keys_are_read_as_the_templates_write_them() -> None:
    for written in ("@lecun2015", "cite:lecun2015", "cite:&lecun2015", "{lecun2015}",
                    " lecun2015 "):
        assert normalize_citekey(written) == "lecun2015"
    assert normalize_citekey("two words") is None
    assert normalize_citekey("Doe:2019a") == "Doe:2019a"  # keys may hold colons


def test_a_key_in_the_field_or_in_extra_finds_the_item() -> None:
    view = _view({"citationKey": "a2020"}, {"extra": "Citation Key: b2021\nPMID: 12"})
    assert same_key_item({"citekey": "a2020"}, view)[0].key == "K0"  # type: ignore[union-attr]
    assert same_key_item({"citekey": "b2021"}, view)[0].key == "K1"  # type: ignore[union-attr]
    assert same_key_item({"citekey": "B2021"}, view) == (None, None)  # keys are case-sensitive


def test_an_item_with_another_identifier_is_a_clash_not_a_match() -> None:
    view = _view({"citationKey": "a2020", "DOI": "10.1234/one", "itemType": "journalArticle"})
    work = {"citekey": "a2020", "doi": "10.1234/two"}
    assert same_key_item(work, view) == (None, None)
    [clash] = key_clashes(work, view, None)
    assert "K0" in clash and "10.1234/one" in clash
    assert key_clashes({"citekey": "a2020", "doi": "10.1234/one"}, view, "K0") == []
    assert same_key_item({"citekey": "a2020"}, view)[0] is not None  # nothing disagrees
