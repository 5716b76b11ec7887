"""Publishing never loses the last good site, and the same input always gives the same bytes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.site.write import UnsafeOutputPath, write_files
from tests.conftest import ROOT, copy_project
from tests.test_cli import tree_digest


def build(project: Path, site: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", "build", "--project", str(project)]
    if site is not None:
        command += ["--site", str(site)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    env_free = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    for site in ("first", "second"):
        result = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--project", str(project), "--site", str(tmp_path / site)],
            cwd=ROOT,
            env=env_free,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        time.sleep(1.1)  # a clock that leaked into the output would now differ
    assert tree_digest(tmp_path / "first") == tree_digest(tmp_path / "second")


def test_a_build_killed_at_any_moment_leaves_the_previous_site_or_the_new_one_whole(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert build(project).returncode == 0
    old = tree_digest(project / "site")
    csv = project / "datasets/community-safety-performance/data/observations.csv"
    csv.write_text(csv.read_text().replace("asb-calls-101,ytd,14768", "asb-calls-101,ytd,14770"))
    started = time.perf_counter()
    assert build(project, tmp_path / "reference").returncode == 0
    duration = time.perf_counter() - started
    new = tree_digest(tmp_path / "reference")
    assert new != old
    killed_mid_build = 0
    for delay in (duration * fraction for fraction in (0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0, 1.1)):
        process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--project", str(project)], cwd=ROOT, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        killed_mid_build += process.wait() == -signal.SIGKILL
        assert tree_digest(project / "site") in (old, new), f"killed after {delay:.2f} s: the site is neither the old one nor the new one"
    assert killed_mid_build >= 5, "most kills landed while the build was running"
    assert build(project).returncode == 0
    assert tree_digest(project / "site") == new
    assert not list((project / ".build").glob("stage-*")), "the leftovers of killed builds are cleared"


@pytest.mark.parametrize("path", ["../outside.html", "/etc/passwd", "a/../../outside.html", ".", ""])
def test_no_output_path_can_land_outside_the_site(tmp_path: Path, path: str) -> None:
    with pytest.raises(UnsafeOutputPath):
        write_files(tmp_path / "site", {path: "x"})
    assert not (tmp_path / "outside.html").exists()


def test_an_unchanged_input_keeps_the_site_and_any_change_rebuilds_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert build(project).returncode == 0
    published = tree_digest(project / "site")
    unchanged = build(project)
    assert unchanged.returncode == 0 and "Nothing has changed since the last build" in unchanged.stderr
    assert tree_digest(project / "site") == published
    forced = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--force", "--project", str(project)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert "Built " in forced.stderr
    page = project / "site_src/docs/about.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    changed = build(project)
    assert "Built " in changed.stderr and "One more sentence." in (project / "site/about/index.html").read_text()
