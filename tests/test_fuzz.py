"""Whatever bytes and descriptors a publisher supplies, validation ends in one of two ways:
a valid dataset, or problem records. Never an exception, never a network request.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.checks.raw_csv import Dialect, may_have_spaces_or_nul
from generator.checks.validate import validate_package
from generator.config import Config
from generator.problems.records import Problem

FIELDS = [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}, {"name": "day", "type": "date"}]
GOOD_DESCRIPTOR: dict[str, Any] = {
    "name": "fuzz",
    "licenses": [{"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/"}],
    "resources": [{"name": "table", "path": "data/table.csv", "schema": {"fields": FIELDS, "primaryKey": ["id"]}}],
}
GOOD_CSV = b"id,name,day\n1,Bow,2024-01-31\n2,Mile End,2024-02-29\n"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
csv_cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["1", "-7", "2024-01-31", "", " x ", '"', "a,b", "\r\n", "14,768", "69%"]
)
csv_texts = st.lists(st.lists(csv_cells, min_size=0, max_size=4), max_size=6).map(
    lambda rows: "".join(",".join(row) + "\n" for row in [["id", "name", "day"], *rows]).encode("utf-8")
)
descriptor_paths = st.sampled_from(
    [
        ["name"],
        ["resources"],
        ["resources", 0],
        ["resources", 0, "name"],
        ["resources", 0, "path"],
        ["resources", 0, "schema"],
        ["resources", 0, "schema", "fields"],
        ["resources", 0, "schema", "fields", 0],
        ["resources", 0, "schema", "fields", 0, "type"],
        ["resources", 0, "schema", "primaryKey"],
        ["resources", 0, "schema", "foreignKeys"],
        ["resources", 0, "dialect"],
        ["resources", 0, "encoding"],
        ["resources", 0, "format"],
        ["resources", 0, "profile"],
        ["profile"],
        ["licenses"],
        ["x-profile"],
    ]
)


@pytest.fixture(scope="module")
def package() -> Iterator[tuple[Path, Config]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "datasets/fuzz/data").mkdir(parents=True)
        (root / "schemas").mkdir()
        yield root / "datasets/fuzz", Config.for_project(root)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: socket.socket, address: object) -> None:
        raise AssertionError(f"validation tried to connect to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def outcome(folder: Path, config: Config, descriptor: bytes, content: bytes) -> None:
    (folder / "datapackage.json").write_bytes(descriptor)
    (folder / "data/table.csv").write_bytes(content)
    problems, dataset = validate_package(folder, config)
    assert all(isinstance(p, Problem) and p.file and p.code and p.fix for p in problems)
    assert (dataset is None) == any(p.severity == "error" for p in problems)


def with_value(descriptor: dict[str, Any], path: list[str | int], value: object) -> dict[str, Any]:
    changed = json.loads(json.dumps(descriptor))
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))  # FUZZ_EXAMPLES=2000 to search harder
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@SETTINGS
@given(content=st.binary(max_size=200))
def test_random_bytes_as_a_csv_file(package: tuple[Path, Config], content: bytes) -> None:
    outcome(*package, json.dumps(GOOD_DESCRIPTOR).encode(), content)


@SETTINGS
@given(content=csv_texts)
def test_random_csv_text(package: tuple[Path, Config], content: bytes) -> None:
    outcome(*package, json.dumps(GOOD_DESCRIPTOR).encode(), content)


@SETTINGS
@given(descriptor=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_random_descriptors(package: tuple[Path, Config], descriptor: bytes) -> None:
    outcome(*package, descriptor, GOOD_CSV)


@SETTINGS
@example(path=["resources", 0, "schema", "fields"], value=1)  # once crashed the constraint check
@given(path=descriptor_paths, value=json_values)
def test_a_valid_descriptor_with_one_value_replaced_by_anything(package: tuple[Path, Config], path: list[str | int], value: object) -> None:
    outcome(*package, json.dumps(with_value(GOOD_DESCRIPTOR, path, value)).encode(), GOOD_CSV)


def test_the_unchanged_package_is_valid(package: tuple[Path, Config]) -> None:
    folder, config = package
    (folder / "datapackage.json").write_text(json.dumps(GOOD_DESCRIPTOR))
    (folder / "data/table.csv").write_bytes(GOOD_CSV)
    problems, dataset = validate_package(folder, config)
    assert problems == [] and dataset is not None and len(dataset.tables[0].rows) == 2


cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=6) | st.sampled_from([" a", "a ", "\ta", "a\n", "\r\na", "\xa0", "a,b ", ' "q" ', "\x00"])


@SETTINGS
@example(rows=[[" a", "b"]], ending="\n")
@example(rows=[["a", "b\n"]], ending="\r\n")
@given(rows=st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=5), ending=st.sampled_from(["\n", "\r\n", "\r"]))
def test_the_quick_look_for_spaces_never_misses_a_cell_with_them(rows: list[list[str]], ending: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=ending).writerows(rows)
    text = buffer.getvalue()
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    if any("\x00" in cell or cell != cell.strip() for row in parsed for cell in row):
        assert may_have_spaces_or_nul(text), text


@SETTINGS
@given(
    rows=st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=5),
    ending=st.sampled_from(["\n", "\r\n"]),
    delimiter=st.sampled_from([";", "\t", "|", ","]),
    quote=st.sampled_from(['"', "'"]),
)
def test_the_quick_look_for_spaces_never_misses_a_cell_with_them_in_any_dialect(rows: list[list[str]], ending: str, delimiter: str, quote: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=ending, delimiter=delimiter, quotechar=quote).writerows(rows)
    text = buffer.getvalue()
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quote))
    if any("\x00" in cell or cell != cell.strip() for row in parsed for cell in row):
        assert may_have_spaces_or_nul(text, Dialect(delimiter=delimiter, quote_char=quote)), text


dialect_values = st.sampled_from([",", ";", "\t", '"', "'", "\\", "#", "\n", "\r", " ", "", "ab"]) | st.booleans() | st.none() | st.integers()
dialects = st.dictionaries(
    st.sampled_from(["delimiter", "quoteChar", "doubleQuote", "escapeChar", "skipInitialSpace", "header", "commentChar", "lineTerminator", "headerRows"]),
    dialect_values,
    max_size=5,
)


@SETTINGS
@given(
    dialect=dialects,
    encoding=st.sampled_from([None, "utf-8", "latin-1", "utf-16", "cp1252", "utf-8-sig", "rot13", "nope"]),
    content=csv_texts | st.binary(max_size=60),
)
def test_any_dialect_and_encoding_give_problems_never_an_exception(
    package: tuple[Path, Config], dialect: dict[str, Any], encoding: str | None, content: bytes
) -> None:
    resource = {**GOOD_DESCRIPTOR["resources"][0], "dialect": dialect, **({"encoding": encoding} if encoding else {})}
    outcome(*package, json.dumps({**GOOD_DESCRIPTOR, "resources": [resource]}).encode(), content)
