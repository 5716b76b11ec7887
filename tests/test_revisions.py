"""Review what changed, and revisions a reader can see: one diff engine (``model.changes``)
behind ``python -m generator diff``, the indicator pages' revision notes, the releases page and
each indicator's feed, tested on real git history in a temporary repository."""

from __future__ import annotations

import csv
import functools
import io
import json
import subprocess
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from generator import cli
from generator.config import Config
from generator.model.changes import compare
from generator.model.compute import Currency
from generator.model.dataset import Dataset
from generator.outputs.changes import md
from generator.pipeline import BuildResult, build_site
from tests.conftest import ROOT, copy_project
from tests.test_releases import AFTER_THE_RELEASES

ATOM = "{http://www.w3.org/2005/Atom}"
PERFORMANCE = "datasets/community-safety-performance"
PLAN = "datasets/community-safety-plan"
SITE_URL = "http://127.0.0.1:8000/"
POUNDS = Currency("£", "Pounds sterling")


def git(project: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args]
    done = subprocess.run(command, cwd=project, check=True, capture_output=True, text=True)
    return done.stdout


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_glossary_notes(project: Path) -> None:
    """A schema change: the plan's glossary gains a ``notes`` field (and column)."""
    descriptor_file = project / PLAN / "datapackage.json"
    descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    glossary = next(r for r in descriptor["resources"] if r["name"] == "glossary")
    glossary["schema"]["fields"].append({"name": "notes", "type": "string", "description": "Notes."})
    descriptor_file.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    table = project / PLAN / "data/glossary.csv"
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*rows[0], "notes"])
    writer.writerows([*row, ""] for row in rows[1:])
    writer.writerow(["ZZZ", "a made-up term", "A term added for the test.", "", ""])
    table.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project released as 1.0.0, then a correction 1.0.1 of the performance package (knife
    crimes 741 -> 760; personal robberies 1,472 -> 1,530, which turns it from Amber to Red),
    and edits to the plan package (a row added, one removed, a field added), committed in git."""
    project = copy_project(tmp_path_factory.mktemp("revisions") / "project")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Release 1.0.0")
    observations = project / PERFORMANCE / "data/observations.csv"
    replace(observations, "knife-crimes,ytd,741", "knife-crimes,ytd,760")
    replace(observations, "personal-robberies,ytd,1472", "personal-robberies,ytd,1530")
    replace(project / PERFORMANCE / "datapackage.json", '"version": "1.0.0"', '"version": "1.0.1"')
    log = project / PERFORMANCE / "data/releases.csv"
    log.write_text(log.read_text() + "1.0.1,2026-12-01,correction,Two year-to-date figures corrected.,The first release had two figures typed wrongly.,\n")
    developments = project / PLAN / "data/developments.csv"
    lines = developments.read_text(encoding="utf-8").splitlines(keepends=True)
    developments.write_text("".join(lines[:-1]), encoding="utf-8")
    add_glossary_notes(project)
    git(project, "commit", "-qam", "Correction 1.0.1")
    return project


@pytest.fixture(scope="module")
def corrected_site(corrected: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_site(Config.for_project(corrected, site_dir=tmp_path_factory.mktemp("revisions-site") / "site", now=AFTER_THE_RELEASES))


def run_diff(project: Path, capsys: pytest.CaptureFixture[str], *ref: str) -> tuple[int, str]:
    code = cli.main(["diff", "--project", str(project), *ref])
    return code, capsys.readouterr().out


PERFORMANCE_SUMMARY = """\
## Community safety performance indicators (1.0.0 → 1.0.1)

### Figures changed

- Number of personal robberies, Year to date: 1,472 → 1,530 (status Amber → Red)
- Number of knife crimes, Year to date: 741 → 760 (status Red, unchanged)

### Statuses that change

- Number of personal robberies, Year to date: Amber → Red

### Rows added

