"""PubMed records held by the E-utilities emulator, indexed for ESearch and the ID converter.

Identifiers are read only where EFetch consumers should read them: the article's own
`PubmedData/ArticleIdList` (or `PubmedBookData`/`BookDocument` lists for books) and
`Article/ELocationID`. Ids inside `ReferenceList` belong to cited papers and are ignored.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from tests.servers.base import fixture_index, service_fixtures

ARTICLE_TAGS = ("PubmedArticle", "PubmedBookArticle")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=True)
_WORD = re.compile(r"\w+")


def fixtures_dir() -> Path | None:
    return service_fixtures("pubmed")


def recorded_fixtures() -> list[dict[str, Any]]:
    """Entries of shared/fixtures/pubmed/index.json ([] without the shared folder)."""
    return fixture_index(fixtures_dir())


def words(text: str) -> list[str]:
    """Lower-cased word tokens with accents folded."""
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return [w for w in _WORD.findall(text) if w.strip("_")]


def _text(el: etree._Element | None) -> str:
    return "".join(el.itertext()).strip() if el is not None else ""


def normalize_pmcid(value: str) -> str:
    value = value.strip().upper()
    value = value.split(".", 1)[0]
    return value if value.startswith("PMC") else f"PMC{value}"


@dataclass
class Article:
    pmid: str
    xml: str
    kind: str
    doi: str | None = None  # from the direct ArticleIdList, original case
    pmcid: str | None = None
    keys: list[tuple[str, str]] = field(default_factory=list)  # (index, key) pairs


def _years(root: etree._Element) -> list[str]:
    found = []
    for path in (".//Article/Journal/JournalIssue/PubDate", ".//Book/PubDate"):
        for pubdate in root.findall(path):
            year = pubdate.findtext("Year")
            if not year:
                match = re.match(r"\s*(\d{4})", pubdate.findtext("MedlineDate") or "")
                year = match.group(1) if match else None
            if year:
                found.append(year.strip())
    return found


def describe(root: etree._Element) -> Article:
    """Index keys for one <PubmedArticle> or <PubmedBookArticle> element."""
    kind = etree.QName(root).localname
    if kind == "PubmedArticle":
        pmid = (root.findtext("MedlineCitation/PMID") or "").strip()
        id_lists = root.findall("PubmedData/ArticleIdList")
        article = root.find("MedlineCitation/Article")
    elif kind == "PubmedBookArticle":
        pmid = (root.findtext("BookDocument/PMID") or "").strip()
        id_lists = root.findall("PubmedBookData/ArticleIdList") + root.findall(
            "BookDocument/ArticleIdList")
        article = root.find("BookDocument")
    else:
        raise ValueError(f"not a PubMed record: <{kind}>")
    if not pmid.isdigit():
        raise ValueError(f"<{kind}> without a numeric PMID")
    out = Article(pmid=pmid, xml=etree.tostring(root, encoding="unicode", with_tail=False),
                  kind=kind)
    keys = out.keys
    keys.append(("pmid", pmid))
    for id_list in id_lists:
        for aid in id_list.findall("ArticleId"):
            value = (aid.text or "").strip()
            id_type = aid.get("IdType", "")
            if not value:
                continue
            if id_type == "doi":
                out.doi = out.doi or value
                keys.append(("doi", value.lower()))
                keys.append(("aid", value.lower()))
            elif id_type == "pmc":
                out.pmcid = out.pmcid or normalize_pmcid(value)
                keys.append(("pmcid", normalize_pmcid(value)))
            elif id_type == "pii":
                keys.append(("aid", value.lower()))
    title_parts: list[str] = []
    abstract = ""
    if article is not None:
        for eloc in article.findall("ELocationID"):
            value = (eloc.text or "").strip().lower()
            if value:
                keys.append(("lid", value))
                if eloc.get("EIdType") == "doi":
                    keys.append(("doi", value))
        title_parts = [_text(article.find(tag)) for tag in
                       ("ArticleTitle", "VernacularTitle", "Book/BookTitle")]
        abstract = " ".join(_text(a) for a in article.findall("Abstract/AbstractText"))
        for pos, author in enumerate(article.findall("AuthorList/Author")):
            last = (author.findtext("LastName") or author.findtext("CollectiveName") or "")
            if not last.strip():
                continue
            initials = (author.findtext("Initials") or "").strip().lower()
            family = " ".join(words(last))
            keys.append(("au", family))
            keys.append(("au", f"{family} {initials}".strip()))
            if pos == 0:
                keys.append(("1au", family))
                keys.append(("1au", f"{family} {initials}".strip()))
        journal = article.find("Journal")
        if journal is not None:
            for tag in ("Title", "ISOAbbreviation", "ISSN"):
                value = journal.findtext(tag)
                if value:
                    keys.append(("ta", " ".join(words(value))))
            issue = journal.find("JournalIssue")
            if issue is not None:
                if issue.findtext("Volume"):
                    keys.append(("vi", issue.findtext("Volume", "").strip().lower()))
                if issue.findtext("Issue"):
                    keys.append(("ip", issue.findtext("Issue", "").strip().lower()))
        for ptype in article.findall("PublicationTypeList/PublicationType"):
            keys.append(("pt", " ".join(words(_text(ptype)))))
    medline_ta = root.findtext("MedlineCitation/MedlineJournalInfo/MedlineTA")
    if medline_ta:
        keys.append(("ta", " ".join(words(medline_ta))))
    for heading in root.findall("MedlineCitation/MeshHeadingList/MeshHeading/DescriptorName"):
        keys.append(("mh", " ".join(words(_text(heading)))))
    for year in _years(root):
        keys.append(("dp", year))
    title_words = set(words(" ".join(title_parts)))
    tiab_words = title_words | set(words(abstract))
    all_words = set(tiab_words)
    for index, key in list(keys):
        if index in ("au", "ta", "mh", "dp", "pt"):
            all_words.update(key.split())
    keys.extend(("w:ti", w) for w in title_words)
    keys.extend(("w:tiab", w) for w in tiab_words)
    keys.extend(("w:all", w) for w in all_words)
    out.keys = list(dict.fromkeys(keys))
    return out


def split_records(xml: str | bytes) -> list[etree._Element]:
    """The PubmedArticle / PubmedBookArticle elements of an EFetch document or fragment."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    root = etree.fromstring(data, _PARSER)
    if etree.QName(root).localname in ARTICLE_TAGS:
        return [root]
    return [el for el in root if isinstance(el.tag, str)
            and etree.QName(el).localname in ARTICLE_TAGS]


