"""The builder stays replaceable: Zensical (Material for MkDocs' successor, pinned in the test
extra) builds the generated pages too, and every page exists with the same title and the same
figures as in the MkDocs build. What only MkDocs does (the pre-rendered blocks, the plugin that
hides figures from search) degrades to plain Markdown and HTML comments, never a broken page."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

from generator.config import Config
from generator.model import urls
from generator.pipeline import BuildResult, assemble
from generator.site import publish, write
from tests.conftest import ROOT, html_files

pytest.importorskip("zensical", reason="Zensical is not installed: pip install -e '.[test]' installs the pinned version")


def _build_with_zensical(folder: Path) -> Path:
    """The assembled docs and the hand-written assets, built by Zensical from the project's
    mkdocs.yml; Zensical wants its folders relative to the configuration file."""
    config = Config.for_project(ROOT, site_dir=folder / "unused")
    write.copy_tree(config.site_src_dir / publish.SOURCE_DOCS, folder / "docs", skip_suffix=".md")
    write.write_files(folder / "docs", assemble(config).files)
    shutil.copytree(config.site_src_dir / "overrides", folder / "overrides")
    settings = yaml_load(config.mkdocs_text)
    settings.update(docs_dir="docs", site_dir="site", not_in_nav=urls.NOT_IN_NAV)  # as the generator gives MkDocs
    settings["theme"]["custom_dir"] = "overrides"
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    command = [sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"]
    built = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    return folder / "site"


def _page(html: str) -> tuple[str, list[str], list[str]]:
    """The page's title, the ids of its figures, and the captions of its tables."""
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    figures = re.findall(r'<figure[^>]*\bid="([^"]*)"', html)
    captions = [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<caption>(.*?)</caption>", html, re.DOTALL)]
    return (title.group(1).strip() if title else ""), figures, captions


def test_zensical_builds_every_page_with_the_same_title_and_figures(built_site: BuildResult, tmp_path: Path) -> None:
    zensical = _build_with_zensical(tmp_path)
    mkdocs_pages = {p.relative_to(built_site.site_dir).as_posix() for p in html_files(built_site.site_dir)}
    zensical_pages = {p.relative_to(zensical).as_posix() for p in html_files(zensical)}
    assert mkdocs_pages - zensical_pages == set(), "pages Zensical did not build"
    figures = 0
    for name in sorted(mkdocs_pages):
        expected = _page((built_site.site_dir / name).read_text(encoding="utf-8"))
        found_html = (zensical / name).read_text(encoding="utf-8")
        assert _page(found_html) == expected, name
        figures += len(expected[1])
        assert "&lt;!--" not in found_html, f"{name}: a mark of a pre-rendered block shows as text"
    assert figures > 10, "the comparison saw the charts"
