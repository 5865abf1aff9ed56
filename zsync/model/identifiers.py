"""Find and normalise the identifiers of a work: DOI, PMID, PMCID, ISBN and arXiv id.

`normalize_*` take a value meant to be one identifier, in any of the wrappers people paste
(URLs, labels, brackets, trailing punctuation, percent-encoding) and return its canonical
form or None. `find_*` scan free text and return every identifier of that kind, in order.
Normalising is idempotent: a canonical value normalises to itself.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from zsync.model.patterns import lazy

# --- DOI -----------------------------------------------------------------------------------

# A DOI is "10." + registrant + "/" + suffix. The suffix may hold almost any printable
# character, so where it ends is decided by `_doi_end`, not by the pattern.
_DOI_START = lazy(r"10\.\d{4,9}(?:\.\d+)*/(?=[^\s\"'`<>|])", re.IGNORECASE)
_DOI_PREFIXES = lazy(
    r"^(?:(?:https?://)?(?:dx\.|www\.)?doi\.org/|info:doi/|doi\s*[:=]\s*|doi\s+)",
    re.IGNORECASE,
)
# Characters that never belong to a DOI as written in text: white space, quotes, code
# marks, table and alias bars. `<` and `>` belong only to a SICI segment (`<693::AID-ASI4>`).
_DOI_STOP = frozenset("\"'`|\\")
_SICI_SEGMENT = lazy(r"<[^<>\s\"'`|]*:[^<>\s\"'`|]*>")
_TRAILING = ".,;:'\"!?>*_~"
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = frozenset(_OPENERS.values())
_HAS_OPENER = lazy(r"[(\[{]")
# The characters `_doi_end` steps over without a second look (no bracket, stop or markup).
_DOI_PLAIN = lazy(r"[^\s\"'`|\\<>()\[\]{}]*")
# Pages of a publisher's site that follow the DOI in its links (`…/doi/10.1111/x.y/full`).
_PAGE_TAIL = lazy(
    r"/(?:full|abstract|abs|pdf|epdf|pdfdirect|pdfplus|fulltext|full-text|html|summary"
    r"|references|citedby|figures|suppinfo|meta|epub|download|issuetoc|text|view)/?$",
    re.IGNORECASE,
)
_ENCODED = lazy(r"%[0-9A-Fa-f]{2}")
_ENTITY = lazy(r"&(?:lt|gt|amp|quot|#x?[0-9A-Fa-f]+);", re.IGNORECASE)


def _doi_end(text: str, start: int) -> int:
    """Where the DOI whose suffix starts at `start` ends: at white space, a quote, markup
    (`](` of a Markdown link, `</a>` of an HTML one) or a bracket it did not open."""
    stack: list[str] = []
    i, n = _DOI_PLAIN.match(text, start).end(), len(text)  # type: ignore[union-attr]
    while i < n:
        char = text[i]
        if char.isspace() or char in _DOI_STOP or char == ">":
            break
        if char == "<":
            segment = _SICI_SEGMENT.match(text, i)
            if not segment:
                break
            i = segment.end()
            continue
        if char in _OPENERS:
            stack.append(_OPENERS[char])
        elif char in _CLOSERS:
            if not stack or stack[-1] != char:
                break
            stack.pop()
        i += 1
    return i


def _trim(value: str) -> str:
    """Drop trailing punctuation, and a bracket that opens and never closes (`10.1/a(b`):
    the DOI's own brackets are balanced."""
    if not _HAS_OPENER.search(value):
        return value.rstrip(_TRAILING)
    depth: list[int] = []
    for i, char in enumerate(value):
        if char in _OPENERS:
            depth.append(i)
        elif char in _CLOSERS and depth:
            depth.pop()
    if depth:
        value = value[: depth[0]]
    return value.rstrip(_TRAILING)


def _decode(value: str) -> str:
    """Undo percent-encoding (once or twice) and HTML entities, as long as that yields
    something new."""
    for _ in range(2):
        if not _ENCODED.search(value):
            break
        decoded = unquote(value)
        if decoded == value:
            break
        value = decoded
    if "&" in value and _ENTITY.search(value):
        value = html.unescape(value)
    return value


def _doi_from(text: str, match: re.Match[str]) -> str | None:
    doi = text[match.start() : _doi_end(text, match.end())]
    doi = _strip_url_tail(_trim(doi))
    suffix = doi.split("/", 1)[1] if "/" in doi else ""
    return doi.lower() if suffix and _valid_suffix(suffix) else None


