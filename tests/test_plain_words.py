"""No internal names reach readers; an indicator's title makes sense on its own; each indicator
page says what the partnership is doing about it, linked to where that work is shown."""

from __future__ import annotations

import csv
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from generator.cli import main
from generator.pipeline import BuildResult
from generator.problems.rules import RULES
from tests.conftest import ROOT, Served, copy_project, html_files

# Pages for people who work with the data, where field names, ids and problem codes belong:
# dataset pages (data dictionaries and previews) and the publishers' guide.
FOR_PUBLISHERS = ("data/", "publishing/")
INTERNAL_WORDS = ("polarity", "_id", "x-profile", "lower-is-better", "higher-is-better")
OWNED_ELSEWHERE = ("(computed)", "direction of travel as published")  # the indicator figure sections: another part of issue 11


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.text: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("script", "style", "pre", "textarea")  # code to copy (a citation, an embed) is not words shown to readers
        self.ids.update(value for name, value in attrs if name == "id" and value)

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("script", "style", "pre", "textarea")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.append(data)


def _visible(path: Path) -> _Visible:
    parser = _Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _public_pages(site: Path) -> list[tuple[str, str]]:
    pages = [(p.relative_to(site).as_posix(), p) for p in html_files(site)]
    shown = [(name, " ".join(" ".join(_visible(p).text).split())) for name, p in pages if not name.startswith(FOR_PUBLISHERS)]
    assert len(shown) > 20
    return shown


def _ids() -> set[str]:
    """Every identifier in the data that could not be mistaken for words: ids with a digit or
    two or more dashes (``strategic-plan-2018-2021``, ``rapid-response-reach``)."""
    found = set()
    for descriptor in (ROOT / "datasets").glob("*/datapackage.json"):
        for resource in json.loads(descriptor.read_text(encoding="utf-8"))["resources"]:
            with (descriptor.parent / resource["path"]).open(encoding="utf-8", newline="") as file:
                for row in csv.DictReader(file):
                    found.update(v for k, v in row.items() if k.endswith("_id") and v and (re.search(r"\d", v) or v.count("-") >= 2))
    assert "strategic-plan-2018-2021" in found
    return found


def test_no_public_page_shows_ids_field_names_or_problem_codes(built_site: BuildResult) -> None:
    ids, codes = _ids(), {rule.code for rule in RULES if rule.code.count("-") >= 1}
    found = []
    for name, text in _public_pages(built_site.site_dir):
        words = set(re.findall(r"[\w-]+", re.sub(r"https?://\S+", " ", text)))  # a page's address, quoted in its citation, is not a word
        found += [f"{name}: id {i!r}" for i in sorted(ids & words)]
        found += [f"{name}: problem code {c!r}" for c in sorted(codes & words)]
        found += [f"{name}: {w!r}" for w in INTERNAL_WORDS if w in text.lower()]
    assert not found, "\n".join(found)



def test_no_public_page_shows_how_the_site_labels_its_workings(built_site: BuildResult) -> None:
    found = [f"{name}: {w!r}" for name, text in _public_pages(built_site.site_dir) for w in OWNED_ELSEWHERE if w in text.lower()]
    assert not found, "\n".join(found)


def test_the_validation_rules_are_in_the_publishers_guide_not_about_the_data() -> None:
    about = (ROOT / "site_src" / "docs" / "about.md").read_text(encoding="utf-8")
    guide = (ROOT / "site_src" / "docs" / "publishing.md").read_text(encoding="utf-8")
    assert "validation_rules()" not in about and "{{ validation_rules() }}" in guide
    assert "publishing.md#every-check-and-what-to-do-about-it" in about


def test_an_indicator_shows_its_display_title_and_keeps_the_sources_title(built_site: BuildResult) -> None:
    page = _visible(built_site.site_dir / "indicators" / "hate-crime-offences" / "index.html")
    text = " ".join(" ".join(page.text).split())
    assert "Number of hate crime offences reported to police" in text
    assert "Title in the source Number of offences reported to police" in text
    plain = " ".join(" ".join(_visible(built_site.site_dir / "indicators" / "total-burglary" / "index.html").text).split())
    assert "Title in the source" not in plain  # shown only where the display title differs
    home = " ".join(" ".join(_visible(built_site.site_dir / "index.html").text).split())
    assert "Number of hate crime offences reported to police" in home


