"""TeX markup in BibTeX values turned into plain Unicode text, with pylatexenc.

Accents, symbols and math (`Jo\\~{a}o`, `Toru{\\'n}`, `{$\\kappa$}`, `$\\sqrt{s}$`) become
the characters they stand for; formatting commands (`\\emph{...}`, `\\textbf{...}`) leave
their text. Sub- and superscripts become Unicode characters (`Cu$_2$O` -> `Cu₂O`) where
every character has one, else `<sub>`/`<sup>` markup, as Zotero writes them. A command
pylatexenc does not know is kept as written (`\\AIJ` stays `\\AIJ`), never dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.macrospec import LatexContextDb, MacroSpec

from zsync.model.patterns import lazy

# One digit or sign (and a superscript n) as its Unicode character, as Zotero writes them.
_SUBSCRIPTS = dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", strict=True))
_SUPERSCRIPTS = dict(zip("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ", strict=True))
_IFMMODE = lazy(r"\\ifmmode\b.*?\\else\b(.*?)\\fi\b", re.DOTALL)
_LONE_TILDE = lazy(r"\\~\{\}|\{\\~\}|\\~(?=[\s}]|$)")
_MATH_SPAN = lazy(r"(?<!\\)\$(.+?)(?<!\\)\$", re.DOTALL)
_SCRIPT_IN_MATH = lazy(
    r"([_^])\s*(?:\{((?:[^{}]|\{[^{}]*\})*)\}|(\\[A-Za-z]+|[^\s{}\\]))"
)
_TEXT_SCRIPT = lazy(r"\\text(super|sub)script\s*\{([^{}]*)\}")
# A piece pylatexenc must read: a command with its arguments (one level of nested braces),
# a math span, or a braced group holding a command (`{\\'n}`); the text between is plain.
_GROUP = r"\{(?:[^{}]|\{[^{}]*\})*\}"
_FRAGMENT = lazy(
    rf"(\\[^A-Za-z\s](?:\s*{_GROUP}|\s*\\[A-Za-z]+|[A-Za-z])?"  # \'{e}, \"o, \'\i, \%
    r"|\\[cvuHdbkrt]\s+[A-Za-z]"  # \c c, \v s
    rf"|\\[A-Za-z]+\*?(?:\s*{_GROUP})*"  # \emph{...}, \ss, \frac{a}{b}
    r"|(?<!\\)\$[^$]+(?<!\\)\$"  # math
    rf"|\{{[^{{}}]*\\(?:[^{{}}]|{_GROUP})*\}})"  # {\'n}, {\o}
)
_TEX_SIGNS = lazy(r"[\\{}$~]|--|``|''|<")
# Zotero writes rich-text titles as `{\textless}i{\textgreater}...`: drop the HTML tags,
# except the sub- and superscripts that carry meaning.
_HTML = lazy(r"</?(?:i|b|em|strong|sc|span|u)(?:\s[^<>]*)?>", re.IGNORECASE)
_SYMBOLS = {
    "textless": "<", "textgreater": ">", "textbar": "|", "textunderscore": "_",
    "textasciitilde": "~", "textbackslash": "\\", "textregistered": "\u00ae",
    "texttrademark": "\u2122", "textcopyright": "\u00a9", "textdegree": "\u00b0",
    "textmu": "\u00b5", "textpm": "\u00b1", "textperiodcentered": "\u00b7",
    "textbullet": "\u2022", "textellipsis": "\u2026",
}
_URL_COMMAND = lazy(r"^\s*\\(?:url|path|nolinkurl)\s*\{(.*)\}\s*$", re.DOTALL)
_ESCAPE_OR_BRACE = lazy(r"\\([&%$#_{}~])|[{}]")
_KEPT_MARK = "\ue000"  # stands for a backslash of a command kept as written
# Commands of hyperref and biblatex that pylatexenc reads without their arguments:
# (name, argument spec, text). `%(n)s` is the n-th argument as text.
_COMMANDS = (
    ("href", "{{", None),  # link text, then its address where the text does not say it
    ("enquote", "*{", "\u201c%(2)s\u201d"),
    ("mkbibquote", "{", "\u201c%(1)s\u201d"),
    ("mkbibemph", "{", "%(1)s"),
    ("mkbibitalic", "{", "%(1)s"),
    ("mkbibbold", "{", "%(1)s"),
    ("mkbibacro", "{", "%(1)s"),
    ("NoCaseChange", "{", "%(1)s"),
    ("nocite", "{", ""),
)
# A backslash written twice before an accent or a letter command (`D\\'ecoret`,
# `Swe{\\i}g`), as programs that escape backslashes once more than needed write it: the
# accent or letter is meant, not a line break followed by an apostrophe.
_DOUBLED_BACKSLASH = lazy(r"\\\\(?=[`'\"^~=.][A-Za-z{\\]|([A-Za-z]+)(?![A-Za-z]))")


def latex_to_text(value: str | None) -> str:
    """Plain text for a BibTeX value: accents resolved, markup and braces dropped."""
    if not value:
        return ""
    return _latex_to_text(value)


@lru_cache(maxsize=100_000)
def _latex_to_text(value: str) -> str:
    text = value
    if _TEX_SIGNS.search(text):
        text = _IFMMODE.sub(r"\1", text)
        text = _DOUBLED_BACKSLASH.sub(_single_backslash, text)
        text = _LONE_TILDE.sub("\u223c", text)  # an accent over nothing: the tilde itself
        text = _TEXT_SCRIPT.sub(lambda m: _script("^" if m.group(1) == "super" else "_",
                                                  m.group(2)), text)
        text = _MATH_SPAN.sub(lambda m: "$" + _scripts_in_math(m.group(1)) + "$", text)
        pieces = _FRAGMENT.split(text)
        text = "".join(
            _convert_fragment(piece) if index % 2 else _plain(piece)
            for index, piece in enumerate(pieces)
        )
        text = text.replace(_KEPT_MARK, "\\").replace("\u00a0", " ")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "<" in text:
        text = _HTML.sub("", text)
    return " ".join(text.split())  # runs of white space (Unicode's too) as one space


def _plain(text: str) -> str:
    """Text between TeX commands: braces, ties, dashes and quotes."""
    text = text.replace("{", "").replace("}", "").replace("~", " ")
    text = text.replace("---", "\u2014").replace("--", "\u2013")
    return text.replace("``", "\u201c").replace("''", "\u201d")


def latex_verbatim(value: str | None) -> str:
    """A value meant literally (URL, DOI, identifier): only TeX escapes and braces removed.

    Spaces inside are kept (`.../Volume 9/Issue 2/x.pdf` is one address); line breaks and
    runs of spaces become one space.
    """
    if not value:
        return ""
    text = _URL_COMMAND.sub(r"\1", value)
    if "{" in text or "}" in text or "\\" in text:
        text = _ESCAPE_OR_BRACE.sub(lambda m: m.group(1) or "", text)
    return " ".join(text.split())


def _scripts_in_math(math: str) -> str:
    return _SCRIPT_IN_MATH.sub(lambda m: _script(m.group(1), m.group(2) or m.group(3)), math)


def _script(kind: str, body: str | None) -> str:
    """`_2` as `₂`; as `<sub>..</sub>` for more than one character or one without a
    Unicode subscript (`_{12}`, `_{eee}`), as Zotero writes them."""
    body = (body or "").strip()
    if "\\" in body:
        body = _convert("$" + body + "$").strip()
    table = _SUBSCRIPTS if kind == "_" else _SUPERSCRIPTS
    if body in table:
        return table[body]
    tag = "sub" if kind == "_" else "sup"
    return f"<{tag}>{body}</{tag}>"


@cache
def _converter() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    context.add_context_category(
        "zsync-text-symbols",
        macros=[MacroTextSpec(name, simplify_repl=char) for name, char in _SYMBOLS.items()]
        + [MacroTextSpec("url", simplify_repl="%s")]
        + [MacroTextSpec(name, simplify_repl=text or _link) for name, _, text in _COMMANDS],
        prepend=True,
    )
    context = context.filter_context()  # a copy we may change
    context.set_unknown_macro_spec(MacroTextSpec("", simplify_repl=_kept_as_written))
    return LatexNodes2Text(latex_context=context, math_mode="text", strict_latex_spaces=True)


@cache
def _walker_context() -> LatexContextDb:
    """pylatexenc's parsing context, knowing the arguments of `_COMMANDS`."""
    context = latexwalker.get_default_latex_context_db()
    context.add_context_category(
        "zsync-commands", macros=[MacroSpec(name, args) for name, args, _ in _COMMANDS],
        prepend=True,
    )
    return context