def _valid_suffix(suffix: str) -> bool:
    return any(c.isalnum() for c in suffix)


def normalize_doi(value: str | None) -> str | None:
    """Return the bare, lower-case DOI in `value`, or None if there is none.

    >>> normalize_doi("https://doi.org/10.1186/S12913-021-06429-W.")
    '10.1186/s12913-021-06429-w'
    >>> normalize_doi("[https://doi.org/10.1038/nature03687](https://doi.org/10.1038/nature03687)")
    '10.1038/nature03687'
    """
    if not value:
        return None
    text = _decode(value.strip())
    text = _DOI_PREFIXES.sub("", text.lstrip("<([{\"' \t"))
    match = _DOI_START.search(text)
    return _doi_from(text, match) if match else None


def _strip_url_tail(doi: str) -> str:
    """A DOI taken from a link may carry a fragment, a query or a page name that is not
    part of it."""
    for marker in ("#", "?"):
        head, sep, _ = doi.partition(marker)
        if sep and head.count("/") >= 1:
            doi = head
    while True:
        shorter = _PAGE_TAIL.sub("", doi)
        if shorter == doi or "/" not in shorter:
            break
        doi = shorter
    return _trim(doi)


def find_dois(text: str) -> list[str]:
    """Every distinct DOI in `text`, in order of first appearance."""
    found: list[str] = []
    text = _decode(text)
    for match in _DOI_START.finditer(text):
        doi = _doi_from(text, match)
        if doi and doi not in found:
            found.append(doi)
    return found


def is_valid_doi(doi: str) -> bool:
    """`doi` is a canonical DOI as zsync writes it: lower case, nothing around it, every
    bracket closed, `<` and `>` only in SICI segments."""
    match = _DOI_START.match(doi)
    return match is not None and doi == doi.lower() and _doi_from(doi, match) == doi


# --- PubMed and PMC ------------------------------------------------------------------------

_PMID_PATTERNS = (
    lazy(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9})\b", re.IGNORECASE),
    lazy(r"ncbi\.nlm\.nih\.gov/pubmed/(\d{1,9})\b", re.IGNORECASE),
    lazy(r"\bPMID\s*[:=]?\s*(\d{1,9})\b", re.IGNORECASE),
    lazy(r"\bpubmed(?:\s*id)?\s*[:=]\s*(\d{1,9})\b", re.IGNORECASE),
)
_PMCID = lazy(r"\bPMC\s*(\d{1,9})\b", re.IGNORECASE)
_PMCID_LABEL = lazy(r"\bPMCID\s*[:=]?\s*(?:PMC)?\s*(\d{1,9})\b", re.IGNORECASE)


def normalize_pmid(value: str | int | None) -> str | None:
    """PMID as a string of digits (no leading zeros), from a bare number, label or URL."""
    if value is None:
        return None
    text = str(value).strip()
    if text.isdigit():
        return _digits(text)
    pmids = find_pmids(text)
    if pmids:
        return pmids[0]
    bare = re.fullmatch(r"[\[(]?\s*(\d{1,9})\s*[\])]?[.,;]?", text)
    return _digits(bare.group(1)) if bare else None


def _digits(text: str) -> str | None:
    stripped = text.lstrip("0")
    return stripped if stripped and len(stripped) <= 9 else None


def find_pmids(text: str) -> list[str]:
    """PMIDs that `text` marks as such: PubMed URLs and `PMID:` labels (never bare numbers)."""
    hits: list[tuple[int, str]] = []
    for pattern in _PMID_PATTERNS:
        for match in pattern.finditer(text):
            pmid = _digits(match.group(1))
            if pmid:
                hits.append((match.start(), pmid))
    return _ordered_unique(hits)


def normalize_pmcid(value: str | int | None) -> str | None:
    """PMCID as `PMC` + digits, from `PMC123`, `pmc123`, `PMCID: 123`, or a PMC URL."""
    if value is None:
        return None
    text = str(value).strip()
    if text.isdigit():
        digits = _digits(text)
        return f"PMC{digits}" if digits else None
    found = find_pmcids(text)
    return found[0] if found else None


def find_pmcids(text: str) -> list[str]:
    """PMCIDs in `text`: `PMC123` tokens (also inside PMC URLs) and `PMCID:` labels."""
    hits: list[tuple[int, str]] = []
    for pattern in (_PMCID, _PMCID_LABEL):
        for match in pattern.finditer(text):
            digits = _digits(match.group(1))
            if digits:
                hits.append((match.start(), f"PMC{digits}"))
    return _ordered_unique(hits)


