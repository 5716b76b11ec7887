"""Release on the announced date: a release dated later is announced (calendar page, releases
page, ``/releases/calendar.ics``) but its data is published only at its moment, 09:30 London
time unless the log gives another, in GMT and in BST; until then every file of the site shows
the release before it, read from git history."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, time
from pathlib import Path

import icalendar
import pytest

from generator.config import Config, build_now
from generator.inputs.embargo import Announced, announced, release_moment
from generator.outputs.calendar import icalendar as ics
from generator.pipeline import BuildResult, build_site
from generator.problems.errors import InvalidInput, UsageError
from tests.conftest import copy_project
from tests.test_releases import PERFORMANCE, git, set_version
from tests.test_workflow import workflow

NEW_FIGURE = ("61937", "61,937")  # the embargoed release's figure for ASB calls to 101, as a file or a page may write it
OLD_FIGURE = "14,768"
WINTER_DAY, SUMMER_DAY = date(2027, 1, 14), date(2027, 6, 10)  # a Thursday in GMT, a Thursday in BST


def release_tomorrow(project: Path, day: date) -> None:
    """Commit release 1.0.0 as it is, then merge release 1.1.0 (a new figure) dated ``day``, with no time (09:30)."""
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Release 1.0.0")
    observations = project / PERFORMANCE / "data/observations.csv"
    observations.write_text(observations.read_text().replace("asb-calls-101,ytd,14768", f"asb-calls-101,ytd,{NEW_FIGURE[0]}"))
    set_version(project, "1.0.0", "1.1.0")
    log = project / PERFORMANCE / "data/releases.csv"
    log.write_text(log.read_text() + f"1.1.0,{day.isoformat()},release,The next quarter's figures.,A new quarter.,\n")
    git(project, "commit", "-qam", "Release 1.1.0, announced")


@pytest.fixture(scope="module", params=[WINTER_DAY, SUMMER_DAY], ids=["GMT", "BST"])
def merged(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, date]:
    """A project in git whose release 1.1.0 is merged and dated a day in winter or in summer."""
    project = copy_project(tmp_path_factory.mktemp("schedule") / "project")
    release_tomorrow(project, request.param)
    return project, request.param


def build_at(project: Path, moment: str, site: str = "site") -> BuildResult:
    return build_site(Config.for_project(project, site_dir=project.parent / site, now=moment))


def london(day: date, hour: int, minute: int) -> str:
    """The UTC instant of ``hour:minute`` London time on ``day``, written as UTC (so the test, not the code, knows the offset)."""
    offset = 1 if day == SUMMER_DAY else 0
    return datetime(day.year, day.month, day.day, hour - offset, minute, tzinfo=UTC).isoformat()


def indicator_page(result: BuildResult) -> str:
    return (result.site_dir / "indicators/asb-calls-101/index.html").read_text(encoding="utf-8")


def every_file_text(site: Path) -> dict[str, bytes]:
    """Every file of the built site as bytes, and every member of every zip (downloads, workbooks) too."""
    found = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        content = path.read_bytes()
        found[path.relative_to(site).as_posix()] = content
        if zipfile.is_zipfile(io.BytesIO(content)):
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                for member in archive.namelist():
                    inner = archive.read(member)
                    found[f"{path.relative_to(site).as_posix()}!{member}"] = inner
                    if zipfile.is_zipfile(io.BytesIO(inner)):  # a package zip holds workbooks too
                        with zipfile.ZipFile(io.BytesIO(inner)) as nested:
                            found.update({f"{path.name}!{member}!{m}": nested.read(m) for m in nested.namelist()})
    return found


def test_a_release_is_published_at_0930_london_time_in_gmt_and_in_bst() -> None:
    assert release_moment(WINTER_DAY) == datetime(2027, 1, 14, 9, 30, tzinfo=UTC)
    assert release_moment(SUMMER_DAY) == datetime(2027, 6, 10, 8, 30, tzinfo=UTC)
    assert release_moment(SUMMER_DAY, time(7, 0)) == datetime(2027, 6, 10, 6, 0, tzinfo=UTC)


def test_a_release_dated_tomorrow_is_not_published_at_0929_and_is_published_at_0930(merged: tuple[Path, date]) -> None:
    project, day = merged
    before = build_at(project, london(day, 9, 29), "site-0929")
    page = indicator_page(before)
    assert OLD_FIGURE in page and not any(figure in page for figure in NEW_FIGURE)
    descriptor = json.loads((before.site_dir / "data/community-safety-performance/datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == "1.0.0", "the published descriptor is the last published release's"
    after = build_at(project, london(day, 9, 30), "site-0930")
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", indicator_page(after))).split())
    assert f"Year to date {NEW_FIGURE[1]} (revised)" in page, "the new figure, in the table of figures"
    assert page.count(OLD_FIGURE) == 2, "the old figure only in the history: as revised from, and as first published"
    assert f"revised from {OLD_FIGURE} to {NEW_FIGURE[1]}" in page and f"Year to date {OLD_FIGURE}." in page
    descriptor = json.loads((after.site_dir / "data/community-safety-performance/datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == "1.1.0"


def test_an_embargoed_release_s_figures_appear_in_no_file_of_the_site_before_its_moment(merged: tuple[Path, date]) -> None:
    project, day = merged
    site = build_at(project, london(day, 9, 29), "site-embargo").site_dir
    files = every_file_text(site)
    leaks = sorted(name for name, content in files.items() for figure in NEW_FIGURE if figure.encode() in content)
    assert not leaks, f"the embargoed figure is published in {leaks}"
    assert "data/community-safety-performance/releases/community-safety-performance-1.0.0.zip" in files
    assert "data/community-safety-performance/releases/community-safety-performance-1.1.0.zip" not in files
    assert any(OLD_FIGURE.replace(",", "").encode() in content for name, content in files.items() if name.endswith("observations.csv"))


def test_the_coming_release_is_announced_on_the_calendar_and_releases_pages(merged: tuple[Path, date]) -> None:
    project, day = merged
    site = build_at(project, london(day, 9, 29), "site-announced").site_dir
    words = "9:30am on Thursday 14 January 2027" if day == WINTER_DAY else "9:30am on Thursday 10 June 2027"
    calendar_page = (site / "releases/calendar/index.html").read_text(encoding="utf-8")
    coming = calendar_page.split('<h2 id="releases-to-come"')[1].split('<h2 id="releases-published"')[0]
    assert words in coming and "next quarter" in coming
    assert 'href="../calendar.ics"' in calendar_page
    releases_page = (site / "releases/index.html").read_text(encoding="utf-8")
    assert "Releases to come" in releases_page and words in releases_page and 'href="calendar/"' in releases_page
    later = build_at(project, london(day, 9, 30), "site-announced").site_dir
    assert "Releases to come" not in (later / "releases/index.html").read_text(encoding="utf-8")


def test_the_calendar_file_parses_and_gives_each_release_its_utc_instant(merged: tuple[Path, date]) -> None:
    project, day = merged
    raw = (build_at(project, london(day, 9, 29), "site-ics").site_dir / "releases/calendar.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b""), "every line ends CRLF"
    assert max(len(line) for line in lines) <= 75, "long lines are folded at 75 octets"
    calendar = icalendar.Calendar.from_ical(raw)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    coming = events["community-safety-performance-1.1.0@127.0.0.1"]
    expected = datetime(2027, 1, 14, 9, 30, tzinfo=UTC) if day == WINTER_DAY else datetime(2027, 6, 10, 8, 30, tzinfo=UTC)
    assert coming.decoded("DTSTART") == expected
    assert str(coming["SUMMARY"]) == "Release: Community safety performance indicators 1.1.0"
    assert str(coming["URL"]).endswith("/releases/calendar/#community-safety-performance-1.1.0")
    assert events["community-safety-plan-1.0.0@127.0.0.1"].decoded("DTSTART") == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    assert all(isinstance(e.decoded("DTSTAMP"), datetime) for e in events.values())


def test_the_scheduled_rebuild_publishes_at_the_moment_though_no_file_changed(merged: tuple[Path, date]) -> None:
    project, day = merged
    assert not build_at(project, london(day, 9, 0), "site-rebuild").unchanged
    assert build_at(project, london(day, 9, 29), "site-rebuild").unchanged, "no release moment passed: the site is kept"
    crossed = build_at(project, london(day, 9, 30), "site-rebuild")
    assert not crossed.unchanged and NEW_FIGURE[1] in indicator_page(crossed)


def test_the_coming_release_is_validated_before_its_moment(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    release_tomorrow(project, WINTER_DAY)
    observations = project / PERFORMANCE / "data/observations.csv"
    observations.write_text(observations.read_text().replace(f"asb-calls-101,ytd,{NEW_FIGURE[0]}", "asb-calls-101,ytd,lots"))
    with pytest.raises(InvalidInput) as raised:
        build_at(project, london(WINTER_DAY, 9, 29))
    assert [(p.file, p.row, p.code) for p in raised.value.problems if p.severity == "error"] == [(f"{PERFORMANCE}/data/observations.csv", 3, "type-error")]


def new_package(project: Path, day: str, at: str) -> Path:
    """A small package whose only release is dated ``day`` at ``at``."""
    folder = project / "datasets/road-safety"
    (folder / "data").mkdir(parents=True)
    (folder / "data/casualties.csv").write_text("year,casualties\n2026,53171\n")
    header = "version,date,time,type,summary,reason,next_release"
    (folder / "data/releases.csv").write_text(f"{header}\n1.0.0,{day},{at},release,First publication of road casualties.,,\n")
    release_fields = json.loads((project / "schemas/release-log/releases.json").read_text())["fields"]
    descriptor = {
        "name": "road-safety",
        "title": "Road safety",
        "version": "1.0.0",
        "licenses": [
            {
                "name": "OGL-UK-3.0",
                "title": "Open Government Licence v3.0",
                "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            }
        ],
        "resources": [
            {"name": "casualties", "path": "data/casualties.csv", "schema": {"fields": [{"name": name, "type": "integer"} for name in ("year", "casualties")]}},
            {"name": "releases", "path": "data/releases.csv", "schema": {"fields": release_fields}},
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    return folder


def test_a_package_whose_only_release_is_to_come_is_announced_not_published(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    folder = new_package(project, "2027-01-14", "07:00")
    assert [(a.version, a.moment) for a in announced(folder)] == [("1.0.0", datetime(2027, 1, 14, 7, 0, tzinfo=UTC))]
    site = build_at(project, "2027-01-14T06:59:00Z").site_dir
    assert not (site / "data/road-safety").exists()
    assert not [name for name, content in every_file_text(site).items() if b"53171" in content]
    calendar_page = (site / "releases/calendar/index.html").read_text(encoding="utf-8")
    assert "7am on Thursday 14 January 2027" in calendar_page and "Road safety" in calendar_page
    published = build_at(project, "2027-01-14T07:00:00Z").site_dir
    assert "53171" in (published / "data/road-safety/casualties.csv").read_text()


def test_the_build_s_now_is_an_option_or_an_environment_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert build_now("2027-06-10T09:30") == datetime(2027, 6, 10, 8, 30, tzinfo=UTC), "a time without an offset is London time"
    monkeypatch.setenv("BUILD_NOW", "2027-01-14T09:30:00Z")
    assert build_now() == datetime(2027, 1, 14, 9, 30, tzinfo=UTC)
    assert build_now("2027-01-14T10:00:00+00:00") == datetime(2027, 1, 14, 10, 0, tzinfo=UTC), "the option wins"
    monkeypatch.setenv("BUILD_NOW", "tomorrow")
    with pytest.raises(UsageError, match="BUILD_NOW is 'tomorrow'"):
        build_now()


def test_the_publish_workflow_runs_at_0930_london_time_in_summer_and_in_winter_and_deploys() -> None:
    flow = workflow()
    runs = set()
    for entry in flow["on"]["schedule"]:
        minute, hour, *every = entry["cron"].split()
        assert every == ["*", "*", "*"], "every day: a release may be dated any day"
        runs.add(time(int(hour), int(minute)))
    for day in (WINTER_DAY, SUMMER_DAY):
        assert release_moment(day).time() in runs, day
    assert "schedule" in flow["jobs"]["deploy"]["if"] and "refs/heads/main" in flow["jobs"]["deploy"]["if"]


def test_the_calendar_file_keeps_any_summary_exactly_folded_within_75_octets() -> None:
    summary = "Knife crime; year to date: 741 → 760, revised\\corrected — " + "é" * 80
    release = Announced("road-safety", "Road safety, casualties", "2.0.0", SUMMER_DAY, time(7, 0), "revision", summary)
    raw = ics([release], "https://data.example.org/", "Open data", datetime(2027, 1, 1, tzinfo=UTC)).encode("utf-8")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    assert b"DESCRIPTION:Knife crime\\; year to date: 741 \xe2\x86\x92 760\\, revised\\\\corrected" in raw, "TEXT is escaped as RFC 5545 says"
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]) == summary and str(event["SUMMARY"]) == "Revision: Road safety, casualties 2.0.0"
    assert event.decoded("DTSTART") == datetime(2027, 6, 10, 6, 0, tzinfo=UTC)
    assert str(event["UID"]) == "road-safety-2.0.0@data.example.org"


def test_the_site_does_not_say_its_data_changed_before_the_release_is_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # the date comes from git, as when publishing
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-11-24T12:00:00Z")
    project = copy_project(tmp_path / "project")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Release 1.0.0")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2027-01-11T12:00:00Z")
    log = project / PERFORMANCE / "data/releases.csv"
    set_version(project, "1.0.0", "1.1.0")
    log.write_text(log.read_text() + f"1.1.0,{WINTER_DAY.isoformat()},release,The next quarter's figures.,A new quarter.,\n")
    git(project, "commit", "-qam", "Release 1.1.0, announced")

    def modified(moment: str) -> set[str]:
        site = build_at(project, moment, f"site-{moment[:13]}").site_dir
        return {d["modified"] for d in json.loads((site / "data.json").read_text(encoding="utf-8"))["dataset"]}

    assert modified(london(WINTER_DAY, 9, 29)) == {"2026-11-24"}
    assert "2027-01-11" in modified(london(WINTER_DAY, 9, 30))
