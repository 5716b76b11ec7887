"""Data as readers want it, and citing it: the table of every indicator figure, each indicator's
own data and chart data, its citation (BibTeX and CSL-JSON), and small numbers."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import openpyxl
import pandas as pd
import pytest
from frictionless import Package
from pybtex.database import parse_string

from generator.checks.validate import validate_all
from generator.config import Config
from generator.model import compute
from generator.model.dataset import INDICATOR_PROFILE, IndicatorSet, build_indicator_set
from generator.outputs import figures
from generator.pipeline import BuildResult
from generator.render import pages, reuse
from tests.conftest import ROOT, copy_project

PERFORMANCE = "community-safety-performance"
INDICATORS = [line.split(",")[0] for line in (ROOT / f"datasets/{PERFORMANCE}/data/indicators.csv").read_text().splitlines()[1:]]
SITE_URL = "http://127.0.0.1:8000/"
POUNDS = compute.Currency("£", "Pounds sterling")


class Tables(HTMLParser):
    """Every table of a page: its class, caption and rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, object]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"class": dict(attrs).get("class") or "", "caption": "", "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            rows = self.tables[-1]["rows"]
            assert isinstance(rows, list)
            rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def tables_of(page: Path) -> list[dict[str, object]]:
    parser = Tables()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tables


@pytest.fixture(scope="module")
def site(built_site: BuildResult) -> Path:
    return built_site.site_dir


@cache
def indicator_set() -> IndicatorSet:
    result = validate_all(Config.for_project(ROOT))
    return next(build_indicator_set(d) for d in result.datasets if d.profile == INDICATOR_PROFILE)


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


# The table of every figure


def test_the_table_of_figures_says_what_the_home_page_says_for_every_indicator(site: Path) -> None:
    home = [t for t in tables_of(site / "index.html") if "indicator-table" in str(t["class"])]
    shown = [row for table in home for row in table["rows"][1:]]  # type: ignore[index]
    assert len(shown) == len(INDICATORS)
    latest = {row["indicator_title"]: row for row in read_csv(site / "data/indicator-figures/figures.csv") if row["latest"] == "true"}
    symbols = {s.id: s.symbol for s in indicator_set().statuses}
    for title, status, value, earlier, change in shown:
        row = latest[title]
        unit = row["unit"]
        assert status.startswith(f"{symbols[row['status_id']]} {row['status']}" if row["status_id"] else row["status"]), title
        assert value == compute.format_value(float(row["value"]), unit, POUNDS), title
        assert earlier == (compute.format_value(float(row["compared_value"]), unit, POUNDS) if row["compared_value"] else pages.NOT_AVAILABLE), title
        assert change == row["change_shown"], title
    assert len(latest) == len(shown)


def test_pandas_reads_every_figure_in_one_line_with_its_numbers_as_numbers(site: Path) -> None:
    table = pd.read_csv(site / "data/indicator-figures/figures.csv")
    observations = pd.read_csv(ROOT / f"datasets/{PERFORMANCE}/data/observations.csv")
    assert list(table.columns) == [name for name, _, _ in figures.FIELDS]
    assert len(table) == len(observations)
    knife = table[(table.indicator_id == "knife-crimes") & table.latest].iloc[0]
    assert (knife.value, knife.compared_value, knife.change, knife.percent_change, knife.status) == (741, 683, 58, 8.49, "Red")
    rate = table[(table.indicator_id == "dv-court-conviction-rate") & table.latest].iloc[0]
    assert (rate.change, rate.change_unit) == (-3, "percentage points")


def test_the_package_of_figures_is_a_valid_data_package_in_csv_json_and_xlsx(site: Path) -> None:
    folder = site / "data/indicator-figures"
    report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])
    rows = read_csv(folder / "figures.csv")
    as_json = json.loads((folder / "figures.json").read_text(encoding="utf-8"))
    sheet = openpyxl.load_workbook(folder / "figures.xlsx", read_only=True)["figures"]
    as_xlsx = list(sheet.iter_rows(values_only=True))
    assert len(rows) == len(as_json) == len(as_xlsx) - 1
    assert [r["indicator_id"] for r in rows] == [r["indicator_id"] for r in as_json] == [r[1] for r in as_xlsx[1:]]
    assert [float(r["value"]) for r in rows] == [r["value"] for r in as_json] == [r[9] for r in as_xlsx[1:]]


