"""The corpus of bad inputs: each package in tests/fixtures/ has one defect, and validation
names exactly that defect (code, file, row, field) with what to do about it.

A fixture is a package folder named after its defect, holding ``expected.txt`` (the problems,
one ``path:row:field [code]`` per line) and, optionally, ``page.md`` (the site page that uses
its resources; by default the page links every resource).
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import socket
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

from generator.cli import main
from generator.problems.records import Problem, Severity
from generator.problems.rules import rule_for
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.txt").is_file())


def page_using_every_resource(package: Path) -> str:
    try:
        resources = json.loads((package / "datapackage.json").read_text(encoding="utf-8")).get("resources", [])
    except (OSError, ValueError, AttributeError):  # no datapackage.json: a fixture about finding descriptors
        return ""
    return "".join(f'[{r["name"]}]({{{{ csv("{package.name}", "{r["name"]}") }}}})\n' for r in resources if isinstance(r, dict) and "name" in r)


MINIMAL_MKDOCS = "site_name: Fixture\ntheme:\n  name: material\n"  # validate builds the site in a scratch folder, so a project needs one


def fixture_project(package: Path, root: Path, page: str | None = None) -> Path:
    """A project folder holding one package, the profile schemas and one page using the package."""
    project = root / "project"
    shutil.copytree(package, project / "datasets" / package.name, symlinks=True, ignore=shutil.ignore_patterns("expected.txt", "page.md"))
    shutil.copytree(ROOT / "schemas", project / "schemas")
    (project / "mkdocs.yml").write_text(MINIMAL_MKDOCS)
    docs = project / "site_src" / "docs"
    docs.mkdir(parents=True)
    own_page = package / "page.md"
    (docs / "index.md").write_text(page if page is not None else own_page.read_text() if own_page.exists() else page_using_every_resource(package))
    return project


def validate(project: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, list[Problem], str]:
    """Run ``python -m generator validate`` in process; returns exit code, problems and the text report."""
    code = main(["validate", "--project", str(project), "--format", "json", *options])
    report = json.loads(capsys.readouterr().out)
    problems = [Problem(**{**record, "severity": Severity(record["severity"])}) for record in report["problems"]]
    text_code = main(["validate", "--project", str(project), *options])
    captured = capsys.readouterr()
    assert text_code == code
    return code, problems, captured.out + captured.err


def expected(case: str) -> list[str]:
    return (FIXTURES / case / "expected.txt").read_text(encoding="utf-8").splitlines()


def test_the_corpus_has_at_least_30_defects() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES)
def test_validation_names_exactly_the_defect_with_a_fix_and_exits_1(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = fixture_project(FIXTURES / case, tmp_path)
    code, problems, text = validate(project, capsys, "--strict")
    assert code == 1
    assert sorted(f"{p.location} [{p.code}]" for p in problems) == sorted(expected(case))
    assert all(p.fix for p in problems), "every problem says what to do"
    rules = [rule_for(p.code) for p in problems]  # severity, and the message when it is fixed, as the rule says
    assert [(p.severity, p.message) for p in problems] == [(r.severity, r.message or p.message) for r, p in zip(rules, problems, strict=True)]
    for line in expected(case):
        assert line in text
    assert "Traceback" not in text
    assert not (project / "site").exists() and not (project / ".build").exists(), "validation writes nothing"


WARNING_CASES = [
    "declared-encoding-mismatch",
    "indicator-without-observations",
    "indicator-missing-latest-period",
    "licence-not-stated",
    "multipart-without-final-line-break",
    "published-status-mismatch",
]
WARNING_CASES += ["percent-as-fraction", "duplicate-sequence", "comparison-length-mismatch"]  # plausibility


@pytest.mark.parametrize("case", WARNING_CASES)
def test_a_warning_alone_does_not_stop_validation_unless_strict(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, problems, text = validate(fixture_project(FIXTURES / case, tmp_path), capsys)
    assert code == 0
    assert [p.severity for p in problems] == [Severity.WARNING]
    assert "warning:" in text


@pytest.mark.parametrize(
    ("case", "fix"),
    [
        ("trailing-spaces", "Remove the spaces: write 'inner'."),
        ("problems-of-two-stages", "Remove the non-breaking space: write 'bow-east'."),
        ("declared-encoding-mismatch", 'Set "encoding": "utf-8" on the resource'),
        ("multipart-without-final-line-break", "add a line break after the last row"),
        ("thousands-separator", "Write '14,768' without thousands separators: 14768."),
        ("percent-sign", "Write '22%' as the number 22"),
        ("windows-1252", "Save the file as CSV UTF-8"),
        ("invalid-json", "missing comma"),
        ("indicator-missing-latest-period", "Add the row detection-rate,ytd,<value> to datasets/indicator-missing-latest-period/data/observations.csv"),
    ],
)
def test_where_the_fix_is_obvious_it_says_exactly_what_to_change(case: str, fix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, problems, _ = validate(fixture_project(FIXTURES / case, tmp_path), capsys)
    assert fix in problems[0].fix


def test_a_remote_path_is_refused_without_any_network_request(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    code, problems, _ = validate(fixture_project(FIXTURES / "remote-path", tmp_path), capsys)
    assert (code, [p.code for p in problems], attempts) == (1, ["remote-path"], [])


OGL = {"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0", "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}


def write_package(folder: Path, schema: dict[str, object], rows: Iterable[str]) -> Path:
    """A one-table package ``folder.name`` whose CSV is the given lines."""
    (folder / "data").mkdir(parents=True)
    resource = {"name": "table", "path": "data/table.csv", "schema": schema}
    (folder / "datapackage.json").write_text(json.dumps({"name": folder.name, "licenses": [OGL], "resources": [resource]}))
    with (folder / "data" / "table.csv").open("w", encoding="utf-8") as out:
        out.writelines(rows)
    return folder


WARD_COUNTS = {"fields": [{"name": "id", "type": "integer"}, {"name": "ward", "type": "string"}, {"name": "count", "type": "integer"}], "primaryKey": ["id"]}


def test_a_10_mb_cell_is_refused_as_too_large_for_a_spreadsheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = write_package(tmp_path / "big-cell", WARD_COUNTS, ["id,ward,count\n", f"1,{'B' * 10_000_000},3\n"])
    code, problems, _ = validate(fixture_project(package, tmp_path), capsys)
    assert code == 1
    assert [f"{p.location} [{p.code}]" for p in problems] == ["datasets/big-cell/data/table.csv:2:ward [cell-too-large]"]
    assert "10,000,000 characters" in problems[0].message


def test_a_million_row_file_validates_and_says_how_long_it_took(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = (f"{i},ward-{i % 20},{i % 997}\n" for i in range(1_000_000))
    package = write_package(tmp_path / "million-rows", WARD_COUNTS, itertools.chain(["id,ward,count\n"], lines))
    started = time.perf_counter()
    code = main(["validate", "--project", str(fixture_project(package, tmp_path))])
    seconds = time.perf_counter() - started
    err = capsys.readouterr().err
    assert code == 0, err
    assert re.search(r"Checked 1 package in \d+\.\d s: 1 valid, with 1 table and 1,000,000 rows\.", err), err
    print(f"1,000,000 rows validated in {seconds:.1f} s")