- `releases`: `version` 1.0.1
"""


def test_the_diff_says_each_changed_figure_with_its_indicator_period_and_status(corrected: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_diff(corrected, capsys)
    assert code == 0
    assert out.startswith("# What this data change does\n\nCompared with each package's last release")
    assert PERFORMANCE_SUMMARY in out


def test_the_diff_of_any_package_lists_rows_by_key_and_schema_changes(corrected: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run_diff(corrected, capsys)
    plan = out[out.index("## Community safety plan") :]
    assert plan.startswith("## Community safety plan, actions and investments\n\n### Rows added\n\n- `glossary`: `term` ZZZ\n\n")
    assert "### Rows removed\n\n- `developments`: `development_id` design-out-crime\n\n" in plan
    assert "### Rows changed\n\n" not in plan, "a new empty cell in a new column is not a changed row"
    assert plan.endswith("### Schema changes\n\n- `glossary`: field `notes` added (string)\n\n")


def test_the_diff_against_a_git_ref_compares_with_the_data_committed_there(corrected: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_diff(corrected, capsys, "HEAD~1")
    assert code == 0
    assert out.startswith("# What this data change does\n\nCompared with the data at `HEAD~1`.\n")
    assert PERFORMANCE_SUMMARY in out
    code, out = run_diff(corrected, capsys, "HEAD")
    assert out.endswith("No data changes: every package is as it was.\n\n")


def test_a_ref_that_is_not_in_the_history_is_a_usage_error(corrected: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["diff", "--project", str(corrected), "no-such-branch"]) == cli.EXIT_USAGE
    assert "'no-such-branch' is not a commit" in capsys.readouterr().err


def test_new_periods_and_new_figures_are_said_as_such(corrected: Path, tmp_path: Path) -> None:
    """A new quarter: a period added, with a figure for one indicator (its status computed)."""
    from generator.checks.earlier import dataset_from_files
    from generator.inputs.history import package_files
    from generator.outputs.changes import package_summary

    config = Config.for_project(corrected)
    before, _ = dataset_from_files("community-safety-performance", package_files(corrected / PERFORMANCE), config)
    files = package_files(corrected / PERFORMANCE)
    files["data/periods.csv"] += b"ytd-next,3,Next year to date,,,false,ytd,\n"
    files["data/observations.csv"] += b"knife-crimes,ytd-next,800\n"
    after, problems = dataset_from_files("community-safety-performance", files, config)
    assert before is not None and after is not None, problems
    (changes,) = compare([before], [after])
    text = package_summary(changes, POUNDS)
    assert "### New figures\n\n- Number of knife crimes, Next year to date: 800 (new; status Red)\n" in text
    assert "### New periods\n\n- Next year to date\n" in text
    assert "### Rows added\n\n- `periods`: `period_id` ytd-next\n" in text and "`observations`" not in text, "figures are said as figures"


def test_values_from_data_are_inert_in_the_summary() -> None:
    assert md("<script>*bold* [link](x) `code`") == "\\<script\\>\\*bold\\* \\[link\\](x) \\`code\\`"


class Ids(HTMLParser):
    """Every id of a page, and its links (``<link>`` and ``<a>``)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag in ("link", "a"):
            self.links.append(found)


def parsed(page: Path) -> Ids:
    ids = Ids()
    ids.feed(page.read_text(encoding="utf-8"))
    return ids


def text_of(page: Path) -> str:
    """The page's words, tags and entities taken out."""

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    reader = Text()
    reader.feed(page.read_text(encoding="utf-8"))
    return " ".join(" ".join(reader.parts).split())


def test_the_indicator_page_shows_the_previous_value_and_when_and_why_it_changed(corrected_site: BuildResult) -> None:
    page = text_of(corrected_site.site_dir / "indicators/knife-crimes/index.html")
    assert "1 figure has been revised since first published" in page
    assert "Correction 1.0.1, 1 December 2026 : Year to date revised from 741 to 760. Why: The first release had two figures typed wrongly." in page, (
        "the previous value, the release's date and type, and its reason"
    )
    assert "Release 1.0.0, 24 November 2026 : First published: Previous year to date 683; Year to date 741." in page
    assert "Year to date 760 (revised)" in page and "Previous year to date 683 (revised)" not in page, "the figures table marks the revised figure"
    unrevised = text_of(corrected_site.site_dir / "indicators/asb-calls-101/index.html")
    assert "No figure has been revised since it was first published." in unrevised and "revised from" not in unrevised


def test_the_releases_page_lists_every_figure_each_release_changed(corrected_site: BuildResult) -> None:
    page = text_of(corrected_site.site_dir / "releases/index.html")
    changed = page[page.index("Figures changed in each release") :]
    assert "Community safety performance indicators: Correction 1.0.1, 1 December 2026" in changed
    assert "Number of personal robberies , Year to date: revised from 1,472 to 1,530; status changed from Amber to Red" in changed
    assert "Number of knife crimes , Year to date: revised from 741 to 760; status still Red" in changed
    html = (corrected_site.site_dir / "releases/index.html").read_text(encoding="utf-8")
    listed = html[html.index('<ul class="release-changes">') :]
    assert listed[: listed.index("</ul>")].count("<li>") == 2, "the two figures; the release log's own new row is not a change to report"
    assert 'href="../indicators/knife-crimes/#release-1.0.1"' in html, "each figure links to its indicator's entry for the release"


