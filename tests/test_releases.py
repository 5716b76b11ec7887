"""Releases: a log in data, a page and an Atom feed, and every release's data kept at its own
address after later releases (read back from git history)."""

from __future__ import annotations

import io
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from generator.config import Config
from generator.pipeline import BuildResult, build_site
from tests.conftest import copy_project

ATOM = "{http://www.w3.org/2005/Atom}"
PERFORMANCE = "datasets/community-safety-performance"
AFTER_THE_RELEASES = "2027-01-01T00:00:00Z"  # the releases below are dated 2026-12-01: built as on a day after them (test_schedule: before)


def test_the_releases_page_and_feed_list_every_release_with_its_data(built_site: BuildResult) -> None:
    site = built_site.site_dir
    feed = ET.parse(site / "releases/feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}updated") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        link = entry.find(f"{ATOM}link[@rel='enclosure']").attrib["href"]  # type: ignore[union-attr]
        assert (site / link.removeprefix("http://127.0.0.1:8000/")).is_file(), link
        assert entry.find(f"{ATOM}category").attrib["term"] == "release"  # type: ignore[union-attr]
    page = (site / "releases/index.html").read_text(encoding="utf-8")
    assert "First publication" in page and "community&#45;safety&#45;plan&#45;1&#46;0&#46;0&#46;zip" in page
    assert 'href="feed.xml"' in page, "the releases page links its feed"


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args], cwd=project, check=True, capture_output=True)


def set_version(project: Path, old: str, new: str) -> None:
    descriptor = project / PERFORMANCE / "datapackage.json"
    descriptor.write_text(descriptor.read_text().replace(f'"version": "{old}"', f'"version": "{new}"', 1))


@pytest.fixture
def two_releases(tmp_path: Path) -> tuple[Path, BuildResult]:
    """A project whose second release corrects a figure of the first, committed in git."""
    project = copy_project(tmp_path / "project")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Release 1.0.0")
    first = build_site(Config.for_project(project)).site_dir / "data/community-safety-performance/releases/community-safety-performance-1.0.0.zip"
    (tmp_path / "first-release.zip").write_bytes(first.read_bytes())
    observations = project / PERFORMANCE / "data/observations.csv"
    observations.write_text(observations.read_text().replace("asb-calls-101,ytd,14768", "asb-calls-101,ytd,14770"))
    set_version(project, "1.0.0", "1.0.1")
    log = project / PERFORMANCE / "data/releases.csv"
    log.write_text(
        log.read_text() + '1.0.1,2026-12-01,correction,"ASB calls to 101, year to date: 14,770, not 14,768.",A typing error in the first release.,2027-03-31\n'
    )
    git(project, "commit", "-qam", "Correction 1.0.1")
    return project, build_site(Config.for_project(project, now=AFTER_THE_RELEASES))


def test_a_release_keeps_the_same_bytes_at_its_address_after_a_later_release(two_releases: tuple[Path, BuildResult]) -> None:
    project, result = two_releases
    kept = result.site_dir / "data/community-safety-performance/releases/community-safety-performance-1.0.0.zip"
    assert kept.read_bytes() == (project.parent / "first-release.zip").read_bytes()


def test_a_correction_is_marked_and_each_release_keeps_its_own_data(two_releases: tuple[Path, BuildResult]) -> None:
    _, result = two_releases
    folder = result.site_dir / "data/community-safety-performance/releases"
    for version, figure in (("1.0.0", b"asb-calls-101,ytd,14768"), ("1.0.1", b"asb-calls-101,ytd,14770")):
        with zipfile.ZipFile(io.BytesIO((folder / f"community-safety-performance-{version}.zip").read_bytes())) as archive:
            assert figure in archive.read("data/observations.csv"), version
    page = (result.site_dir / "releases/index.html").read_text(encoding="utf-8")
    assert "Correction" in page and "A typing error in the first release" in page
    assert "Next planned releases" in page and "31 March 2027" in page
    titles = [e.findtext(f"{ATOM}title") for e in ET.parse(result.site_dir / "releases/feed.xml").getroot().findall(f"{ATOM}entry")]
    assert titles[0] == "Correction: Community safety performance indicators 1.0.1"
    assert not [p for p in result.problems if p.code == "release-not-in-history"]


def test_a_release_missing_from_history_is_a_warning_not_a_broken_link(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    log = project / PERFORMANCE / "data/releases.csv"
    log.write_text(log.read_text().replace("1.0.0,", "0.9.0,", 1) + "1.0.0,2026-12-01,release,Second release.,,\n")
    result = build_site(Config.for_project(project, now=AFTER_THE_RELEASES))
    assert [(p.code, p.severity) for p in result.problems if p.code == "release-not-in-history"] == [("release-not-in-history", "warning")]
    assert "Not kept" in (result.site_dir / "releases/index.html").read_text(encoding="utf-8")
