"""Never an invented fact: a package that names no licence is published as "Licence not stated"
(nowhere a licence the publisher never chose), unless the publisher sets the site's default
licence in mkdocs.yml; every source and contributor is shown as the descriptor states it, and
no publisher is printed when none is named."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from generator.checks.validate import validate_all
from generator.cli import main
from generator.config import Config, default_licence
from generator.model.dataset import Licence, build_dataset, contributor_of, licence_of
from generator.outputs import catalogue, downloads
from generator.pipeline import BuildResult, build_site
from generator.render.pages import SiteData, render_pages
from tests.conftest import ROOT, copy_project, html_files
from tests.test_fixtures import MINIMAL_MKDOCS

FIXTURE = ROOT / "tests" / "fixtures" / "licence-not-stated"
PACKAGE = "open-wards"
# Words of any licence the publisher did not choose: the code used to default to OGL.
CLAIMS = ("OGL", "Open Government Licence", "nationalarchives", "open-government-licence")
DEFAULT_LICENCE = """
extra:
  default_licence:
    name: CC-BY-4.0
    title: Creative Commons Attribution 4.0
    path: https://creativecommons.org/licenses/by/4.0/
"""
SOURCES = [
    {"title": "Ward boundaries, Electoral Services", "path": "https://example.org/wards"},
    {"title": "Ward names register"},
]
CONTRIBUTORS = [
    {"title": "Electoral Services", "roles": ["author", "maintainer"], "path": "https://example.org/electoral-services"},
    {"givenName": "Ada", "familyName": "Byron", "roles": ["contributor"], "organization": "Mapping Team"},
    {"title": "Ward Statistics Unit", "role": "wrangler"},  # Data Package v1: one role, as a string
]


def no_licence_package(datasets: Path, name: str = PACKAGE) -> Path:
    """A sound one-table package naming no licence and no publisher, two sources and three contributors."""
    folder = datasets / name
    shutil.copytree(FIXTURE, folder, ignore=shutil.ignore_patterns("expected.txt"))
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.update(name=name, title="Open wards", sources=SOURCES, contributors=CONTRIBUTORS)
    assert "licenses" not in descriptor
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real site with one more package that names no licence, built (not strict)."""
    project = copy_project(tmp_path_factory.mktemp("no-licence") / "project")
    no_licence_package(project / "datasets")
    about = project / "site_src/docs/about.md"
    about.write_text(about.read_text(encoding="utf-8") + f'\n[Wards]({{{{ csv("{PACKAGE}", "wards") }}}})\n', encoding="utf-8")
    return build_site(Config.for_project(project, site_dir=project / "site"))


def page_text(page: Path) -> str:
    """A page's HTML with runs of white space as one space and character references resolved."""
    return html.unescape(re.sub(r"\s+", " ", page.read_text(encoding="utf-8")))


def test_a_package_without_licences_builds_with_a_warning_and_says_licence_not_stated(built: BuildResult) -> None:
    by_design = "no-direct-contact"  # the real mkdocs.yml gives no email or phone: the source has none
    assert [(p.code, p.location) for p in built.problems if p.code != by_design] == [("licence-not-stated", f"datasets/{PACKAGE}/datapackage.json::licenses")]
    text = page_text(built.site_dir / "data" / PACKAGE / "index.html")
    assert "<dt>Licence</dt> <dd>Licence not stated</dd>" in text
    assert "Licence not stated: the publisher has not said under which licence this data may be reused" in text
    assert "You may reuse the data as the licence allows" not in text
    index = page_text(built.site_dir / "data" / "index.html")
    assert "Licence not stated" in index