def test_each_indicator_has_a_feed_of_new_figures_and_revisions_linking_to_anchors_that_exist(corrected_site: BuildResult) -> None:
    site = corrected_site.site_dir
    page = parsed(site / "indicators/knife-crimes/index.html")
    alternate = [link for link in page.links if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"]
    assert [link["href"] for link in alternate] == ["../../indicators/knife-crimes/feed.xml"], "the page links its feed as its alternate"
    feed = ET.parse(site / "indicators/knife-crimes/feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}updated") == "2026-12-01T00:00:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Number of knife crimes: Correction 1.0.1, 1 December 2026",
        "Number of knife crimes: Release 1.0.0, 24 November 2026",
    ]
    assert [e.find(f"{ATOM}category").attrib["term"] for e in entries] == ["revision", "new-figures"]  # type: ignore[union-attr]
    assert entries[0].findtext(f"{ATOM}summary") == "Year to date revised from 741 to 760. Why: The first release had two figures typed wrongly."
    for entry in entries:
        href = entry.find(f"{ATOM}link").attrib["href"]  # type: ignore[union-attr]
        address, _, anchor = href.partition("#")
        assert address == f"{SITE_URL}indicators/knife-crimes/" and anchor in page.ids, href
    unchanged = ET.parse(site / "indicators/asb-calls-101/feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in unchanged.findall(f"{ATOM}entry")]
    assert titles == ["Calls to the police on 101 to report anti-social behaviour: Release 1.0.0, 24 November 2026"]


def test_a_release_is_the_last_state_of_its_version_even_when_a_later_commit_changed_only_its_data(tmp_path: Path) -> None:
    """A commit that changes a table but not the descriptor is part of the release whose version
    the descriptor still has; the release after it is compared with that state."""
    from generator.inputs.history import package_at_version, previous_release_ref

    project = copy_project(tmp_path / "project")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Release 1.0.0")
    observations = project / PERFORMANCE / "data/observations.csv"
    replace(observations, "knife-crimes,ytd,741", "knife-crimes,ytd,750")
    git(project, "commit", "-qam", "A late fix, still 1.0.0")
    replace(observations, "knife-crimes,ytd,750", "knife-crimes,ytd,760")
    replace(project / PERFORMANCE / "datapackage.json", '"version": "1.0.0"', '"version": "1.0.1"')
    git(project, "commit", "-qam", "Release 1.0.1")
    released = package_at_version(project / PERFORMANCE, "1.0.0")
    assert released is not None and b"knife-crimes,ytd,750" in released["data/observations.csv"]
    assert previous_release_ref(project / PERFORMANCE) == git(project, "rev-parse", "HEAD~1").strip()


def test_the_guide_and_the_readme_quote_the_line_the_diff_really_prints(corrected: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run_diff(corrected, capsys)
    line = "Number of knife crimes, Year to date: 741 → 760 (status Red, unchanged)"
    assert f"- {line}\n" in out
    for document in (ROOT / "site_src/docs/publishing.md", ROOT / "README.md"):
        assert line in " ".join(document.read_text(encoding="utf-8").split()), document


def test_text_from_data_is_inert_in_revision_notes_and_feeds() -> None:
    import datetime as dt

    from generator.model.changes import FigureChange
    from generator.model.dataset import Indicator
    from generator.outputs.releases import Release
    from generator.outputs.revisions import IndicatorRelease, indicator_feed
    from generator.render.revisions import indicator_history

    hostile = "<script>alert(1)</script> *x* [a](javascript:x)"
    release = Release("p", "P", "1.0.1", dt.date(2026, 12, 1), "correction", hostile, hostile, None)
    figure = FigureChange("i", hostile, "count", "ytd", hostile, 1.0, 2.0, "Red", "Red")
    history = [IndicatorRelease(release, (figure,), first=False)]
    html = indicator_history(history, POUNDS)
    assert "<script>" not in html and "[a]" not in html and "*x*" not in html
    indicator = Indicator("i", "pr", 1, hostile, None, "count", "lower-is-better", "s", None)
    feed = ET.fromstring(indicator_feed(indicator, history, SITE_URL, hostile, dt.datetime(2026, 12, 1, tzinfo=dt.UTC), POUNDS))
    assert feed.findtext(f"{ATOM}title") == f"{hostile}: new figures and revisions", "the feed is well formed and keeps the text as text"


def test_a_long_list_of_changes_is_cut_with_how_many_more_there_are(corrected: Path) -> None:
    from generator.checks.earlier import dataset_from_files
    from generator.inputs.history import package_files
    from generator.outputs.changes import MAX_LINES, package_summary

    config = Config.for_project(corrected)
    files = package_files(corrected / PLAN)
    before, _ = dataset_from_files("community-safety-plan", files, config)
    extra = "".join(f"TERM{n},a term,A term added for the test.,,\n" for n in range(MAX_LINES + 5))
    files["data/glossary.csv"] += extra.encode()
    after, problems = dataset_from_files("community-safety-plan", files, config)
    assert before is not None and after is not None, problems
    text = package_summary(compare([before], [after])[0], POUNDS)
    added = text[text.index("### Rows added") :]
    assert added.count("\n- `glossary`") == MAX_LINES and "\n- and 5 more\n" in added


def test_an_earlier_release_that_no_longer_validates_is_a_warning_at_its_row_of_the_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "project")
    observations = project / PERFORMANCE / "data/observations.csv"
    replace(observations, "knife-crimes,ytd,741", "knife-crimes,ytd,seven hundred")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Release 1.0.0, with a figure in words")
    replace(observations, "knife-crimes,ytd,seven hundred", "knife-crimes,ytd,741")
    replace(project / PERFORMANCE / "datapackage.json", '"version": "1.0.0"', '"version": "1.0.1"')
    log = project / PERFORMANCE / "data/releases.csv"
    log.write_text(log.read_text() + "1.0.1,2026-12-01,correction,The knife crimes figure in digits.,It was in words.,\n")
    git(project, "commit", "-qam", "Correction 1.0.1")
    result = build_site(Config.for_project(project, site_dir=tmp_path / "site", now=AFTER_THE_RELEASES))
    (warning,) = [p for p in result.problems if p.code == "release-not-comparable"]
    assert (warning.file, warning.row, warning.field) == (f"{PERFORMANCE}/data/releases.csv", 2, "version")
    assert "release 1.0.0" in warning.message and "type-error" in warning.message
    page = text_of(tmp_path / "site/indicators/knife-crimes/index.html")
    first = "Correction 1.0.1, 1 December 2026 : First published: Previous year to date 683; Year to date 741."
    assert first in page, "compared with the last release found: none"
    _, out = run_diff(project, capsys)
    assert "Not compared, because its earlier data no longer validates: community-safety-performance.\n" in out
    assert "## Community safety performance indicators" not in out, "never shown as a new package"


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_revision_notes_and_the_release_list_read_at_every_width_with_no_axe_violation(corrected_site: BuildResult, browser: Browser, width: int) -> None:
    from tests.conftest import QuietHandler
    from tests.test_accessibility import axe_violations

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(corrected_site.site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page(viewport={"width": width, "height": 900})
        for path, section in (("indicators/knife-crimes/", "Changes to these figures"), ("releases/", "Figures changed in each release")):
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}", wait_until="load")
            heading = page.get_by_role("heading", name=section)
            heading.scroll_into_view_if_needed()
            assert heading.is_visible(), path
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} scrolls sideways at {width} px"
            assert not axe_violations(page), path
        page.close()
    finally:
        server.shutdown()


