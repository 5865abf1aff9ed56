"""Duplicates: the rules that say two records are one work (and why), clusters in the
input and in the library, and merging them in Zotero."""
