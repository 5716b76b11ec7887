"""The command line, as a publisher meets it: exit codes, problem lines, and a site never lost."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_project

EXTERNAL = ROOT.parent / "shared" / "external" / "liquor-law-arrests"


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args, "--project", str(project)], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    assert files
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_validate_passes_on_the_real_data_and_prints_only_what_it_checked(project: Path) -> None:
    result = run(project, "validate")
    assert (result.returncode, result.stdout) == (0, "")
    # the one warning is by design: the source gives no email address or phone number for the publisher
    contact = r"mkdocs\.yml:\n  mkdocs\.yml::extra\.publisher\.contact \[no-direct-contact\] warning: [^\n]+\n0 error\(s\), 1 warning\(s\)\n"
    assert re.fullmatch(contact + r"Checked 2 packages in \d+\.\d s: 2 valid, with \d+ tables and [\d,]+ rows\.\n", result.stderr), result.stderr


def test_build_writes_the_site(project: Path) -> None:
    result = run(project, "build")
    assert result.returncode == 0, result.stderr
    assert (project / "site/index.html").is_file()
    assert "Built " in result.stderr


def test_a_bad_cell_is_reported_where_it_is_with_the_fix_and_the_site_is_kept(project: Path) -> None:
    assert run(project, "build").returncode == 0
    before = tree_digest(project / "site")
    csv = project / "datasets/community-safety-performance/data/observations.csv"
    csv.write_text(csv.read_text().replace("asb-calls-101,ytd,14768", 'asb-calls-101,ytd,"14,768"'))
    for command in ("validate", "build"):
        result = run(project, command)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "datasets/community-safety-performance/data/observations.csv:3:value [type-error]" in result.stderr, result.stderr
        assert "Write '14,768' without thousands separators: 14768." in result.stderr
    assert tree_digest(project / "site") == before
    problem_line = next(line.strip() for line in result.stderr.splitlines() if "[type-error]" in line)
    assert problem_line in (ROOT / "site_src/docs/publishing.md").read_text(), "the publishers' guide quotes the real message"


def test_json_and_github_formats(project: Path) -> None:
    csv = project / "datasets/community-safety-performance/data/observations.csv"
    csv.write_text(csv.read_text().replace("knife-crimes,ytd,741", "knife-crimes,ytd,lots"))
    report = json.loads(run(project, "validate", "--format", "json").stdout)
    assert report["errors"] == 1
    assert {k: report["problems"][0][k] for k in ("code", "row", "field")} == {"code": "type-error", "row": 25, "field": "value"}
    github = run(project, "validate", "--format", "github").stdout
    assert github.startswith("::error file=datasets/community-safety-performance/data/observations.csv,line=25,title=type-error::value: ")


def test_a_published_status_that_disagrees_is_a_warning_and_fatal_under_strict(project: Path) -> None:
    csv = project / "datasets/community-safety-performance/data/published-assessments.csv"
    csv.write_text(csv.read_text().replace("knife-crimes,ytd,+8.49,Red", "knife-crimes,ytd,+8.49,Green"))
    relaxed = run(project, "validate")
    assert relaxed.returncode == 0
    assert "published-assessments.csv:14:published_direction_of_travel [published-status-mismatch] warning:" in relaxed.stderr
    assert run(project, "validate", "--strict").returncode == 1


def test_an_unknown_command_is_a_usage_error() -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "publish"], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "invalid choice" in result.stderr


@pytest.mark.skipif(not EXTERNAL.is_dir(), reason="shared/external is not beside this checkout")
def test_the_external_package_is_refused_precisely_then_published_once_fixed(project: Path) -> None:
    target = project / "datasets" / EXTERNAL.name
    shutil.copytree(EXTERNAL, target)
    refused = run(project, "build")
    assert refused.returncode == 1
    assert "datasets/liquor-law-arrests/datapackage.json::resources[0].name [missing-resource-name]" in refused.stderr, refused.stderr
    descriptor = json.loads((target / "datapackage.json").read_text())
    descriptor["resources"][0]["name"] = "liquor-law-arrests"
    (target / "datapackage.json").write_text(json.dumps(descriptor))
    published = run(project, "build")
    assert published.returncode == 0, published.stderr
    page = (project / "site/data/liquor-law-arrests/index.html").read_text()
    assert "21,420" in page and "Open Data Commons Public Domain" in page
    assert (project / "site/data/liquor-law-arrests/liquor-law-arrests.csv").read_bytes() == (EXTERNAL / "data/liquor-law-arrests_2016.csv").read_bytes()


def run_on_a_terminal(project: Path, *args: str, ci: bool = False) -> str:
    """What a person at a terminal sees on standard error (a pseudo-terminal stands in for it)."""
    import os
    import pty

    reader, writer = pty.openpty()
    environment = {key: value for key, value in os.environ.items() if key != "CI"} | ({"CI": "true"} if ci else {})
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", *args, "--project", str(project)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=writer, env=environment
    )
    os.close(writer)
    seen = b""
    while True:
        try:
            chunk = os.read(reader, 65536)
        except OSError:  # the other end closed: the command has finished
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=600)
    os.close(reader)
    return seen.decode("utf-8", "replace")


def test_on_a_terminal_validate_and_build_say_which_package_and_table_they_are_on_and_the_rows_done(project: Path, tmp_path: Path) -> None:
    seen = run_on_a_terminal(project, "validate")
    assert re.search(r"\rChecked community-safety-performance: observations \(\d+ rows\)\x1b\[K", seen), seen
    assert "\rChecking community-safety-plan: " in seen and "Checked 2 packages" in seen
    built = run_on_a_terminal(project, "build", "--site", str(tmp_path / "site"))
    assert re.search(r"\rWriting the downloads of community-safety-plan: \S+ \(\d+ rows\)\x1b\[K", built), built
    assert "\rBuilding and publishing the site (" in built and "Built " in built


def test_progress_is_quiet_when_standard_error_is_not_a_terminal_or_in_ci(project: Path) -> None:
    assert "Checking" not in run(project, "validate").stderr  # captured, as in tests and logs
    assert "Checking" not in run_on_a_terminal(project, "validate", ci=True)
