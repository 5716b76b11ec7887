"""Phone-first tables and charts (issue 11), proved in a real browser at 390 px and 1280 px:
key figures without sideways scrolling, rows no taller than their content, no word broken
inside itself, checksums out of the downloads table, charts that fill their column with
labels that never run together, and no Plotly until the reader presses "Explore this chart".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from generator.render import charts, svg
from tests.conftest import Served
from tests.test_accessibility import axe_violations

pytestmark = pytest.mark.browser

WIDTHS = [390, 1280]
ARTIFACTS = Path(__file__).parent / "artifacts"
DATASET = "data/community-safety-performance/"
TABLE_PAGES = ["", "priorities/asb-drugs-alcohol/", "indicators/knife-crimes/", DATASET, "data/community-safety-plan/", "releases/", "plan/investments/"]


def open_page(browser: Browser, served: Served, path: str, width: int, requests: list[str] | None = None, *, touch: bool = False) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, has_touch=touch, is_mobile=touch and width < 500)
    page = context.new_page()
    if requests is not None:
        page.on("request", lambda request: requests.append(request.url))
    page.goto(served.url + path, wait_until="networkidle")
    return page


def close(page: Page) -> None:
    context = page.context
    page.close()
    context.close()


KEY_FIGURES = """() => Array.from(document.querySelectorAll('table.indicator-table tbody tr')).map(row => {
  const cells = Array.from(row.children), right = document.documentElement.clientWidth;
  return {name: cells[0].innerText.trim(), outside: [0, 1, 2, 4].map(i => cells[i]).filter(cell => {
    const box = cell.getBoundingClientRect();
    return box.width === 0 || box.left < 0 || box.right > right + 0.5;
  }).map(cell => cell.getAttribute('data-label') || 'Indicator')};
})"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["", "indicators/", "priorities/asb-drugs-alcohol/"])
def test_every_indicator_shows_name_status_latest_value_and_change_without_sideways_scrolling(browser: Browser, served: Served, path: str, width: int) -> None:
    page = open_page(browser, served, path, width)
    rows = page.evaluate(KEY_FIGURES)
    assert len(rows) >= (13 if path != "priorities/asb-drugs-alcohol/" else 6), "every indicator has a row"
    assert not [row for row in rows if row["outside"]], [row for row in rows if row["outside"]]
    scrolled = page.evaluate(
        "Array.from(document.querySelectorAll('.indicator-table')).map(t => t.closest('.table-wrap')).filter(w => w.scrollWidth > w.clientWidth + 1).length"
    )
    assert scrolled == 0, "no indicator table needs scrolling sideways"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    headers = page.evaluate("document.querySelectorAll('table.indicator-table thead th[scope=col]').length")
    assert headers >= 5, "the real table and its headers stay for screen readers"
    tree = page.locator("table.indicator-table").first.aria_snapshot()
    assert "- rowheader" in tree and '- columnheader "Status"' in tree and "- cell" in tree, tree[:300]
    assert '- cell "Status' not in tree, "a cell's shown label is not read again after its column header"
    close(page)


ROWS = """() => Array.from(document.querySelectorAll('.table-wrap tbody tr')).map(row => {
  const cells = Array.from(row.children).map(cell => {
    const style = getComputedStyle(cell), box = cell.getBoundingClientRect(), range = document.createRange();
    range.selectNodeContents(cell);  // the text's own height: a cell box is as tall as its row
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.6;
    return {width: box.width, height: range.getBoundingClientRect().height, line: line, text: cell.innerText.length, em: parseFloat(style.fontSize)};
  });
  return {table: row.closest('table').caption.innerText, height: row.getBoundingClientRect().height, cells: cells,
          text: row.innerText.replace(/\\s+/g, ' ').slice(0, 50)};
})"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", TABLE_PAGES)
def test_no_table_row_is_taller_than_its_content_needs(browser: Browser, served: Served, path: str, width: int) -> None:
    """A cell wraps onto many lines only because it holds much text, never because its column is
    squeezed: a cell of more than 4 lines is at least 12 em wide."""
    page = open_page(browser, served, path, width)
    rows = page.evaluate(ROWS)
    assert rows, f"{path} has tables"
    squeezed = [
        (row["table"], row["text"], round(cell["height"] / cell["line"]), round(cell["width"]))
        for row in rows
        for cell in row["cells"]
        if cell["height"] > 4.5 * cell["line"] and cell["width"] < 12 * cell["em"]
    ]
    assert not squeezed, squeezed
    if path == DATASET:
        downloads = [row["height"] for row in rows if row["table"] == "Every file of this dataset"]
        assert len(downloads) >= 10 and max(downloads) <= (180 if width == 390 else 72), downloads
    close(page)


BROKEN_WORDS = """() => {
  const broken = [];
  document.querySelectorAll('.table-wrap td, .table-wrap th, .chart figcaption').forEach(cell => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s\\-\\u2013/]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  });
  const styles = Array.from(document.querySelectorAll('.md-content *')).filter(e => !e.closest('.checksums')).map(e => getComputedStyle(e))
    .filter(s => s.wordBreak === 'break-all' || s.hyphens === 'auto').length;
  return {broken: broken, styles: styles};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", TABLE_PAGES)