def test_no_licence_is_claimed_in_any_published_file_of_the_package(built: BuildResult) -> None:
    site = built.site_dir
    files = [*sorted((site / "data" / PACKAGE).rglob("*")), site / "data" / f"{PACKAGE}.zip"]
    texts: dict[str, str] = {}
    for file in (f for f in files if f.is_file()):
        if file.suffix in (".zip", ".xlsx"):
            with zipfile.ZipFile(io.BytesIO(file.read_bytes())) as archive:
                texts.update({f"{file.name}/{n}": archive.read(n).decode("utf-8") for n in archive.namelist()})
        else:
            texts[file.name] = file.read_text(encoding="utf-8")
    # the page's own content: the site's footer states the licence of the site's content "except where otherwise stated"
    texts["index.html"] = texts["index.html"].split("<article", 1)[1].split("</article>", 1)[0]
    assert {"datapackage.json", "wards.xlsx/xl/worksheets/sheet2.xml", "index.html", f"{PACKAGE}.zip/datapackage.json"} <= set(texts)
    assert "Licence not stated" in texts["wards.xlsx/xl/worksheets/sheet2.xml"], "the notes sheet says so"
    for name, text in texts.items():
        assert not [claim for claim in CLAIMS if claim in text], name
    assert "licenses" not in json.loads(texts["datapackage.json"])
    with zipfile.ZipFile(site / "data" / "all-data.zip") as everything:
        assert not [claim for claim in CLAIMS if claim in everything.read(f"{PACKAGE}/datapackage.json").decode("utf-8")]


def test_catalogues_name_no_licence_and_no_publisher_for_it(built: BuildResult) -> None:
    site, page = built.site_dir, f"http://127.0.0.1:8000/data/{PACKAGE}/"
    pod = {d["identifier"]: d for d in json.loads((site / "data.json").read_text(encoding="utf-8"))["dataset"]}
    assert "license" not in pod[page] and "publisher" not in pod[page]
    assert pod["http://127.0.0.1:8000/data/community-safety-plan/"]["license"].startswith("https://www.nationalarchives.gov.uk/")
    dcat = {d["@id"]: d for d in json.loads((site / "catalog.jsonld").read_text(encoding="utf-8"))["dcat:dataset"]}
    assert "dct:license" not in dcat[page] and "dct:publisher" not in dcat[page]
    graph = Graph().parse(site / "catalog.ttl", format="turtle")
    assert graph.value(URIRef(page), DCTERMS.license) is None
    assert graph.value(URIRef(page), DCTERMS.title) is not None
    head = (site / "data" / PACKAGE / "index.html").read_text(encoding="utf-8")
    schema_org = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S).group(1))  # type: ignore[union-attr]
    assert "license" not in schema_org and "creator" not in schema_org


def test_every_source_and_contributor_is_shown_with_its_roles_and_links(built: BuildResult) -> None:
    text = page_text(built.site_dir / "data" / PACKAGE / "index.html")
    assert '<dt>Sources</dt> <dd><a href="https://example.org/wards">Ward boundaries, Electoral Services</a></dd> <dd>Ward names register</dd>' in text
    assert (
        '<dt>Contributors</dt> <dd><a href="https://example.org/electoral-services">Electoral Services</a> (author, maintainer)</dd>'
        " <dd>Ada Byron, Mapping Team (contributor)</dd> <dd>Ward Statistics Unit (wrangler)</dd>"
    ) in text


def test_no_publisher_line_or_not_stated_publisher_when_none_is_named(built: BuildResult) -> None:
    text = page_text(built.site_dir / "data" / PACKAGE / "index.html")
    assert "<dt>Publisher</dt>" not in text
    assert "Open wards (2023) [Data set]. Community Safety in Tower Hamlets. http://127.0.0.1:8000/data/open-wards/" in text
    for page in html_files(built.site_dir):
        assert "Not stated (" not in page_text(page) and "Published by Not stated" not in page_text(page), page
    with zipfile.ZipFile(built.site_dir / "data" / PACKAGE / "wards.xlsx") as workbook:
        notes = workbook.read("xl/worksheets/sheet2.xml").decode("utf-8")
        assert "Publisher" not in notes and "Not stated" not in notes.replace("Licence not stated", "")
    real = page_text(built.site_dir / "data" / "community-safety-plan" / "index.html")
    assert "<dt>Publisher</dt> <dd>Tower Hamlets Community Safety Partnership</dd>" in real


