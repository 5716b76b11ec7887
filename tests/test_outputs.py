"""One output registry: every file of the site has one path, made by one source. A second file at
a path already taken is refused with a problem naming both, never written over in silence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.config import Config
from generator.outputs.registry import Outputs
from generator.pipeline import assemble
from generator.problems.errors import InvalidInput
from generator.problems.records import Problem
from tests.conftest import copy_project
from tests.test_fixtures import WARD_COUNTS, fixture_project, write_package

ROWS = ["id,ward,count\n", "1,Bow East,3\n"]


def _conflicts(project: Path) -> list[Problem]:
    with pytest.raises(InvalidInput) as raised:
        assemble(Config.for_project(project, site_dir=project / "site"))
    return [p for p in raised.value.problems if p.code == "output-conflict"]


def test_the_registry_keeps_the_first_file_at_a_path_and_names_both_sources() -> None:
    files: Outputs[str] = Outputs()
    files.add("a.md", "first", "the first page", Path("one.json"))
    files.add("a.md", "second", "the second page", Path("two.json"))
    assert dict(files) == {"a.md": "first"}
    [problem] = [c.problem(str) for c in files.conflicts]
    assert (problem.code, problem.file) == ("output-conflict", "two.json")
    assert "the first page" in problem.message and "the second page" in problem.message and "a.md" in problem.message


def test_a_resource_named_datapackage_does_not_lose_its_json_to_the_descriptor(tmp_path: Path) -> None:
    package = write_package(tmp_path / "packages" / "wards", WARD_COUNTS, ROWS)
    descriptor = json.loads((package / "datapackage.json").read_text())
    descriptor["resources"][0]["name"] = "datapackage"
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    [problem] = _conflicts(fixture_project(package, tmp_path, page="# Wards\n"))
    assert problem.file == "datasets/wards/datapackage.json"
    assert "data/wards/datapackage.json" in problem.message
    assert "the JSON file of the resource 'datapackage'" in problem.message and "the descriptor of the package 'wards'" in problem.message


def test_a_package_named_all_data_does_not_lose_its_zip_to_the_site_wide_one(tmp_path: Path) -> None:
    package = write_package(tmp_path / "packages" / "all-data", WARD_COUNTS, ROWS)
    [problem] = _conflicts(fixture_project(package, tmp_path, page="# Wards\n"))
    assert "data/all-data.zip" in problem.message
    assert "the zip of the package 'all-data'" in problem.message and "the zip of every package" in problem.message


def test_two_indicator_packages_do_not_overwrite_each_others_index_pages(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    original = project / "datasets" / "community-safety-performance"
    twin = project / "datasets" / "performance-twin"
    shutil.copytree(original, twin)
    descriptor = json.loads((twin / "datapackage.json").read_text())
    descriptor["name"] = "performance-twin"
    (twin / "datapackage.json").write_text(json.dumps(descriptor))
    problems = {p.message.split(":")[0]: p for p in _conflicts(project)}
    index = problems["Two files would be published at indicators/index.md"]
    assert index.file == "datasets/performance-twin/datapackage.json"
    assert "the indicator pages of the package 'community-safety-performance'" in index.message
    assert "the indicator pages of the package 'performance-twin'" in index.message
    assert "Two files would be published at priorities/index.md" in problems
