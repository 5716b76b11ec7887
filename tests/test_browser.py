"""The site in a real browser (headless Chromium): charts shown at once as drawings and made
interactive when the reader presses "Explore this chart", on direct load and after instant navigation; no third-party request;
screenshots at phone and desktop widths.

Screenshots are saved in tests/artifacts/ for people to look at.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import Served, page_paths

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


def explore_chart(page: Page) -> None:
    """Press the page's first "Explore this chart" (as a reader does) and wait for Plotly to draw it."""
    page.locator(".chart__plot svg").first.wait_for()
    page.get_by_role("button", name="Explore this chart").first.click()
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
def test_a_chart_shows_at_once_as_a_drawing_and_becomes_interactive_when_asked(browser: Browser, base_url: str, width: int) -> None:
    requests: list[str] = []
    page = open_page(browser, width, requests)
    page.goto(base_url + "indicators/knife-crimes/", wait_until="networkidle")
    plot = page.locator(".chart__plot").first
    assert plot.locator("svg.chart__svg rect").count() == 2, "the drawing is in the page"
    assert not [url for url in requests if "plotly" in url], "Plotly is not fetched until a reader reaches for the chart"
    shot(page, f"indicator-{width}.png")
    before = plot.bounding_box()
    plot.hover()
    page.wait_for_timeout(300)
    assert not [url for url in requests if "plotly" in url], "pointing at the chart fetches nothing"
    page.get_by_role("button", name="Explore this chart").click()
    page.wait_for_selector(DRAWN, timeout=15_000)
    assert page.locator(".chart__plot .bars .point").count() == 2
    assert [url for url in requests if url.endswith("plotly-basic.min.js")]
    assert plot.bounding_box() == before, "the interactive chart takes the drawing's place without moving anything"
    page.close()


def test_charts_become_interactive_after_instant_navigation(browser: Browser, base_url: str) -> None:
    requests: list[str] = []
    page = open_page(browser, 1280, requests)
    page.goto(base_url, wait_until="networkidle")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Number of knife crimes").click()
    wait_for_path(page, "/indicators/knife-crimes/")
    explore_chart(page)
    assert page.evaluate("window.__sameDocument === true"), "the click reloaded the page instead of navigating instantly"
    page.get_by_role("link", name="Investments").first.click()
    wait_for_path(page, "/plan/investments/")
    explore_chart(page)
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


def test_no_page_logs_an_error_or_requests_a_missing_file(browser: Browser, served: Served) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda message: problems.append(f"console: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"error: {error}"))
    page.on("response", lambda response: problems.append(f"{response.status}: {response.url}") if response.status >= 400 else None)
    for path in page_paths(served):
        page.goto(served.url + path, wait_until="networkidle")
    page.close()
    assert not problems, problems
