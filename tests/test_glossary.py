"""Abbreviations explained: the glossary (data) expands each term at its first use on every page,
marked up with ``<abbr>``, never inside links, headings, code or attribute values; a built page
whose visible text holds an all-capitals word the glossary does not explain fails."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from generator.pipeline import BuildResult
from generator.render.glossary import Term, expand
from tests.conftest import ROOT, Served, html_files

ASB = Term("ASB", "anti-social behaviour", "Behaviour that causes harassment, alarm or distress.", "")
YTD = Term("YTD", "year to date", "From the start of the year.", "")
OP = Term("Op Continuum", "Operation Continuum", "A police operation.", "")
RESET = Term("RESET", "RESET", "A service's name.", "")
TERMS = (ASB, YTD, OP, RESET)

# All-capitals words a page may show that are not abbreviations to explain, each with its reason.
NOT_ABBREVIATIONS = {
    "YYYY": "the pattern of a date in the publishers' guide (YYYY-MM-DD), shown as written",
    "MM": "the pattern of a date in the publishers' guide (YYYY-MM-DD), shown as written",
    "DD": "the pattern of a date in the publishers' guide (YYYY-MM-DD), shown as written",
}
CAPITALS = re.compile(r"(?<![\w-])[A-Z]{2,}[a-z]{0,2}(?![\w])")
SKIPPED = {"script", "style", "svg", "template"}
NOT_RUNNING_TEXT = {"a", "abbr", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "button", "script", "style", "svg", "title", "nav", "header", "footer"}


def test_first_use_is_expanded_and_marked_up_later_uses_are_not() -> None:
    page = expand("ASB is down. ASB calls too.\n", TERMS)
    assert page == 'Anti&#45;social behaviour (<abbr title="anti&#45;social behaviour">ASB</abbr>) is down. ASB calls too.\n'


def test_nothing_but_running_text_is_touched() -> None:
    source = "\n".join(
        [
            "---",
            "title: ASB",
            "---",
            "# ASB figures",
            "See [ASB calls](asb.md) and <a href='x'>ASB</a>, `ASB` in code,",
            '<div aria-label="ASB"><svg><text>ASB</text></svg></div> https://example.org/ASB',
            "```",
            "ASB",
            "```",
            '<div data-glossary="off"><div>ASB as published</div></div>',
            "Then ASB.",
        ]
    )
    lines = expand(source, TERMS).split("\n")
    assert lines[:10] == source.split("\n")[:10]
    assert lines[10] == 'Then anti&#45;social behaviour (<abbr title="anti&#45;social behaviour">ASB</abbr>).'


def test_text_escaped_as_data_is_matched_and_a_page_that_explains_a_term_is_not_repeated() -> None:
    assert expand("(e&#46;g&#46; Op Continuum)", TERMS) == '(e&#46;g&#46; Operation Continuum (<abbr title="Operation Continuum">Op Continuum</abbr>))'
    assert expand("**YTD** (year to date)", TERMS) == '**<abbr title="year to date">YTD</abbr>** (year to date)'
    assert expand("Anti-social behaviour (ASB)", TERMS) == 'Anti-social behaviour (<abbr title="anti&#45;social behaviour">ASB</abbr>)'


def test_a_name_is_listed_but_not_expanded_and_words_containing_a_term_are_left() -> None:
    assert expand("A new RESET service; ASBOS and xASB.", TERMS) == "A new RESET service; ASBOS and xASB."


def _site_terms() -> set[str]:
    with (ROOT / "datasets" / "community-safety-plan" / "data" / "glossary.csv").open(encoding="utf-8", newline="") as file:
        return {row["term"] for row in csv.DictReader(file)}


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("<caption>ASB, inc. drugs</caption>", "<caption>Anti"),
        ("- ASB calls", "- Anti"),
        ("Reports rose. ASB fell", "Reports rose. Anti"),
        ("| ASB | 3 |", "| Anti"),
        ("<td><strong>ASB</strong></td>", "<td><strong>Anti"),
        ("Calls about ASB rose", "Calls about anti"),
        ('<a href="x">link</a> ASB here', '<a href="x">link</a> anti'),
    ],
)
def test_an_expansion_that_starts_a_sentence_starts_with_a_capital(text: str, starts: str) -> None:
    assert expand(text, TERMS).replace("&#45;", "-").startswith(starts)


def test_the_sites_glossary_explains_the_abbreviations_of_the_source() -> None:
    terms = _site_terms()
    needed = {"ASB", "VAWG", "RRT", "MARAC", "THEOs", "CSE", "VCS", "PTF", "DV", "YTD", "Op Continuum", "CSP", "CCTV", "RESET"}
    assert needed <= terms


class _Text(HTMLParser):
    """The visible text of a page, and its running text (with whether each piece is an abbr):
    the text of the content that is not a link, heading, code, or data shown as published."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []  # (tag, marked data-glossary="off")
        self.visible: list[str] = []
        self.running: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area"}:
            self.stack.append((tag, ("data-glossary", "off") in attrs))

    def handle_endtag(self, tag: str) -> None:
        if any(t == tag for t, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        tags = [t for t, _ in self.stack]
        if any(t in SKIPPED for t in tags):
            return
        self.visible.append(data)
        if "article" in tags and not any(off for _, off in self.stack):
            inside_abbr = tags[-1] == "abbr"
            if inside_abbr or not any(t in NOT_RUNNING_TEXT for t in tags):
                self.running.append((data, inside_abbr))


def _read(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def glossary_terms() -> set[str]:
    return _site_terms()


def test_every_all_capitals_word_on_every_built_page_is_in_the_glossary(built_site: BuildResult, glossary_terms: set[str]) -> None:
    unexplained: dict[str, set[str]] = {}
    pages = html_files(built_site.site_dir)
    for page in pages:
        for word in CAPITALS.findall(" ".join(_read(page).visible)):
            known = word in glossary_terms or word.rstrip("s") in glossary_terms or word in NOT_ABBREVIATIONS
            if not known and not any(t.startswith(word) for t in glossary_terms):  # SHA of SHA-256, UTF of UTF-8, ISO of ISO 8601
                unexplained.setdefault(word, set()).add(page.relative_to(built_site.site_dir).as_posix())
    assert len(pages) > 20
    assert not unexplained, f"all-capitals words the glossary does not explain: {unexplained}"


def test_each_abbreviation_is_an_abbr_at_its_first_use_in_running_text_on_every_page(built_site: BuildResult, glossary_terms: set[str]) -> None:
    abbreviations = {t for t in glossary_terms if t.isupper() or t in {"THEOs", "Op Continuum"}} - {"RESET", "NUL", "YAML", "AA", "UTF-8", "ISO 8601"}
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in sorted(abbreviations, key=len, reverse=True)) + r")(?!\w)")
    wrong: list[str] = []
    checked = 0
    for page in html_files(built_site.site_dir):
        name = page.relative_to(built_site.site_dir).as_posix()
        if name == "glossary/index.html":
            continue
        seen: set[str] = set()
        for text, in_abbr in _read(page).running:
            for match in pattern.finditer(" ".join(text.split())):
                if match.group(1) in seen:
                    continue
                seen.add(match.group(1))
                checked += 1
                if not in_abbr:
                    wrong.append(f"{name}: first {match.group(1)!r} in {text[:80]!r}")
    assert checked > 20
    assert not wrong, "\n".join(wrong)


def test_the_glossary_page_lists_every_term(built_site: BuildResult, glossary_terms: set[str]) -> None:
    text = " ".join(" ".join(_read(built_site.site_dir / "glossary" / "index.html").visible).split())
    assert all(term in text for term in glossary_terms)
    assert "anti-social behaviour" in text and "Tower Hamlets Enforcement Officers" in text


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_a_phone_reader_sees_the_expansion_beside_the_first_abbreviation(browser: Browser, served: Served, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(served.url + "indicators/asb-calls-101/")
    first = page.locator("article abbr").first
    assert first.inner_text() == "ASB" and first.get_attribute("title") == "anti-social behaviour"
    assert first.is_visible()
    assert re.search(r"[Aa]nti-social behaviour \(ASB\)", page.locator("article").inner_text())
    box = first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    page.goto(served.url + "glossary/")
    assert page.locator("article dl.glossary abbr[title='Tower Hamlets Enforcement Officers']").inner_text() == "THEOs"
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the glossary never scrolls sideways
    page.close()
