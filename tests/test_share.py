"""Every indicator's chart, ready to reuse: as an SVG file and a PNG image that carry their own
title, source, licence and address; as a light embed page for an ``<iframe>``, with the code to
copy on the indicator page; and as the card a shared link shows (Open Graph, Twitter Card)."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
import zlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import Browser

from generator.outputs import raster
from generator.pipeline import BuildResult
from generator.render import charts, embed, images
from tests.conftest import ROOT, Served, html_files
from tests.test_accessibility import axe_violations

SITE_URL = "http://127.0.0.1:8000/"  # the address the session's site is built for
SVG = "{http://www.w3.org/2000/svg}"
LICENCE = "Open Government Licence v3.0"
INDICATORS = [line.split(",")[0] for line in (ROOT / "datasets/community-safety-performance/data/indicators.csv").read_text().splitlines()[1:]]
EMBED_BUDGET = 50 * 1024  # bytes: the embed page is everything an iframe loads


class Head(HTMLParser):
    """The ``<meta>`` tags of a page, the elements that fetch something, links and visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.fetches: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if tag == "meta" and ("property" in found or "name" in found):
            self.meta[found.get("property") or found["name"]] = found.get("content", "")
        fetched = found.get("src") or (found.get("href") if tag == "link" and found.get("rel") != "canonical" else "")
        if tag in ("script", "img", "iframe", "source", "link") and fetched and not fetched.startswith("data:"):
            self.fetches.append((tag, fetched))
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])


