"""Pure mappings between source metadata and zsync records, and records to Zotero items.

crossref: Crossref work JSON -> Record; pubmed: PubMed XML -> Records; schema: Zotero's item
schema; zotero: Record -> Zotero item data. No I/O beyond reading the shipped schema file.
"""