def test_the_package_of_figures_is_listed_on_the_data_page_and_in_the_catalogues(site: Path) -> None:
    assert 'href="../data/indicator-figures/"' in (site / "data/index.html").read_text(encoding="utf-8")
    page = f"{SITE_URL}data/indicator-figures/"
    assert page in [d["identifier"] for d in json.loads((site / "data.json").read_text())["dataset"]]
    assert page in [d["@id"] for d in json.loads((site / "catalog.jsonld").read_text())["dcat:dataset"]]
    assert "figures.csv" in (site / "data/indicator-figures/index.html").read_text(encoding="utf-8")


def test_several_indicator_packages_give_one_table_with_each_row_naming_its_package() -> None:
    data = indicator_set()
    other = dataclasses.replace(data, dataset=dataclasses.replace(data.dataset, name="another-area", title="Another area"))
    rows = figures.figure_rows([data, other], POUNDS)
    assert len(rows) == 2 * len(data.values)
    assert {r["package"] for r in rows} == {PERFORMANCE, "another-area"}
    described = figures.descriptor([data, other], SITE_URL)
    assert [s["title"] for s in described["sources"]] == [data.dataset.title, "Another area"]
    assert figures.figures_dataset([], ROOT / "datasets", SITE_URL, POUNDS) is None


# Each indicator's own data


@pytest.mark.parametrize("indicator", INDICATORS)
def test_each_indicator_offers_exactly_the_rows_of_its_page_with_notes_and_source(site: Path, indicator: str) -> None:
    page = site / "indicators" / indicator / "index.html"
    table = next(t for t in tables_of(page) if str(t["caption"]).endswith(": figures by period"))
    shown = table["rows"][1:]  # type: ignore[index]
    rows = read_csv(site / "indicators" / indicator / "data.csv")
    assert [(r["period_label"], compute.format_value(float(r["value"]), r["unit"], POUNDS)) for r in rows] == [tuple(r) for r in shown]
    source = next(i for i in indicator_set().indicators if i.id == indicator)
    assert {r["source"] for r in rows} == {source.source}
    assert all(r["notes"].startswith(source.notes or "") for r in rows)
    assert f'href="../../indicators/{indicator}/data.csv"' in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("indicator", INDICATORS)
def test_the_chart_data_is_the_figures_the_chart_draws(site: Path, indicator: str) -> None:
    page = (site / "indicators" / indicator / "index.html").read_text(encoding="utf-8")
    start = page.index('data-figure="') + len('data-figure="')
    drawn = json.loads(html.unescape(page[start : page.index('"', start)]))["data"][0]
    rows = read_csv(site / "indicators" / indicator / "chart-data.csv")
    across = drawn.get("orientation") == "h"  # horizontal bars: the full labels are the customdata, the axis has them wrapped
    categories, values = (drawn.get("customdata") or drawn["y"], drawn["x"]) if across else (drawn["x"], drawn["y"])
    assert [r["period"] for r in rows] == categories
    assert [float(r["value"]) for r in rows] == values
    assert f'href="../../indicators/{indicator}/chart-data.csv"' in page


# Citing an indicator

