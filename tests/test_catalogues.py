"""Journalists and catalogues find, trust and cite every dataset: DCAT, data.json, schema.org,
zips, citations, checksums, descriptions and the sitemap, each read with a real parser."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import zipfile
from pathlib import Path

import jsonschema
import pytest
from frictionless import Package
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF

from generator.pipeline import BuildResult
from tests.conftest import html_files

DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SITE_URL = "http://127.0.0.1:8000/"
PACKAGES = ["community-safety-performance", "community-safety-plan"]
CATALOGUED = [*PACKAGES, "indicator-figures"]  # the packages, and the table of every indicator figure made from them
POD_SCHEMA = {
    "type": "object",
    "required": ["conformsTo", "dataset"],
    "properties": {
        "conformsTo": {"const": "https://project-open-data.cio.gov/v1.1/schema"},
        "dataset": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": [
                    "title",
                    "description",
                    "identifier",
                    "license",
                    "publisher",
                    "contactPoint",
                    "modified",
                    "accessLevel",
                    "keyword",
                    "distribution",
                ],
                "properties": {
                    "title": {"type": "string", "minLength": 1},
                    "description": {"type": "string", "minLength": 1},
                    "identifier": {"type": "string", "format": "uri"},
                    "license": {"type": "string", "minLength": 1},
                    "publisher": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "minLength": 1}}},
                    # fn and hasEmail are both required by the schema; this publisher has confirmed no address, so only fn (see test_coverage.py)
                    "contactPoint": {
                        "type": "object",
                        "required": ["@type", "fn"],
                        "properties": {
                            "@type": {"const": "vcard:Contact"},
                            "fn": {"type": "string", "minLength": 1},
                            "hasEmail": {"pattern": "^mailto:[^@]+@[^@]+$"},
                        },
                    },
                    "modified": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    "accessLevel": {"enum": ["public", "restricted public", "non-public"]},
                    "keyword": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                    "distribution": {
                        "type": "array",
                        "items": {"type": "object", "required": ["downloadURL", "mediaType"], "properties": {"downloadURL": {"type": "string"}}},
                    },
                },
            },
        },
    },
}


def local(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL), url
    return site / url.removeprefix(SITE_URL)


def test_the_dcat_turtle_lists_every_dataset_with_a_stable_identifier_and_true_checksums(built_site: BuildResult) -> None:
    site = built_site.site_dir
    graph = Graph().parse(site / "catalog.ttl", format="turtle")
    datasets = sorted(str(s) for s in graph.subjects(RDF.type, DCAT.Dataset))
    assert datasets == [f"{SITE_URL}data/{name}/" for name in CATALOGUED]
    for dataset in datasets:
        assert graph.value(URIRef(dataset), DCTERMS.identifier) == Literal(dataset)
        assert graph.value(URIRef(dataset), DCTERMS.license) == URIRef("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
        distributions = list(graph.objects(URIRef(dataset), DCAT.distribution))
        assert len(distributions) > 3
        for distribution in distributions:
            content = local(site, str(graph.value(distribution, DCAT.downloadURL))).read_bytes()
            checksum = graph.value(distribution, SPDX.checksum)
            assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(content).hexdigest()
            assert int(graph.value(distribution, DCAT.byteSize)) == len(content)


def test_the_dcat_json_ld_is_the_same_graph_as_the_turtle(built_site: BuildResult) -> None:
    site = built_site.site_dir
    as_jsonld = Graph().parse(site / "catalog.jsonld", format="json-ld")
    assert len(as_jsonld) > 100
    assert isomorphic(as_jsonld, Graph().parse(site / "catalog.ttl", format="turtle"))


def test_data_json_follows_project_open_data_with_every_dataset(built_site: BuildResult) -> None:
    document = json.loads((built_site.site_dir / "data.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, POD_SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [d["identifier"] for d in document["dataset"]] == [f"{SITE_URL}data/{name}/" for name in CATALOGUED]
    for dataset in document["dataset"]:
        for distribution in dataset["distribution"]:
            assert local(built_site.site_dir, distribution["downloadURL"]).is_file()


@pytest.mark.parametrize("name", PACKAGES)
def test_each_dataset_page_carries_schema_org_citation_licence_and_the_facts_of_every_file(built_site: BuildResult, name: str) -> None:
    folder = built_site.site_dir / "data" / name
    page = (folder / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(found) == 1
    dataset = json.loads(found[0])
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert (dataset["@type"], dataset["name"], dataset["identifier"]) == ("Dataset", descriptor["title"], f"{SITE_URL}data/{name}/")
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Cite this dataset" in text and f"{descriptor['title']}, version {descriptor['version']} [Data set]" in text
    assert "Contains public sector information licensed under the Open Government Licence v3.0." in text
    for resource in descriptor["resources"]:
        for extension in ("csv", "json", "xlsx"):
            content = (folder / f"{resource['name']}.{extension}").read_bytes()
            assert hashlib.sha256(content).hexdigest() in page, f"{resource['name']}.{extension}"
    assert hashlib.sha256((built_site.site_dir / "data" / f"{name}.zip").read_bytes()).hexdigest() in page


def test_the_published_descriptor_carries_what_a_reuser_needs_and_validates(built_site: BuildResult) -> None:
    for name in PACKAGES:
        descriptor_file = built_site.site_dir / "data" / name / "datapackage.json"
        descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
        for key in ("licenses", "sources", "contributors", "version", "modified"):
            assert descriptor.get(key), (name, key)
        assert all(r["bytes"] and r["hash"].startswith("sha256:") for r in descriptor["resources"])
        assert Package(str(descriptor_file)).validate().valid


def test_zips_hold_valid_packages_and_are_the_same_bytes_every_build(built_site: BuildResult, tmp_path: Path) -> None:
    data = built_site.site_dir / "data"
    for name in PACKAGES:
        with zipfile.ZipFile(data / f"{name}.zip") as archive:
            archive.extractall(tmp_path / name)
            assert all(info.date_time == archive.infolist()[0].date_time for info in archive.infolist())
        assert Package(str(tmp_path / name / "datapackage.json")).validate().valid
    with zipfile.ZipFile(io.BytesIO((data / "all-data.zip").read_bytes())) as archive:
        assert sorted({n.split("/")[0] for n in archive.namelist()}) == CATALOGUED


def test_every_page_has_a_description_and_is_in_the_sitemap(built_site: BuildResult) -> None:
    site = built_site.site_dir
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for page in html_files(site):
        content = page.read_text(encoding="utf-8")
        description = re.search(r'<meta name="description" content="([^"]+)"', content)
        assert description and len(description.group(1)) > 20, page
        indexed = '<meta name="robots" content="noindex">' not in content  # an embed page is kept out of search: its indicator page is the one to find
        if page.name == "index.html" and indexed:
            assert f"<loc>{SITE_URL}{page.parent.relative_to(site).as_posix()}/".replace(f"{SITE_URL}./", SITE_URL) in sitemap, page
