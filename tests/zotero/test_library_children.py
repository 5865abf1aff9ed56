"""A work's child notes are found through an index that follows changes to the view."""

from __future__ import annotations

from zsync.zotero.library import LibraryItem, LibraryView


def _item(key: str, parent: str | None = None, item_type: str = "note",
          trashed: bool = False) -> LibraryItem:
    data = {"itemType": item_type, "parentItem": parent or False, "deleted": trashed}
    return LibraryItem(key, 1, data)


def _keys(items: list[LibraryItem]) -> list[str]:
    return [i.key for i in items]


def test_children_include_trashed_ones_only_when_asked() -> None:
    view = LibraryView.build([
        _item("PARENT01", item_type="journalArticle"), _item("NOTE0001", "PARENT01"),
        _item("NOTE0002", "PARENT01", trashed=True), _item("FILE0001", "PARENT01", "attachment"),
        _item("NOTE0003", "OTHER001")])
    assert _keys(view.children("PARENT01")) == ["NOTE0001"]
    assert _keys(view.children("PARENT01", "attachment")) == ["FILE0001"]
    assert _keys(view.all_children("PARENT01")) == ["NOTE0001", "NOTE0002", "FILE0001"]
    assert view.all_children("NOPARENT") == []


def test_children_follow_items_patched_into_the_view() -> None:
    view = LibraryView.build([_item("PARENT01", item_type="book"),
                              _item("PARENT02", item_type="book"), _item("NOTE0001", "PARENT01")])
    assert _keys(view.children("PARENT01")) == ["NOTE0001"]
    view.items["NOTE0001"] = _item("NOTE0001", "PARENT02")  # a merge moved the note
    assert view.children("PARENT01") == [] and _keys(view.children("PARENT02")) == ["NOTE0001"]
    view.items.pop("NOTE0001")
    assert view.children("PARENT02") == []
    view.items.update({"NOTE0002": _item("NOTE0002", "PARENT01")})
    assert _keys(view.children("PARENT01")) == ["NOTE0002"]


def test_a_view_built_from_a_plain_dict_also_follows_changes() -> None:
    view = LibraryView({"NOTE0001": _item("NOTE0001", "PARENT01")})
    assert _keys(view.children("PARENT01")) == ["NOTE0001"]
    view.items["NOTE0002"] = _item("NOTE0002", "PARENT01")
    assert _keys(view.children("PARENT01")) == ["NOTE0001", "NOTE0002"]
