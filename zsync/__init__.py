"""zsync: keep a Zotero library in step with the bibliographic notes you keep elsewhere."""

__version__ = "0.1.0"
