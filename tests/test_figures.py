"""The figure helpers of the pages: values by period, "Not available" for a missing one, no
status without a comparison, and no total over amounts of different bases."""

from __future__ import annotations

import html as html_module
import re
from dataclasses import replace
from datetime import datetime

import pytest

from generator.checks.validate import validate_all
from generator.config import Config
from generator.model import compute, urls
from generator.model.dataset import build_indicator_set
from generator.render import fragments
from generator.render.pages import PageHelpers, SiteData, make_environment, render_indicator_pages
from tests.conftest import ROOT

PACKAGE = "community-safety-performance"


@pytest.fixture(scope="module")
def site() -> SiteData:
    config = Config.for_project(ROOT)
    datasets = validate_all(config).datasets
    sets = tuple(build_indicator_set(d) for d in datasets if d.name == PACKAGE)
    return SiteData(datasets=datasets, indicator_sets=sets, updated=datetime(2026, 11, 24), currency=config.currency)


def without(site: SiteData, key: tuple[str, str]) -> SiteData:
    data = site.indicator_sets[0]
    values = {k: v for k, v in data.values.items() if k != key}
    return replace(site, indicator_sets=(replace(data, values=values),))


def row_of(html: str, title: str) -> list[str]:
    row = next(r for r in html.split("<tr") if f">{title}</a>" in r)
    return [html_module.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]


def test_a_missing_value_reads_not_available_under_the_newest_period_never_an_older_figure(site: SiteData) -> None:
    html = PageHelpers(without(site, ("knife-crimes", "ytd")), "index.md").indicator_table(PACKAGE)
    assert row_of(html, "Number of knife crimes") == ["Number of knife crimes", "Not available", "Not available", "683", "No comparison"]
    assert "Figures for Year to date, compared with Previous year to date" in html


def test_the_home_table_shows_a_rate_change_in_percentage_points(site: SiteData) -> None:
    html = PageHelpers(site, "index.md").indicator_table(PACKAGE)
    assert row_of(html, "Specialist Domestic Violence court conviction rate")[2:] == ["69%", "72%", "down 3 percentage points (-4.2%)"]


def test_no_comparison_means_no_status_of_its_own_with_the_printed_status_as_a_note(site: SiteData) -> None:
    helpers = PageHelpers(site, "index.md")
    assert (
        row_of(helpers.indicator_table(PACKAGE), "Number of charges for drug supply following drug specific operations")[1]
        == "No comparison (The source rated it Green)"
    )
    dashboard = html_module.unescape(re.sub(r"<[^>]+>", " ", helpers.dashboard(PACKAGE)))
    assert re.search(r"5\s+✓\s+Green", dashboard) and re.search(r"2\s+No comparison", dashboard)
    missing = html_module.unescape(re.sub(r"<[^>]+>", " ", PageHelpers(without(site, ("knife-crimes", "ytd")), "index.md").dashboard(PACKAGE)))
    assert re.search(r"1\s+Not available", missing) and re.search(r"2\s+✗\s+Red", missing)


def test_a_total_over_per_year_and_other_amounts_is_refused_and_each_basis_is_totalled_apart(site: SiteData) -> None:
    helpers = PageHelpers(site, "plan/investments.md")
    with pytest.raises(ValueError, match="would add unlike amounts"):
        helpers.total("community-safety-plan", "investments", "amount_gbp")
    assert helpers.total("community-safety-plan", "investments", "amount_gbp", per_year=True) == "£7,300,000 a year"
    assert helpers.total("community-safety-plan", "investments", "amount_gbp", per_year=False) == "£7,500,000"


def test_a_per_year_amount_is_labelled_a_year_in_the_chart_and_its_table(site: SiteData) -> None:
    html = PageHelpers(site, "plan/investments.md").bar_chart("community-safety-plan", "investments", "title", "amount_gbp", "Caption", "Pounds", "currency")
    html = html_module.unescape(html)
    assert "£7,300,000 a year" in html
    assert "Drugs and alcohol treatment for adults (a year)" in html and "£7.3m" in html  # the bar: its name says "a year", its value is short enough to fit
    assert "£3,000,000 a year" not in html


def test_an_indicator_page_says_its_sentence_once_and_repeats_no_heading_as_a_caption(site: SiteData) -> None:
    data = site.indicator_sets[0]
    pages = render_indicator_pages(make_environment(), site, data)
    checked = 0
    for indicator in data.indicators:
        page = pages[urls.indicator_page(indicator.id)]
        body = page.split("\n---\n", 1)[1]
        a = compute.latest(data, indicator)
        assert a is not None
        assert body.count(str(fragments.text(compute.sentence(a, site.currency)))) == 1, indicator.id
        headings = {line[3:].strip() for line in body.splitlines() if line.startswith("## ")}
        captions = set(re.findall(r"<caption>(.*?)</caption>", body)) | set(re.findall(r"<figcaption>(.*?)</figcaption>", body))
        assert not headings & {html_module.unescape(c) for c in captions}, indicator.id
        for internal in ("(computed)", "as published", "Status shown", "polarity"):
            assert internal not in body.split("## What the partnership is doing about it")[0], (indicator.id, internal)
        checked += 1
    assert checked == 13
