"""Field labels people write in notes, in several languages, mapped to `RecordBuilder` keys.

`lookup(label)` takes a label as written (`**Reading status**`, `item-type`, `bookTitle`,
`Palabras clave`) and returns `(key, rank)`: the builder key and a rank that orders
competing labels for the same key (lower wins: `Year` beats `Date`). Unknown labels give
None. Besides the builder keys there is `citation`: a formatted reference of the work
itself, scanned for identifiers but not read as a field.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from zsync.model.patterns import lazy

CITATION = "citation"
CITEKEY = "citekey"  # a citation key: not an identifier, but a sign the note is about a work
ALIAS = "alias"  # another name of the note (`Smith et al. (2019)`): a fallback for names, year

_CAMEL = lazy(r"(?<=[a-z])(?=[A-Z])")
_NOISE = lazy(r"[\s_\-.:*`'’\"]+")
_EDGE = lazy(r"^[^\w(]+|[^\w)]+$")


@lru_cache(maxsize=8192)
def normalise(label: str) -> str:
    """Lower-case words: `**Item-Type:**` and `itemType` both become `item type`."""
    text = _CAMEL.sub(" ", unicodedata.normalize("NFC", label.strip()))
    text = _NOISE.sub(" ", text.lower())
    return _EDGE.sub("", text.strip())


# label (normalised, see `normalise`) -> (key, rank)
_TABLE: dict[str, tuple[str, int]] = {}


def _add(key: str, labels: str, rank: int = 0) -> None:
    for label in labels.split("|"):
        _TABLE[normalise(label)] = (key, rank)


_add("title", "original title", -1)
_add("title", "title|titel|título|titulo|titre|titolo|article title|paper title|document title")
_add("title", "full title|work title|titel des artikels|título del artículo")
_add("title", "short title|kurztitel", 2)
_add("authors", "authors|author|by|autores|autor|autoren|auteurs|auteur|autori|autore|creator")
_add("authors", "creators|first author|author(s)|verfasser|verfasserin|autor(es)")
_add("authors", "author list|authors list|written by|autorinnen|autoria|authored by")
_add("editors", "editors|editor|herausgeber|herausgeberin|hrsg|hg|editores|editors s|eds|ed")
_add("editors", "éditeurs scientifiques|curatori|curatore|editor es")
_add("date", "year|jahr|año|ano|anno|année|annee|published|publication year|pub year|issued")
_add("date", "publication date|date published|erscheinungsjahr|erscheinungsdatum|veröffentlicht")
_add("date", "año de publicación|ano de publicação|fecha de publicación|date de publication")
_add("date", "publicado|publié|pubdate|pub date|year published|jaar")
_add("date", "date|datum|fecha|data|datum der veröffentlichung", 1)
_add("container", "journal|in|publication|zeitschrift|revista|container|container title")
_add("container", "publication title|journal title|periodical|book title|booktitle|rivista")
_add("container", "revue|journal name|published in|veröffentlicht in|publicado en|publicado em")
_add("container", "publié dans|proceedings title|proceedings|source title|journal book")
_add("container", "erschienen in|fonte|journal/book|conference|conference name", 1)
_add("status", "status|estado|reading status|read status|lesestatus|statut|stato|situação")
_add("status", "state|leestatus|estado de lectura|statut de lecture|reading state", 1)
_add("tags", "tags|tag|etiquetas|etiqueta|schlagwörter|schlagwort|étiquettes|etichette")
_add("tags", "labels|topics|tag s|marcadores")
_add("keywords", "keywords|keyword|palabras clave|palabras claves|palavras chave|key words")
_add("keywords", "palavras-chave|schlüsselwörter|schlüsselbegriffe|mots clés|mots-clés")
_add("keywords", "mots cles|parole chiave|author keywords|stichwörter|trefwoorden")
_add("abstract", "abstract|resumen|zusammenfassung|résumé|resume|resumo|riassunto|sommario")
_add("abstract", "abstrakt|samenvatting|abstract en")
_add("doi", "doi|source doi|doi url|doi link|digital object identifier|doi number")
_add("pmid", "pmid|pubmed id|pubmed|pubmed identifier|pm id")
_add("pmcid", "pmcid|pmc id|pmc|pubmed central id|pmc identifier")
_add("isbn", "isbn|isbn 13|isbn 10|isbn13|isbn10")
_add("issn", "issn|eissn|e issn|issn online|issn print")
_add("arxiv", "arxiv|arxiv id|archive id|eprint|arxiv identifier")
_add("url", "url|link|links|source|web|website|enlace|enlaces|quelle|lien|uri|weblink")
_add("url", "full text|fulltext|volltext|texto completo|texte intégral|online|pdf url|url pdf")
_add("pages", "pages|page|pp|seiten|seite|páginas|paginas|pagine|pagina|seitenzahl|página")
_add("volume", "volume|vol|band|bd|volumen|tome|jahrgang")
_add("issue", "issue|number|heft|número|numero|no|nr|nummer|fascicolo|fascículo|issue number")
_add("publisher", "publisher|verlag|editorial|editora|éditeur|editore|uitgever|maison d édition")
_add("place", "place|place published|publisher place|ort|verlagsort|lugar|lieu|luogo|city")
_add("series", "series|reihe|serie|série|collection title|book series|schriftenreihe|colección")
_add("item_type", "type|item type|itemtype|document type|publication type|entry type|tipo")
_add("item_type", "typ|type de document|tipo de documento|dokumenttyp|btype|reference type")
_add("item_type", "zotero type|work type|source type", 1)
_add("language", "language|sprache|idioma|langue|lingua|taal|lang")
_add("journal_abbreviation", "journal abbreviation|journal abbr|abbreviation|short journal")
_add("journal_abbreviation", "container title short|journal short|iso abbreviation")
_add(CITEKEY, "citekey|citation key|cite key|bibtex key|zotero key|item key|zotero link")
_add(CITATION, "citation|cite|cite as|reference|bibliographic reference|zitation|zitat")
_add(CITATION, "zitiervorschlag|cita|referencia|referência|référence|citation apa")
_add(CITATION, "bibliography entry|full citation|formatted citation|apa|bibliographic citation")
_add(ALIAS, "aliases|alias")
# Chinese, Japanese and Korean labels (Zotero's own field names in those locales, and the
# words templates use).
_add("title", "标题|題名|题名|篇名|题目|論文名|タイトル|表題|제목|논문 제목|논문명")
_add("authors", "作者|著者|作者们|作者列表|執筆者|저자|지은이|글쓴이|저자들")
_add("date", "年份|出版年|发表年份|发表时间|出版年份|発行年|出版年月|発表年")
_add("date", "연도|발표 연도|발행 연도|출판 연도")
_add("date", "日期|出版日期|日付|発行日|날짜|발행일|출판일", 1)
_add("container", "期刊|刊名|来源|出版物|期刊名称|雑誌|雑誌名|誌名|掲載誌|저널|학술지|게재지|출처")
_add("abstract", "摘要|内容摘要|概要|要旨|抄録|초록|요약")
_add("keywords", "关键词|關鍵詞|关键字|キーワード|키워드|주제어")
_add("tags", "标签|標籤|タグ|태그")
_add("volume", "卷|巻|권")
_add("issue", "期|号|호")
_add("pages", "页码|頁|ページ|페이지|쪽")
_add("publisher", "出版社|出版者|출판사|발행처")
_add("url", "链接|網址|リンク|링크")
_add("status", "阅读状态|状态|状態|読書状況|상태|읽기 상태")

# Labels that name a field of this work even when phrased freely ("Source DOI", "DOI link").
_ID_WORDS = (
    ("pmcid", "pmcid"),
    ("pmid", "pmid"),
    ("doi", "doi"),
    ("isbn", "isbn"),
    ("arxiv", "arxiv"),
    ("url", "url"),
    ("link", "url"),
)
_NOT_OWN = lazy(
    r"\b(?:related|see|also|cited|cites|citing|other|preprint|erratum|correction|retraction|"
    r"compare|cf|vs|versus|similar|"
    r"reply|response|comment|commentary|original|previous|follow|companion|dataset|data|"
    r"protocol|supplement|review of|version|replication)\b"
)


@lru_cache(maxsize=8192)
def lookup(label: str) -> tuple[str, int] | None:
    """`(key, rank)` for a label as written, or None when it is not a known field."""
    norm = normalise(label)
    found = _TABLE.get(norm)
    if found:
        return found
    words = norm.split()
    if len(words) > 3 or _NOT_OWN.search(norm):
        return None
    for word, key in _ID_WORDS:
        if word in words:
            return key, 1
    return None


def is_singular_author(label: str) -> bool:
    """A label that introduces one name per line (`Author::`, `FirstAuthor::`)."""
    return normalise(label) in _SINGULAR_AUTHOR


_SINGULAR_AUTHOR = frozenset(
    ["author", "first author", "autor", "auteur", "autore", "creator", "verfasser", "editor"]
)


def points_elsewhere(label: str) -> bool:
    """A label that introduces another work's data (`Related`, `Preprint`, `Erratum` …)."""
    return bool(_NOT_OWN.search(normalise(label)))
