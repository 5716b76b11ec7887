"""A hand-written page whose template fails when it runs is a problem located on the page, never
an internal error: the build stops with exit 1 and names the page and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import copy_project

BROKEN_PAGES = {
    "division by zero": ("Intro\n\nThe ratio is {{ 1 / 0 }}.\n", 3, "ZeroDivisionError"),
    "a macro calling itself": ("{% macro down(n) %}{{ down(n + 1) }}{% endmacro %}\nTitle\n\n{{ down(1) }}\n", 1, "RecursionError"),
    "an undefined helper": ("Title\n\n{{ no_such_helper('community-safety-plan') }}\n", 3, "no_such_helper"),
    "a helper given a missing table": ('Title\n\n{{ table("community-safety-plan", "no-such-table") }}\n', 3, "no-such-table"),
    "a total of per-year and other amounts": ('Title\n\n{{ total("community-safety-plan", "investments", "amount_gbp") }}\n', 3, "would add unlike amounts"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_PAGES))
def test_a_page_whose_template_fails_is_a_located_problem(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, line, words = BROKEN_PAGES[case]
    project = copy_project(tmp_path)
    (project / "site_src" / "docs" / "broken.md").write_text(source, encoding="utf-8")
    code = main(["build", "--project", str(project), "--site", str(tmp_path / "site")])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 1, text
    assert f"site_src/docs/broken.md:{line} [page-template]" in text
    assert words in text and "Fix:" in text
    assert "Traceback" not in text and "internal error" not in text.lower()
    assert not (tmp_path / "site").exists()
