"""The HTML report as a real browser reads it (headless Chromium; skipped without one):
every summary link lands on a section, every work has its anchor and links, nothing runs."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.report.test_render import INFO, ORIGIN, PLAN
from zsync.report.model import RunInfo
from zsync.report.render import to_html
from zsync.sync.plan import Action, Plan, WorkPlan
from zsync.sync.report import build_report

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium or Chrome on this machine (apt-get install chromium)")


class _Dom(HTMLParser):
    """What the browser built: ids, in-page links, outside links, elements by tag."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.anchors: list[str] = []
        self.links: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if found.get("id"):
            self.ids.add(str(found["id"]))
        href = found.get("href")
        if tag == "a" and href:
            (self.anchors if href.startswith("#") else self.links).append(href)


def _rendered(page: Path, tmp_path: Path) -> _Dom:
    done = subprocess.run(
        [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=390,844",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = _Dom()
    dom.feed(done.stdout)
    return dom


def test_a_browser_finds_every_section_anchor_and_link_and_runs_nothing(
        tmp_path: Path) -> None:
    quiet = WorkPlan("doi:10.1/c", Action.UNCHANGED, "Quiet paper", (ORIGIN,),
                     item_key="ITEM0003")
    plan = Plan(PLAN.collections, (*PLAN.works, quiet), PLAN.library_empty_because,
                PLAN.collection_names)
    page = tmp_path / "plan.html"
    page.write_text(to_html(build_report(INFO, plan)), encoding="utf-8")
    dom = _rendered(page, tmp_path)

    assert not [t for t, _ in dom.tags if t in ("script", "iframe", "object", "embed")]
    assert not [a for _, a in dom.tags if any(k.startswith("on") for k in a)]
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in dom.tags)
    assert dom.anchors and all(a[1:] in dom.ids for a in dom.anchors)
    # one anchor per work, each linking to itself
    works = [a for t, a in dom.tags if t == "div" and a.get("class") == "w"]
    assert len(works) == 3 and all(f"#{w['id']}" in dom.anchors for w in works)
    assert "https://doi.org/10.1038/nature14539" in dom.links
    assert "zotero://select/library/items/ITEM0002" in dom.links
    assert any(re.fullmatch(r"https://www\.zotero\.org/users/1/items/ITEM0002", u)
               for u in dom.links)
    # the unchanged works are folded away until asked for
    (folded,) = [a for t, a in dom.tags if t == "details" and a.get("id") == "unchanged"]
    assert "open" not in folded


def test_a_group_library_links_to_the_group(tmp_path: Path) -> None:
    info = RunInfo("sync", "apply", "groups/555", INFO.started)
    page = tmp_path / "group.html"
    page.write_text(to_html(build_report(info, PLAN)), encoding="utf-8")
    dom = _rendered(page, tmp_path)
    assert "zotero://select/groups/555/items/ITEM0002" in dom.links
    assert "https://www.zotero.org/groups/555/items/ITEM0002" in dom.links
