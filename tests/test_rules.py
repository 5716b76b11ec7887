"""The published list of checks is complete: every problem code a check can report is on it."""

from __future__ import annotations

import html
import re

from generator.build import BuildResult
from generator.rules import CODES, RULES
from tests.conftest import ROOT
from tests.test_fixtures import CASES, FIXTURES

CODE_LITERAL = re.compile(r'(?:Problem|problem|warn)\(\s*"([a-z0-9-]+)"')


def test_every_code_the_generator_reports_is_a_published_rule() -> None:
    reported = {code for source in (ROOT / "generator").glob("*.py") for code in CODE_LITERAL.findall(source.read_text(encoding="utf-8"))}
    assert len(reported) > 30
    assert reported - CODES == set()


def test_every_code_in_the_corpus_of_bad_inputs_is_a_published_rule() -> None:
    found = {line.rsplit("[", 1)[1].rstrip("]") for case in CASES for line in (FIXTURES / case / "expected.txt").read_text().splitlines()}
    assert found - CODES == set()


def test_codes_are_unique() -> None:
    assert len(CODES) == len(RULES)


def test_the_about_page_publishes_every_rule_and_the_download_policy(built_site: BuildResult) -> None:
    page = " ".join(html.unescape((built_site.site_dir / "about/index.html").read_text(encoding="utf-8")).split())
    for rule in RULES:
        assert f'<th scope="row">{rule.code}</th>' in page, rule.code
    assert "Nothing is altered silently" in page
    assert "never as a formula" in page
