"""Accessibility in a real browser: axe-core on every page at 390 px and 1280 px, the keyboard, no JavaScript, 320 px.

axe-core comes from npm (tests/browser/package.json; ``scripts/test`` installs it).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import Served, page_paths

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page: Page) -> list[dict[str, object]]:
    assert AXE.is_file(), "run scripts/test, which installs axe-core from tests/browser/package.json"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_no_violation_on_any_page(browser: Browser, served: Served, width: int) -> None:
    paths = page_paths(served)
    assert len(paths) > 30
    page = browser.new_page(viewport={"width": width, "height": 900})
    found = {}
    for path in paths:
        page.goto(served.url + path, wait_until="load")
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    page.close()
    assert not found, json.dumps(found, indent=1)


VISIBLE_FOCUSABLES = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const all = Array.from(document.querySelectorAll(selector)).filter(e => {
    if (e.disabled || e.tabIndex < 0 || e.closest('[inert], [hidden]')) return false;
    const style = getComputedStyle(e), box = e.getBoundingClientRect();
    return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 && box.height > 0;
  });
  all.forEach((e, i) => e.setAttribute('data-focus-id', String(i)));
  return all.length;
}"""
FOCUSED = """() => {
  const e = document.activeElement, style = getComputedStyle(e);
  return {id: e.getAttribute('data-focus-id'), body: e === document.body, text: (e.innerText || e.getAttribute('aria-label') || e.tagName).trim().slice(0, 40),
          outline: parseFloat(style.outlineWidth) * (style.outlineStyle === 'none' ? 0 : 1), shadow: style.boxShadow};
}"""


def test_the_home_page_works_from_the_keyboard_alone(browser: Browser, served: Served) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served.url, wait_until="networkidle")
    controls = page.evaluate(VISIBLE_FOCUSABLES)
    assert controls > 20
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["text"] == "Skip to content", first
    reached, invisible = set(), []
    for _ in range(controls + 15):
        focused = page.evaluate(FOCUSED)
        reached.add(focused["id"])
        if not focused["body"] and focused["outline"] < 2 and focused["shadow"] == "none":
            invisible.append(focused["text"])
        page.keyboard.press("Tab")
    missing = {str(i) for i in range(controls)} - reached
    assert not missing, [page.locator(f"[data-focus-id='{i}']").first.evaluate("e => e.outerHTML.slice(0, 120)") for i in sorted(missing)[:5]]
    assert not invisible, f"focus is not visible on: {invisible}"
    page.keyboard.press("Shift+Tab")
    page.goto(served.url, wait_until="networkidle")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") != "", "the skip link moves to the content"
    page.close()


def test_every_page_reflows_at_320_px_without_scrolling_sideways(browser: Browser, served: Served) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    overflowing = {}
    for path in page_paths(served):
        page.goto(served.url + path, wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        culprits = page.evaluate(
            """() => Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > 321 && !e.closest('.table-wrap'))
                 .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
        )
        if width > 320 or culprits:
            overflowing[path] = (width, culprits)
    page.close()
    assert not overflowing, overflowing


TEXT_WITH_DIGITS = """() => {
  const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
  const hidden = [];
  let node, count = 0;
  while ((node = walker.nextNode())) {
    if (!/\\d/.test(node.nodeValue)) continue;
    if (node.parentElement.closest('details:not([open])')) continue;  // one click opens it, without JavaScript (checked below)
    count += 1;
    if (!node.parentElement.checkVisibility({visibilityProperty: true, opacityProperty: true})) hidden.push(node.nodeValue.trim().slice(0, 40));
  }
  return {count, hidden};
}"""


def test_without_javascript_every_number_is_still_there_to_read(browser: Browser, served: Served) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    checked = 0
    for path in page_paths(served):
        page.goto(served.url + path, wait_until="load")
        found = page.evaluate(TEXT_WITH_DIGITS)
        assert not found["hidden"], f"{path}: figures hidden without JavaScript: {found['hidden'][:5]}"
        checked += found["count"]
    for figure in ("indicators/knife-crimes/", "plan/investments/"):
        page.goto(served.url + figure, wait_until="load")
        assert page.locator("figure.chart table").first.is_visible()
    page.goto(served.url + "data/community-safety-performance/", wait_until="load")
    page.locator("details.checksums summary").click()
    assert page.locator("details.checksums code").first.is_visible(), "the checksums open without JavaScript"
    context.close()
    assert checked > 500


def test_the_accessibility_statement_follows_the_uk_structure(served: Served) -> None:
    page = (served.site / "accessibility/index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h2[^>]*>(.*?)<", page)
    for heading in (
        "Compliance status",
        "Known limitations",
        "Feedback and how to report a problem",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "How we tested this website",
        "Preparation of this accessibility statement",
    ):
        assert any(heading in html.unescape(h) for h in headings), heading
    assert re.search(r"last tested on \d{1,2} \w+ 20\d\d", page)
