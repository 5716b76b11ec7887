"""The quarterly cycle, end to end, in a temporary git repository, with the commands the
publishers' guide gives: the package out as a workbook; a new quarter and one correction typed
into it; the workbook imported (checked as a build checks, then written as CSV); what the change
does, read in the ``diff`` summary; the release logged for tomorrow at 09:30 and committed; the
site built at 09:29 (the last release's data still) and at 09:30 (the new data, with the
correction shown as a revision on the indicator's page and in its feed)."""

from __future__ import annotations

import contextlib
import html
import io
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from generator.cli import main
from generator.config import Config
from generator.pipeline import BuildResult, build_site
from tests.conftest import copy_project
from tests.test_releases import git, set_version

PACKAGE = "community-safety-performance"
ATOM = "{http://www.w3.org/2005/Atom}"
NEW_PERIOD = ("ytd-q3", "Year to date, third quarter")
CORRECTION = ("knife-crimes", "ytd", 741, 760)
PRINTED_CHANGE = 11.27  # 760 against the previous year to date's 683
REASON = "The year-to-date knife crimes figure was typed wrongly in the first release."


def rows(sheet: Worksheet) -> list[dict[str, object]]:
    """The sheet's records by column name."""
    header, *records = sheet.iter_rows(values_only=True)
    return [dict(zip(header, record, strict=True)) for record in records]


def append(sheet: Worksheet, record: dict[str, object]) -> None:
    """Append a record, typed as the sheet's first record types each column (as a person
    typing into the workbook would: text where it holds text, a number where numbers)."""
    header = [cell.value for cell in sheet[1]]
    first = [cell.value for cell in sheet[2]]
    values = [record.get(str(name)) for name in header]
    sheet.append([str(v) if isinstance(example, str) and v is not None else v for v, example in zip(values, first, strict=True)])


def edit_the_quarter(workbook: Path, release_day: date) -> None:
    """A new quarter's figure for every indicator, one correction (with the change the source
    prints for it), and the release's line."""
    book = openpyxl.load_workbook(workbook)
    append(book["periods"], {"period_id": NEW_PERIOD[0], "sequence": 3, "label": NEW_PERIOD[1], "dates_stated": False, "compared_with": "ytd"})
    observations = book["observations"]
    latest = {r["indicator_id"]: r["value"] for r in rows(observations) if r["period_id"] == "ytd"}
    for indicator, value in latest.items():
        append(observations, {"indicator_id": indicator, "period_id": NEW_PERIOD[0], "value": int(str(value)) + 12})
    indicator, period, old, new = CORRECTION
    (cell,) = [row[2] for row in observations.iter_rows(min_row=2) if (row[0].value, row[1].value) == (indicator, period)]
    assert int(str(cell.value)) == old
    cell.value = new if isinstance(cell.value, int) else str(new)
    (printed,) = [row[2] for row in book["published-assessments"].iter_rows(min_row=2) if (row[0].value, row[1].value) == (indicator, period)]
    printed.value = PRINTED_CHANGE  # the change the corrected figure gives, as the corrected source prints it
    append(book["releases"], {"version": "1.1.0", "date": release_day, "type": "release", "summary": "The third quarter's figures.", "reason": REASON})
    book.save(workbook)


def london(day: date, hour: int, minute: int) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo("Europe/London")).isoformat()


def page_text(result: BuildResult, indicator: str) -> str:
    raw = (result.site_dir / "indicators" / indicator / "index.html").read_text(encoding="utf-8")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, date, str]:
    """The project after the whole cycle up to the commit: its folder, the release day and the diff printed."""
    folder = tmp_path_factory.mktemp("cycle")
    project = copy_project(folder / "project")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Release 1.0.0")
    workbook = folder / f"{PACKAGE}.xlsx"
    assert main(["workbook", PACKAGE, "-o", str(workbook), "--project", str(project)]) == 0
    release_day = date.today() + timedelta(days=1)
    edit_the_quarter(workbook, release_day)
    assert main(["import", str(workbook), "--project", str(project)]) == 0
    set_version(project, "1.0.0", "1.1.0")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["diff", "--project", str(project)]) == 0
    git(project, "commit", "-qam", "Release 1.1.0, announced for tomorrow")
    return project, release_day, printed.getvalue()


def test_the_imported_workbook_changes_only_the_lines_edited(cycle: tuple[Path, date, str]) -> None:
    project, release_day, _ = cycle
    data = project / "datasets" / PACKAGE / "data"
    assert "knife-crimes,ytd,760\n" in (data / "observations.csv").read_text(encoding="utf-8")
    assert "knife-crimes,ytd-q3,753\n" in (data / "observations.csv").read_text(encoding="utf-8")
    assert f"1.1.0,{release_day.isoformat()},release," in (data / "releases.csv").read_text(encoding="utf-8")
    changed = set(git_lines(project, "diff", "--name-only", "HEAD~1"))
    counts = git_lines(project, "diff", "--numstat", "HEAD~1", "--", f"datasets/{PACKAGE}/data/observations.csv")
    assert counts[0].split("\t")[:2] == ["14", "1"], "13 new figures and one corrected line; every other line as it was"
    edited = ("datapackage.json", "data/observations.csv", "data/periods.csv", "data/published-assessments.csv", "data/releases.csv")
    assert changed == {f"datasets/{PACKAGE}/{name}" for name in edited}


def git_lines(project: Path, *args: str) -> list[str]:
    return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True).stdout.splitlines()


def test_the_diff_says_what_the_quarter_does(cycle: tuple[Path, date, str]) -> None:
    _, _, printed = cycle
    assert "## Community safety performance indicators (1.0.0 → 1.1.0)" in printed
    assert "### Figures changed\n\n- Number of knife crimes, Year to date: 741 → 760 (status Red, unchanged)\n" in printed
    assert f"- Number of knife crimes, {NEW_PERIOD[1]}: 753 (new; status " in printed
    assert f"### New periods\n\n- {NEW_PERIOD[1]}\n" in printed


def test_the_release_is_not_published_at_0929_and_is_at_0930_with_the_revision_visible(cycle: tuple[Path, date, str], tmp_path: Path) -> None:
    project, release_day, _ = cycle
    before = build_site(Config.for_project(project, site_dir=tmp_path / "site-0929", now=london(release_day, 9, 29)))
    text = page_text(before, "knife-crimes")
    assert "Number of knife crimes: 741 (Year to date)" in text
    assert "760" not in text and "753" not in text and NEW_PERIOD[1] not in text

    after = build_site(Config.for_project(project, site_dir=tmp_path / "site-0930", now=london(release_day, 9, 30)))
    text = page_text(after, "knife-crimes")
    assert f"Number of knife crimes: 753 ({NEW_PERIOD[1]})" in text
    assert "Year to date 760 (revised)" in text
    assert f"Year to date revised from 741 to 760. Why: {REASON}" in text

    feed = ET.fromstring((after.site_dir / "indicators/knife-crimes/feed.xml").read_bytes())
    summaries = [entry.findtext(f"{ATOM}summary") or "" for entry in feed.iter(f"{ATOM}entry")]
    assert any("Year to date revised from 741 to 760" in s and f"{NEW_PERIOD[1]} 753" in s for s in summaries), summaries
