"""The built site: stable URLs, every seed figure on a page, downloads, no third-party requests."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from frictionless import Package

from generator.pipeline import BuildResult
from tests.conftest import ROOT, html_files
from tests.test_seed_data import INDICATOR_TABLE, PROSE

INDICATORS = [line.split(",")[0] for line in (ROOT / "datasets/community-safety-performance/data/indicators.csv").read_text().splitlines()[1:]]


class Links(HTMLParser):
    """Collects href/src attributes and visible text of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append((tag, value))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def parse(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(built_site: BuildResult) -> Path:
    return built_site.site_dir


@pytest.mark.parametrize(
    "url",
    [
        "index.html",
        "about/index.html",
        "accessibility/index.html",
        "indicators/index.html",
        "priorities/index.html",
        "priorities/violence/index.html",
        "data/index.html",
        "data/community-safety-performance/index.html",
        "data/community-safety-performance/observations.csv",
        "data/community-safety-performance/datapackage.json",
        "data/community-safety-plan/investments.csv",
        "plan/actions/index.html",
        "plan/strategic-plan/index.html",
        "plan/successes/index.html",
        "plan/investments/index.html",
        "plan/developments/index.html",
        "plan/index.html",
    ],
)
def test_stable_urls_exist(site: Path, url: str) -> None:
    assert (site / url).is_file()


@pytest.mark.parametrize("indicator", INDICATORS)
def test_every_indicator_has_a_page_with_chart_table_and_data_link(site: Path, indicator: str) -> None:
    html = (site / "indicators" / indicator / "index.html").read_text()
    assert '<figure class="chart"' in html and "<figcaption>" in html
    assert '<th scope="col">' in html and "Download the data behind this chart" in html
    assert 'href="../../data/community-safety-performance/observations.csv"' in html


def _numbers_on_pages(site: Path) -> set[float]:
    found: set[float] = set()
    for page in html_files(site):
        for token in re.findall(r"[-+]?\d[\d,]*(?:\.\d+)?", " ".join(parse(page).text)):
            found.add(float(token.replace(",", "")))
    return found


def test_every_seed_number_appears_on_a_page(site: Path) -> None:
    shown = _numbers_on_pages(site)
    wanted = {abs(n) for n in INDICATOR_TABLE} | set(PROSE)
    money = {3_000_000: 3_000_000, 7_300_000: 7_300_000, 500_000: 500_000, 138_000: 138_000, 1_300_000: 1_300_000, 1_500_000: 1_500_000}
    missing = sorted(n for n in wanted if n not in shown and money.get(n, n) not in shown and -n not in shown)
    assert not missing, f"seed numbers on no page: {missing}"


def test_every_internal_link_resolves(site: Path) -> None:
    checked = 0
    for page in html_files(site):
        base = "/" + page.relative_to(site).as_posix()
        for _, url in parse(page).urls:
            parts = urlparse(url)
            if parts.scheme or url.startswith(("#", "mailto:")):
                continue
            target = urljoin(base, parts.path).lstrip("/")
            path = site / target
            assert path.is_file() or (path / "index.html").is_file(), f"{base} links to missing {url}"
            checked += 1
    assert checked > 100


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    own_host = urlparse(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text())[0]).netloc
    for page in html_files(site):
        for tag, url in parse(page).urls:
            if tag in ("script", "link", "img", "iframe", "source"):
                assert urlparse(url).netloc in ("", own_host), f"{page}: {tag} loads {url}"
        assert "fonts.googleapis" not in page.read_text()


def test_chart_library_is_self_hosted_and_only_referenced_by_the_chart_script(site: Path) -> None:
    assert (site / "assets/vendor/plotly/plotly-basic.min.js").stat().st_size > 500_000
    assert not [p for p in html_files(site) if "plotly-basic.min.js" in p.read_text()]


def test_downloads_are_the_published_csvs_byte_for_byte(site: Path) -> None:
    sources = sorted((ROOT / "datasets").glob("*/data/*.csv"))
    assert sources
    for source in sources:
        assert (site / "data" / source.parents[1].name / source.name).read_bytes() == source.read_bytes()


@pytest.mark.parametrize("package", ["community-safety-performance", "community-safety-plan"])
def test_published_descriptor_is_valid_and_carries_hashes(site: Path, package: str) -> None:
    descriptor = site / "data" / package / "datapackage.json"
    report = Package(str(descriptor)).validate()
    assert report.valid, report.flatten(["type", "note"])
    resources = json.loads(descriptor.read_text())["resources"]
    assert all(r["hash"].startswith("sha256:") and r["bytes"] > 0 for r in resources)


def test_pages_are_in_british_english_with_no_third_party_fonts(site: Path) -> None:
    html = (site / "index.html").read_text()
    assert '<html lang="en-GB"' in html


def test_status_is_never_colour_alone(site: Path) -> None:
    html = (site / "index.html").read_text()
    for symbol, word in (("✓", "Green"), ("!", "Amber"), ("✗", "Red")):
        assert re.search(rf'status__symbol" aria-hidden="true">(&#\d+;|{re.escape(symbol)})</span> {word}', html), word
