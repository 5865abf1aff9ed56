"""Note HTML cleaning as the Zotero Web API does it.

dataserver (`Zotero_Notes::sanitize`) sends every note to a cleaning service built on the
TinyMCE 4.5.2 HTML parser and serializer with their default (HTML5 + HTML4) schema, root block
`p` and "simple" indentation, and returns the cleaned text from then on. This module follows
the rules of that parser as observed on the real library (recorded cases in
`notes_cases.json`, checked by `test_zotero_contract.py`):

- elements outside the schema are unwrapped (their text kept); `script`, `style`, `title` and
  head elements are dropped with their content; `b` becomes `strong`, `i` becomes `em`;
- attributes are kept only if the schema allows them on that element, or start with `data-`
  or `aria-`; they are written in schema order (id, class, style, title ... first), then the
  others in source order; `javascript:`/`vbscript:` URLs and non-image `data:` URLs are dropped;
  a link with `target="_blank"` gets `rel="noopener noreferrer"`, one without loses them;
- whitespace runs collapse to one space (not in `pre`), text at the top level is wrapped in
  `<p>`, empty `p`/`div`/`h1`... get a no-break space, empty `span`/`a`/`strong`/`em`/lists are
  removed unless they carry `id` or `name`, a `span` without attributes is unwrapped;
- comments are kept; block elements are put on their own lines; void elements are written
  `<br />`; text escapes only `& < >`, attributes also `"` and `` ` ``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape as html_unescape
from html.parser import HTMLParser
from urllib.parse import unquote

_GLOBAL = ("id accesskey class dir lang style tabindex title contenteditable contextmenu "
           "draggable dropzone hidden spellcheck translate xml:lang").split()

# Element -> attributes it may carry besides the global ones (TinyMCE 4 default schema).
_ELEMENT_ATTRS: dict[str, str] = {
    "a": "href target rel media hreflang type charset name rev shape coords download",
    "img": "src sizes srcset alt usemap ismap width height name longdesc align border hspace "
           "vspace crossorigin",
    "p": "align", "div": "align", "h1": "align", "h2": "align", "h3": "align", "h4": "align",
    "h5": "align", "h6": "align", "caption": "align", "legend": "align",
    "ol": "reversed start type compact", "ul": "type compact", "li": "value type",
    "dl": "compact", "menu": "type label compact", "dir": "compact",
    "blockquote": "cite", "q": "cite", "ins": "cite datetime", "del": "cite datetime",
    "table": "border summary width frame rules cellspacing cellpadding align bgcolor",
    "tr": "align char charoff valign bgcolor",
    "td": "colspan rowspan headers abbr axis scope align char charoff valign nowrap bgcolor "
          "width height",
    "th": "colspan rowspan headers scope abbr axis align char charoff valign nowrap bgcolor "
          "width height",
    "thead": "align char charoff valign", "tbody": "align char charoff valign",
    "tfoot": "align char charoff valign",
    "col": "span width align char charoff valign", "colgroup": "span width align char charoff valign",
    "pre": "width xml:space", "hr": "align noshade size width", "br": "clear",
    "font": "size color face", "basefont": "size color face", "time": "datetime",
    "iframe": "src name width height longdesc frameborder marginwidth marginheight scrolling "
              "align sandbox seamless allowfullscreen",
    "label": "form for", "abbr": "", "map": "name", "area": "alt coords shape href target rel "
    "media hreflang type nohref",
    "input": "accept alt autocomplete checked dirname disabled form formaction formenctype "
             "formmethod formnovalidate formtarget height list max maxlength min multiple name "
             "pattern readonly required size src step type value width usemap align autofocus "
             "placeholder",
    "button": "disabled form formaction formenctype formmethod formnovalidate formtarget name "
              "type value autofocus",
    "textarea": "cols dirname disabled form maxlength name readonly required rows wrap "
                "autofocus placeholder",
    "select": "disabled form multiple name required size onchange autofocus",
    "option": "disabled label selected value", "optgroup": "disabled label",
    "video": "src crossorigin poster preload autoplay mediagroup loop muted controls width "
             "height buffered",
    "audio": "src crossorigin preload autoplay mediagroup loop muted controls buffered volume",
    "source": "src srcset type media sizes", "track": "kind src srclang label default",
    "object": "data type typemustmatch name usemap form width height", "param": "name value",
    "embed": "src type width height align name hspace vspace", "canvas": "width height",
    "details": "open", "dialog": "open", "meter": "value min max low high optimum",
    "progress": "value max", "output": "for form name", "fieldset": "disabled form name",
    "form": "accept-charset action autocomplete enctype method name novalidate target accept",
}
_PLAIN = ("span strong em u s sub sup code var samp kbd bdo small cite dfn strike tt big acronym "
          "center address dt dd mark article section aside header footer nav figure figcaption "
          "hgroup summary wbr ruby rt rp bdi noscript picture datalist").split()
_SCHEMA: dict[str, list[str]] = {
    **{name: _GLOBAL + attrs.split() for name, attrs in _ELEMENT_ATTRS.items()},
    **{name: list(_GLOBAL) for name in _PLAIN},
}
_RENAMED = {"b": "strong", "i": "em"}
_DROPPED = {"script", "style", "title", "meta", "link", "base", "head", "template"}
_VOID = set("area base basefont br col frame hr img input isindex link meta param embed source "
            "wbr track".split())
_BLOCK = set("h1 h2 h3 h4 h5 h6 p div address pre form blockquote center dir fieldset header "
             "footer article section hgroup aside nav figure hr table tbody thead tfoot th tr td "
             "li ol ul caption dl dt dd noscript menu isindex option datalist select optgroup "
             "figcaption".split())
_SELF_CLOSING = set("colgroup dd dt li option td tfoot th thead tr p".split())
_SIBLINGS = {"dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "td": {"td", "th"}, "th": {"td", "th"}}
_PHRASING_ONLY = set("p h1 h2 h3 h4 h5 h6 pre".split())
_PRESERVE_SPACE = set("pre textarea video audio iframe object".split())
_NON_EMPTY = _VOID | set("td th iframe video audio object".split())
_REMOVE_EMPTY = set("ol ul sub sup blockquote span font a table tbody tr strong em".split())
_PAD_EMPTY = set("p h1 h2 h3 h4 h5 h6 th td pre div address caption".split())
_BOOLEAN = set("checked compact declare defer disabled ismap multiple nohref noresize noshade "
               "nowrap readonly selected autoplay loop controls".split())
_URL_ATTRS = {"src", "href", "data", "background", "formaction", "poster"}
_INDENT = set("p h1 h2 h3 h4 h5 h6 blockquote div title style pre script td th ul ol li dl dt dd "
              "area table thead tfoot tbody tr section article hgroup aside figure figcaption "
              "option optgroup datalist".split())
_SCRIPT_URL = re.compile(r"((java|vb)script|mhtml):", re.I)
_SPACES = re.compile(r"[ \t\r\n]+")
_TARGET_RULES = re.compile(r"(noopener|noreferrer)")
_STYLE_DECL = re.compile(r"\s*([^:;]+?)\s*:\s*([^;]*?)\s*(?:;|$)")


@dataclass
class _Node:
    name: str  # "#text", "#comment" or an element name
    value: str = ""
    attrs: list[tuple[str, str]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None

    def attr(self, name: str) -> str | None:
        return next((v for n, v in self.attrs if n == name), None)

    def set_attr(self, name: str, value: str | None) -> None:
        kept = [(n, v) for n, v in self.attrs if n != name]
        if value is None:
            self.attrs = kept
        elif len(kept) == len(self.attrs):
            self.attrs.append((name, value))
        else:
            self.attrs = [(n, value if n == name else v) for n, v in self.attrs]

    def append(self, child: _Node) -> _Node:
        child.parent = self
        self.children.append(child)
        return child


def _is_block(node: _Node | None) -> bool:
    return node is not None and node.name in _BLOCK


def _is_empty(node: _Node) -> bool:
    for child in node.children:
        if child.name == "#comment" or child.name in _NON_EMPTY:
            return False
        if child.name == "#text":
            if not _SPACES.fullmatch(child.value) and child.value:
                return False
        elif child.attr("name") is not None or not _is_empty(child):
            return False
    return True


def _style(value: str) -> str | None:
    decls = [(m.group(1).lower(), m.group(2) if "url(" in m.group(2) else m.group(2).lower())
             for m in _STYLE_DECL.finditer(value) if m.group(2)]
    return " ".join(f"{name}: {val};" for name, val in decls) or None


def _allowed(tag: str, name: str, value: str) -> bool:
    if name not in _SCHEMA[tag] and not name.startswith(("data-", "aria-")):
        return False
    if name in _URL_ATTRS:
        uri = unquote(value.strip())
        if _SCRIPT_URL.search(uri):
            return False
        if uri.lower().startswith("data:") and not uri.lower().startswith("data:image/"):
            return False
    return True


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.node = self.root
        self.dropping = 0
        self.preserve = 0

    # -- element events ---------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping or tag in _DROPPED:
            self.dropping += tag in _DROPPED and tag not in _VOID
            return
        name = _RENAMED.get(tag, tag)
        if name not in _SCHEMA:
            return
        kept: list[tuple[str, str]] = []
        for raw_name, raw_value in attrs:
            attr = raw_name.lower()
            value = attr if attr in _BOOLEAN else (raw_value or "")
            if _allowed(name, attr, value) and all(attr != n for n, _ in kept):
                kept.append((attr, value))
        if name == "span" and not kept:
            return
        self._close_for(name)
        node = _Node(name, attrs=kept)
        if name in _BLOCK:
            self._trim_before_block()
        self.node.append(node)
        if name not in _VOID:
            self.node = node
            self.preserve += name in _PRESERVE_SPACE

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and _RENAMED.get(tag, tag) in _SCHEMA:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            self.dropping -= tag in _DROPPED
            return
        name = _RENAMED.get(tag, tag)
        open_node: _Node | None = self.node
        while open_node is not None and open_node.name != name:
            open_node = open_node.parent
        if open_node is None or name in _VOID:
            return
        while True:
            closing = self.node
            self._close(closing)
            if closing is open_node:
                return

    def _close_for(self, name: str) -> None:
        """Close what cannot contain `name`: a repeated li/td/p..., or a paragraph or heading
        around a block."""
        if name in _SELF_CLOSING and self.node.name in _SIBLINGS.get(name, {name}):
            self._close(self.node)
        if name in _BLOCK:
            chain, node = [], self.node
            while node.name != "#root":
                chain.append(node)
                node = node.parent  # type: ignore[assignment]
            outer = next((n for n in reversed(chain) if n.name in _PHRASING_ONLY), None)
            while outer is not None and self.node is not outer.parent:
                self._close(self.node)

    def _close(self, node: _Node) -> None:
        parent = node.parent
        assert parent is not None
        self.node = parent
        if node.name in _BLOCK and not self.preserve:
            _trim_edges(node)
        if node.name in _PRESERVE_SPACE:
            self.preserve -= 1
        empty_rule = node.name in _REMOVE_EMPTY or node.name in _PAD_EMPTY
        if not empty_rule or not _is_empty(node):
            return
        if node.name in _PAD_EMPTY:
            node.children = []
            node.append(_Node("#text", "\u00a0"))
        elif node.attr("name") is None and node.attr("id") is None:
            index = parent.children.index(node)
            moved = [] if node.name in _BLOCK else node.children
            for child in moved:
                child.parent = parent
            parent.children[index:index + 1] = moved

    def _trim_before_block(self) -> None:
        siblings = self.node.children
        while siblings and siblings[-1].name == "#text":
            text = siblings[-1].value.rstrip(" \t\r\n")
            if text:
                siblings[-1].value = text
                return
            siblings.pop()

    # -- text and comments --------------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        if not self.preserve:
            data = _SPACES.sub(" ", data)
            if self.node.children and _is_block(self.node.children[-1]):
                data = data.lstrip(" \t\r\n")
        if not data:
            return
        last = self.node.children[-1] if self.node.children else None
        if last is not None and last.name == "#text":
            last.value += data
        else:
            self.node.append(_Node("#text", data))

    def handle_comment(self, data: str) -> None:
        if not self.dropping:
            self.node.append(_Node("#comment", data))

    def finish(self) -> _Node:
        self.close()
        while self.node is not self.root:
            self._close(self.node)
        return self.root


def _trim_edges(node: _Node) -> None:
    kids = node.children
    while kids and kids[0].name == "#text":
        kids[0].value = kids[0].value.lstrip(" \t\r\n")
        if kids[0].value:
            break
        kids.pop(0)
    while kids and kids[-1].name == "#text":
        kids[-1].value = kids[-1].value.rstrip(" \t\r\n")
        if kids[-1].value:
            break
        kids.pop()


def _wrap_root(root: _Node) -> None:
    out: list[_Node] = []
    block: _Node | None = None
    for child in root.children:
        inline = child.name == "#text" or (child.name != "#comment" and child.name != "p"
                                            and child.name not in _BLOCK)
        if inline:
            if block is None:
                block = _Node("p", parent=root)
                out.append(block)
            block.append(child)
            continue
        if block is not None:
            _trim_root_block(block)
        block = None
        out.append(child)
    if block is not None:
        _trim_root_block(block)
    root.children = out


def _trim_root_block(block: _Node) -> None:
    first, last = block.children[0], block.children[-1]
    if first.name == "#text":
        first.value = first.value.lstrip(" \t\r\n")
    if last.name == "#text":
        last.value = last.value.rstrip(" \t\r\n")


def _fix_links(node: _Node) -> None:
    for child in node.children:
        if child.name == "#text" or child.name == "#comment":
            continue
        if child.name == "a" and child.attr("href") is not None:
            rel = _TARGET_RULES.sub("", child.attr("rel") or "").strip()
            if child.attr("target") == "_blank":
                rel = f"{rel} noopener noreferrer" if rel else "noopener noreferrer"
            child.set_attr("rel", rel or None)
        style = child.attr("style")
        if style is not None:
            child.set_attr("style", _style(style))
        _fix_links(child)
    # Named anchors without href are closed: their content moves after them.
    index = 0
    while index < len(node.children):
        child = node.children[index]
        if (child.name == "a" and child.children and child.attr("href") is None
                and (child.attr("id") is not None or child.attr("name") is not None)):
            moved, child.children = child.children, []
            for grandchild in moved:
                grandchild.parent = node
            node.children[index + 1:index + 1] = moved
        index += 1


def _escape(text: str, attribute: bool) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attribute:
        text = text.replace('"', "&quot;").replace("`", "&#96;")
    return text


def _serialize(node: _Node, out: list[str]) -> None:
    for child in node.children:
        if child.name == "#text":
            out.append(_escape(child.value, False))
            continue
        if child.name == "#comment":
            out.append(f"<!--{child.value}-->")
            continue
        if child.name in _INDENT and out and out[-1] and out[-1] != "\n":
            out.append("\n")
        order = _SCHEMA[child.name]
        attrs = sorted(child.attrs, key=lambda kv: (order.index(kv[0]) if kv[0] in order
                                                    else len(order)))
        text = "".join(f' {name}="{_escape(value, True)}"' for name, value in attrs)
        if child.name in _VOID:
            out.append(f"<{child.name}{text} />")
            if child.name in _INDENT and out[-1] != "\n":
                out.append("\n")
            continue
        out.append(f"<{child.name}{text}>")
        _serialize(child, out)
        out.append(f"</{child.name}>")
        if child.name in _INDENT:
            out.append("\n")


def clean_note(html: str) -> str:
    """The note text as the Zotero Web API stores and returns it."""
    if not html.strip(" \t\n\r\0\x0b"):
        return html
    builder = _Builder()
    builder.feed(html)
    root = builder.finish()
    _wrap_root(root)
    _fix_links(root)
    out: list[str] = []
    _serialize(root, out)
    text = "".join(out)
    return text[:-1] if text.endswith("\n") else text


_PCRE_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_EXCERPT_TRIM = " \t\n\r\0\x0b\u00a0"
MAX_TITLE = 79


def _strip_tags(text: str) -> str:
    text = re.sub(r"<!--.*?(?:-->|$)", "", text, flags=re.S)
    return re.sub(r"<[^>]*(?:>|$)", "", text)


def note_title(text: str, ignore_newline: bool = False) -> str:
    """`Zotero_Notes::noteToTitle`: the first line (at most 79 bytes) of the note's text."""
    if not text:
        return ""
    text = re.sub(r"</p>\s*<p>", "</p>\n<p>", text[:MAX_TITLE * 5])
    text = html_unescape(_strip_tags(text))
    cut = text.encode("utf-8")[:MAX_TITLE].decode("utf-8", "ignore")
    if ignore_newline:
        return _PCRE_SPACE.sub(" ", cut)
    return cut.split("\n", 1)[0]


def too_long_excerpt(note: str) -> str:
    """The excerpt dataserver puts in "Note '…' too long" (`Zotero_Item::setNote`)."""
    trimmed = note.strip(" \t\n\r\0\x0b")
    excerpt = note_title(trimmed, True).strip(_EXCERPT_TRIM)
    if not excerpt:
        excerpt = html_unescape(_PCRE_SPACE.sub(" ", trimmed[:MAX_TITLE])).strip(_EXCERPT_TRIM)
    return excerpt
