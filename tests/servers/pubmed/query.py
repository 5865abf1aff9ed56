"""ESearch `term` parsing and evaluation for the PubMed emulator.

Supported: quoted phrases, `value[tag]` (untagged words just before a tag join it as a
phrase, so `journal article[pt]` works), implicit AND between other adjacent terms, the
upper-case operators AND / OR / NOT applied left to right (as PubMed does) and parentheses.
Tags (case-insensitive): doi, aid, lid, pmid/uid, pmcid/pmc, ti/title, tiab, au/author,
1au, dp/pdat, ta/journal, pt, mh/majr, vi, ip, all/all fields; untagged terms search all
fields, and an untagged PMID or DOI also matches by id. A DOI keeps its own parentheses
and brackets: only the last `[...]` is a tag and only unbalanced `)` close a group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.servers.pubmed.store import ArticleStore, normalize_pmcid, words

TAG_ALIASES = {
    "doi": "doi", "aid": "aid", "lid": "lid", "location id": "lid",
    "pmid": "pmid", "uid": "pmid", "pmcid": "pmcid", "pmc": "pmcid",
    "ti": "ti", "title": "ti", "tiab": "tiab", "title/abstract": "tiab",
    "au": "au", "author": "au", "1au": "1au", "author - first": "1au",
    "dp": "dp", "pdat": "dp", "publication date": "dp",
    "ta": "ta", "journal": "ta", "jour": "ta",
    "pt": "pt", "publication type": "pt",
    "mh": "mh", "mesh": "mh", "majr": "mh", "mesh terms": "mh",
    "vi": "vi", "volume": "vi", "ip": "ip", "issue": "ip",
    "all": "all", "all fields": "all", "tw": "tiab", "text word": "tiab",
}
OPERATORS = ("AND", "OR", "NOT")


@dataclass
class Atom:
    value: str
    tag: str | None
    quoted: bool = False

    def translation(self) -> str:
        if self.tag is None:
            return f'"{self.value}"[All Fields]' if self.quoted or " " in self.value else \
                f"{self.value}[All Fields]"
        value = f'"{self.value}"' if self.quoted else self.value
        return f"{value}[{self.tag}]"


Token = Atom | str  # str: "(", ")", "AND", "OR", "NOT"


class QueryError(ValueError):
    pass


def tokenize(term: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(term)
    while i < n:
        ch = term[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "()":
            tokens.append(ch)
            i += 1
            continue
        if ch == '"':
            end = term.find('"', i + 1)
            if end < 0:
                end = n
            value = term[i + 1:end]
            i = end + 1
            tag = None
            if i < n and term[i] == "[":
                close = term.find("]", i)
                close = n if close < 0 else close
                tag = term[i + 1:close]
                i = close + 1
            tokens.append(Atom(value, tag, quoted=True))
            continue
        j = i
        while j < n and not term[j].isspace():
            j += 1
        chunk = term[i:j]
        i = j
        closing = 0
        while chunk.endswith(")") and chunk.count(")") > chunk.count("("):
            chunk = chunk[:-1]
            closing += 1
        if chunk in OPERATORS:
            tokens.append(chunk)
        elif chunk:
            tag = None
            if chunk.endswith("]") and "[" in chunk:
                k = chunk.rfind("[")
                chunk, tag = chunk[:k], chunk[k + 1:-1]
            if chunk:
                if tag is not None:
                    # `journal article[pt]`: the untagged words before a tag form a phrase.
                    while tokens:
                        last = tokens[-1]
                        if not isinstance(last, Atom) or last.tag is not None or last.quoted:
                            break
                        tokens.pop()
                        chunk = f"{last.value} {chunk}"
                tokens.append(Atom(chunk, tag))
        tokens.extend(")" for _ in range(closing))
    return tokens


@dataclass
class Result:
    pmids: set[str]
    translation: str
    not_found: list[str]
    fields_not_found: list[str]


class Evaluator:
    def __init__(self, store: ArticleStore, default_tag: str | None = None) -> None:
        self.store = store
        self.default_tag = default_tag
        self.not_found: list[str] = []
        self.fields_not_found: list[str] = []

    def run(self, term: str) -> Result:
        tokens = tokenize(term)
        if not tokens:
            raise QueryError("empty term")
        pos, pmids, text = self._expr(tokens, 0)
        if pos != len(tokens):
            raise QueryError("unbalanced parentheses")
        return Result(pmids, text, self.not_found, self.fields_not_found)

    def _expr(self, tokens: list[Token], pos: int) -> tuple[int, set[str], str]:
        pos, acc, text = self._operand(tokens, pos)
        while pos < len(tokens) and tokens[pos] != ")":
            op = tokens[pos]
            if isinstance(op, str) and op in OPERATORS:
                pos += 1
            else:
                op = "AND"  # adjacent terms
            pos, rhs, rtext = self._operand(tokens, pos)
            if op == "AND":
                acc = acc & rhs
            elif op == "OR":
                acc = acc | rhs
            else:
                acc = acc - rhs
            text = f"{text} {op} {rtext}"
        return pos, acc, text

    def _operand(self, tokens: list[Token], pos: int) -> tuple[int, set[str], str]:
        if pos >= len(tokens):
            raise QueryError("term ends with an operator")
        token = tokens[pos]
        if token == "(":
            pos, pmids, text = self._expr(tokens, pos + 1)
            if pos >= len(tokens) or tokens[pos] != ")":
                raise QueryError("unbalanced parentheses")
            return pos + 1, pmids, f"({text})"
        if isinstance(token, Atom):
            return pos + 1, self._atom(token), token.translation()
        raise QueryError(f"unexpected {token!r}")

    def _atom(self, atom: Atom) -> set[str]:
        tag = atom.tag if atom.tag is not None else self.default_tag
        if tag is None:
            found = self._untagged(atom.value)
        else:
            name = TAG_ALIASES.get(tag.strip().lower())
            if name is None:
                self.fields_not_found.append(tag)
                return set()
            found = self._tagged(name, atom.value)
        if not found:
            self.not_found.append(atom.value)
        return found

    def _words_in(self, index: str, text: str) -> set[str]:
        tokens = words(text)
        if not tokens:
            return set()
        result = self.store.lookup(index, tokens[0])
        for token in tokens[1:]:
            result &= self.store.lookup(index, token)
        return result

    def _untagged(self, value: str) -> set[str]:
        found = self._words_in("w:all", value)
        if value.isdigit():
            found |= self.store.lookup("pmid", value)
        if value.lower().startswith("10."):
            found |= self.store.lookup("doi", value.lower())
        return found

    def _tagged(self, name: str, value: str) -> set[str]:
        store = self.store
        low = value.strip().lower()
        if name in ("doi", "aid", "lid"):
            return store.lookup(name, low)
        if name == "pmid":
            return store.lookup("pmid", low)
        if name == "pmcid":
            return store.lookup("pmcid", normalize_pmcid(value))
        if name in ("ti", "tiab", "all"):
            return self._words_in({"ti": "w:ti", "tiab": "w:tiab", "all": "w:all"}[name], value)
        if name in ("au", "1au"):
            return store.lookup(name, " ".join(words(value)))
        if name == "dp":
            return self._years(value)
        if name in ("ta", "pt", "mh"):
            return store.lookup(name, " ".join(words(value)))
        return store.lookup(name, low)

    def _years(self, value: str) -> set[str]:
        found = re.findall(r"\d{4}", value)
        if not found:
            return set()
        first = int(found[0])
        last = int(found[1]) if ":" in value and len(found) > 1 else first
        result: set[str] = set()
        for year in range(first, last + 1):
            result |= self.store.lookup("dp", str(year))
        return result