def _single_backslash(match: re.Match[str]) -> str:
    """One backslash for `_DOUBLED_BACKSLASH`, when what follows is an accent or a command
    pylatexenc reads as one letter (`\\i`, `\\ss`, `\\o`); else the line break stays."""
    name = match.group(1)
    if name is None:
        return "\\"
    spec = _converter().latex_context.get_macro_spec(name)
    letter = getattr(spec, "simplify_repl", None) if spec is not None else None
    return "\\" if isinstance(letter, str) and len(letter) == 1 and letter.isalpha() else "\\\\"


def _link(node: latexwalker.LatexMacroNode, l2tobj: LatexNodes2Text) -> str:
    """`\\href{address}{text}` as its text, followed by the address unless the text is it."""
    address_node, text_node = node.nodeargd.argnlist[-2:]
    address = latex_verbatim(address_node.latex_verbatim()) if address_node else ""
    text = l2tobj.nodelist_to_text([text_node]).strip() if text_node else ""
    if not text or address.rstrip("/").endswith(text.rstrip("/")):
        return address
    return f"{text} ({address})" if address else text


def _kept_as_written(node: object) -> str:
    name = getattr(node, "macroname", "")
    return f"{_KEPT_MARK}{name}{getattr(node, 'macro_post_space', '')}" if name else ""


@lru_cache(maxsize=50_000)
def _convert_fragment(fragment: str) -> str:
    """One TeX command, math span or braced group holding a command, as text (the same
    accents and names recur throughout a file, so each is converted once)."""
    return _convert(fragment)


def _convert(text: str) -> str:
    try:
        return str(_converter().latex_to_text(text, latex_context=_walker_context()))
    except Exception:  # pylatexenc is lenient, but keep the text rather than fail on a file
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
