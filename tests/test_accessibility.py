"""Accessibility in a real browser: axe-core on every page, the keyboard, no JavaScript, 320 px.

axe-core comes from npm (tests/browser/package.json; ``scripts/test`` installs it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import Served, html_files

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def page_paths(served: Served) -> list[str]:
    return [p.relative_to(served.site).as_posix().removesuffix("index.html") for p in html_files(served.site)]


def axe_violations(page: Page) -> list[dict[str, object]]:
    assert AXE.is_file(), "run scripts/test, which installs axe-core from tests/browser/package.json"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def test_axe_finds_no_violation_on_any_page(browser: Browser, served: Served) -> None:
    paths = page_paths(served)
    assert len(paths) > 30
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    found = {}
    for path in paths:
        page.goto(served.url + path, wait_until="load")
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    page.close()
    assert not found, json.dumps(found, indent=1)