def test_strict_validation_and_strict_build_fail_on_a_package_without_licences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    no_licence_package(tmp_path / "datasets")
    (tmp_path / "site_src/docs").mkdir(parents=True)
    (tmp_path / "site_src/docs/index.md").write_text(f'{{{{ csv("{PACKAGE}", "wards") }}}}\n')
    (tmp_path / "mkdocs.yml").write_text(MINIMAL_MKDOCS)
    assert main(["validate", "--project", str(tmp_path)]) == 0
    assert main(["validate", "--project", str(tmp_path), "--strict"]) == 1
    assert main(["build", "--project", str(tmp_path), "--strict"]) == 1
    out = capsys.readouterr()
    line = f"datasets/{PACKAGE}/datapackage.json::licenses [licence-not-stated] warning:"
    assert line in out.out + out.err
    assert 'Add a "licenses" list to datapackage.json' in out.out + out.err
    assert not (tmp_path / "site").exists()


def test_the_default_licence_set_in_mkdocs_yml_is_used_for_a_package_naming_none(tmp_path: Path) -> None:
    no_licence_package(tmp_path / "datasets")
    (tmp_path / "site_src/docs").mkdir(parents=True)
    (tmp_path / "site_src/docs/index.md").write_text(f'{{{{ csv("{PACKAGE}", "wards") }}}}\n')
    (tmp_path / "mkdocs.yml").write_text(DEFAULT_LICENCE, encoding="utf-8")
    config = Config.for_project(tmp_path)
    result = validate_all(config, lambda d: downloads.dataset_files(d, config.updated))
    assert result.problems == ()
    (dataset,) = result.datasets
    assert dataset.licence is not None and dataset.licence.site_default and dataset.licence.title == "Creative Commons Attribution 4.0"
    published = json.loads(result.files[f"data/{PACKAGE}/datapackage.json"])
    assert published["licenses"] == [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}]
    facts = {path: downloads.facts(path, content) for path, content in result.files.items()}
    page = html.unescape(re.sub(r"\s+", " ", render_pages(SiteData(result.datasets, (), config.updated, files=facts))[f"data/{PACKAGE}/index.md"]))
    assert (
        '<dt>Licence</dt> <dd><a href="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0</a>'
        " (the site's default licence: the package names none)</dd>"
    ) in page
    assert "The package names no licence: the data is published under the site's default licence, the Creative Commons Attribution 4.0." in page
    assert "Published under the Creative Commons Attribution 4.0. You may reuse the data as the licence allows" in page
    assert "Licence not stated" not in page
    pod = catalogue.project_open_data(result.datasets, facts, config.site_url, config.updated)
    assert pod["dataset"][0]["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_a_package_that_names_its_licence_keeps_it_over_the_default_v1_url_or_v2_path() -> None:
    default = Config.for_project(ROOT).default_licence
    assert default is None, "the real site sets no default: every package names its own"
    v1 = licence_of({"licenses": [{"name": "ODC-BY-1.0", "url": "https://opendatacommons.org/licenses/by/1-0/"}]})
    v2 = licence_of({"licenses": [{"name": "CC0-1.0", "title": "CC0 1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/"}]})
    assert v1 is not None and (v1.title, v1.path, v1.site_default) == ("ODC-BY-1.0", "https://opendatacommons.org/licenses/by/1-0/", False)
    assert v2 is not None and (v2.title, v2.path) == ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/")
    assert licence_of({}) is None and licence_of({"licenses": []}) is None
    assert [contributor_of(c).roles for c in CONTRIBUTORS] == [("author", "maintainer"), ("contributor",), ("wrangler",)]
    dataset = build_dataset({"name": "x", "resources": [], "contributors": CONTRIBUTORS}, Path("/nowhere"), {})
    assert dataset.publisher == "", "a contributor who is not named as publisher is never taken for one"


def test_a_default_licence_setting_without_a_title_or_name_is_ignored_so_the_warning_stays(caplog: pytest.LogCaptureFixture) -> None:
    assert default_licence({"extra": {"default_licence": {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}}}) == Licence(
        "CC-BY-4.0", "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"
    )
    assert default_licence({}) is None and default_licence({"extra": {}}) is None
    assert default_licence({"extra": {"default_licence": "OGL"}}) is None
    assert default_licence({"extra": {"default_licence": {"path": "https://example.org/licence"}}}) is None
    assert "default_licence needs a title or a name" in caplog.text