CSL_VARIABLES = {  # the properties of an item in the CSL data schema (csl-data.json, CSL 1.0.2)
    *("type", "id", "categories", "language", "journalAbbreviation", "shortTitle", "custom"),
    *("author", "chair", "collection-editor", "compiler", "composer", "container-author", "contributor", "curator", "director", "editor"),
    *("editorial-director", "executive-producer", "interviewer", "illustrator", "organizer", "original-author", "performer", "producer"),
    *("recipient", "reviewed-author", "translator", "accessed", "available-date", "container", "event-date", "issued", "original-date"),
    *("submitted", "abstract", "annote", "archive", "archive_collection", "archive_location", "archive-place", "authority", "call-number"),
    *("chapter-number", "citation-number", "citation-label", "collection-number", "collection-title", "container-title"),
    *("container-title-short", "dimensions", "division", "DOI", "edition", "event", "event-place", "first-reference-note-number"),
    *("genre", "ISAN", "ISBN", "ISCI", "ISMN", "ISRC", "ISSN", "ISWC", "issue", "jurisdiction", "keyword", "locator", "medium", "note"),
    *("number", "number-of-pages", "number-of-volumes", "original-publisher", "original-publisher-place", "original-title", "page"),
    *("page-first", "part", "part-title", "PMCID", "PMID", "printing", "publisher", "publisher-place", "references", "reviewed-title"),
    *("scale", "section", "source", "status", "supplement", "title", "title-short", "translated-title", "translated-title-short", "URL"),
    *("version", "volume", "year-suffix"),
}
NAME_PARTS = ["family", "given", "dropping-particle", "non-dropping-particle", "suffix", "comma-suffix", "static-ordering", "literal", "parse-names"]
CSL_ITEMS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["type", "id"],
        "propertyNames": {"enum": sorted(CSL_VARIABLES)},
        "properties": {
            "type": {"const": "dataset"},
            "author": {"type": "array", "items": {"type": "object", "propertyNames": {"enum": NAME_PARTS}}},
            "issued": {"type": "object", "properties": {"date-parts": {"type": "array", "items": {"type": "array", "maxItems": 3}}}},
        },
    },
}


def test_each_indicator_has_a_bibtex_citation_with_its_address_publisher_and_release(site: Path) -> None:
    publisher = "Tower Hamlets Community Safety Partnership"  # extra: publisher: name in mkdocs.yml
    for indicator in INDICATORS:
        entries = parse_string((site / "indicators" / indicator / "cite.bib").read_text(encoding="utf-8"), "bibtex").entries
        (entry,) = entries.values()
        assert entry.fields["url"] == f"{SITE_URL}indicators/{indicator}/"
        assert entry.fields["publisher"] == publisher
        assert entry.fields["version"] == "1.0.0"
        assert entry.fields["year"] == "2026"
        assert [str(p) for p in entry.persons["author"]] == ["{" + publisher + "}"]


def test_each_indicator_has_a_csl_json_citation_in_the_variables_of_the_csl_schema(site: Path) -> None:
    for indicator in INDICATORS:
        items = json.loads((site / "indicators" / indicator / "cite.json").read_text(encoding="utf-8"))
        jsonschema.validate(items, CSL_ITEMS)
        assert (items[0]["URL"], items[0]["version"], items[0]["issued"]) == (f"{SITE_URL}indicators/{indicator}/", "1.0.0", {"date-parts": [[2026, 11, 24]]})


def test_a_citation_with_an_unknown_field_would_fail_the_csl_check() -> None:
    cite = reuse.citation(indicator_set(), indicator_set().indicators[0], _site())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**cite.csl()[0], "website": "x"}], CSL_ITEMS)


def test_the_citation_is_on_the_page_to_copy_without_javascript(site: Path) -> None:
    page = (site / "indicators/knife-crimes/index.html").read_text(encoding="utf-8")
    section = page[page.index('id="cite-this-indicator"') :]
    text = html.unescape(section)
    assert f"{SITE_URL}indicators/knife-crimes/" in text
    assert "Tower Hamlets Community Safety Partnership (2026). Number of knife crimes [Data set]." in text
    assert "version 1.0.0" in text and "accessed" in text
    assert (site / "indicators/knife-crimes/cite.bib").read_text(encoding="utf-8").strip() in text
    assert (site / "indicators/knife-crimes/cite.json").read_text(encoding="utf-8").strip() in text
    assert 'href="../../indicators/knife-crimes/cite.bib"' in section


