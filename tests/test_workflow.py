"""The publishing workflow: it triggers where it should, and every command it runs works here.

Each ``run:`` step is run, in order, in a copy of the project (sharing this checkout's virtual
environment), with the workflow's environment; ``${{ ... }}`` expressions get local values.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT, copy_project

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
LOCAL_SITE_URL = "http://127.0.0.1:8000/"
VENV = ROOT / ".venv" if (ROOT / ".venv").is_dir() else Path(sys.prefix)  # this checkout's, or (in a git worktree) the one running the tests


def workflow() -> dict[str, Any]:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads the key `on` as true
    return dict(document)


def test_pull_requests_build_and_upload_and_main_also_deploys() -> None:
    flow = workflow()
    assert "pull_request" in flow["on"] and flow["on"]["push"]["branches"] == ["main"]
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    uses = [step.get("uses", "") for step in build["steps"]]
    assert uses[0].startswith("actions/checkout@") and build["steps"][0]["with"]["fetch-depth"] == 0
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert deploy["needs"] == "build" and "refs/heads/main" in deploy["if"] and "pull_request" not in deploy["if"]
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_a_pull_request_gets_what_its_data_change_does_in_its_job_summary(tmp_path: Path) -> None:
    """The summary step's command, run in a pull request's checkout, writes the reviewer's
    summary (compared with the base branch) to the job summary file."""
    (step,) = [s for s in workflow()["jobs"]["build"]["steps"] if "GITHUB_STEP_SUMMARY" in s.get("run", "")]
    assert step["if"] == "github.event_name == 'pull_request'"
    project = copy_project(tmp_path / "project")
    (project / "generator").symlink_to(ROOT / "generator")
    (project / ".venv").symlink_to(VENV)
    pull_request_checkout(project)
    env = pull_request_env(tmp_path, {})
    result = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert summary.startswith("# What this data change does\n\nCompared with the data at `origin/main`.\n")
    assert "- Number of knife crimes, Year to date: 741 → 760 (status Red, unchanged)\n" in summary


def test_validation_in_the_workflow_annotates_the_offending_csv_line() -> None:
    commands = [step["run"] for step in workflow()["jobs"]["build"]["steps"] if "run" in step]
    assert any("validate --format github" in command for command in commands)


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args], cwd=project, check=True, capture_output=True)


def pull_request_checkout(project: Path) -> None:
    """The project as a pull request's checkout: its base branch (``origin/main``) committed,
    and the pull request's change (a corrected figure) on top."""
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "main")
    git(project, "update-ref", "refs/remotes/origin/main", "HEAD")
    observations = project / "datasets/community-safety-performance/data/observations.csv"
    observations.write_text(observations.read_text(encoding="utf-8").replace("knife-crimes,ytd,741", "knife-crimes,ytd,760"), encoding="utf-8")
    git(project, "commit", "-qam", "Correct the knife crimes figure")


def pull_request_env(tmp_path: Path, extra: dict[str, Any]) -> dict[str, str]:
    """The environment of a pull request's run: the workflow's own, and what Actions sets."""
    summary = tmp_path / "step-summary.md"
    summary.touch()
    values = {k: re.sub(r"\$\{\{.*?\}\}", LOCAL_SITE_URL, str(v)) for k, v in extra.items()}
    return {**os.environ, **values, "GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "main", "GITHUB_STEP_SUMMARY": str(summary)}


def test_every_command_of_the_workflow_runs_here(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    for name in ("scripts", "pyproject.toml", "README.md"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    (project / "generator").symlink_to(ROOT / "generator")
    (project / ".venv").symlink_to(VENV)
    pull_request_checkout(project)
    build = workflow()["jobs"]["build"]
    env = pull_request_env(tmp_path, build.get("env", {}))
    ran = []
    for step in build["steps"]:
        if "run" not in step:
            continue
        result = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False)
        assert result.returncode == 0, f"{step['name']}: {result.stdout}\n{result.stderr}"
        ran.append(step["name"])
    assert ran == ["Set up", "Validate the data", "Summarise what the data change does", "Build the site", "Make the editable workbooks"]
    assert "Number of knife crimes, Year to date: 741 → 760 (status Red, unchanged)" in Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert (project / "site" / "index.html").is_file()
    step_path = next(s["with"]["path"] for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert (project / step_path / "data" / "all-data.zip").is_file(), "the uploaded folder is the built site"
