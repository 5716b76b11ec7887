"""The site in a real browser (headless Chromium): charts drawn on direct load and after
instant navigation, no third-party request, and screenshots at phone and desktop widths.

Screenshots are saved in tests/artifacts/ for people to look at.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
DRAWN = ".chart__plot[data-state='drawn'] .main-svg"


def open_page(browser: Browser, width: int, requests: list[str]) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.on("request", lambda request: requests.append(request.url))
    return page


def wait_for_path(page: Page, path: str) -> None:
    """Wait for the address to change; instant navigation uses pushState, so no load event fires."""
    page.wait_for_function(f"location.pathname.endsWith({path!r})", timeout=15_000)


def draw_after_scrolling_to_it(page: Page) -> None:
    """Charts are drawn when they come into view; under load the page may not be at the top yet."""
    page.locator(".chart__plot").first.scroll_into_view_if_needed()
    page.wait_for_selector(DRAWN, timeout=15_000)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_home_page_loads_directly_without_the_chart_library(browser: Browser, base_url: str, width: int) -> None:
    requests: list[str] = []
    page = open_page(browser, width, requests)
    page.goto(base_url, wait_until="networkidle")
    assert page.locator("h1").inner_text() == "Community safety in Tower Hamlets"
    assert page.locator("table.indicator-table").count() == 4
    assert not [url for url in requests if "plotly" in url]
    shot(page, f"home-{width}.png")
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_indicator_page_draws_its_chart_on_direct_load(browser: Browser, base_url: str, width: int) -> None:
    requests: list[str] = []
    page = open_page(browser, width, requests)
    page.goto(base_url + "indicators/knife-crimes/")
    page.wait_for_selector(DRAWN, timeout=15_000)
    assert page.locator(".chart__plot .bars .point").count() == 2
    assert [url for url in requests if url.endswith("plotly-basic.min.js")]
    shot(page, f"indicator-{width}.png")
    page.close()


def test_chart_is_drawn_after_instant_navigation_by_clicking(browser: Browser, base_url: str) -> None:
    requests: list[str] = []
    page = open_page(browser, 1280, requests)
    page.goto(base_url, wait_until="networkidle")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Number of knife crimes").click()
    wait_for_path(page, "/indicators/knife-crimes/")
    draw_after_scrolling_to_it(page)
    assert page.evaluate("window.__sameDocument === true"), "the click reloaded the page instead of navigating instantly"
    page.get_by_role("link", name="Investments").first.click()
    wait_for_path(page, "/plan/investments/")
    draw_after_scrolling_to_it(page)
    assert page.locator(".chart__plot .bars .point").count() == 4
    shot(page, "investments-after-navigation-1280.png")
    page.close()


def test_no_request_leaves_the_site(browser: Browser, base_url: str) -> None:
    requests: list[str] = []
    page = open_page(browser, 1280, requests)
    for path in ("", "indicators/knife-crimes/", "plan/investments/", "data/community-safety-performance/"):
        page.goto(base_url + path, wait_until="networkidle")
    page.close()
    hosts = {urlparse(url).netloc for url in requests if not url.startswith("data:")}
    assert hosts == {urlparse(base_url).netloc}
