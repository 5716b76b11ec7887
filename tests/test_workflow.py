"""The publishing workflow: it triggers where it should, and every command it runs works here.

Each ``run:`` step is run, in order, in a copy of the project (sharing this checkout's virtual
environment), with the workflow's environment; ``${{ ... }}`` expressions get local values.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT, copy_project

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
LOCAL_SITE_URL = "http://127.0.0.1:8000/"


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


def test_validation_in_the_workflow_annotates_the_offending_csv_line() -> None:
    commands = [step["run"] for step in workflow()["jobs"]["build"]["steps"] if "run" in step]
    assert any("validate --format github" in command for command in commands)


def test_every_command_of_the_workflow_runs_here(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    for name in ("scripts", "pyproject.toml", "README.md"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    (project / "generator").symlink_to(ROOT / "generator")
    (project / ".venv").symlink_to(ROOT / ".venv")
    build = workflow()["jobs"]["build"]
    env = {**os.environ, **{k: re.sub(r"\$\{\{.*?\}\}", LOCAL_SITE_URL, str(v)) for k, v in build.get("env", {}).items()}}
    ran = []
    for step in build["steps"]:
        if "run" not in step:
            continue
        result = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False)
        assert result.returncode == 0, f"{step['name']}: {result.stdout}\n{result.stderr}"
        ran.append(step["name"])
    assert ran == ["Set up", "Validate the data", "Build the site", "Make the editable workbooks"]
    assert (project / "site" / "index.html").is_file()
    step_path = next(s["with"]["path"] for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert (project / step_path / "data" / "all-data.zip").is_file(), "the uploaded folder is the built site"