def test_bibtex_escapes_what_latex_would_read_as_commands() -> None:
    data = indicator_set()
    indicator = dataclasses.replace(data.indicators[0], title="Drugs & alcohol: 50% {of} #1_a")
    entry = parse_string(reuse.citation(data, indicator, _site()).bibtex(), "bibtex").entries
    (only,) = entry.values()
    assert only.fields["title"] == r"{Drugs \& alcohol: 50\% \{of\} \#1\_a}"


# Small numbers


def _site() -> pages.SiteData:
    from datetime import UTC, datetime

    from generator.config import Publisher

    data = indicator_set()
    return pages.SiteData(
        datasets=(data.dataset,),
        indicator_sets=(data,),
        updated=datetime(2026, 11, 25, tzinfo=UTC),
        site_url=SITE_URL,
        site_name="A site",
        publisher=Publisher(name="Tower Hamlets Community Safety Partnership"),
    )


def _with_small_counts(data: IndicatorSet) -> IndicatorSet:
    values = {**data.values, ("knife-crimes", "previous-ytd"): 4.0, ("knife-crimes", "ytd"): 7.0}
    return dataclasses.replace(data, values=values)


def test_the_status_rules_of_the_data_set_a_minimum_count() -> None:
    assert indicator_set().minimum_count_for("knife-crimes") == 10


def test_small_counts_get_no_status_and_the_reason_is_given() -> None:
    data = _with_small_counts(indicator_set())
    knife = next(i for i in data.indicators if i.id == "knife-crimes")
    a = compute.latest(data, knife)
    assert a is not None and a.small_numbers and a.status is None
    row = figures.figure_row(data, a, POUNDS)
    assert row["status"] == "Not assessed: small numbers"
    assert "below 10" in row["notes"]
    assert "too small" in compute.sentence(a, POUNDS)
    page = pages.render_indicator(pages.make_environment(), data, knife, _site())
    assert "Not assessed: small numbers" in page and "below 10, the smallest count the status rules assess" in page
    assert compute.status_counts(compute.latest_all(data))[compute.SMALL_NUMBERS] == 1


def test_counts_at_the_minimum_and_packages_without_one_are_assessed() -> None:
    data = indicator_set()
    at_minimum = dataclasses.replace(data, values={**data.values, ("knife-crimes", "previous-ytd"): 10.0, ("knife-crimes", "ytd"): 12.0})
    knife = next(i for i in data.indicators if i.id == "knife-crimes")
    assessed = compute.latest(at_minimum, knife)
    assert assessed is not None and assessed.status is not None and not assessed.small_numbers
    no_minimum = _with_small_counts(dataclasses.replace(data, rules=tuple(dataclasses.replace(r, minimum_count=None) for r in data.rules)))
    small = compute.latest(no_minimum, knife)
    assert small is not None and small.status is not None and not small.small_numbers


def test_a_rate_is_never_held_back_as_a_small_number() -> None:
    data = indicator_set()
    rate = next(i for i in data.indicators if i.unit == "percent")
    low = dataclasses.replace(data, values={**data.values, (rate.id, "previous-ytd"): 2.0, (rate.id, "ytd"): 3.0})
    a = compute.latest(low, rate)
    assert a is not None and not a.small_numbers and a.status is not None


def test_a_package_whose_status_rules_have_no_minimum_count_still_validates(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    rules = project / f"datasets/{PERFORMANCE}/data/status-rules.csv"
    rules.write_text("\n".join(line.rsplit(",", 1)[0] for line in rules.read_text(encoding="utf-8").splitlines()) + "\n", encoding="utf-8")
    descriptor = project / f"datasets/{PERFORMANCE}/datapackage.json"
    document = json.loads(descriptor.read_text(encoding="utf-8"))
    schema = next(r["schema"] for r in document["resources"] if r["name"] == "status-rules")
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "minimum_count"]
    descriptor.write_text(json.dumps(document), encoding="utf-8")
    result = validate_all(Config.for_project(project))
    assert [p.code for p in result.problems] == []
    data = next(build_indicator_set(d) for d in result.datasets if d.profile == INDICATOR_PROFILE)
    assert data.minimum_count_for("knife-crimes") is None