def _ordered_unique(hits: list[tuple[int, str]]) -> list[str]:
    out: list[str] = []
    for _, value in sorted(hits):
        if value not in out:
            out.append(value)
    return out


# --- ISBN ----------------------------------------------------------------------------------

_ISBN_CANDIDATE = lazy(r"(?<![\d-])(?:97[89][\s-]?)?\d(?:[\s-]?\d){8}[\s-]?[\dXx](?![\d-])")


def _isbn10_ok(digits: str) -> bool:
    total = sum((10 - i) * (10 if c in "Xx" else int(c)) for i, c in enumerate(digits))
    return total % 11 == 0


def _isbn13_check(first12: str) -> str:
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(first12))
    return str((10 - total % 10) % 10)


def normalize_isbn(value: str | None) -> str | None:
    """ISBN-13 digits for a valid ISBN-10 or ISBN-13 (checksum verified), else None."""
    if not value:
        return None
    text = re.sub(r"^\s*ISBN(?:-1[03])?\s*[:=]?\s*", "", value.strip(), flags=re.IGNORECASE)
    compact = re.sub(r"[\s-]", "", text)
    if re.fullmatch(r"\d{9}[\dXx]", compact):
        if not _isbn10_ok(compact):
            return None
        first12 = "978" + compact[:9]
        return first12 + _isbn13_check(first12)
    if re.fullmatch(r"97[89]\d{10}", compact):
        return compact if _isbn13_check(compact[:12]) == compact[12] else None
    return None


def find_isbns(text: str) -> list[str]:
    """Valid ISBNs in `text`, as ISBN-13."""
    hits = []
    for match in _ISBN_CANDIDATE.finditer(text):
        isbn = normalize_isbn(match.group(0))
        if isbn:
            hits.append((match.start(), isbn))
    return _ordered_unique(hits)


# --- arXiv ---------------------------------------------------------------------------------

_ARXIV_NEW = r"\d{4}\.\d{4,5}"
_ARXIV_OLD = r"[a-z-]+(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_ID = rf"(?P<id>{_ARXIV_NEW}|{_ARXIV_OLD})(?:v\d+)?"
_ARXIV_IN_TEXT = (
    lazy(rf"arxiv\.org/(?:abs|pdf|html)/{_ARXIV_ID}", re.IGNORECASE),
    lazy(rf"\barxiv\s*[:.]\s*{_ARXIV_ID}", re.IGNORECASE),
    lazy(rf"10\.48550/arxiv\.{_ARXIV_ID}", re.IGNORECASE),
)
_ARXIV_WORD = lazy("arxiv", re.IGNORECASE)


def normalize_arxiv(value: str | None) -> str | None:
    """arXiv id without version (`1810.04805`, `hep-th/9901001`) from an id, label or URL."""
    if not value:
        return None
    text = value.strip()
    found = find_arxiv_ids(text)
    if found:
        return found[0]
    bare = re.fullmatch(rf"[\[(]?{_ARXIV_ID}[\])]?[.,;]?", text, re.IGNORECASE)
    return bare.group("id") if bare else None


def find_arxiv_ids(text: str) -> list[str]:
    """arXiv ids that `text` marks as such (arxiv.org URLs, `arXiv:` labels, arXiv DOIs)."""
    if not _ARXIV_WORD.search(text):  # each of them says `arxiv`: most texts are skipped
        return []
    hits = []
    for pattern in _ARXIV_IN_TEXT:
        for match in pattern.finditer(text):
            hits.append((match.start(), match.group("id")))
    return _ordered_unique(hits)


def arxiv_doi(arxiv_id: str) -> str:
    """The DOI arXiv registers (with DataCite) for an arXiv id."""
    return f"10.48550/arxiv.{arxiv_id.lower()}"


# --- Citation keys -------------------------------------------------------------------------

_CITEKEY = lazy(r"[^\s{}\[\](),;@\"'#%~\\]+")
_CITE_PREFIX = lazy(r"^(?:cite[a-z]*:&?|@)", re.IGNORECASE)


def normalize_citekey(value: str | None) -> str | None:
    """A citation key as written (`@key`, `{key}`, `cite:key`, `cite:&key`), bare; None
    when `value` is not one key. Keys are case-sensitive, as Better BibTeX makes them."""
    if not value:
        return None
    text = _CITE_PREFIX.sub("", value.strip().strip("{}[]").strip()).strip()
    return text if _CITEKEY.fullmatch(text) else None