def test_no_word_is_broken_inside_itself(browser: Browser, served: Served, path: str, width: int) -> None:
    page = open_page(browser, served, path, width)
    found = page.evaluate(BROKEN_WORDS)
    assert not found["broken"], found["broken"][:10]
    assert found["styles"] == 0, "no word-break: break-all or automatic hyphenation"
    close(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_checksums_are_below_the_downloads_table_not_in_it(browser: Browser, served: Served, width: int) -> None:
    page = open_page(browser, served, DATASET, width)
    headers = page.locator("table.downloads thead th").all_inner_texts()
    assert headers and not [h for h in headers if "SHA" in h], headers
    files = page.locator("table.downloads tbody tr").count()
    details = page.locator("details.checksums")
    assert details.locator("summary").inner_text() == "Checksums (SHA-256)"
    codes = details.locator("code").all_text_contents()
    assert len(codes) == files and all(len(c) == 64 and int(c, 16) >= 0 for c in codes), codes[:3]
    details.locator("summary").click()
    assert details.locator("code").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    close(page)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["indicators/knife-crimes/", "plan/investments/"])
def test_a_static_chart_fills_its_column_and_its_axis_ends_near_the_largest_value(browser: Browser, served: Served, path: str, width: int) -> None:
    page = open_page(browser, served, path, width)
    plot = page.locator(".chart__plot").first.bounding_box()
    drawing = page.locator(".chart__svg").first.bounding_box()
    assert plot and drawing
    layout_left = float(page.locator(".chart__svg").first.evaluate("e => parseFloat(getComputedStyle(e).marginLeft)"))
    assert drawing["x"] + drawing["width"] >= plot["x"] + plot["width"] - 200, "the plot area reaches across the column"
    assert drawing["width"] >= plot["width"] - layout_left - 200
    bars = page.locator(".chart__svg rect").evaluate_all("rs => rs.map(r => r.getBoundingClientRect().right)")
    assert max(bars) >= drawing["x"] + drawing["width"] * 0.9, "the largest bar reaches near the end of the axis"
    close(page)


def _line_chart_page(page: Page, width: int, count: int) -> None:
    labels = [f"Q{i % 4 + 1} {2000 + i // 4}-{(i // 4 + 1) % 100:02d}" for i in range(count)]
    values = [1000.0 + 37 * i for i in range(count)]
    figure = charts.build("line", labels, values, [f"{v:,.0f}" for v in values], "Count")
    page.set_content(f'<div class="chart__plot" style="width: {width}px; height: 320px; font-family: sans-serif">{svg.preview(figure)}</div>')


OVERLAPS = """() => {
  const boxes = Array.from(document.querySelectorAll('svg text')).map(t => t.getBoundingClientRect());
  const hits = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) hits.push([a.left, b.left]);
  }));
  return {count: boxes.length, hits: hits};
}"""


