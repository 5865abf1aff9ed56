"""Render a report dictionary (see `model.build_report`) as Markdown, HTML or JSON.

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

from ..logs import printable, printable_json, redact

ACTION_ORDER = ("error", "conflict", "create", "update", "duplicate", "unchanged")


def to_json(report: dict[str, Any]) -> str:
    return printable_json(json.dumps(report, ensure_ascii=False, indent=2, default=str))


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


def _short(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
            lines.append(f"{label} {', '.join(shown)}")
    for note in work.get("notes") or ([work["note"]] if work["note"] else []):
        if note["action"] != "unchanged":
            source = f" ({note['from']})" if note.get("from") else ""
            lines.append(f"note{source}: {note['action']}")
    for remark in work.get("remarks") or ():
        lines.append(f"note: {remark}")
    for key in ("not_enriched", "message"):
        if work[key]:
            lines.append(f"{key.replace('_', ' ')}: {work[key]}")
    result = work["result"]
    if result and not result["applied"]:
        lines.append(f"FAILED: {result['message']}")
    return lines


def _source(work: dict[str, Any]) -> str:
    return ", ".join(f"{s['path']}:{s['line']}" for s in work["sources"])


def to_markdown(report: dict[str, Any]) -> str:
    out = [f"# zsync {_md(report['command'])} report", "", _md(headline(report)), ""]
    out += [f"- {_md(n)}" for n in report["notices"]]
    if report["retracted"]:
        out += ["", "## Retracted or corrected", ""]
        out += [f"- **{_md(r['identity'])}**: {_md(r['notice'])}" for r in report["retracted"]]
    if report["collections_created"]:
        out += ["", "## Collections to create", ""]
        out += [f"- {_md(c['name'])} ({_code(c['key'])})" for c in report["collections_created"]]
    out += ["", "## Works", ""]
    for work in sorted_works(report):
        title = work["title"] or work["identity"]
        out.append(f"### {work['action'].upper()}: {_md(title)}")
        out.append(
            f"{_code(work['identity'])} from {_md(_source(work))}"
            + (f" → item {_code(work['item_key'])}" if work["item_key"] else "")
        )
        out += [f"- {_md(line)}" for line in work_lines(work, report.get("collection_names"))]
        if work["create"]:
            out += ["", *_fenced_json(work["create"])]
        out.append("")
    if report["input_problems"]:
        out += ["## Inputs that could not be used", ""]
        out += [f"- {_md(p['path'])}:{p['line'] or ''} {_md(p['error'])}"
                for p in report["input_problems"]]
    return "\n".join(out).rstrip() + "\n"


_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}.w{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0}
.a{font-weight:bold;text-transform:uppercase;font-size:.8rem;padding:.1rem .4rem;border-radius:4px}
.create{background:#d4f7d4}.update{background:#d4e4f7}.conflict{background:#f7ecd4}
.error{background:#f7d4d4}.duplicate,.unchanged{background:#eee}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:.8rem}small{color:#666}
"""


def to_html(report: dict[str, Any]) -> str:
    """A self-contained page: no scripts, no external resources."""

    def esc(text: str) -> str:
        return html.escape(printable(text))

    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>zsync {esc(report['command'])} report</title><style>{_CSS}</style></head><body>",
        f"<h1>zsync {esc(report['command'])} report</h1><p>{esc(headline(report))}</p>",
        f"<p><small>library {esc(str(report['library']))} · "
        f"started {esc(report['started'])}</small></p>",
    ]
    parts += [f"<p>{esc(n)}</p>" for n in report["notices"]]
    if report["retracted"]:
        parts.append("<h2>Retracted or corrected</h2><ul>")
        parts += [
            f"<li><b>{esc(r['identity'])}</b>: {esc(r['notice'])}</li>" for r in report["retracted"]
        ]
        parts.append("</ul>")
    for work in sorted_works(report):
        action = work["action"]
        parts.append(f"<div class='w'><span class='a {action}'>{action}</span> ")
        parts.append(f"<b>{esc(work['title'] or work['identity'])}</b><br>")
        parts.append(f"<small>{esc(work['identity'])} · {esc(_source(work))}</small><ul>")
        lines = work_lines(work, report.get("collection_names"))
        parts += [f"<li>{esc(line)}</li>" for line in lines]
        parts.append("</ul>")
        if work["create"]:
            data = esc(json.dumps(work["create"], ensure_ascii=False, indent=2))
            parts.append(f"<details><summary>item data</summary><pre>{data}</pre></details>")
        parts.append("</div>")
    if report["input_problems"]:
        parts.append("<h2>Inputs that could not be used</h2><ul>")
        parts += [
            f"<li>{esc(p['path'])}:{p['line'] or ''} {esc(p['error'])}</li>"
            for p in report["input_problems"]
        ]
        parts.append("</ul>")
    parts.append("</body></html>")
    return redact("\n".join(parts))
