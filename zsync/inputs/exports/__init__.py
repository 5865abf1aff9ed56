"""Exported records: BibTeX/BibLaTeX, RIS, MEDLINE/nbib, PubMed XML, CSL-JSON and Zotero JSON."""
