"""Figures in a real browser at phone and desktop widths: a value missing for the newest period
reads "Not available" under that period (never an older figure), a per-year amount is never
added to other amounts, and each figure block names its period apart from the site's date.

The missing value is made on purpose: a copy of the project with one observation removed.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from generator.config import Config
from generator.pipeline import build_site
from tests.conftest import QuietHandler, copy_project

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
REMOVED = "knife-crimes,ytd,"


@pytest.fixture(scope="module")
def missing_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the project without the knife crimes figure for the year to date, built and served."""
    project = copy_project(tmp_path_factory.mktemp("missing") / "project")
    data = project / "datasets" / "community-safety-performance" / "data"
    for name in ("observations.csv", "published-assessments.csv"):
        lines = (data / name).read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(REMOVED)]
        assert len(kept) == len(lines) - 1, f"{name} had one {REMOVED} row"
        (data / name).write_text("".join(kept), encoding="utf-8")
    site = project / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", url)
        result = build_site(Config.for_project(project, site_dir=site))
    assert "indicator-missing-latest-period" in {p.code for p in result.problems}, "the build warns about the missing figure"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url
    server.shutdown()


def cell_under(page: Page, row_title: str, column: str) -> str:
    """The text of the cell in the row of ``row_title`` under the header ``column`` (found by its position among the headers)."""
    return str(
        page.evaluate(
            """([title, column]) => {
                const row = [...document.querySelectorAll('table.indicator-table tr')].find(r => r.cells[0] && r.cells[0].innerText.trim() === title);
                const headers = [...row.closest('table').querySelectorAll('thead th')].map(h => h.innerText.trim());
                return row.cells[headers.indexOf(column)].innerText.trim();
            }""",
            [row_title, column],
        )
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_a_missing_value_reads_not_available_under_the_newest_period(browser: Browser, missing_url: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(missing_url, wait_until="networkidle")
    assert cell_under(page, "Number of knife crimes", "Year to date") == "Not available"
    assert cell_under(page, "Number of knife crimes", "Previous year to date") == "683"
    assert cell_under(page, "Number of knife crimes", "Change") == "No comparison"
    assert cell_under(page, "Total burglary", "Year to date") == "3,293"
    assert "Figures for Year to date, compared with Previous year to date" in page.locator("article").inner_text()
    page.locator("table.indicator-table").nth(3).scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"home-missing-value-{width}.png"), full_page=True)
    page.goto(missing_url + "indicators/knife-crimes/", wait_until="networkidle")
    text = page.locator("article").inner_text()
    assert "Number of knife crimes: not available for Year to date." in text
    page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_figures_name_their_period_and_totals_never_mix_per_year_and_other_amounts(browser: Browser, missing_url: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(missing_url, wait_until="networkidle")
    text = page.locator("article").inner_text()
    assert "The data on this site was last changed on" in text and "Data last updated" not in text
    assert text.count("Year to date") >= 2
    page.goto(missing_url + "indicators/dv-court-conviction-rate/", wait_until="networkidle")
    text = page.locator("article").inner_text()
    assert "down 3 percentage points (-4.2%)" in text
    for internal in ("(computed)", "as published", "Status shown", "olarity"):
        assert internal not in text.split("What the partnership is doing about it")[0], internal
    page.goto(missing_url + "plan/investments/", wait_until="networkidle")
    text = page.locator("article").inner_text()
    assert "£7,300,000 a year" in text and "£7,500,000" in text and "14,800,000" not in text and "add up to" not in text
    assert page.locator("figure.chart table td", has_text="£7,300,000 a year").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"investments-{width}.png"), full_page=True)
    page.close()
