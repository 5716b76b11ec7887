"""Text from data is shown as text: hostile values in every kind of field never become markup.

The real data is copied, hostile text is written into titles, descriptions, notes and chart
labels, and the site is built: the HTML must show the text and contain none of it as live
markup (elements, event handlers, script URLs, Markdown links or images, attribute lists,
template tags).
"""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.config import Config
from generator.pipeline import build_site
from tests.conftest import copy_project, html_files

HOSTILE = [
    '<script>alert("script")</script>',
    "<img src=x onerror=alert('img')>",
    "</title><script>alert('title')</script>",
    "\" onmouseover=\"alert('attribute')",
    "[a link](javascript:alert('link'))",
    "![an image](https://tracker.invalid/pixel.png)",
    "<div onclick=\"alert('block')\">raw HTML block</div>",
    "{: onclick=\"alert('attr-list')\" }",
    "{{ 7 * 191 }}",
    "{% for x in range(3) %}loop{% endfor %}",
]
TEXT = " | ".join(HOSTILE)


def set_cell(csv_file: Path, key: str, field: str, value: str) -> None:
    """Set one cell of the row whose first column is ``key``, keeping the file's CSV dialect."""
    with csv_file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert any(row[next(iter(row))] == key for row in rows), key
    for row in rows:
        if row[next(iter(row))] == key:
            row[field] = value
    with csv_file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    performance = project / "datasets/community-safety-performance"
    set_cell(performance / "data/indicators.csv", "asb-calls-101", "title", TEXT)
    set_cell(performance / "data/indicators.csv", "asb-calls-101", "notes", TEXT)
    set_cell(performance / "data/priorities.csv", "violence", "title", TEXT)
    set_cell(performance / "data/statuses.csv", "green", "meaning", TEXT)
    plan = project / "datasets/community-safety-plan"
    set_cell(plan / "data/investments.csv", "partnership-taskforce", "title", TEXT)  # a chart label
    set_cell(plan / "data/successes.csv", "operation-continuum", "title", TEXT)
    descriptor = json.loads((plan / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.update(title=TEXT, description=TEXT)
    descriptor["sources"] = [
        {"title": TEXT, "path": "javascript:alert('source')"},
        {"title": TEXT, "path": "https://example.org/\"onmouseover=\"alert('href')"},
    ]
    descriptor["contributors"].append({"title": TEXT, "role": TEXT, "organization": TEXT, "path": "javascript:alert('contributor')"})
    descriptor["resources"][0]["description"] = TEXT
    (plan / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    site = project / "site"
    build_site(Config.for_project(project, site_dir=site))
    return site


class Markup(HTMLParser):
    """Every element with its attributes, the text of every script, and the page's visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []  # executable scripts
        self.data_blocks: list[str] = []  # <script type="application/ld+json">: data, never run
        self.text: list[str] = []
        self._in_script = self._data_block = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"
        self._data_block = tag == "script" and dict(attrs).get("type") == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            (self.data_blocks if self._data_block else self.scripts).append(data)
        else:
            self.text.append(data)


def parse(page: Path) -> Markup:
    parser = Markup()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_no_hostile_value_becomes_an_element_a_handler_or_a_script(hostile_site: Path) -> None:
    for page in html_files(hostile_site):
        markup = parse(page)
        for tag, attrs in markup.elements:
            assert not [name for name in attrs if name.startswith("on")], (page, tag, attrs)
            for name in ("href", "src", "action", "formaction"):
                assert not attrs.get(name, "").strip().lower().startswith("javascript:"), (page, tag, attrs)
            assert "tracker.invalid" not in attrs.get("src", ""), (page, tag, attrs)
        assert not any("alert(" in script for script in markup.scripts), page
        for block in markup.data_blocks:
            assert "<" not in block and json.loads(block), page


def test_hostile_values_are_shown_as_the_literal_text_they_are(hostile_site: Path) -> None:
    pages = {
        "indicator": hostile_site / "indicators/asb-calls-101/index.html",
        "priority": hostile_site / "priorities/violence/index.html",
        "investments chart": hostile_site / "plan/investments/index.html",
        "successes": hostile_site / "plan/successes/index.html",
        "dataset": hostile_site / "data/community-safety-plan/index.html",
    }
    for name, page in pages.items():
        text = " ".join(" ".join(parse(page).text).split())
        for value in HOSTILE:
            assert " ".join(value.split()) in text, (name, value)
        assert "1337" not in text, f"{name}: a template tag in data was evaluated"
        assert "looplooploop" not in text, f"{name}: a template block in data was run"


def test_the_page_title_and_description_hold_the_text_not_markup(hostile_site: Path) -> None:
    markup = parse(hostile_site / "data/community-safety-plan/index.html")
    titles = [tag for tag, _ in markup.elements if tag == "title"]
    descriptions = [attrs["content"] for tag, attrs in markup.elements if tag == "meta" and attrs.get("name") == "description"]
    assert titles == ["title"]
    assert descriptions and "</title><script>" in descriptions[0] and "onmouseover=" in descriptions[0]