@pytest.mark.parametrize("width", [358, 1248])
@pytest.mark.parametrize("count", [4, 12, 40])
def test_a_line_chart_with_many_periods_never_runs_its_labels_together(browser: Browser, width: int, count: int) -> None:
    page = browser.new_page(viewport={"width": width + 32, "height": 600})
    _line_chart_page(page, width, count)
    found = page.evaluate(OVERLAPS)
    assert found["count"] >= 4, "labels are drawn"
    assert not found["hits"], found["hits"][:5]
    names = page.locator("svg text").all_text_contents()
    assert f"Q{(count - 1) % 4 + 1} {2000 + (count - 1) // 4}-{((count - 1) // 4 + 1) % 100:02d}" in names, "the newest period is labelled"
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("how", ["hover", "touch", "scroll"])
def test_plotly_is_not_fetched_on_a_hover_a_touch_or_a_scroll(browser: Browser, served: Served, width: int, how: str) -> None:
    requests: list[str] = []
    page = open_page(browser, served, "indicators/knife-crimes/", width, requests, touch=how == "touch")
    plot = page.locator(".chart__plot").first
    if how == "hover":
        plot.hover()
    elif how == "touch":
        plot.tap()
    else:
        plot.scroll_into_view_if_needed()
        page.mouse.wheel(0, 600)
    page.wait_for_timeout(500)
    assert not [url for url in requests if "plotly" in url]
    assert plot.get_attribute("data-state") == "static"
    close(page)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["indicators/knife-crimes/", "plan/investments/"])
def test_explore_this_chart_fetches_plotly_once_and_draws_the_drawings_axis_within_the_screen(browser: Browser, served: Served, path: str, width: int) -> None:
    requests: list[str] = []
    page = open_page(browser, served, path, width, requests, touch=width == 390)
    drawn_ticks = page.locator(".chart__svg").first.locator("text").all_text_contents()
    button = page.get_by_role("button", name="Explore this chart").first
    assert button.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".chart__plot[data-state='drawn'] .main-svg", timeout=15_000)
    assert len([url for url in requests if "plotly" in url]) == 1
    plotly_labels = page.locator(".chart__plot .xtick text, .chart__plot .ytick text").all_text_contents()
    plotly_ticks = [t for t in plotly_labels if re.fullmatch(r"[-\u2212]?[0-9.,]+[km]?", t)]
    assert len(plotly_ticks) >= 3 and plotly_ticks == [t for t in drawn_ticks if t in plotly_ticks], "the same value axis, tick for tick"
    assert set(plotly_ticks) == {t for t in drawn_ticks if re.fullmatch(r"[-0-9.,]+[km]?", t) and t in plotly_ticks}
    drawn_words, plotly_words = " ".join(drawn_ticks), " ".join(plotly_labels)
    assert all(word in drawn_words.replace(" ", "") for word in plotly_words.split()), "the same category labels"
    box = page.locator(".chart__plot .main-svg").first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    texts = page.locator(".chart__plot .main-svg text").evaluate_all(
        "ts => ts.map(t => t.getBoundingClientRect()).filter(r => r.width > 0).map(r => [r.left, r.right])"
    )
    assert all(left >= 0 and right <= width for left, right in texts), "no label is clipped at the screen's edge"
    colour = page.locator(".chart__plot .point path").first.evaluate("p => getComputedStyle(p).fill")
    assert colour == "rgb(29, 90, 134)", "the same colour as the drawing"
    if width == 390:
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("figure.chart").first.screenshot(path=str(ARTIFACTS / f"chart-explored-{path.split('/')[-2]}-{width}.png"))
    close(page)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", TABLE_PAGES)
def test_axe_finds_no_violation_at_phone_and_desktop_width(browser: Browser, served: Served, path: str, width: int) -> None:
    page = open_page(browser, served, path, width)
    page.get_by_role("button", name="Explore this chart").first.click() if page.locator(".chart__button").count() else None
    assert not axe_violations(page)
    close(page)


SCREENSHOTS = {"home": "", "indicator": "indicators/knife-crimes/", "investments": "plan/investments/", "dataset": DATASET, "releases": "releases/"}


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_five_pages_readers_start_from(browser: Browser, served: Served, width: int) -> None:
    """Full-page screenshots in tests/artifacts/ for people to look at; none scrolls sideways."""
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in SCREENSHOTS.items():
        page = open_page(browser, served, path, width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        close(page)
