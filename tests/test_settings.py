"""Settings in one typed place: each ``Config`` field is declared once in ``SETTINGS``, with its
source, default and meaning, and the README documents every one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator.config import SETTINGS, Config
from generator.pipeline import build_site
from tests.conftest import ROOT, copy_project


def test_every_field_of_the_config_is_declared_once_as_a_setting() -> None:
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names)), "a setting is declared twice"
    assert sorted(names) == sorted(f.name for f in dataclasses.fields(Config))
    for setting in SETTINGS:
        assert setting.source and setting.default and setting.doc, setting.name


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Settings\n", 1)[1].split("\n## ", 1)[0]
    assert SETTINGS
    for setting in SETTINGS:
        assert f"| `{setting.name}` | {setting.source} | {setting.default} | {setting.doc} |" in section, setting.name


def test_mkdocs_yml_is_read_once_so_the_generator_and_mkdocs_cannot_disagree(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = Config.for_project(project, site_dir=tmp_path / "site")
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace(f"site_name: {config.site_name}", "site_name: Changed mid-build"), encoding="utf-8")
    assert "Changed mid-build" in mkdocs.read_text(encoding="utf-8")
    build_site(config)
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert config.site_name and f"<title>Home - {config.site_name}</title>" in home
    assert "Changed mid-build" not in home
