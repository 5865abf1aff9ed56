"""Rendering `zsync dedupe` reports (see `zsync.dedupe.report`): text lines for the
terminal, Markdown, and JSON (the report itself)."""

from __future__ import annotations

import html
import json
from typing import Any

from zsync.logs import printable, printable_json

Line = tuple[str, str]  # (style, text): head, item, master, match, write, payload, ...


def _payload(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def item_text(item: dict[str, Any]) -> str:
    parts = [item["title"] or "(no title)", str(item["year"] or "?"), item["item_type"]]
    if item.get("creators"):
        parts.append(item["creators"])
    if item.get("date_added"):
        parts.append(f"added {str(item['date_added'])[:10]}")
    children = [f"{item[k]} {k[:-1] if item[k] == 1 else k}" for k in ("notes", "attachments")
                if item.get(k)]
    return " · ".join(parts + children)


def record_text(record: dict[str, Any]) -> str:
    ids = " ".join(f"{k}:{v if isinstance(v, str) else ','.join(v)}"
                   for k, v in record["identifiers"].items())
    parts = [record["title"] or "(no title)", str(record["year"] or "?"),
             record["item_type"] or "?"]
    if record.get("creators"):
        parts.append(record["creators"])
    return " · ".join(parts) + (f" · {ids}" if ids else "")


def headline(report: dict[str, Any]) -> str:
    s = report["summary"]
    if report["scope"] == "input":
        return (f"dedupe input: {s['records']} records, {s['groups']} duplicate groups "
                f"({s['duplicates']} extra copies), {s['related']} related pairs, "
                f"{s['problems']} unusable inputs")
    text = (f"dedupe library ({report['mode']}): {s['items']} items, {s['clusters']} "
            f"duplicate clusters ({s['duplicates']} extra copies), {s['related']} related "
            "pairs")
    if report["mode"] != "report":
        states = ("merged", "partial", "skipped", "failed", "refused", "planned")
        text += "; " + ", ".join(f"{s[k]} {k}" for k in states if s[k])
    return text


def lines(report: dict[str, Any]) -> list[Line]:
    """The whole report as styled text lines (the headline last)."""
    out: list[Line] = []
    if report["scope"] == "input":
        out += _input_lines(report)
    else:
        out += _library_lines(report)
    out += [("notice", f"note: {n}") for n in report["notices"]]
    out.append(("plain", headline(report)))
    return out


def _library_lines(report: dict[str, Any]) -> list[Line]:
    out: list[Line] = []
    for c in report["clusters"]:
        out.append(("head", f"Cluster {c['number']}: {len(c['items'])} items, keep "
                            f"{c['master']} (oldest dateAdded)"))
        for item in c["items"]:
            mark = "*" if item["master"] else " "
            out.append(("master" if item["master"] else "item",
                        f"  {mark} {item['key']}  {item_text(item)}"))
        out += [("match", f"    {m['b']} = {m['a']}: {m['rule']}: {m['evidence']}")
                for m in c["matches"]]
        if c["merge"]:
            out += _merge_lines(c["merge"])
    if report["related"]:
        out.append(("head", "Related versions (listed, not merged):"))
        for r in report["related"]:
            out.append(("item", f"  {r['a']['key']} {item_text(r['a'])}"))
            out.append(("item", f"  {r['b']['key']} {item_text(r['b'])}"))
            out.append(("match", f"    {r['rule']}: {r['evidence']}"))
    return out


def _merge_lines(merge: dict[str, Any]) -> list[Line]:
    status = merge["status"]
    label = "would write" if status == "planned" else status
    out: list[Line] = [("state:" + status, f"    merge: {label}"
                        + (f": {merge['message']}" if merge["message"] else ""))]
    for w in merge["writes"]:
        state = "" if w["status"] == "planned" else f" [{w['status']}]"
        why = f" ({w['message']})" if w["message"] else ""
        out.append(("write", f"      {w['summary']}{state}{why}"))
        out.append(("payload", f"        {_payload(w['payload'])}"))
    return out


def _input_lines(report: dict[str, Any]) -> list[Line]:
    out: list[Line] = []
    for g in report["groups"]:
        out.append(("head", f"Group {g['number']}: {len(g['records'])} records"))
        for r in g["records"]:
            out.append(("item", f"    {r['path']}:{r['line']}  {record_text(r)}"))
        out += [("match", f"    {m['b']} = {m['a']}: {m['rule']}: {m['evidence']}")
                for m in g["matches"]]
    if report["related"]:
        out.append(("head", "Related versions (kept apart):"))
        for r in report["related"]:
            out.append(("item", f"    {r['a']['ref']}  {record_text(r['a'])}"))
            out.append(("item", f"    {r['b']['ref']}  {record_text(r['b'])}"))
            out.append(("match", f"    {r['rule']}: {r['evidence']}"))
    out += [("problem", f"unusable: {p['path']}: {p['message']}") for p in report["problems"]]
    return out


def to_json(report: dict[str, Any]) -> str:
    return printable_json(json.dumps(report, ensure_ascii=False, indent=2, default=str)) + "\n"


# -- Markdown ---------------------------------------------------------------------------------


def _cell(text: Any) -> str:
    """Text for a Markdown table cell or line: HTML inert, one line, pipes escaped."""
    text = html.escape(str(text if text is not None else ""), quote=False)
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(report: dict[str, Any]) -> str:
    title = "input" if report["scope"] == "input" else f"library {report.get('library', '')}"
    out = [f"# Duplicates: {title}", "", f"_{headline(report)}_", ""]
    out += [f"> {n}" for n in report["notices"]] + ([""] if report["notices"] else [])
    if report["scope"] == "input":
        out += _input_md(report)
    else:
        out += [f"Master rule: {report['master_rule']}.", ""]
        out += _library_md(report)
    return printable("\n".join(out).rstrip() + "\n")


def _library_md(report: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for c in report["clusters"]:
        out += [f"## Cluster {c['number']}: keep `{c['master']}`", "",
                "| | key | title | year | type | creators | added | notes | attachments |",
                "|---|---|---|---|---|---|---|---|---|"]
        for i in c["items"]:
            out.append(f"| {'master' if i['master'] else ''} | `{i['key']}` | "
                       f"{_cell(i['title'])} | {_cell(i['year'])} | {i['item_type']} | "
                       f"{_cell(i['creators'])} | {_cell(str(i['date_added'] or '')[:10])} | "
                       f"{i['notes']} | {i['attachments']} |")
        out.append("")
        out += [f"- `{m['b']}` = `{m['a']}`: **{m['rule']}**: {_cell(m['evidence'])}"
                for m in c["matches"]]
        out.append("")
        if c["merge"]:
            m = c["merge"]
            out.append(f"Merge: **{m['status']}**" + (f": {m['message']}" if m["message"] else ""))
            out.append("")
            for w in m["writes"]:
                state = "" if w["status"] == "planned" else f" ({w['status']})"
                out.append(f"1. {_cell(w['summary'])}{state}: `{_payload(w['payload'])}`")
            out.append("")
    if report["related"]:
        out += ["## Related versions (listed, not merged)", ""]
        for r in report["related"]:
            out.append(f"- `{r['a']['key']}` {_cell(item_text(r['a']))} / `{r['b']['key']}` "
                       f"{_cell(item_text(r['b']))}: **{r['rule']}**: {_cell(r['evidence'])}")
        out.append("")
    return out


def _input_md(report: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for g in report["groups"]:
        out += [f"## Group {g['number']}", ""]
        out += [f"- `{r['ref']}`: {_cell(record_text(r))}" for r in g["records"]]
        out += [f"- `{m['b']}` = `{m['a']}`: **{m['rule']}**: {_cell(m['evidence'])}"
                for m in g["matches"]]
        out.append("")
    if report["related"]:
        out += ["## Related versions (kept apart)", ""]
        out += [f"- `{r['a']['ref']}` / `{r['b']['ref']}`: **{r['rule']}**: "
                f"{_cell(r['evidence'])}" for r in report["related"]]
        out.append("")
    if report["problems"]:
        out += ["## Unusable inputs", ""]
        out += [f"- `{p['path']}`: {_cell(p['message'])}" for p in report["problems"]]
        out.append("")
    return out
