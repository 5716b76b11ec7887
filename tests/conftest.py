"""Shared fixtures: the project root, and one real build of the site for the whole session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import BuildResult, build_site
from generator.config import Config

ROOT = Path(__file__).resolve().parents[1]
FIXED_EPOCH = "1700000000"  # 14 November 2023: builds in tests are reproducible


@pytest.fixture(scope="session", autouse=True)
def _fixed_build_date() -> Iterator[None]:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    yield
    if previous is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = previous


def copy_project(destination: Path) -> Path:
    """A copy of the project's inputs (not its venv or site), to build or break in isolation."""
    for name in ("datasets", "site_src", "schemas"):
        shutil.copytree(ROOT / name, destination / name)
    shutil.copy(ROOT / "mkdocs.yml", destination / "mkdocs.yml")
    return destination


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real datasets built once into a temporary site folder."""
    site = tmp_path_factory.mktemp("built") / "site"
    return build_site(Config.for_project(ROOT, site_dir=site))


def html_files(site: Path) -> list[Path]:
    """Every HTML page of a built site; fails if there are none, so loops never pass vacuously."""
    pages = sorted(site.rglob("*.html"))
    assert pages, f"no HTML pages under {site}"
    return pages
