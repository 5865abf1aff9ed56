"""TeX markup in BibTeX values turned into plain Unicode text.

bibtexparser's `latex_to_unicode` knows the accents and symbols (`{\\"u}`, `\\'{e}`, `{\\o}`)
but mangles formatting commands: `\\textit{word}` comes out as `\\textitword` and
`\\url{...}` has its `\\u` read as a breve accent. Formatting commands are therefore
unwrapped first, and what is left of TeX afterwards (braces, `~`, `--`) is cleaned up.
"""

from __future__ import annotations

import re
import unicodedata

from bibtexparser.latexenc import latex_to_unicode

# Commands whose braced argument is the text itself.
_WRAPPERS = (
    "textit|textbf|textsc|textrm|textsf|texttt|textup|textsl|textmd|textnormal|emph|em|it|bf|"
    "sc|rm|tt|mathrm|mathit|mathbf|mathsf|mathcal|mathbb|mathtt|text|mbox|hbox|url|"
    "uppercase|lowercase|MakeUppercase|MakeLowercase|NoCaseChange|ensuremath|"
    "textsuperscript|textsubscript|enquote|mkbibquote|nolinkurl|path"
)
_WRAPPER = re.compile(rf"\\(?:{_WRAPPERS})(?![A-Za-z])\s*")
_HREF = re.compile(r"\\href\s*\{[^{}]*\}\s*")
_FOREIGN = re.compile(r"\\foreignlanguage\s*\{[^{}]*\}\s*")
_SYMBOLS = {
    "textendash": "\u2013",
    "textemdash": "\u2014",
    "textquoteright": "\u2019",
    "textquoteleft": "\u2018",
    "textquotedblleft": "\u201c",
    "textquotedblright": "\u201d",
    "textregistered": "\u00ae",
    "texttrademark": "\u2122",
    "textcopyright": "\u00a9",
    "textdegree": "\u00b0",
    "textmu": "\u00b5",
    "textasciitilde": "~",
    "textbackslash": "\\",
    "textunderscore": "_",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textellipsis": "\u2026",
    "ldots": "\u2026",
    "dots": "\u2026",
    "S": "\u00a7",
    "textpm": "\u00b1",
    "textperiodcentered": "\u00b7",
    "textbullet": "\u2022",
}
_SYMBOL_NAMES = "|".join(sorted(_SYMBOLS, key=len, reverse=True))
_SYMBOL = re.compile(rf"\\({_SYMBOL_NAMES})(?![A-Za-z])(?:\{{\}})?")
_DOTLESS = re.compile(r"\\([ij])(?![A-Za-z])(?:\{\})?")
_ESCAPED = re.compile(r"\\([&%$#_{}])")
_PROTECT = {c: chr(0xE000 + i) for i, c in enumerate("&%$#_{}")}
_RESTORE = {v: k for k, v in _PROTECT.items()}
_LEFTOVER_COMMAND = re.compile(r"\\[A-Za-z]+\*?\s*")
_MATH = re.compile(r"(?<!\\)\$")
# Zotero writes rich-text titles as `{\textless}i{\textgreater}...`: drop the HTML tags.
_HTML = re.compile(r"</?(?:i|b|em|strong|sub|sup|sc|span|u)(?:\s[^<>]*)?>", re.IGNORECASE)


def latex_to_text(value: str | None) -> str:
    """Plain text for a BibTeX value: accents resolved, markup and braces dropped."""
    if not value:
        return ""
    text = _HREF.sub("", value)
    text = _FOREIGN.sub("", text)
    text = _WRAPPER.sub("", text)
    text = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(1)], text)
    text = _DOTLESS.sub(r"\1", text)
    text = _ESCAPED.sub(lambda m: _PROTECT[m.group(1)], text)
    text = _convert(text)
    text = _LEFTOVER_COMMAND.sub("", text)
    text = _MATH.sub("", text).replace("{", "").replace("}", "")
    text = "".join(_RESTORE.get(c, c) for c in text)
    text = re.sub(r"(?<!\\)~", " ", text)
    text = text.replace("---", "\u2014").replace("--", "\u2013")
    text = text.replace("``", "\u201c").replace("''", "\u201d")
    text = _HTML.sub("", unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", " ", text).strip()


def latex_verbatim(value: str | None) -> str:
    """A value meant literally (URL, DOI, identifier): only TeX escapes and braces removed."""
    if not value:
        return ""
    text = _WRAPPER.sub("", value)
    text = re.sub(r"\\([&%$#_{}])|[{}]", lambda m: m.group(1) or "", text)
    return " ".join(text.split())


def _convert(text: str) -> str:
    try:
        return str(latex_to_unicode(text))
    except Exception:  # the library's tables are partial; keep the text rather than fail
        return text


def is_braced_whole(value: str) -> bool:
    """True when `value` is one brace group: `{World Health Organization}`."""
    value = value.strip()
    if not (value.startswith("{") and value.endswith("}")):
        return False
    depth = 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and index != len(value) - 1:
                return False
    return depth == 0
