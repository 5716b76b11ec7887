"""Shared fixtures: the project root, and one real build of the site for the whole session."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from generator.config import Config
from generator.pipeline import BuildResult, build_site

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
FIXED_EPOCH = "1700000000"  # 14 November 2023: builds in tests are reproducible


@pytest.fixture(scope="session", autouse=True)
def _fixed_build_date() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        patch.delenv("SITE_URL", raising=False)  # sites are built for the local preview address
        yield


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


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True)
class Served:
    """A built site and the address it is served at."""

    url: str
    site: Path


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The site built for, and served at, a free port on 127.0.0.1.

    Material's instant navigation only intercepts links under ``site_url``, so the site is
    built with ``SITE_URL`` set to the address it is served from, as CI does when publishing.
    """
    site = tmp_path_factory.mktemp("browser") / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", url)
        build_site(Config.for_project(ROOT, site_dir=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Served(url, site)
    server.shutdown()


def page_paths(served: Served) -> list[str]:
    """The address (relative to the site) of every page of a served site."""
    return [p.relative_to(served.site).as_posix().removesuffix("index.html") for p in html_files(served.site)]


@pytest.fixture(scope="session")
def base_url(served: Served) -> str:
    return served.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "install Debian's chromium (scripts/test does this as root)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()
