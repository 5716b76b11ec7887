"""Issue 10: never destroy (the --site guard), never leak (release zips), hostile files and names, settings, Ctrl-C, the fingerprint."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import cli
from generator.checks.validate import column_count_problems, row_name_problems, unsafe_name
from generator.cli import main
from generator.config import Config
from generator.inputs import history
from generator.model.dataset import build_dataset
from generator.outputs.spreadsheet import sheet_name
from generator.site import fingerprint
from generator.site.write import SITE_MARKER
from tests.conftest import copy_project
from tests.test_fixtures import WARD_COUNTS, fixture_project, validate, write_package


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def listing(folder: Path) -> list[tuple[str, int]]:
    """Every path under ``folder`` with its size: what a refused build must leave as it was."""
    found = [(p.relative_to(folder).as_posix(), p.lstat().st_size if not p.is_dir() else 0) for p in sorted(folder.rglob("*"))]
    assert found
    return found


def build(project: Path, *options: str) -> int:
    return main(["build", "--project", str(project), *options])


@pytest.mark.parametrize("site", [".", "datasets", "site_src", "schemas", "mkdocs.yml", "datasets/seed", "..", "unrelated", ".build"])
def test_a_site_folder_that_is_not_a_built_site_is_refused_before_anything_is_touched(site: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "unrelated").mkdir()
    (project / "unrelated" / "notes.txt").write_text("mine")
    before = listing(project.parent)
    assert build(project, "--site", str(project / site)) == 2
    err = capsys.readouterr().err
    assert "refusing to publish into" in err and "Nothing was touched" in err and "--site" in err, err
    assert "Traceback" not in err
    assert listing(project.parent) == before


def test_the_root_of_the_file_system_is_refused_without_touching_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(os.listdir("/")), listing(project)
    for command in ("build", "serve"):
        assert main([command, "--project", str(project), "--site", "/"]) == 2
        assert "refusing to publish into /" in capsys.readouterr().err
    assert (sorted(os.listdir("/")), listing(project)) == before


def test_a_file_and_a_home_folder_are_refused(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a-file").write_text("x")
    assert build(project, "--site", str(tmp_path / "a-file")) == 2
    assert "it is a file" in capsys.readouterr().err
    home = tmp_path / "home"
    (home / "empty").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    assert build(project, "--site", str(home)) == 2
    assert f"it holds {home}" in capsys.readouterr().err


def test_a_work_folder_beside_the_site_that_holds_other_files_is_refused(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out" / ".build").mkdir(parents=True)
    (tmp_path / "out" / ".build" / "thesis.tex").write_text("years of work")
    assert build(project, "--site", str(tmp_path / "out" / "site")) == 2
    assert "thesis.tex" in capsys.readouterr().err
    assert (tmp_path / "out" / ".build" / "thesis.tex").read_text() == "years of work"
    assert not (tmp_path / "out" / "site").exists()


def test_a_built_site_is_marked_and_rebuilt_in_place_and_an_empty_folder_is_accepted(project: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(project, "--site", str(empty)) == 0
    assert (empty / SITE_MARKER).is_file() and (empty / "index.html").is_file()
    assert build(project, "--site", str(empty), "--force") == 0
    assert build(project) == 0
    assert (project / "site" / SITE_MARKER).is_file()
    assert build(project, "--force") == 0


def test_a_site_built_before_the_marker_is_replaced_only_at_the_default_place(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(project) == 0
    (project / "site" / SITE_MARKER).unlink()  # as the previous version of the generator left it
    elsewhere = tmp_path / "elsewhere"
    os.rename(project / "site", elsewhere)
    assert build(project, "--site", str(elsewhere), "--force") == 2
    assert "no .opendata-site.json marker" in capsys.readouterr().err
    os.rename(elsewhere, project / "site")
    assert build(project, "--force") == 0
    assert (project / "site" / SITE_MARKER).is_file()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SITE_URL", "https://data.example.org/with space"),
        ("SITE_URL", 'https://data.example.org/"'),
        ("SITE_URL", "data.example.org"),
        ("SITE_URL", "javascript:alert(1)"),
        ("SITE_URL", "https://"),
        ("SOURCE_DATE_EPOCH", "yesterday"),
        ("SOURCE_DATE_EPOCH", "1.5"),
        ("SOURCE_DATE_EPOCH", "-1"),
        ("SOURCE_DATE_EPOCH", "253402300800"),
    ],
)
def test_a_malformed_setting_is_a_usage_error_naming_it(
    variable: str, value: str, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    for command in ("validate", "build"):
        assert main([command, "--project", str(project)]) == 2
        err = capsys.readouterr().err
        assert f"the environment variable {variable} is {value!r}" in err, err
        assert "Traceback" not in err
    assert not (project / "site").exists()


def test_ctrl_c_exits_130_saying_nothing_was_published(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run", interrupted)
    assert main(["build", "--project", str(project)]) == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing was published" in err


# Hostile files: refused precisely and quickly, never by blocking, exhausting memory or the stack


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail instead of hanging: reading a FIFO would block forever."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError("the check did not finish: something blocked or ran away")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def package_project(tmp_path: Path, name: str = "wards") -> tuple[Path, Path]:
    """A project with one small valid package; returns the project and the package folder."""
    package = write_package(tmp_path / "source" / name, WARD_COUNTS, ["id,ward,count\n", "1,bow-east,3\n"])
    project = fixture_project(package, tmp_path)
    return project, project / "datasets" / name


def problem_lines(project: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    code, problems, text = validate(project, capsys)
    assert code == 1 and "Traceback" not in text
    assert all(p.fix for p in problems)
    return sorted(f"{p.location} [{p.code}]" for p in problems)


def test_a_descriptor_that_is_a_fifo_or_a_link_to_a_device_is_refused_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str], deadline: None) -> None:
    project, package = package_project(tmp_path)
    (package / "datapackage.json").unlink()
    os.mkfifo(package / "datapackage.json")
    assert problem_lines(project, capsys) == ["datasets/wards/datapackage.json [not-regular-file]"]
    (package / "datapackage.json").unlink()
    (package / "datapackage.json").symlink_to("/dev/zero")
    assert problem_lines(project, capsys) == ["datasets/wards/datapackage.json [not-regular-file]"]


def test_a_huge_descriptor_is_refused_saying_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str], deadline: None) -> None:
    project, package = package_project(tmp_path)
    with (package / "datapackage.json").open("r+b") as handle:
        handle.truncate(2_000_000_000)  # sparse: 2 GB that cost nothing to make
    code, problems, _ = validate(project, capsys)
    assert code == 1
    assert [(p.code, p.file) for p in problems] == [("descriptor-too-large", "datasets/wards/datapackage.json")]
    assert "10 MB" in problems[0].message


def test_a_csv_that_is_a_fifo_is_refused_without_reading_it(tmp_path: Path, capsys: pytest.CaptureFixture[str], deadline: None) -> None:
    project, package = package_project(tmp_path)
    (package / "data" / "table.csv").unlink()
    os.mkfifo(package / "data" / "table.csv")
    assert problem_lines(project, capsys) == ["datasets/wards/datapackage.json::resources[0].path [not-regular-file]"]


def test_a_header_of_a_million_columns_is_refused_before_frictionless_reads_it(tmp_path: Path, capsys: pytest.CaptureFixture[str], deadline: None) -> None:
    project, package = package_project(tmp_path)
    (package / "data" / "table.csv").write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n" + ",".join("1" * 1_000_000) + "\n")
    code, problems, _ = validate(project, capsys)
    assert code == 1
    assert [f"{p.location} [{p.code}]" for p in problems] == ["datasets/wards/data/table.csv:1 [too-many-columns]"]
    assert "1,000,000 columns" in problems[0].message and "16,384" in problems[0].message


def test_a_header_at_the_spreadsheet_limit_is_accepted_by_the_column_check(tmp_path: Path) -> None:
    _, package = package_project(tmp_path)
    (package / "data" / "table.csv").write_text(",".join(f'"c,{i}"' for i in range(16_384)) + "\n")
    descriptor = json.loads((package / "datapackage.json").read_text())
    config = Config.for_project(package.parents[1])
    assert column_count_problems(descriptor, package, config) == []
    (package / "data" / "table.csv").write_text(",".join(f"c{i}" for i in range(16_385)) + "\n")
    assert [p.code for p in column_count_problems(descriptor, package, config)] == ["too-many-columns"]


@pytest.mark.parametrize(
    "name",
    ["", "a/b", "a\\b", ".hidden", "..", "x" * 101, "tab\there", "del\x7f"],
)
def test_a_name_that_is_not_one_safe_path_segment_is_refused(name: str) -> None:
    assert unsafe_name(name)


@pytest.mark.parametrize("name", ["ward-crime-2024", "1.0.0", "x" * 100, "Crimes_2024"])
def test_ordinary_names_are_safe(name: str) -> None:
    assert unsafe_name(name) is None


def test_a_package_folder_with_an_unsafe_name_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project, _ = package_project(tmp_path, name=".hidden")
    assert problem_lines(project, capsys) == ["datasets/.hidden/datapackage.json::name [unsafe-name]"]


@pytest.mark.parametrize(("table", "sheet"), [("crimes/2024", "crimes_2024"), ("'quoted'", "quoted"), ("a" * 40, "a" * 31), ("[]", "__"), ("'", "data")])
def test_any_table_name_makes_a_valid_sheet_name(table: str, sheet: str) -> None:
    assert sheet_name(table) == sheet


# Never leak: release and package zips hold only what the descriptor names, as regular files


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=folder, check=True, capture_output=True)


def test_a_link_and_an_unnamed_file_in_a_package_publish_but_are_in_no_zip(project: Path) -> None:
    package = project / "datasets" / "community-safety-plan"
    (package / "data" / "secret").symlink_to("/proc/self/environ")
    (package / "data" / "elsewhere.csv").symlink_to("/etc/hostname")
    (package / "notes-internal.txt").write_text("not for publication")
    (package / "README.md").write_text("# The plan\n")
    assert build(project) == 0
    zips = sorted((project / "site" / "data").rglob("*.zip"))
    assert len(zips) >= 4, zips  # two packages, all the data, the releases
    release = project / "site/data/community-safety-plan/releases/community-safety-plan-1.0.0.zip"
    assert release in zips
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            assert not any(name.endswith(("secret", "elsewhere.csv", "notes-internal.txt")) for name in names), (path, names)
            assert all(b"not for publication" not in archive.read(name) for name in names)
    with zipfile.ZipFile(release) as archive:
        assert sorted(archive.namelist()) == sorted(
            ["datapackage.json", "README.md", *(f"data/{p.name}" for p in (package / "data").glob("*.csv") if not p.is_symlink())]
        )


def test_a_release_from_git_history_holds_only_the_named_regular_blobs(tmp_path: Path) -> None:
    package = write_package(tmp_path / "repo" / "datasets" / "wards", WARD_COUNTS, ["id,ward,count\n", "1,bow-east,3\n"])
    descriptor = json.loads((package / "datapackage.json").read_text())
    descriptor["version"] = "1.0"
    descriptor["resources"].append({"name": "linked", "path": "data/linked.csv", "schema": WARD_COUNTS})
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    (package / "data" / "linked.csv").symlink_to("/etc/hostname")
    (package / "data" / "secret").symlink_to("/proc/self/environ")
    (package / "extra.txt").write_text("not for publication")
    (package / "Licence.txt").write_text("OGL")
    git(tmp_path / "repo", "init", "-q")
    git(tmp_path / "repo", "add", "-A")
    git(tmp_path / "repo", "commit", "-qm", "1.0")
    found = history.package_at_version(package, "1.0")
    assert found is not None and sorted(found) == ["Licence.txt", "data/table.csv", "datapackage.json"]
    assert sorted(history.package_files(package)) == ["Licence.txt", "data/table.csv", "datapackage.json"]


# The stale-rebuild check sees what changes a site besides its files


def test_the_fingerprint_changes_with_a_dependency_version_and_with_a_new_commit(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "first")
    config = Config.for_project(project)
    first = fingerprint.of_inputs(config)
    assert fingerprint.of_inputs(config) == first
    assert "mkdocs" in fingerprint.dependency_names() and "frictionless" in fingerprint.dependency_names()
    installed = fingerprint.metadata.version
    monkeypatch.setattr(fingerprint.metadata, "version", lambda name: "99.0" if name == "mkdocs" else installed(name))
    assert fingerprint.of_inputs(config) != first
    monkeypatch.undo()
    assert fingerprint.of_inputs(config) == first
    releases = project / "datasets/community-safety-plan/data/releases.csv"
    published = releases.read_bytes()
    releases.write_bytes(published + b"draft\n")
    git(project, "commit", "-qam", "a draft")
    releases.write_bytes(published)
    git(project, "commit", "-qam", "the draft withdrawn")  # the same files as at first, in a new commit
    assert fingerprint.of_inputs(config) != first


def test_a_huge_schema_file_is_refused_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str], deadline: None) -> None:
    project, package = package_project(tmp_path)
    descriptor = json.loads((package / "datapackage.json").read_text())
    descriptor["resources"][0]["schema"] = "schema.json"
    (package / "datapackage.json").write_text(json.dumps(descriptor))
    with (package / "schema.json").open("wb") as handle:
        handle.truncate(2_000_000_000)
    assert problem_lines(project, capsys) == ["datasets/wards/datapackage.json::resources[0].schema [descriptor-too-large]"]


def test_release_versions_and_indicator_ids_must_be_safe_single_names(tmp_path: Path) -> None:
    field = {"name": "indicator_id", "type": "string"}
    descriptor = {
        "name": "kpis",
        "x-profile": "indicators",
        "resources": [
            {"name": "indicators", "path": "data/indicators.csv", "schema": {"fields": [field]}},
            {"name": "releases", "path": "data/releases.csv", "schema": {"fields": [{"name": "version", "type": "string"}]}},
        ],
    }
    rows = {"indicators": [{"indicator_id": "ok"}, {"indicator_id": "a/b"}], "releases": [{"version": "1.0"}, {"version": ".."}]}
    dataset = build_dataset(descriptor, tmp_path / "datasets" / "kpis", rows)
    found = row_name_problems(dataset, Config.for_project(tmp_path))
    assert sorted(f"{p.location} [{p.code}]" for p in found) == [
        "datasets/kpis/data/indicators.csv:3:indicator_id [unsafe-name]",
        "datasets/kpis/data/releases.csv:3:version [unsafe-name]",
    ]
