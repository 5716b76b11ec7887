"""The publish workflow imports a workbook uploaded to workbooks/ on a pull request's branch.

As tests/test_workflow.py does for the build, the ``run:`` steps of the workflow's
``workbooks`` job run here, in a copy of the project that is a git repository with a remote
(a bare repository standing for GitHub), with the workflow's environment (``${{ ... }}``
expressions get local values). The "Set up" step, shared with the build job and tested there,
is replaced by this checkout's Python.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

from generator.cli import main
from tests.conftest import ROOT, copy_project
from tests.test_workflow import workflow

BRANCH = "update-figures"
WORKBOOK = "workbooks/community-safety-performance.xlsx"
GIT_ENV = {"GIT_AUTHOR_NAME": "Web team", "GIT_AUTHOR_EMAIL": "web@example.org", "GIT_COMMITTER_NAME": "Web team", "GIT_COMMITTER_EMAIL": "web@example.org"}


def git(project: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=project, env={**os.environ, **GIT_ENV}, capture_output=True, text=True, check=True, timeout=60)
    return result.stdout.strip()


def repository(tmp_path: Path) -> Path:
    """A copy of the project on a branch pushed to its remote, like a clone in Actions."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(ROOT / "scripts", project / "scripts")
    shutil.copytree(ROOT / "workbooks", project / "workbooks")
    (project / "generator").symlink_to(ROOT / "generator")
    (project / ".venv").symlink_to(Path(sys.prefix))
    (project / ".gitignore").write_text("/generator\n/.venv\n")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(project, "init", "-q", "-b", BRANCH)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "The project")
    git(project, "remote", "add", "origin", str(remote))
    git(project, "push", "-q", "origin", BRANCH)
    return project


def upload(project: Path, changes: dict[tuple[str, str], object], package: str = "community-safety-performance") -> None:
    """An edited workbook committed to workbooks/ on the branch, as GitHub's "Upload files" does."""
    target = project / "workbooks" / f"{package}.xlsx"
    assert main(["workbook", package, "--project", str(project), "-o", str(target)]) == 0
    book = openpyxl.load_workbook(target)
    for (sheet, cell), value in changes.items():
        book[sheet][cell].value = value
    book.save(target)
    git(project, "add", target.relative_to(project).as_posix())
    git(project, "commit", "-q", "-m", "Upload the edited workbook")
    git(project, "push", "-q", "origin", BRANCH)


def run_job(project: Path, tmp_path: Path) -> tuple[list[subprocess.CompletedProcess[str]], Path, Path]:
    """Every ``run:`` step of the workbooks job but "Set up", in order, until one fails."""
    output, summary = tmp_path / "github-output", tmp_path / "step-summary"
    local = {"github.head_ref": BRANCH}
    results = []
    for step in workflow()["jobs"]["workbooks"]["steps"]:
        if "run" not in step or step["name"] == "Set up":
            continue
        env = {k: re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: local[m.group(1)], str(v)) for k, v in step.get("env", {}).items()}
        env = {**os.environ, **env, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary), "GENERATOR_PYTHON": sys.executable}
        result = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False)
        results.append(result)
        if result.returncode:
            break
    return results, output, summary


def test_a_workbook_uploaded_on_a_branch_is_imported_by_a_job_that_may_push_to_that_branch() -> None:
    flow = workflow()
    job = flow["jobs"]["workbooks"]
    assert "pull_request" in job["if"] and "head.repo.full_name == github.repository" in job["if"]  # a fork's token cannot push
    assert job["permissions"] == {"contents": "write"} and flow["permissions"] == {"contents": "read"}
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["ref"] == "${{ github.head_ref }}"
    imports = next(s for s in job["steps"] if s.get("name") == "Import the uploaded workbooks")
    assert imports["run"] == "scripts/import-workbooks" and imports["env"]["BRANCH"] == "${{ github.head_ref }}" and "workbooks/*.xlsx" in imports["if"]
    assert job["outputs"]["sha"] == "${{ steps.import.outputs.sha }}"