def test_a_package_without_display_titles_still_follows_the_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path)
    package = project / "datasets" / "community-safety-performance"
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    indicators = next(r for r in descriptor["resources"] if r["name"] == "indicators")
    indicators["schema"]["fields"] = [f for f in indicators["schema"]["fields"] if f["name"] != "display_title"]
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with (package / "data" / "indicators.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    with (package / "data" / "indicators.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, [k for k in rows[0] if k != "display_title"], extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert main(["validate", "--project", str(project)]) == 0, capsys.readouterr().err
    # With the column, it must have the profile's type.
    at = [f["name"] for f in indicators["schema"]["fields"]].index("title") + 1
    indicators["schema"]["fields"].insert(at, {"name": "display_title", "type": "integer"})
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with (package / "data" / "indicators.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({**row, "display_title": ""} for row in rows)
    assert main(["validate", "--project", str(project)]) == 1
    out = capsys.readouterr()
    assert "[profile-field] Resource 'indicators': field 'display_title' has type 'integer'" in out.out + out.err


def test_every_indicator_page_says_the_work_of_its_priority_right_after_the_figures_linked_to_where_it_is_shown(built_site: BuildResult) -> None:
    site = built_site.site_dir
    pages = sorted((site / "indicators").glob("*/index.html"))
    assert len(pages) == 13
    for page in pages:
        html = page.read_text(encoding="utf-8")
        article = html[html.index("<article") : html.index("</article>")]
        headings = re.findall(r"<h2[^>]*>(.*?)</h2>", article)
        assert headings[:2] == ["Figures", "What the partnership is doing about it"], page  # before the reference and reuse sections
        start = article.index("What the partnership is doing about it")
        section = article[start : article.index("<h2", start)]
        links = re.findall(r'href="\.\./\.\./priorities/([^/]+)/#([^"]+)"', section)
        for priority, anchor in links:
            assert anchor in _visible(site / "priorities" / priority / "index.html").ids, (page, anchor)
    knife = (site / "indicators" / "knife-crimes" / "index.html").read_text(encoding="utf-8")
    assert "Knife Crime Action Plan agreed" in knife and "#example-outputs" in knife
    violence = (site / "indicators" / "personal-robberies" / "index.html").read_text(encoding="utf-8")
    assert all(f"#{anchor}" in violence for anchor in ("actions-and-their-status", "strategic-plan-deliverables", "example-outputs"))


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_the_work_section_reads_on_a_phone_and_its_links_lead_to_the_work(browser: Browser, served: Served, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(served.url + "indicators/personal-robberies/", wait_until="networkidle")  # Material's scripts ready before the click
    heading = page.get_by_role("heading", name="What the partnership is doing about it")
    heading.scroll_into_view_if_needed()
    assert heading.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    link = page.get_by_role("link", name=re.compile("^Actions and their status for this priority"))
    link.click()
    page.wait_for_function("location.pathname.endsWith('/priorities/violence/')", timeout=15_000)
    target = page.locator("#actions-and-their-status")
    target.wait_for()
    page.wait_for_function(
        "(r => r.top >= 0 && r.bottom <= innerHeight)(document.getElementById('actions-and-their-status').getBoundingClientRect())", timeout=15_000
    )
    assert target.is_visible()  # the reader lands on the work, not the top of the priority page
    page.close()


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_no_table_caption_repeats_a_heading_of_its_page(built_site: BuildResult) -> None:
    repeated = []
    for page in html_files(built_site.site_dir):
        text = page.read_text(encoding="utf-8")
        article = text[text.find("<article") : text.find("</article>")]
        headings = {_plain(h) for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", article, re.S)}
        captions = map(_plain, re.findall(r"<caption>(.*?)</caption>", article, re.S))
        repeated += [f"{page.relative_to(built_site.site_dir)}: {c}" for c in captions if c in headings]
    assert not repeated, "a caption says what its table holds, not its section's heading again"
