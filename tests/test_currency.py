"""Money is shown in the currency the project configures (``extra: currency`` in mkdocs.yml),
never an assumed one: unset, amounts say their currency is not stated and the build warns."""

from __future__ import annotations

import re
from pathlib import Path

from generator.config import Config
from generator.model import urls
from generator.pipeline import assemble
from tests.conftest import copy_project

PACKAGE = Path("datasets/community-safety-performance/data/indicators.csv")
INDICATOR = "knife-crimes"


def measured_in_money(project: Path, currency: str | None) -> Path:
    """The project with one indicator in the unit ``currency`` and the given ``extra: currency``
    block (``None``: none at all)."""
    indicators = project / PACKAGE
    text, count = re.subn(rf"^({INDICATOR},(?:[^,]*,){{5}})count,", r"\1currency,", indicators.read_text(encoding="utf-8"), flags=re.M)
    assert count == 1
    indicators.write_text(text, encoding="utf-8")
    mkdocs = project / "mkdocs.yml"
    settings, count = re.subn(r"^  currency:\n(    .*\n)+", currency or "", mkdocs.read_text(encoding="utf-8"), flags=re.M)
    assert count == 1
    mkdocs.write_text(settings, encoding="utf-8")
    return project


def indicator_page(project: Path) -> tuple[str, list[str]]:
    """The indicator's generated page and the codes of the build's problems."""
    assembly = assemble(Config.for_project(project))
    return str(assembly.files[urls.indicator_page(INDICATOR)]), [p.code for p in assembly.problems]


def test_amounts_are_written_in_the_configured_currency(tmp_path: Path) -> None:
    project = measured_in_money(copy_project(tmp_path), '  currency:\n    symbol: "€"\n    name: Euros\n')
    page, problems = indicator_page(project)
    assert "€741" in page and "Euros" in page
    assert "£" not in page and "Pounds sterling" not in page
    assert "currency-not-stated" not in problems


def test_without_a_currency_amounts_say_so_and_the_build_warns(tmp_path: Path) -> None:
    project = measured_in_money(copy_project(tmp_path), None)
    page, problems = indicator_page(project)
    assert "741 (currency not stated)" in page and "Money (currency not stated)" in page
    assert "£" not in page
    assert "currency-not-stated" in problems