def test_the_build_checks_the_imported_commit_and_runs_when_there_was_nothing_to_import() -> None:
    build = workflow()["jobs"]["build"]
    assert build["needs"] == "workbooks" and "!cancelled()" in build["if"] and "needs.workbooks.result != 'failure'" in build["if"]
    assert build["steps"][0]["with"]["ref"] == "${{ needs.workbooks.outputs.sha }}"
    uploads = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"] == {"name": "editable-workbooks", "path": "editable-workbooks"}


def test_the_import_commits_the_changed_csv_files_to_the_branch_and_removes_the_workbook(tmp_path: Path) -> None:
    project = repository(tmp_path)
    upload(project, {("indicators", "J2"): "Calls, as counted by the police."})
    uploaded = git(project, "rev-parse", "HEAD")
    results, output, summary = run_job(project, tmp_path)
    assert [r.returncode for r in results] == [0], results[-1].stdout + results[-1].stderr
    head = git(project, "rev-parse", "HEAD")
    assert git(project, "rev-parse", "HEAD~1") == uploaded and git(project, "ls-remote", "origin", BRANCH).split()[0] == head  # pushed
    assert git(project, "show", "--name-status", "--format=%s", "HEAD").splitlines() == [
        "Import community-safety-performance.xlsx into the package's CSV files",
        "",
        "M\tdatasets/community-safety-performance/data/indicators.csv",
        f"D\t{WORKBOOK}",
    ]
    assert git(project, "status", "--porcelain") == ""
    assert ',"Calls, as counted by the police."' in (project / "datasets/community-safety-performance/data/indicators.csv").read_text(encoding="utf-8")
    assert output.read_text() == f"sha={head}\n"
    assert "### Imported community-safety-performance.xlsx" in summary.read_text()


def test_a_workbook_with_problems_is_annotated_and_nothing_is_committed(tmp_path: Path) -> None:
    project = repository(tmp_path)
    upload(project, {("observations", "C3"): "abc"})
    uploaded = git(project, "rev-parse", "HEAD")
    results, output, _ = run_job(project, tmp_path)
    assert [r.returncode for r in results] == [1]
    annotations = results[0].stdout.splitlines()
    assert annotations[0].startswith(f"::error file={WORKBOOK},title=type-error::observations!C3: The value 'abc' is not a valid number.")
    assert annotations[-1].startswith("::error::Nothing was committed")
    assert git(project, "rev-parse", "HEAD") == uploaded and git(project, "ls-remote", "origin", BRANCH).split()[0] == uploaded
    assert git(project, "status", "--porcelain") == "" and (project / WORKBOOK).is_file()
    assert not output.exists()


def test_when_one_of_two_workbooks_has_a_problem_neither_is_committed(tmp_path: Path) -> None:
    project = repository(tmp_path)
    upload(project, {("themes", "D2"): "Tackling drugs and alcohol"}, package="community-safety-plan")  # imports cleanly
    upload(project, {("observations", "C3"): "abc"})
    uploaded = git(project, "rev-parse", "HEAD")
    results, _, _ = run_job(project, tmp_path)
    assert [r.returncode for r in results] == [1]
    assert git(project, "rev-parse", "HEAD") == uploaded and git(project, "status", "--porcelain") == ""  # the clean one's files are not kept
    assert (project / "workbooks/community-safety-plan.xlsx").is_file()


def test_a_branch_without_a_workbook_imports_nothing(tmp_path: Path) -> None:
    project = repository(tmp_path)
    head = git(project, "rev-parse", "HEAD")
    results, output, _ = run_job(project, tmp_path)
    assert [r.returncode for r in results] == [0] and results[0].stdout.strip() == "No workbook to import in workbooks/."
    assert git(project, "rev-parse", "HEAD") == head and not output.exists()


def test_the_build_makes_an_editable_workbook_of_every_package(tmp_path: Path) -> None:
    project = repository(tmp_path)
    step = next(s for s in workflow()["jobs"]["build"]["steps"] if s.get("name") == "Make the editable workbooks")
    result = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=project, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    made = sorted(p.name for p in (project / "editable-workbooks").iterdir())
    assert made == ["community-safety-performance.xlsx", "community-safety-plan.xlsx"]
    assert openpyxl.load_workbook(project / "editable-workbooks" / made[0]).sheetnames[-1] == "notes"
