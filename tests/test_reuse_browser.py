"""An indicator's data and citation in a browser: there without JavaScript, copied with it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.conftest import Served

INDICATOR = "indicators/knife-crimes/"


@pytest.mark.browser
def test_without_javascript_the_downloads_and_the_citation_are_there_to_use(browser: Browser, served: Served) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(served.url + INDICATOR)
    assert page.get_by_role("heading", name="Download the data").is_visible()
    assert page.get_by_role("link", name="This indicator's figures (CSV)").get_attribute("href") == "../../indicators/knife-crimes/data.csv"
    page.get_by_text("BibTeX", exact=True).click()
    code = page.locator("pre.citation__code").first
    assert code.is_visible()
    assert code.inner_text().strip() == (served.site / INDICATOR / "cite.bib").read_text(encoding="utf-8").strip()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


@pytest.mark.browser
def test_the_copy_button_copies_the_citation_as_the_file_holds_it(browser: Browser, served: Served) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.url.rstrip("/"))
    page = context.new_page()
    page.goto(served.url + INDICATOR, wait_until="networkidle")
    page.get_by_text("BibTeX", exact=True).click()
    button = page.locator("pre.citation__code").first.get_by_role("button", name="Copy to clipboard")
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == (served.site / INDICATOR / "cite.bib").read_text(encoding="utf-8").strip()
    context.close()