def head(page: Path) -> Head:
    parser = Head()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def png_facts(image: bytes) -> tuple[int, int, bytes]:
    """Decode a PNG by hand (no imaging library): its signature and IHDR size, and its pixel
    rows inflated from the IDAT chunks (each row one filter byte and then its pixels)."""
    assert image[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    at, chunks = 8, []
    while at < len(image):
        length, kind = struct.unpack(">I4s", image[at : at + 8])
        chunks.append((kind, image[at + 8 : at + 8 + length]))
        at += 12 + length
    kind, header = chunks[0]
    assert kind == b"IHDR"
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert chunks[-1][0] == b"IEND"
    pixels = zlib.decompress(b"".join(data for kind, data in chunks if kind == b"IDAT"))
    channels = {2: 3, 6: 4, 0: 1, 4: 2}[colour]
    assert len(pixels) == height * (1 + width * channels * depth // 8), "the pixel data fills the image exactly"
    return width, height, pixels


def indicator_pages(site: Path) -> dict[str, Path]:
    pages = {p.parent.name: p for p in sorted((site / "indicators").glob("*/index.html"))}
    assert len(pages) == len(INDICATORS) > 10
    return pages


def test_every_indicator_has_its_chart_as_svg_and_png_an_embed_page_and_a_social_card(built_site: BuildResult) -> None:
    site = built_site.site_dir
    for indicator in indicator_pages(site):
        for name in ("chart.svg", "chart.png", "card.png"):
            assert (site / "indicators" / indicator / name).is_file(), f"{indicator}: no {name}"
        assert (site / "embed" / "indicators" / indicator / "index.html").is_file(), f"{indicator}: no embed page"


def test_each_chart_svg_is_a_document_of_its_own_with_its_title_source_licence_and_address(built_site: BuildResult) -> None:
    site = built_site.site_dir
    for indicator, page in indicator_pages(site).items():
        root = ET.parse(site / "indicators" / indicator / "chart.svg").getroot()
        assert root.tag == f"{SVG}svg" and root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
        words = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
        title = head(page).meta["og:title"]
        assert root.findtext(f"{SVG}title", "").startswith(title)
        assert title in words and f"Licence: {LICENCE}" in words, words
        assert "Source: " in words and f"{SITE_URL}indicators/{indicator}/" in words, words
        assert root.find(f".//{SVG}rect") is not None, "the chart's marks are in the drawing"
        assert "var(" not in (site / "indicators" / indicator / "chart.svg").read_text(), "a standalone drawing depends on no page CSS"


def test_each_chart_png_is_the_svg_drawing_rasterised_at_its_size_in_the_bundled_font(built_site: BuildResult) -> None:
    site = built_site.site_dir
    for indicator in indicator_pages(site):
        drawing = (site / "indicators" / indicator / "chart.svg").read_text(encoding="utf-8")
        image = (site / "indicators" / indicator / "chart.png").read_bytes()
        root = ET.fromstring(drawing)
        width, height, pixels = png_facts(image)
        assert (width, height) == (int(root.get("width", "0")), int(root.get("height", "0"))) == raster.png_size(image)
        assert len(set(pixels)) > 10, "the image has a drawing on it, not a blank"
        assert image == raster.png(drawing), "the PNG is made from the same drawing, the same on every build"


def test_the_font_that_draws_the_images_is_bundled_with_its_open_licence() -> None:
    assert all(f.is_file() and f.read_bytes()[:4] == b"\x00\x01\x00\x00" for f in raster.FONT_FILES)
    assert "SIL Open Font License" in (raster.FONTS / "OFL.txt").read_text(encoding="utf-8")
    text = '<text x="4" y="30" font-family="Lato" font-size="24">741</text>'
    with_text = raster.png(f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">{text}</svg>')
    blank = raster.png('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"></svg>')
    assert png_facts(with_text)[2] != png_facts(blank)[2], "text is drawn: the rasteriser found the bundled font"


def test_every_indicator_page_head_has_open_graph_and_twitter_card_tags_with_a_card_that_exists(built_site: BuildResult) -> None:
    site = built_site.site_dir
    for indicator, page in indicator_pages(site).items():
        meta = head(page).meta
        assert meta["og:description"] == meta["description"] and meta["og:description"].startswith(meta["og:title"]), meta
        assert meta["og:url"] == f"{SITE_URL}indicators/{indicator}/"
        image = meta["og:image"]
        assert image == f"{SITE_URL}indicators/{indicator}/card.png"
        card = site / image.removeprefix(SITE_URL)
        assert card.is_file(), f"{indicator}: og:image {image} is not in the built site"
        width, height, _ = png_facts(card.read_bytes())
        assert (width, height) == (int(meta["og:image:width"]), int(meta["og:image:height"])) == (1200, 630)
        assert meta["og:image:alt"] == meta["description"]
        assert meta["twitter:card"] == "summary_large_image"


def test_pages_that_are_not_indicators_have_a_title_and_description_to_share_and_no_image(built_site: BuildResult) -> None:
    site = built_site.site_dir
    indicators = set(indicator_pages(site).values())
    others = [p for p in html_files(site) if p not in indicators and not p.is_relative_to(site / "embed") and p.name != "404.html"]
    assert len(others) > 15
    for page in others:
        meta = head(page).meta
        assert meta.get("og:title") and meta.get("og:description") and meta.get("twitter:card") == "summary", page
        assert "og:image" not in meta, page


def test_the_embed_page_is_light_fetches_nothing_and_links_back_to_its_indicator(built_site: BuildResult) -> None:
    site = built_site.site_dir
    for indicator, page in indicator_pages(site).items():
        embed_page = site / "embed" / "indicators" / indicator / "index.html"
        text = embed_page.read_text(encoding="utf-8")
        parsed = head(embed_page)
        assert len(text.encode()) < EMBED_BUDGET / 5, "a few kilobytes, before compression"
        assert not parsed.fetches, f"{indicator}: the embed page fetches {parsed.fetches}"
        assert "<script" not in text and "plotly" not in text.lower() and "material" not in text.lower()
        assert parsed.meta["robots"] == "noindex" and parsed.meta["description"] == head(page).meta["description"]
        assert re.search(r"<details><summary>[^<]+</summary><div class=\"table-wrap\"[^>]*><table", text), "the figures in a disclosure"
        assert "Licence: <a href=" in text and "Source: " in text
        base = f"/embed/indicators/{indicator}/"
        back = [link for link in parsed.links if not urlparse(link).scheme]
        assert back and all(urljoin(base, link) == f"/indicators/{indicator}/" for link in back), "relative links, to the indicator page"
        drawing = re.search(r'<svg class="chart__svg".*?</svg>', text, re.S)
        page_drawing = re.search(r'<svg class="chart__svg".*?</svg>', page.read_text(encoding="utf-8"), re.S)
        assert drawing and page_drawing and drawing.group(0) == page_drawing.group(0), "the embed draws the page's chart"


def test_mkdocs_copies_the_embed_page_as_it_is_outside_navigation_search_and_sitemap(built_site: BuildResult) -> None:
    site = built_site.site_dir
    assert "embed/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "embed/" not in (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "/embed/" not in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "embed/indicators/knife-crimes/index.html").read_text(encoding="utf-8").startswith('<!doctype html>\n<html lang="en-GB">\n<head>')


def test_each_indicator_page_offers_its_images_and_the_embed_code_to_copy_without_javascript(built_site: BuildResult) -> None:
    site = built_site.site_dir
    for indicator, page in indicator_pages(site).items():
        parsed = head(page)
        text = page.read_text(encoding="utf-8")
        assert '<h2 id="use-and-share-this-chart">Use and share this chart</h2>' in text
        box = re.search(r'<textarea id="embed-code-[^"]+" class="share__code" readonly[^>]*>([^<]+)</textarea>', text)
        assert box, indicator
        code = box.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"').replace("&quot;", '"')
        assert code.startswith(f'<iframe src="{SITE_URL}embed/indicators/{indicator}/" title="') and code.endswith("></iframe>"), code
        assert f'<label for="embed-code-{indicator}">' in text
        for name in ("chart.svg", "chart.png", f"../../embed/indicators/{indicator}/"):
            assert any(link.endswith(name) for link in parsed.links), f"{indicator}: no link to {name}"
        for link in parsed.links:
            if link.endswith(("chart.svg", "chart.png")):
                assert (site / urljoin(f"/indicators/{indicator}/", link).lstrip("/")).is_file()


@pytest.mark.parametrize("site_url", ["https://data.example.org/", "https://example.org/community-safety/"])
def test_the_embed_code_points_at_the_published_address_with_its_path(site_url: str) -> None:
    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {"height": 320}}
    code = embed.iframe_code(site_url, "knife-crimes", 'Knife "crimes" <b>', figure)
    assert code.startswith(f'<iframe src="{site_url}embed/indicators/knife-crimes/" title="Knife &#34;crimes&#34; &lt;b&gt;: chart"')


def test_image_text_wraps_within_its_width_and_is_cut_with_an_ellipsis_past_its_lines() -> None:
    lines = images.wrap("Number of knife crimes: 741 (Year to date), up 58 (+8.5%) from 683", 20, 200)
    assert all(len(line) * 20 * images.ADVANCE <= 200 for line in lines) and " ".join(lines).startswith("Number of knife")
    assert images.wrap("one two three four five six seven eight", 20, 100, max_lines=2)[-1].endswith("\u2026")
    address = "http://127.0.0.1:8000/indicators/a-very-long-indicator-id/"
    broken = images.wrap(address, 14, 100)
    assert "".join(broken) == address and len(broken) > 3 and all(len(line) * 14 * images.ADVANCE <= 100 for line in broken)


EMBED = "embed/indicators/knife-crimes/"


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_the_embed_page_in_chromium_requests_only_its_own_origin_and_passes_axe(browser: Browser, served: Served, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    own = urlparse(served.url).netloc
    checked = 0
    for indicator in INDICATORS:
        requests.clear()
        page.goto(f"{served.url}embed/indicators/{indicator}/", wait_until="networkidle")
        assert requests and all(urlparse(url).netloc == own for url in requests), requests
        assert requests == [f"{served.url}embed/indicators/{indicator}/"], f"the page alone, nothing else: {requests}"
        assert not axe_violations(page), indicator
        checked += 1
    page.close()
    assert checked > 10


@pytest.mark.browser
def test_the_embed_page_works_without_javascript_and_in_the_iframe_the_indicator_page_gives(browser: Browser, served: Served, tmp_path: Path) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(served.url + EMBED, wait_until="load")
    assert page.locator("svg.chart__svg rect").count() >= 2, "the chart is drawn without JavaScript"
    assert not page.locator("details table").is_visible()
    page.get_by_text("Show the figures as a table").click()
    assert page.locator("details table").is_visible() and "741" in page.locator("details table").inner_text()
    # The code the indicator page gives, pasted into a story. (On a page of another host, Chromium's
    # local network checks would block an address on 127.0.0.1, so the story is served beside it.)
    page.goto(served.url + "indicators/knife-crimes/", wait_until="load")
    code = page.locator("textarea.share__code").input_value()
    story = f"<!doctype html><title>A story</title><main>{code}</main>"
    page.route(served.url + "story/", lambda route: route.fulfill(status=200, content_type="text/html", body=story))
    page.goto(served.url + "story/", wait_until="load")
    frame = page.frame_locator("iframe")
    assert "741" in frame.locator("main").inner_text() and frame.locator("svg.chart__svg").is_visible()
    context.close()


def test_many_images_are_rasterised_on_every_core_with_the_same_bytes_in_the_same_order() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="10"><rect width="{}" height="5"/></svg>'
    drawings = [svg.format(20 + n, n % 9) for n in range(2 * raster.WORTH_A_PROCESS)]  # each one different: none made before
    assert raster.parallel.workers() < 2 or len(set(drawings)) // raster.WORTH_A_PROCESS >= 2, "enough drawings for two processes"
    assert raster.pngs(drawings) == [raster.png(d) for d in drawings]


def test_a_social_card_keeps_a_long_title_whole_the_page_address_and_the_line_colour() -> None:
    labels = [f"2024 Q{q}" for q in range(1, 5)]
    figure = charts.build("trend", labels, [120, 135, 128, 150], ["120", "135", "128", "150"], "Count")
    title = "Number of burglaries reported to the police in the borough each quarter"
    address = "https://example.org/community-safety/indicators/burglary-quarterly/"
    credit = images.Credit(title, "Figures for each quarter of 2024.", "Police recorded crime", LICENCE, address)
    root = ET.fromstring(images.card_svg(figure, credit, "Burglaries: 150 (2024 Q4), up 22 (+17.2%) from 128 (2024 Q3).", "A site with a long name"))
    words = [("".join(t.itertext()), t.get("font-weight")) for t in root.iter(f"{SVG}text")]
    assert " ".join(w for w, weight in words if weight == "700") == title, "the title in smaller type, never cut"
    assert any(address in w for w, _ in words), "the address of the page, whole"
    assert root.find(f"{SVG}rect[@height='16']").get("fill") == charts.BAR_COLOUR  # type: ignore[union-attr]
    width, height, _ = png_facts(raster.png(ET.tostring(root, encoding="unicode")))
    assert (width, height) == (1200, 630)


def test_a_rebuild_in_the_same_process_rasterises_only_the_drawings_that_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    monkeypatch.setattr(raster, "_made", {})
    monkeypatch.setattr(raster, "png", lambda svg: made.append(svg) or svg.encode())
    first = ['<svg width="1"/>', '<svg width="2"/>', '<svg width="1"/>']
    assert raster.pngs(first) == [b'<svg width="1"/>', b'<svg width="2"/>', b'<svg width="1"/>'] and len(made) == 2
    assert raster.pngs(['<svg width="2"/>', '<svg width="3"/>']) == [b'<svg width="2"/>', b'<svg width="3"/>']
    assert made == ['<svg width="1"/>', '<svg width="2"/>', '<svg width="3"/>']
