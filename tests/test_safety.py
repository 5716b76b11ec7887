"""Never destroy, never leak: the output folder guard, settings, interrupts (issue 10)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import cli
from generator.cli import main
from generator.write import SITE_MARKER
from tests.conftest import copy_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def listing(folder: Path) -> list[tuple[str, int]]:
    """Every path under ``folder`` with its size: what a refused build must leave as it was."""
    found = [(p.relative_to(folder).as_posix(), p.lstat().st_size if not p.is_dir() else 0) for p in sorted(folder.rglob("*"))]
    assert found
    return found


def build(project: Path, *options: str) -> int:
    return main(["build", "--project", str(project), *options])


@pytest.mark.parametrize("site", [".", "datasets", "site_src", "schemas", "mkdocs.yml", "datasets/seed", "..", "unrelated"])
def test_a_site_folder_that_is_not_a_built_site_is_refused_before_anything_is_touched(site: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "unrelated").mkdir()
    (project / "unrelated" / "notes.txt").write_text("mine")
    before = listing(project.parent)
    assert build(project, "--site", str(project / site)) == 2
    err = capsys.readouterr().err
    assert "refusing to publish into" in err and "Nothing was touched" in err and "--site" in err, err
    assert "Traceback" not in err
    assert listing(project.parent) == before


def test_the_root_of_the_file_system_is_refused_without_touching_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(os.listdir("/")), listing(project)
    for command in ("build", "serve"):
        assert main([command, "--project", str(project), "--site", "/"]) == 2
        assert "refusing to publish into /" in capsys.readouterr().err
    assert (sorted(os.listdir("/")), listing(project)) == before


def test_a_file_and_a_home_folder_are_refused(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a-file").write_text("x")
    assert build(project, "--site", str(tmp_path / "a-file")) == 2
    assert "it is a file" in capsys.readouterr().err
    home = tmp_path / "home"
    (home / "empty").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    assert build(project, "--site", str(home)) == 2
    assert f"it holds {home}" in capsys.readouterr().err


def test_a_work_folder_beside_the_site_that_holds_other_files_is_refused(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out" / ".build").mkdir(parents=True)
    (tmp_path / "out" / ".build" / "thesis.tex").write_text("years of work")
    assert build(project, "--site", str(tmp_path / "out" / "site")) == 2
    assert "thesis.tex" in capsys.readouterr().err
    assert (tmp_path / "out" / ".build" / "thesis.tex").read_text() == "years of work"
    assert not (tmp_path / "out" / "site").exists()


def test_a_built_site_is_marked_and_rebuilt_in_place_and_an_empty_folder_is_accepted(project: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(project, "--site", str(empty)) == 0
    assert (empty / SITE_MARKER).is_file() and (empty / "index.html").is_file()
    assert build(project, "--site", str(empty), "--force") == 0
    assert build(project) == 0
    assert (project / "site" / SITE_MARKER).is_file()
    assert build(project, "--force") == 0


def test_a_site_built_before_the_marker_is_replaced_only_at_the_default_place(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(project) == 0
    (project / "site" / SITE_MARKER).unlink()  # as the previous version of the generator left it
    elsewhere = tmp_path / "elsewhere"
    os.rename(project / "site", elsewhere)
    assert build(project, "--site", str(elsewhere), "--force") == 2
    assert "no .opendata-site.json marker" in capsys.readouterr().err
    os.rename(elsewhere, project / "site")
    assert build(project, "--force") == 0
    assert (project / "site" / SITE_MARKER).is_file()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SITE_URL", "https://data.example.org/with space"),
        ("SITE_URL", 'https://data.example.org/"'),
        ("SITE_URL", "data.example.org"),
        ("SITE_URL", "javascript:alert(1)"),
        ("SITE_URL", "https://"),
        ("SOURCE_DATE_EPOCH", "yesterday"),
        ("SOURCE_DATE_EPOCH", "1.5"),
        ("SOURCE_DATE_EPOCH", "-1"),
        ("SOURCE_DATE_EPOCH", "253402300800"),
    ],
)
def test_a_malformed_setting_is_a_usage_error_naming_it(
    variable: str, value: str, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    for command in ("validate", "build"):
        assert main([command, "--project", str(project)]) == 2
        err = capsys.readouterr().err
        assert f"the environment variable {variable} is {value!r}" in err, err
        assert "Traceback" not in err
    assert not (project / "site").exists()


def test_ctrl_c_exits_130_saying_nothing_was_published(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run", interrupted)
    assert main(["build", "--project", str(project)]) == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing was published" in err
