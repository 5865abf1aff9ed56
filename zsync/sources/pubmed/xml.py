"""Just enough of PubMed's XML to route answers: article PMIDs, their own DOIs, ESearch ids.

Full parsing is `zsync.sources.pubmed.mapping`'s job; this only splits an EFetch answer into one
XML string per article and reads the article's *own* `PubmedData/ArticleIdList` DOI (never
a cited reference's, which sit deeper under `ReferenceList`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from zsync.errors import InputError

if TYPE_CHECKING:
    from lxml import etree
_OWN_IDS = ("PubmedData/ArticleIdList/ArticleId", "PubmedBookData/ArticleIdList/ArticleId")
_ELOCATION = "MedlineCitation/Article/ELocationID"


class PubmedXmlError(InputError, ValueError):
    """Data that is not PubMed XML: not XML at all, another root element, or an E-utilities
    `<ERROR>` (in a file read as an export, or in an answer)."""


@cache
def _parser() -> etree.XMLParser:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                           load_dtd=False)


def _root(data: bytes | str) -> etree._Element:
    from lxml import etree  # loaded when XML is read, not when a run merely starts

    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw.strip():
        raise PubmedXmlError("empty answer")
    try:
        return etree.fromstring(raw, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise PubmedXmlError(f"not XML: {exc}") from None


def _pmid(article: etree._Element) -> str | None:
    for path in ("MedlineCitation/PMID", "BookDocument/PMID"):
        found = article.find(path)
        if found is not None and (found.text or "").strip():
            return (found.text or "").strip()
    return None


def split_articles(data: bytes | str) -> dict[str, str]:
    """An EFetch `PubmedArticleSet` -> {pmid: one PubmedArticle/PubmedBookArticle as XML}."""
    from lxml import etree

    root = _root(data)
    if root.tag != "PubmedArticleSet":
        raise PubmedXmlError(f"expected PubmedArticleSet, got {root.tag}")
    articles: dict[str, str] = {}
    for article in root:
        if article.tag not in ("PubmedArticle", "PubmedBookArticle"):
            continue
        pmid = _pmid(article)
        if pmid is not None:
            articles[pmid] = etree.tostring(article, encoding="unicode", with_tail=False)
    return articles


def article_ids(article_xml: str, id_type: str) -> list[str]:
    """The article's own ids of one type (`doi`, `pmc`, ...), never its references'.

    For a DOI missing from the ArticleIdList, the article's own `ELocationID` (which
    ESearch's [doi] also matches) is used.
    """
    root = _root(article_xml)
    found = [
        (element.text or "").strip()
        for path in _OWN_IDS
        for element in root.findall(path)
        if element.get("IdType") == id_type and (element.text or "").strip()
    ]
    if not found and id_type == "doi":
        found = [(e.text or "").strip() for e in root.findall(_ELOCATION)
                 if e.get("EIdType") == "doi" and (e.text or "").strip()]
    return found


@dataclass(frozen=True)
class SearchResult:
    count: int
    ids: list[str]


def parse_esearch(data: bytes | str) -> SearchResult:
    root = _root(data)
    if root.tag != "eSearchResult":
        raise PubmedXmlError(f"expected eSearchResult, got {root.tag}")
    error = root.findtext("ERROR")
    if error:
        raise PubmedXmlError(f"ESearch error: {error.strip()[:200]}")
    ids = [(e.text or "").strip() for e in root.findall("IdList/Id") if (e.text or "").strip()]
    return SearchResult(int(root.findtext("Count") or len(ids)), ids)


def error_text(data: bytes | str) -> str | None:
    """The text of an `<ERROR>` envelope (EFetch's 400 answers), if that is what this is."""
    try:
        root = _root(data)
    except PubmedXmlError:
        return None
    found = root.find(".//ERROR") if root.tag != "ERROR" else root
    return (found.text or "").strip() if found is not None else None