class ArticleStore:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.articles: dict[str, Article] = {}
        self._index: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    def add_element(self, element: etree._Element) -> str:
        article = describe(element)
        with self._lock:
            self._remove(article.pmid)
            self.articles[article.pmid] = article
            for index, key in article.keys:
                self._index[index][key].add(article.pmid)
        return article.pmid

    def add_xml(self, xml: str | bytes) -> list[str]:
        return [self.add_element(el) for el in split_records(xml)]

    def add_many(self, xmls: Iterable[str]) -> int:
        return sum(len(self.add_xml(x)) for x in xmls)

    def _remove(self, pmid: str) -> None:
        old = self.articles.pop(pmid, None)
        if old is None:
            return
        for index, key in old.keys:
            bucket = self._index[index].get(key)
            if bucket is not None:
                bucket.discard(pmid)
                if not bucket:
                    del self._index[index][key]

    def remove(self, pmid: str) -> None:
        with self._lock:
            self._remove(pmid)

    def get(self, pmid: str) -> Article | None:
        return self.articles.get(pmid)

    def __len__(self) -> int:
        return len(self.articles)

    def lookup(self, index: str, key: str) -> set[str]:
        with self._lock:
            return set(self._index[index].get(key, ()))

    def all_pmids(self) -> set[str]:
        with self._lock:
            return set(self.articles)

    def load_dir(self, folder: str | Path) -> int:
        count = 0
        for path in sorted(Path(folder).glob("*.xml")):
            count += len(self.add_xml(path.read_bytes()))
        return count


def load_recorded_articles(store: ArticleStore) -> int:
    """Add every record in shared/fixtures/pubmed/efetch/*.xml."""
    folder = fixtures_dir()
    if folder is None or not (folder / "efetch").is_dir():
        return 0
    return store.load_dir(folder / "efetch")
