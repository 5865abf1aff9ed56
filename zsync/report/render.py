"""Render a report dictionary (see `zsync.sync.report.build_report`) as Markdown, HTML or JSON.

Every renderer masks known secrets; Markdown and HTML escape the text they take from
notes, the library and servers (HTML markup, and control characters shown as `\x1b`), so a
`<script>` in a title or an escape sequence in a file name stays inert wherever the report
is shown.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import quote

from zsync.logs import printable, printable_json, redact

ACTION_ORDER = ("error", "conflict", "create", "update", "duplicate", "unchanged")
ACTION_HEADINGS = {
    "error": "Errors", "conflict": "Conflicts", "create": "To create", "update": "To update",
    "duplicate": "Duplicates", "unchanged": "Unchanged",
}
GENERATOR = '<meta name="generator" content="zsync">'  # how an earlier HTML report is known


def to_json(report: dict[str, Any], *, compact: bool = False) -> str:
    """The report as JSON; `compact` (one line, json's C encoder: several times faster on
    a large report) for files kept for programs, indented for people."""
    indent = None if compact else 2
    return printable_json(json.dumps(report, ensure_ascii=False, indent=indent, default=str))


def _md(value: Any) -> str:
    """Text for one Markdown line: controls escaped, newlines too, HTML inert."""
    return html.escape(printable(str(value), newlines=False), quote=False)


def _fenced_json(value: Any) -> list[str]:
    """`value` as a JSON code block whose fence is longer than any run of backticks in it."""
    text = printable_json(json.dumps(value, ensure_ascii=False, indent=2))
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "json", text, fence]


def _code(value: Any) -> str:
    """Inline code that `value`'s own backticks cannot close."""
    text = printable(str(value), newlines=False)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def headline(report: dict[str, Any]) -> str:
    s = report["summary"]
    mode = "would" if report["mode"] == "dry-run" else "did"
    text = (
        f"{report['command']} ({report['mode']}): {mode} create {s['create']}, update "
        f"{s['update']}; {s['unchanged']} unchanged, {s['duplicate']} duplicate, "
        f"{s['conflict']} conflict, {s['error']} error, {s['failed']} failed"
    )
    if s.get("input_problems"):
        text += f"; {s['input_problems']} input(s) could not be used"
    return text


