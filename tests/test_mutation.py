"""Real packages, edited the way people get them wrong: no edit ever gives an internal error or
a traceback, ``validate`` and ``build`` always agree, and a refused build never changes ``site/``.

Each example copies the project's real packages, applies one edit (a cell, a descriptor value,
a name, a file), then runs ``validate`` and ``build`` in process, as the CLI would.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.cli import main
from tests.conftest import ROOT, copy_project

EXIT_OK, EXIT_PROBLEMS = 0, 1
EXAMPLES = max(10, int(os.environ.get("FUZZ_EXAMPLES", "150")) // 5)  # each example may build a site: a fifth of the fuzz budget

HOSTILE_CELLS = [
    "",
    " ",
    "NaN",
    "Infinity",
    "-inf",
    "1e400",
    "-5",
    "0.74",
    "14,768",
    "69%",
    "£3m",
    "2019-13-45",
    "01/04/2019",
    "=1+1",
    "../../etc/passwd",
    "a/b",
    ".hidden",
    "x" * 300,
    '"',
    "\xa0",
    "\x00",
    "<script>alert(1)</script>",
    "knife-crime",
    "true",
]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.sampled_from(HOSTILE_CELLS),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["name", "path", "type", "fields", "x"]), children, max_size=3),
    max_leaves=6,
)


def tree_digest(folder: Path) -> str:
    """One digest of every file's path and bytes under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file() and not path.is_symlink():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def packages(datasets: Path) -> list[Path]:
    found = sorted(p for p in datasets.iterdir() if (p / "datapackage.json").is_file())
    assert found, "the project has packages to mutate"
    return found


def csv_files(datasets: Path) -> list[Path]:
    found = sorted(datasets.rglob("*.csv"))
    assert found
    return found


def edit_cell(datasets: Path, data: st.DataObject) -> str:
    """One cell of one CSV file replaced (quoted as a spreadsheet would when it must be)."""
    file = data.draw(st.sampled_from(csv_files(datasets)))
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    row = data.draw(st.integers(0, len(lines) - 1))
    cells = lines[row].rstrip("\r\n").split(",")
    column = data.draw(st.integers(0, len(cells) - 1))
    value = data.draw(st.sampled_from(HOSTILE_CELLS))
    cells[column] = f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"\n') else value
    lines[row] = ",".join(cells) + "\n"
    file.write_text("".join(lines), encoding="utf-8")
    return f"{file.name}:{row + 1}:{column + 1} = {value!r}"


def _paths(value: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def edit_descriptor(datasets: Path, data: st.DataObject) -> str:
    """One value anywhere in one descriptor replaced by another, or removed."""
    file = data.draw(st.sampled_from(packages(datasets))) / "datapackage.json"
    descriptor = json.loads(file.read_text(encoding="utf-8"))
    path = data.draw(st.sampled_from([p for p in _paths(descriptor) if p]))
    parent = descriptor
    for key in path[:-1]:
        parent = parent[key]
    if data.draw(st.booleans(), label="remove"):
        del parent[path[-1]]
        change = "removed"
    else:
        parent[path[-1]] = data.draw(JSON_VALUES)
        change = f"= {parent[path[-1]]!r}"
    file.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return f"{file.parent.name}:{'/'.join(map(str, path))} {change}"


def edit_name(datasets: Path, data: st.DataObject) -> str:
    """A package folder, or a resource name, renamed to something odd."""
    package = data.draw(st.sampled_from(packages(datasets)))
    new = data.draw(st.sampled_from(["a b", ".hidden", "x" * 120, "UPPER", "with.dot", "all-data", "datapackage", "releases", "ümlaut"]))
    if data.draw(st.booleans(), label="folder"):
        package.rename(datasets / new)
        return f"folder {package.name} -> {new!r}"
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    index = data.draw(st.integers(0, len(descriptor["resources"]) - 1))
    descriptor["resources"][index]["name"] = new
    (package / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return f"{package.name} resource {index} named {new!r}"


def edit_file(datasets: Path, data: st.DataObject) -> str:
    """A CSV file removed, emptied, cut short, or replaced by a link."""
    file = data.draw(st.sampled_from(csv_files(datasets)))
    how = data.draw(st.sampled_from(["remove", "empty", "truncate", "link-out", "link-loop"]))
    content = file.read_bytes()
    file.unlink()
    if how == "empty":
        file.write_bytes(b"")
    elif how == "truncate":
        file.write_bytes(content[: data.draw(st.integers(1, max(1, len(content) - 1)))])
    elif how == "link-out":
        file.symlink_to("/etc/hostname")
    elif how == "link-loop":
        file.symlink_to(file.name)
    return f"{file.name}: {how}"


EDITS: dict[str, Callable[[Path, st.DataObject], str]] = {"cell": edit_cell, "descriptor": edit_descriptor, "name": edit_name, "file": edit_file}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with its site built once."""
    root = copy_project(tmp_path_factory.mktemp("mutation"))
    assert main(["build", "--project", str(root)]) == EXIT_OK
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # each failure names its edit; shrinking whole builds takes minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edit=st.sampled_from(sorted(EDITS)), data=st.data())
def test_no_edit_of_a_real_package_crashes_and_a_refused_build_keeps_the_site(
    project: Path, capsys: pytest.CaptureFixture[str], edit: str, data: st.DataObject
) -> None:
    datasets = project / "datasets"
    shutil.rmtree(datasets)
    shutil.copytree(ROOT / "datasets", datasets)
    what = EDITS[edit](datasets, data)
    before = tree_digest(project / "site")
    validated, validate_text = run(capsys, "validate", "--project", str(project))
    built, build_text = run(capsys, "build", "--project", str(project))
    for text in (validate_text, build_text):
        assert "Traceback" not in text and "internal error" not in text, f"{what}\n{text}"
    assert validated in (EXIT_OK, EXIT_PROBLEMS), f"{what}\n{validate_text}"
    assert built == validated, f"validate and build disagree on {what}:\n{validate_text}\n{build_text}"
    if built == EXIT_PROBLEMS:
        assert tree_digest(project / "site") == before, f"a refused build changed the site: {what}"
