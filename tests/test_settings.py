"""Settings in one typed place: each ``Config`` field is declared once in ``SETTINGS``, with its
source, default and meaning, and the README documents every one."""

from __future__ import annotations

import dataclasses

from generator.config import SETTINGS, Config
from tests.conftest import ROOT


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