def sorted_works(report: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(report["works"], key=lambda w: ACTION_ORDER.index(w["action"]))


def item_label(work: dict[str, Any]) -> str:
    """The Zotero item a work is (or is merged into); `(new)` for one not yet created, whose
    key is only chosen when it is written."""
    result = work.get("result")
    if work["action"] == "create" and not (result and result["applied"]):
        return "(new)"
    if work["action"] == "duplicate":
        return f"merged into {work['duplicate_of']}" if work["duplicate_of"] else "merged"
    return str(work["item_key"] or "(new)")


def sources_text(work: dict[str, Any]) -> str:
    return ", ".join(f"{s['path']}:{s['line']}" for s in work["sources"])


def _flag_label(notice: str) -> str:
    text = notice.lower()
    if "retract" in text:
        return "retracted"
    if "concern" in text:
        return "expression of concern"
    if "correct" in text or "erratum" in text:
        return "corrected"
    return "flagged"


def retraction_lines(report: dict[str, Any]) -> list[dict[str, str]]:
    """Each retracted or corrected work once, labelled by what happened to it, with its
    title: `{label, identity, title, text}`."""
    titles = {w["identity"]: w["title"] for w in report["works"] if w["title"]}
    seen: dict[str, dict[str, str]] = {}
    for flagged in report["retracted"]:
        identity, notice = flagged["identity"], flagged["notice"]
        if identity in seen:
            if notice not in seen[identity]["notice"]:
                seen[identity]["notice"] += f"; {notice}"
            continue
        seen[identity] = {"identity": identity, "notice": notice,
                          "title": titles.get(identity) or ""}
    out = []
    for entry in seen.values():
        name = f"{entry['title']} ({entry['identity']})" if entry["title"] else entry["identity"]
        out.append({"label": _flag_label(entry["notice"]), "identity": entry["identity"],
                    "title": entry["title"], "text": f"{name}: {entry['notice']}"})
    return out


def _short(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_NOTE_ACTIONS = {"kept": "kept (you edited it in Zotero)", "gone": "not written again "
                 "(you deleted it in Zotero)", "trash": "to the trash (its file is gone)"}


def _listed(value: str) -> str:
    """One value of a comma-separated list, quoted when it holds a comma itself (MeSH
    terms such as "Neoplasms, Experimental")."""
    return f"“{value}”" if "," in value else value


def work_lines(work: dict[str, Any], names: dict[str, str] | None = None) -> list[str]:
    """Plain-text detail lines of one work, shared by the renderers; `names` turns
    collection keys into their paths ("Status/Reading")."""
    names = names or {}
    lines = []
    if work["matched_by"]:
        lines.append(f"matched by {work['matched_by']}")
    if work["duplicate_of"]:
        lines.append(f"duplicate of {work['duplicate_of']}")
    for c in work["changes"]:
        lines.append(
            f"{c['field']}: {_short(c['old'])!s} → {_short(c['new'])} ({c['source'] or 'note'})"
        )
    for c in work["conflicts"]:
        lines.append(
            f"kept {c['field']} = {_short(c['library'])} "
            f"(zsync had {_short(c['zsync'])}; {c['kind']})"
        )
    for key, label in (
        ("tags_added", "tags +"),
        ("tags_removed", "tags −"),
        ("collections_added", "collections +"),
        ("collections_removed", "collections −"),
    ):
        if work[key]:
            shown = [names.get(k, k) for k in work[key]] if "collections" in key else work[key]
            lines.append(f"{label} {', '.join(_listed(v) for v in shown)}")
    for note in work.get("notes") or ([work["note"]] if work["note"] else []):
        if note["action"] != "unchanged":
            source = f" from {note['from']}" if note.get("from") else ""
            action = _NOTE_ACTIONS.get(note["action"], note["action"])
            lines.append(f"child note{source}: {action}")
    for remark in work.get("remarks") or ():
        lines.append(f"remark: {remark}")
    for key in ("not_enriched", "message"):
        if work[key]:
            lines.append(f"{key.replace('_', ' ')}: {work[key]}")
    result = work["result"]
    if result and not result["applied"]:
        lines.append(f"FAILED: {result['message']}")
    return lines


_MARK = {"create": "+", "update": "~", "conflict": "!", "error": "x", "duplicate": "=",
         "unchanged": " "}


def to_markdown(report: dict[str, Any]) -> str:
    out = [f"# zsync {_md(report['command'])} report", "", _md(headline(report)), ""]
    out += [f"- {_md(n)}" for n in report["notices"]]
    flagged = retraction_lines(report)
    if flagged:
        out += ["", "## Retracted or corrected", ""]
        out += [f"- **{_md(f['label'])}**: {_md(f['text'])}" for f in flagged]
    if report["collections_created"]:
        out += ["", "## Collections to create", ""]
        out += [f"- {_md(c['name'])} (new)" for c in report["collections_created"]]
    works = sorted_works(report)
    changed = [w for w in works if w["action"] != "unchanged"]
    unchanged = [w for w in works if w["action"] == "unchanged"]
    out += ["", "## Works", ""]
    for work in changed:
        title = work["title"] or work["identity"]
        out.append(f"### {_MARK[work['action']]} {work['action'].upper()}: {_md(title)}")
        out.append(f"{_code(work['identity'])} from {_md(sources_text(work))} → "
                   f"{_md(item_label(work))}")
        out += [f"- {_md(line)}" for line in work_lines(work, report.get("collection_names"))]
        if work["create"]:
            out += ["", *_fenced_json(work["create"])]
        out.append("")
    if unchanged:
        out += [f"## Unchanged ({len(unchanged)})", ""]
        out += [f"- {_md(w['title'] or w['identity'])} ({_code(w['identity'])}, item "
                f"{_md(item_label(w))})" for w in unchanged]
        out.append("")
    if report["input_problems"]:
        out += ["## Inputs that could not be used", ""]
        out += [f"- {_md(p['path'])}:{p['line'] or ''} {_md(p['error'])}"
                for p in report["input_problems"]]
    return "\n".join(out).rstrip() + "\n"


# Zotero's own labels for the fields a report names (its English interface); any other
# field is shown split at its capitals ("archiveLocation" -> "Archive location").
FIELD_LABELS = {
    "itemType": "Item Type", "title": "Title", "creators": "Creators",
    "abstractNote": "Abstract", "publicationTitle": "Publication", "volume": "Volume",
    "issue": "Issue", "pages": "Pages", "date": "Date", "series": "Series",
    "journalAbbreviation": "Journal Abbr", "language": "Language", "DOI": "DOI",
    "ISSN": "ISSN", "ISBN": "ISBN", "shortTitle": "Short Title", "url": "URL",
    "accessDate": "Accessed", "archive": "Archive", "archiveLocation": "Loc. in Archive",
    "libraryCatalog": "Library Catalog", "callNumber": "Call Number", "rights": "Rights",
    "extra": "Extra", "publisher": "Publisher", "place": "Place", "edition": "Edition",
    "numPages": "# of Pages", "bookTitle": "Book Title", "proceedingsTitle":
    "Proceedings Title", "conferenceName": "Conference Name", "university": "University",
    "thesisType": "Type", "reportNumber": "Report Number", "institution": "Institution",
    "websiteTitle": "Website Title", "tags": "Tags", "collections": "Collections",
    "seriesTitle": "Series Title", "numberOfVolumes": "# of Volumes",
}


def field_label(name: str) -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return words[:1].upper() + words[1:].lower()


def doi_url(identity: str) -> str | None:
    """The doi.org link of a work known by its DOI."""
    if identity.lower().startswith("doi:"):
        return "https://doi.org/" + quote(identity[4:], safe="/:;()._-")
    return None


def item_urls(library: str | None, key: str | None) -> tuple[str, str] | None:
    """The item in the web library and in the Zotero application (`zotero://select`)."""
    if not library or not key or "/" not in library:
        return None
    kind, number = library.split("/", 1)
    web = f"https://www.zotero.org/{kind}/{quote(number)}/items/{quote(key)}"
    local = (f"zotero://select/groups/{quote(number)}/items/{quote(key)}" if kind == "groups"
             else f"zotero://select/library/items/{quote(key)}")
    return web, local


_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}.w{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0}
.a{font-weight:bold;text-transform:uppercase;font-size:.8rem;padding:.1rem .4rem;border-radius:4px}
.create{background:#d4f7d4}.update{background:#d4e4f7}.conflict{background:#f7ecd4}
.error{background:#f7d4d4}.duplicate,.unchanged{background:#eee}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ddd;padding:.2rem .6rem;
text-align:left}td.n{text-align:right}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:.8rem}small{color:#666}
a{color:#0645ad}ul{padding-left:1.2rem}li{overflow-wrap:anywhere}
"""


def _anchor(index: int, work: dict[str, Any]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", work["identity"].lower()).strip("-")[:60]
    return f"w{index}-{slug}" if slug else f"w{index}"


def _html_change_lines(work: dict[str, Any], names: dict[str, str] | None) -> list[str]:
    """The work's detail lines, with Zotero's labels for the fields it changes."""
    lines = work_lines(work, names)
    relabel = {c["field"] for c in work["changes"]} | {c["field"] for c in work["conflicts"]}
    out = []
    for line in lines:
        for name in relabel:
            for prefix in (f"{name}: ", f"kept {name} = "):
                if line.startswith(prefix):
                    line = line.replace(name, field_label(name), 1)
        out.append(line)
    return out


def to_html(report: dict[str, Any]) -> str:
    """A self-contained page: no scripts, no external resources; a summary table linking
    to one section per action, an anchor per work, links to the DOI and the Zotero item."""

    def esc(text: Any) -> str:
        return html.escape(printable(str(text)))

    def link(url: str, text: str) -> str:
        return f"<a href='{html.escape(redact(url), quote=True)}'>{esc(text)}</a>"

    title = f"zsync {esc(report['command'])} report"
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        GENERATOR, f"<title>{title}</title><style>{_CSS}</style></head><body>",
        f"<h1>{title}</h1><p>{esc(headline(report))}</p>",
        f"<p><small>{esc(report['mode'])} · library {esc(report['library'] or 'none')} · "
        f"started {esc(report['started'])}</small></p>",
    ]
    parts += [f"<p>{esc(n)}</p>" for n in report["notices"]]
    works = sorted_works(report)
    by_action: dict[str, list[dict[str, Any]]] = {a: [] for a in ACTION_ORDER}
    for work in works:
        by_action[work["action"]].append(work)
    parts.append("<table><thead><tr><th>What</th><th>Works</th></tr></thead><tbody>")
    for action in ACTION_ORDER:
        count = len(by_action[action])
        name = link(f"#{action}", ACTION_HEADINGS[action]) if count else esc(
            ACTION_HEADINGS[action])
        parts.append(f"<tr><td>{name}</td><td class='n'>{count}</td></tr>")
    if report["input_problems"]:
        parts.append(f"<tr><td>{link('#inputs', 'Inputs that could not be used')}</td>"
                     f"<td class='n'>{len(report['input_problems'])}</td></tr>")
    parts.append("</tbody></table>")
    flagged = retraction_lines(report)
    if flagged:
        parts.append("<h2 id='retracted'>Retracted or corrected</h2><ul>")
        parts += [f"<li><b>{esc(f['label'])}</b>: {esc(f['text'])}</li>" for f in flagged]
        parts.append("</ul>")
    if report["collections_created"]:
        parts.append("<h2 id='collections'>Collections to create</h2><ul>")
        parts += [f"<li>{esc(c['name'])} (new)</li>" for c in report["collections_created"]]
        parts.append("</ul>")
    index = 0
    for action in ACTION_ORDER:
        group = by_action[action]
        if not group:
            continue
        heading = f"{ACTION_HEADINGS[action]} ({len(group)})"
        if action == "unchanged":
            parts.append(f"<details id='{action}'><summary><h2 style='display:inline'>"
                         f"{esc(heading)}</h2></summary>")
        else:
            parts.append(f"<section id='{action}'><h2>{esc(heading)}</h2>")
        for work in group:
            index += 1
            parts += _html_work(work, _anchor(index, work), report, esc, link)
        parts.append("</details>" if action == "unchanged" else "</section>")
    if report["input_problems"]:
        parts.append("<h2 id='inputs'>Inputs that could not be used</h2><ul>")
        parts += [
            f"<li>{esc(p['path'])}:{p['line'] or ''} {esc(p['error'])}</li>"
            for p in report["input_problems"]
        ]
        parts.append("</ul>")
    parts.append("</body></html>")
    return redact("\n".join(parts))


def _html_work(work: dict[str, Any], anchor: str, report: dict[str, Any],
               esc: Any, link: Any) -> list[str]:
    action = work["action"]
    parts = [f"<div class='w' id='{anchor}'><span class='a {action}'>{action}</span> ",
             f"<a href='#{anchor}'><b>{esc(work['title'] or work['identity'])}</b></a><br>"]
    facts = [esc(work["identity"])]
    doi = doi_url(work["identity"])
    if doi:
        facts.append(link(doi, "doi.org"))
    label = item_label(work)
    urls = None if label == "(new)" or action == "duplicate" else item_urls(
        report["library"], work["item_key"])
    if urls:
        facts.append(f"item {esc(label)}: " + link(urls[0], "web library") + " · "
                     + link(urls[1], "open in Zotero"))
    else:
        facts.append(f"item {esc(label)}")
    facts.append(esc(sources_text(work)))
    parts.append(f"<small>{' · '.join(facts)}</small><ul>")
    parts += [f"<li>{esc(line)}</li>"
              for line in _html_change_lines(work, report.get("collection_names"))]
    parts.append("</ul>")
    if work["create"]:
        data = esc(json.dumps(work["create"], ensure_ascii=False, indent=2))
        parts.append(f"<details><summary>item data</summary><pre>{data}</pre></details>")
    parts.append("</div>")
    return parts