def test_any_table_is_compared_even_without_a_primary_key_and_with_array_and_object_cells() -> None:
    from generator.model.dataset import build_dataset
    from generator.outputs.changes import package_summary

    def version(rows: list[dict[str, object]], types: dict[str, str]) -> Dataset:
        fields = [{"name": name, "type": kind} for name, kind in types.items()]
        resource = {"name": "things", "path": "things.csv", "schema": {"fields": fields}}
        return build_dataset({"name": "p", "title": "P", "resources": [resource]}, Path("p"), {"things": rows})

    old = version([{"tags": ["a"], "meta": {"k": 1}, "n": 1}, {"tags": [], "meta": {}, "n": 2}], {"tags": "array", "meta": "object", "n": "integer"})
    new = version([{"tags": ["a"], "meta": {"k": 1}, "n": 1}, {"tags": ["b"], "meta": {}, "n": 2}], {"tags": "array", "meta": "object", "n": "number"})
    (changes,) = compare([old], [new])
    text = package_summary(changes, POUNDS)
    assert '### Rows added\n\n- `things`: `tags` \\["b"\\], `meta` {}, `n` 2\n' in text, "a table without a key is matched by whole rows"
    assert "### Rows removed\n\n- `things`: `tags` \\[\\], `meta` {}, `n` 2\n" in text
    assert "### Schema changes\n\n- `things`: field `n` type integer → number\n" in text


def test_outside_git_the_diff_says_there_is_nothing_to_compare_with(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "project")
    code, out = run_diff(project, capsys)
    assert code == 0
    assert out.startswith("# What this data change does\n\nCompared with nothing: no package has an earlier version in the project's git history.\n")
    assert "A new package: 63 rows in 8 tables." in out


def test_a_package_taken_out_since_the_ref_is_said_to_be_taken_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    project = copy_project(tmp_path / "project")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Both packages")
    shutil.rmtree(project / PLAN)
    code, out = run_diff(project, capsys, "HEAD")
    assert code == 0
    assert "## Community safety plan, actions and investments (1.0.0 → none)\n\nThe package is taken out.\n" in out
