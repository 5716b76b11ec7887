"""Catalogues complete: who to contact, keywords, the period and the area the data covers; and
feeds whose every link resolves in the built site, found from the releases page."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from rdflib import Graph, Namespace, URIRef

from generator.checks.validate import validate_all
from generator.config import Config, Contact, Publisher
from generator.model.dataset import Dataset, FileFacts
from generator.outputs import catalogue
from generator.pipeline import BuildResult
from tests.conftest import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SITE_URL = "http://127.0.0.1:8000/"
PUBLISHER = "Tower Hamlets Community Safety Partnership"
UPDATED = datetime(2026, 11, 25, tzinfo=UTC)


@cache
def performance() -> Dataset:
    result = validate_all(Config.for_project(ROOT))
    return next(d for d in result.datasets if d.name == "community-safety-performance")


def with_stated_periods(dataset: Dataset) -> Dataset:
    """The package with its periods' dates stated: April to March of two years."""
    dates = {"previous-ytd": (date(2024, 4, 1), date(2025, 3, 31)), "ytd": (date(2025, 4, 1), date(2026, 3, 31))}
    periods = dataset.table("periods")
    rows = tuple({**r, "dates_stated": True, "start_date": dates[r["period_id"]][0], "end_date": dates[r["period_id"]][1]} for r in periods.rows)
    tables = tuple(dataclasses.replace(t, rows=rows) if t.name == "periods" else t for t in dataset.tables)
    return dataclasses.replace(dataset, tables=tables)


def pod_entry(dataset: Dataset, publisher: Publisher | None = None) -> dict[str, object]:
    files = {path: FileFacts(path, 1, "0" * 64) for path in _paths(dataset)}
    return catalogue.project_open_data([dataset], files, SITE_URL, UPDATED, publisher)["dataset"][0]  # type: ignore[no-any-return]


def dcat_entry(dataset: Dataset, publisher: Publisher | None = None) -> dict[str, object]:
    files = {path: FileFacts(path, 1, "0" * 64) for path in _paths(dataset)}
    return catalogue.dcat_jsonld([dataset], files, SITE_URL, "", UPDATED, publisher)["dcat:dataset"][0]  # type: ignore[no-any-return]


def _paths(dataset: Dataset) -> list[str]:
    return [f"data/{dataset.name}.zip"] + [f"data/{dataset.name}/{t.name}.{ext}" for t in dataset.tables for ext in ("csv", "json", "xlsx")]


# Contact point


def test_data_json_names_who_to_contact_and_gives_no_address_the_publisher_has_not_confirmed(built_site: BuildResult) -> None:
    for entry in json.loads((built_site.site_dir / "data.json").read_text(encoding="utf-8"))["dataset"]:
        assert entry["contactPoint"] == {"@type": "vcard:Contact", "fn": PUBLISHER}  # mkdocs.yml has no email: hasEmail is left out


def test_a_confirmed_email_address_becomes_has_email_in_data_json_and_dcat() -> None:
    publisher = Publisher(name="A Partnership", contact=Contact(email="data@example.org", phone="020 7364 5000", page="https://example.org/contact"))
    assert pod_entry(performance(), publisher)["contactPoint"] == {"@type": "vcard:Contact", "fn": "A Partnership", "hasEmail": "mailto:data@example.org"}
    contact = dcat_entry(performance(), publisher)["dcat:contactPoint"]
    assert contact == {
        "@id": f"{SITE_URL}#contact",
        "@type": "vcard:Organization",
        "vcard:fn": "A Partnership",
        "vcard:hasEmail": {"@id": "mailto:data@example.org"},
        "vcard:hasTelephone": {"@id": "tel:02073645000"},
        "vcard:hasURL": {"@id": "https://example.org/contact"},
    }


def test_without_a_site_publisher_the_package_publisher_is_the_contact() -> None:
    assert pod_entry(performance())["contactPoint"] == {"@type": "vcard:Contact", "fn": PUBLISHER}
    nobody = dataclasses.replace(performance(), descriptor={k: v for k, v in performance().descriptor.items() if k != "contributors"})
    assert "contactPoint" not in pod_entry(nobody) and "dcat:contactPoint" not in dcat_entry(nobody)


def test_the_dcat_catalogue_gives_every_dataset_a_contact_point_with_its_contact_page(built_site: BuildResult) -> None:
    graph = Graph().parse(built_site.site_dir / "catalog.ttl", format="turtle")
    datasets = list(graph.subjects(predicate=None, object=DCAT.Dataset))
    assert datasets
    for dataset in datasets:
        contact = graph.value(dataset, DCAT.contactPoint)
        assert str(graph.value(contact, VCARD.fn)) == PUBLISHER
        assert graph.value(contact, VCARD.hasURL) == URIRef("https://www.towerhamlets.gov.uk/content_pages/contact_us/contact_us.aspx")


