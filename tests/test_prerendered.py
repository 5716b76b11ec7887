"""Pre-rendered blocks: the same HTML as Markdown would give, and figures kept out of search."""

from __future__ import annotations

import json
import re

import markdown
from markupsafe import Markup

from generator.pipeline import BuildResult
from generator.render.prerendered import MARK, PreRendered, block

TABLE = Markup('<div class="table-wrap"><table><caption>Figures</caption> <tbody><tr><th scope="row">2024</th> <td>14&#44;768</td></tr></tbody></table></div>')
PAGE = "# Title\n\nSome *text*.\n\n{}\n\n- a list\n"


def html(source: str, *, extension: bool) -> str:
    return markdown.markdown(source, extensions=[PreRendered()] if extension else [])


def test_a_marked_block_gives_exactly_the_html_markdown_gives_for_it_unmarked() -> None:
    assert html(PAGE.format(block(TABLE)), extension=True) == html(PAGE.format(TABLE), extension=False)


def test_several_blocks_on_their_own_lines_are_each_marked() -> None:
    two = block(Markup("\n\n").join([TABLE, TABLE]))
    assert [line.startswith(MARK) for line in two.split("\n")] == [True, False, True]
    assert html(PAGE.format(two), extension=True) == html(PAGE.format(f"{TABLE}\n\n{TABLE}"), extension=False)


def test_a_block_that_is_not_searched_shows_the_same() -> None:
    assert html(PAGE.format(block(TABLE, searched=False)), extension=True).replace("<!--not-searched-->", "").replace("<!--/not-searched-->", "") == html(
        PAGE.format(TABLE), extension=False
    )


def test_a_mark_that_does_not_start_a_line_is_only_a_comment() -> None:
    source = f"Text before {block(Markup('<b>bold</b>'))} and after."
    assert html(source, extension=True) == html(source, extension=False)
    assert "<b>bold</b>" in html(source, extension=True)


def test_nothing_marks_nothing() -> None:
    assert block(Markup("")) == ""


def search_index(built: BuildResult) -> list[dict[str, str]]:
    return json.loads((built.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]  # type: ignore[no-any-return]


def test_search_finds_an_indicator_by_its_words_but_not_its_chart_or_tables_of_figures(built_site: BuildResult) -> None:
    entries = {entry["location"]: entry for entry in search_index(built_site)}
    page = built_site.site_dir / "indicators" / "knife-crimes" / "index.html"
    content = page.read_text(encoding="utf-8")
    assert '<figure class="chart"' in content and "<caption>Dates of each period" in content, "the page still shows them"
    assert "not-searched" not in content, "no marks are left in the page"
    assert "Number of knife crimes" in entries["indicators/knife-crimes/"]["text"]
    assert entries["indicators/knife-crimes/#figures"]["text"] == ""
    assert entries["indicators/knife-crimes/#periods"]["text"] == ""
    assert "Lower is better" in entries["indicators/knife-crimes/#about-this-indicator"]["text"]


def test_search_keeps_the_cells_of_an_indexed_table_apart(built_site: BuildResult) -> None:
    texts = " ".join(entry["text"] for entry in search_index(built_site) if entry["location"].startswith("data/community-safety-plan/"))
    assert "plan_id string Yes" in texts
    assert not re.search(r"[a-z]string(Yes|No)", texts)
