"""Generated Markdown, compared with committed golden files.

Regenerate them after an intended change with:  UPDATE_GOLDEN=1 scripts/test tests/test_golden.py
"""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.build import generated_files
from generator.config import Config
from generator.model import INDICATOR_PROFILE, build_indicator_set
from generator.pages import SiteData
from generator.validate import validate_all
from tests.conftest import ROOT

GOLDEN = Path(__file__).parent / "golden"


def current_pages() -> dict[str, str]:
    config = dataclasses.replace(Config.for_project(ROOT), updated=datetime(2023, 11, 14, tzinfo=UTC))
    result = validate_all(config)
    indicator_sets = tuple(build_indicator_set(d) for d in result.datasets if d.profile == INDICATOR_PROFILE)
    site = SiteData(result.datasets, indicator_sets, config.updated, publisher=config.publisher)
    return {name: content for name, content in generated_files(site, config).items() if isinstance(content, str)}


PAGES = current_pages()


def test_golden_files_match_the_pages_exactly() -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for name, content in PAGES.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(content, encoding="utf-8")
    expected = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md"))
    assert expected == sorted(PAGES), "pages added or removed: regenerate the golden files"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matches_golden(name: str) -> None:
    assert PAGES[name] == (GOLDEN / name).read_text(encoding="utf-8")


def test_rendering_twice_gives_identical_pages() -> None:
    assert current_pages() == PAGES