# Keywords, temporal and spatial coverage


def test_keywords_come_from_the_descriptor_and_never_are_empty(built_site: BuildResult) -> None:
    entries = {e["title"]: e for e in json.loads((built_site.site_dir / "data.json").read_text(encoding="utf-8"))["dataset"]}
    assert entries[performance().title]["keyword"] == performance().descriptor["keywords"]
    bare = dataclasses.replace(performance(), descriptor={k: v for k, v in performance().descriptor.items() if k != "keywords"})
    assert pod_entry(bare)["keyword"] == [t.title for t in bare.tables]


def test_temporal_coverage_runs_from_the_first_stated_start_to_the_last_stated_end() -> None:
    stated = with_stated_periods(performance())
    assert pod_entry(stated)["temporal"] == "2024-04-01/2026-03-31"
    temporal = dcat_entry(stated)["dct:temporal"]
    assert temporal["dcat:startDate"]["@value"] == "2024-04-01" and temporal["dcat:endDate"]["@value"] == "2026-03-31"  # type: ignore[index]


def test_no_temporal_coverage_is_claimed_when_the_source_states_no_dates(built_site: BuildResult) -> None:
    assert "temporal" not in pod_entry(performance())
    document = json.loads((built_site.site_dir / "data.json").read_text(encoding="utf-8"))
    assert all("temporal" not in entry for entry in document["dataset"])  # neither package states its periods' dates


def test_spatial_coverage_is_given_when_the_package_states_it() -> None:
    assert pod_entry(performance())["spatial"] == "London Borough of Tower Hamlets"
    spatial = dcat_entry(performance())["dct:spatial"]
    assert spatial == {
        "@id": "http://statistics.data.gov.uk/id/statistical-geography/E09000030",
        "@type": "dct:Location",
        "rdfs:label": "London Borough of Tower Hamlets",
    }
    unstated = dataclasses.replace(performance(), descriptor={k: v for k, v in performance().descriptor.items() if k != catalogue.SPATIAL})
    assert "spatial" not in pod_entry(unstated) and "dct:spatial" not in dcat_entry(unstated)
    named = dataclasses.replace(performance(), descriptor={**performance().descriptor, catalogue.SPATIAL: "Tower Hamlets"})
    assert pod_entry(named)["spatial"] == "Tower Hamlets"


# Feeds


def _ids(page: Path) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))


def _resolve(site: Path, url: str) -> tuple[Path, str]:
    """The built file an address of the site names, and its anchor."""
    assert url.startswith(SITE_URL), url
    parts = urlsplit(url)
    path = site / parts.path.lstrip("/")
    return (path / "index.html" if parts.path.endswith("/") else path), parts.fragment


def test_every_link_of_every_feed_leads_to_a_file_and_anchor_of_the_built_site(built_site: BuildResult) -> None:
    site = built_site.site_dir
    feeds = [p for p in sorted(site.rglob("*.xml")) if ET.parse(p).getroot().tag == f"{ATOM}feed"]
    assert feeds, "the site has at least the release feed"
    checked = 0
    for feed in feeds:
        root = ET.parse(feed).getroot()
        addresses = [link.attrib["href"] for link in root.iter(f"{ATOM}link")] + [e.findtext(f"{ATOM}id") or "" for e in root.iter(f"{ATOM}entry")]
        for url in addresses:
            target, anchor = _resolve(site, url)
            assert target.is_file(), f"{feed.name}: {url}"
            if anchor:
                assert anchor in _ids(target), f"{feed.name}: {url} has no element with that id"
            checked += 1
    assert checked > 4


def test_the_releases_page_names_its_feed_in_its_head_and_links_it_visibly(built_site: BuildResult) -> None:
    page = (built_site.site_dir / "releases/index.html").read_text(encoding="utf-8")
    head = page[: page.index("</head>")]
    found = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">', head)
    assert found == [("Community Safety in Tower Hamlets: data releases", "../feed.xml")]
    assert (built_site.site_dir / "feed.xml").read_bytes() == (built_site.site_dir / "releases/feed.xml").read_bytes()
    assert (built_site.site_dir / "sitemap.xml").is_file()  # the theme's script fetches the sitemap beside every alternate link
    assert 'href="feed.xml"' in page[page.index("</head>") :]
