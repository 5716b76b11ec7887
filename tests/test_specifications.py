"""Packages the Data Package, Table Schema and CSV Dialect specifications allow are published,
never refused or skipped: CSV files in other dialects, formats and encodings, with a byte-order
mark, in several files or without a schema; descriptors in YAML. Each test validates a real
package (``validate --strict`` exits 0) and checks the downloads made from it; the packages that
must be refused are in ``tests/fixtures/``.
"""

from __future__ import annotations

import functools
import io
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from generator.checks import raw_csv
from generator.checks.validate import validate_all
from generator.cli import main
from generator.config import Config
from generator.outputs import downloads
from generator.pipeline import build_site
from generator.problems.records import Problem, Severity, format_text
from tests.conftest import ROOT, copy_project
from tests.test_fixtures import OGL, fixture_project, page_using_every_resource, validate

VALID = ROOT / "tests" / "valid"
UPDATED = datetime(2024, 1, 1, tzinfo=UTC)
WARDS = {"fields": [{"name": "ward", "type": "string"}, {"name": "year", "type": "integer"}, {"name": "cost", "type": "string"}]}


def package(folder: Path, resource: dict[str, Any], files: dict[str, bytes], descriptor_name: str = "datapackage.json") -> Path:
    """A one-table package ``folder.name``: the resource (``name`` added) and its files."""
    folder.mkdir(parents=True)
    descriptor = {"name": folder.name, "licenses": [OGL], "resources": [{"name": "table", **resource}]}
    text = json.dumps(descriptor, indent=2)
    if descriptor_name != "datapackage.json":
        text = yaml.safe_dump(descriptor)
    (folder / descriptor_name).write_text(text, encoding="utf-8")
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    return folder


def published(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    """The downloads of a package that validates with no problem at all, even under ``--strict``."""
    page = page_using_every_resource(folder) or f'[table]({{{{ csv("{folder.name}", "table") }}}})\n'  # a YAML descriptor: its one table
    project = fixture_project(folder, tmp_path, page)
    code, problems, text = validate(project, capsys, "--strict")
    assert (code, problems) == (0, []), text
    result = validate_all(Config.for_project(project), functools.partial(downloads.dataset_files, updated=UPDATED))
    assert result.files, "the package was published"
    return dict(result.files)


def records(files: dict[str, bytes], name: str, table: str = "table") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(files[f"data/{name}/{table}.json"])
    return rows


def spreadsheet(files: dict[str, bytes], name: str, table: str = "table") -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(files[f"data/{name}/{table}.xlsx"]))
    return list(book.worksheets[0].iter_rows(values_only=True))


# 4. A UTF-8 byte-order mark


def test_a_file_with_a_byte_order_mark_is_published_and_its_first_column_named_without_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = published(VALID / "utf8-bom", tmp_path, capsys)
    original = (VALID / "utf8-bom" / "data" / "crimes.csv").read_bytes()
    assert original.startswith(b"\xef\xbb\xbf")
    assert files["data/utf8-bom/crimes.csv"] == original, "the CSV is published as it is"
    assert list(records(files, "utf8-bom", "crimes")[0]) == ["ward_id", "year", "count"]
    assert spreadsheet(files, "utf8-bom", "crimes")[0] == ("ward_id", "year", "count")


# 1. Dialects and formats


ROWS = [{"ward": "Bow East, north", "year": 2023, "cost": "£3m; capital"}, {"ward": "Spitalfields", "year": 2024, "cost": "none"}]


@pytest.mark.parametrize(
    ("resource", "file", "content"),
    [
        ({"dialect": {"delimiter": ";"}}, "data/table.csv", 'ward;year;cost\nBow East, north;2023;"£3m; capital"\nSpitalfields;2024;none\n'),
        ({}, "data/table.tsv", "ward\tyear\tcost\nBow East, north\t2023\t£3m; capital\nSpitalfields\t2024\tnone\n"),
        ({"format": "csv"}, "data/table.txt", 'ward,year,cost\n"Bow East, north",2023,£3m; capital\nSpitalfields,2024,none\n'),
        ({"format": "tsv"}, "data/table.txt", "ward\tyear\tcost\nBow East, north\t2023\t£3m; capital\nSpitalfields\t2024\tnone\n"),
        ({"dialect": {"quoteChar": "'"}}, "data/table.csv", "ward,year,cost\n'Bow East, north',2023,£3m; capital\nSpitalfields,2024,none\n"),
        ({"dialect": {"skipInitialSpace": True}}, "data/table.csv", 'ward, year, cost\n"Bow East, north", 2023, £3m; capital\nSpitalfields, 2024, none\n'),
        (
            {"dialect": {"commentChar": "#"}},
            "data/table.csv",
            '# Source: the council\nward,year,cost\n"Bow East, north",2023,£3m; capital\nSpitalfields,2024,none\n',
        ),
        (
            {"dialect": {"header": False}, "schema": {"fields": WARDS["fields"]}},
            "data/table.csv",
            '"Bow East, north",2023,£3m; capital\nSpitalfields,2024,none\n',
        ),
        (
            {"dialect": {"doubleQuote": False, "escapeChar": "\\"}},
            "data/table.csv",
            "ward,year,cost\nBow East\\, north,2023,£3m; capital\nSpitalfields,2024,none\n",
        ),
    ],
    ids=["semicolons", "tsv", "txt-declared-csv", "txt-declared-tsv", "single-quotes", "skip-initial-space", "comment-rows", "no-header-row", "escape-char"],
)
def test_a_file_in_another_dialect_or_format_is_read_as_declared(
    resource: dict[str, Any], file: str, content: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = package(tmp_path / "dialects", {"path": file, "schema": WARDS, **resource}, {file: content.encode()})
    files = published(folder, tmp_path, capsys)
    assert records(files, "dialects") == ROWS
    assert files["data/dialects/table.csv"] == content.encode(), "the file is published as it is"
    descriptor = json.loads(files["data/dialects/datapackage.json"])
    assert descriptor["resources"][0]["path"] == "table.csv"
    assert descriptor["resources"][0].get("format", "csv") == raw_csv.table_format({"path": file, **resource}), "read back as the same format"


def test_a_semicolon_file_with_spaces_is_told_about_its_spaces_in_its_own_dialect() -> None:
    content = b"ward;count\nBow East ;3\nBow West;4, 5\n"
    problems = raw_csv.csv_problems(content, "t.csv", raw_csv.Dialect(delimiter=";"))
    assert [(p.row, p.field, p.code) for p in problems] == [(2, "ward", "surrounding-spaces")]


def test_a_spreadsheet_or_json_file_stays_refused_whatever_the_resource_declares(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = package(tmp_path / "xlsx", {"path": "data/table.xlsx", "format": "csv", "schema": WARDS}, {"data/table.xlsx": b"PK\x03\x04"})
    code, problems, _ = validate(fixture_project(folder, tmp_path), capsys)
    assert (code, [p.code for p in problems]) == (1, ["not-csv"])


def test_a_csv_file_declared_as_another_format_is_refused_at_its_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = package(tmp_path / "declared-xlsx", {"path": "data/table.csv", "format": "xlsx", "schema": WARDS}, {"data/table.csv": b"ward\nBow\n"})
    code, problems, _ = validate(fixture_project(folder, tmp_path), capsys)
    assert (code, [f"{p.location} [{p.code}]" for p in problems]) == (1, ["datasets/declared-xlsx/datapackage.json::resources[0].format [not-csv]"])


# 2. A table in several files


def test_a_table_in_several_files_is_published_as_one_csv_with_one_header_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parts = {
        "data/2023.csv": "ward,year,cost\r\nBow East, north,2023,£3m; capital\r\n".replace("Bow East, north", '"Bow East, north"').encode(),
        "data/2024.csv": b"ward,year,cost\r\nSpitalfields,2024,none\r\n",
    }
    folder = package(tmp_path / "parts", {"path": list(parts), "schema": WARDS}, parts)
    files = published(folder, tmp_path, capsys)
    assert records(files, "parts") == ROWS
    assert files["data/parts/table.csv"] == 'ward,year,cost\r\n"Bow East, north",2023,£3m; capital\r\nSpitalfields,2024,none\r\n'.encode()
    descriptor = json.loads(files["data/parts/datapackage.json"])
    assert descriptor["resources"][0]["path"] == "table.csv"
    assert descriptor["resources"][0]["bytes"] == len(files["data/parts/table.csv"])


@pytest.mark.parametrize("repeat_header", [False, True], ids=["later-files-straight-to-rows", "later-files-repeat-the-header"])
def test_later_files_may_or_may_not_repeat_the_header_row(repeat_header: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = b"ward,year,cost\n"
    parts = {
        "data/a.csv": header + '"Bow East, north",2023,£3m; capital\n'.encode(),
        "data/b.csv": (header if repeat_header else b"") + b"Spitalfields,2024,none\n",
        "data/c.csv": (header if repeat_header else b"") + b"Bow West,2025,none\n",
    }
    folder = package(tmp_path / "parts", {"path": list(parts), "schema": WARDS}, parts)
    files = published(folder, tmp_path, capsys)
    assert records(files, "parts") == [*ROWS, {"ward": "Bow West", "year": 2025, "cost": "none"}], "no row is lost"
    assert files["data/parts/table.csv"] == header + '"Bow East, north",2023,£3m; capital\nSpitalfields,2024,none\nBow West,2025,none\n'.encode()


@pytest.mark.parametrize(("encoding", "bom"), [(None, "\ufeff"), ("utf-16", ""), ("windows-1252", "")], ids=["excel-csv-utf8", "utf-16", "windows-1252"])
@pytest.mark.parametrize("repeat_header", [False, True], ids=["straight-to-rows", "repeat-the-header"])
def test_files_of_one_table_in_another_encoding_or_with_byte_order_marks_are_joined_as_text(
    encoding: str | None, bom: str, repeat_header: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = "ward,year,cost\r\n"
    texts = [bom + header + '"Bow East, north",2023,£3m; capital\r\n', bom + (header if repeat_header else "") + "Spitalfields,2024,none\r\n"]
    parts = {f"data/{index}.csv": text.encode(encoding or "utf-8") for index, text in enumerate(texts)}
    resource = {"path": list(parts), "schema": WARDS, **({"encoding": encoding} if encoding else {})}
    files = published(package(tmp_path / "parts", resource, parts), tmp_path, capsys)
    assert records(files, "parts") == ROWS
    whole = bom + header + '"Bow East, north",2023,£3m; capital\r\nSpitalfields,2024,none\r\n'
    assert files["data/parts/table.csv"].decode(encoding or "utf-8") == whole


def test_a_file_without_a_final_line_break_is_joined_with_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parts = {"data/a.csv": b"ward,year,cost\r\nBow,2023,none", "data/b.csv": b"ward,year,cost\r\nMile End,2024,none\r\n"}
    folder = package(tmp_path / "parts", {"path": list(parts), "schema": WARDS}, parts)
    code, problems, _ = validate(fixture_project(folder, tmp_path), capsys)
    assert (code, [(p.code, p.severity) for p in problems]) == (0, [("multipart-file", Severity.WARNING)])
    assert raw_csv.joined(list(parts.values())) == b"ward,year,cost\r\nBow,2023,none\r\nMile End,2024,none\r\n"


def test_a_row_of_a_later_file_is_located_in_that_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parts = {
        "data/a.csv": b"ward,year,cost\nBow,2023,x\n",
        "data/b.csv": b"Mile End,2024,x\nPoplar,twenty,x\n",
        "data/c.csv": b"ward,year,cost\nLimehouse,1e,x\n",
    }
    folder = package(tmp_path / "parts", {"path": list(parts), "schema": WARDS}, parts)
    _, problems, _ = validate(fixture_project(folder, tmp_path), capsys)
    assert [f"{p.location} [{p.code}]" for p in problems] == [
        "datasets/parts/data/b.csv:2:year [type-error]",
        "datasets/parts/data/c.csv:2:year [type-error]",
    ]


# 3. Declared encodings


@pytest.mark.parametrize("encoding", ["latin-1", "windows-1252", "utf-16", "cp1252"])
def test_a_declared_encoding_is_honoured_and_the_csv_keeps_its_bytes(encoding: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = 'ward,year,cost\n"Bow East, north",2023,£3m; capital\nSpitalfields,2024,none\n'.encode(encoding)
    folder = package(tmp_path / "encoded", {"path": "data/table.csv", "encoding": encoding, "schema": WARDS}, {"data/table.csv": content})
    files = published(folder, tmp_path, capsys)
    assert records(files, "encoded") == ROWS
    assert spreadsheet(files, "encoded")[1] == ("Bow East, north", 2023, "£3m; capital")
    assert files["data/encoded/table.csv"] == content


def test_an_undeclared_non_utf8_file_stays_an_encoding_error() -> None:
    problems = raw_csv.csv_problems("a\n£3m\n".encode("cp1252"), "t.csv")
    assert [(p.code, p.row) for p in problems] == [("encoding-error", 2)]
    assert '"encoding": "windows-1252"' in problems[0].fix


def test_bytes_that_a_declared_encoding_cannot_read_are_an_encoding_error_naming_it() -> None:
    problems = raw_csv.csv_problems(b"a\n\x81\n", "t.csv", encoding="windows-1252")
    assert [(p.code, p.row) for p in problems] == [("encoding-error", 2)]
    assert "windows-1252" in problems[0].message


@pytest.mark.parametrize("encoding", ["no-such-encoding", "rot13", "base64"])
def test_a_declared_encoding_that_is_no_character_encoding_is_a_problem_not_a_crash(encoding: str) -> None:
    problems = raw_csv.csv_problems(b"a\n1\n", "t.csv", encoding=encoding)
    assert [p.code for p in problems] == ["encoding-error"]
    assert repr(encoding) in problems[0].message


# 5. No schema; v2 missing values


def test_a_table_without_a_schema_is_published_with_the_types_frictionless_infers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    counts = [str(n) for n in range(19)] + ["n/a"]  # 95% integers: Frictionless alone would call it an integer column, and refuse "n/a"
    content = "ward,year,count\n" + "".join(f"Bow,{2000 + n},{count}\n" for n, count in enumerate(counts))
    folder = package(tmp_path / "inferred", {"path": "data/table.csv"}, {"data/table.csv": content.encode()})
    files = published(folder, tmp_path, capsys)
    assert records(files, "inferred")[-2:] == [{"ward": "Bow", "year": 2018, "count": "18"}, {"ward": "Bow", "year": 2019, "count": "n/a"}]
    fields = json.loads(files["data/inferred/datapackage.json"])["resources"][0]["schema"]["fields"]
    assert [(f["name"], f["type"]) for f in fields] == [("ward", "string"), ("year", "integer"), ("count", "string")], "every row fits the inferred types"


def test_v2_missing_values_with_labels_are_read_as_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fields = [
        {"name": "ward", "type": "string"},
        {"name": "count", "type": "integer"},
        {"name": "age", "type": "integer", "missingValues": [{"value": "x", "label": "Not asked"}]},
    ]
    schema = {"fields": fields, "missingValues": [{"value": "-99", "label": "Refused"}, ""]}
    content = b"ward,count,age\nBow,-99,x\nMile End,4,30\n"
    folder = package(tmp_path / "labelled", {"path": "data/table.csv", "schema": schema}, {"data/table.csv": content})
    files = published(folder, tmp_path, capsys)
    assert records(files, "labelled") == [{"ward": "Bow", "count": None, "age": None}, {"ward": "Mile End", "count": 4, "age": 30}]


def test_the_dataset_page_says_when_types_were_inferred(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    package(project / "datasets" / "inferred", {"path": "data/table.csv"}, {"data/table.csv": b"ward,count\nBow,12\n"})
    result = build_site(Config.for_project(project, site_dir=tmp_path / "site"))
    page = (result.site_dir / "data" / "inferred" / "index.html").read_text(encoding="utf-8")
    assert "the types below were inferred from its values" in page
    other = (result.site_dir / "data" / "community-safety-plan" / "index.html").read_text(encoding="utf-8")
    assert "inferred" not in other


# 6. Spaces around values: a warning, named for what they are, summarised after the examples


@pytest.mark.parametrize(
    ("cell", "named", "fix"),
    [
        ("Bow\u00a0", "a non-breaking space", "Remove the non-breaking space: write 'Bow'."),
        ('"Bow\r"', "a carriage return", "Remove the carriage return: write 'Bow'."),
        ("\tBow", "tabs", "Remove the tabs: write 'Bow'."),
        (" Bow ", "spaces", "Remove the spaces: write 'Bow'."),
    ],
)
def test_white_space_around_a_value_is_a_warning_that_names_it(cell: str, named: str, fix: str) -> None:
    (problem,) = raw_csv.csv_problems(f"ward,count\n{cell},3\n".encode(), "t.csv")
    assert (problem.code, problem.severity, problem.row, problem.field) == ("surrounding-spaces", Severity.WARNING, 2, "ward")
    assert f"has {named} before or after it" in problem.message
    assert problem.fix.startswith(fix)


def test_spaces_around_a_value_are_a_warning_unless_strict_or_the_value_then_breaks_its_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = {"fields": [{"name": "ward", "type": "string"}, {"name": "kind", "type": "string", "constraints": {"enum": ["inner", "outer"]}}]}
    content = b"ward,kind\nBow ,inner\nMile End,outer \n"
    folder = package(tmp_path / "spaces", {"path": "data/table.csv", "schema": schema}, {"data/table.csv": content})
    project = fixture_project(folder, tmp_path, '[t]({{ csv("spaces", "table") }})')
    _, problems, _ = validate(project, capsys)
    assert [(p.location, p.code, p.severity) for p in problems] == [
        ("datasets/spaces/data/table.csv:2:ward", "surrounding-spaces", Severity.WARNING),
        ("datasets/spaces/data/table.csv:3:kind", "constraint-error", Severity.ERROR),
    ], "one problem per cell: 'outer ' is not one of the allowed values"
    assert problems[1].fix == "Remove the spaces: write 'outer'.", "the fix says what to do about the spaces"
    (folder / "data/table.csv").write_bytes(content.replace(b"outer ", b"outer"))
    project = fixture_project(folder, tmp_path / "again", '[t]({{ csv("spaces", "table") }})')
    assert validate(project, capsys)[0] == 0
    assert validate(project, capsys, "--strict")[0] == 1


def test_the_summary_of_many_problems_comes_after_its_examples() -> None:
    content = "ward,count\n" + "".join(f"Bow {i} ,\x00\n" for i in range(30))
    problems = raw_csv.csv_problems(content.encode(), "t.csv")
    lines = format_text(problems).splitlines()[1:-1]
    for code in ("surrounding-spaces", "nul-byte"):
        mine = [line for line in lines if f"[{code}]" in line]
        assert len(mine) == raw_csv.MAX_PER_CODE + 1
        assert "10 more cells have the same problem" in mine[-1], mine[-1]
    assert [p.severity for p in problems if "more cells" in p.message] == [Severity.WARNING, Severity.ERROR]


# 8. Descriptors in YAML, nested, or missing


def test_a_yaml_descriptor_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    resource = {"path": "data/table.csv", "schema": WARDS}
    content = b'ward,year,cost\n"Bow East, north",2023,\xc2\xa33m; capital\nSpitalfields,2024,none\n'
    folder = package(tmp_path / "in-yaml", resource, {"data/table.csv": content}, descriptor_name="datapackage.yaml")
    (folder / "datapackage.yaml").write_text((folder / "datapackage.yaml").read_text() + "created: 2024-01-31T10:00:00Z\n")
    files = published(folder, tmp_path, capsys)
    assert records(files, "in-yaml") == ROWS
    assert json.loads(files["data/in-yaml/datapackage.json"])["created"] == "2024-01-31T10:00:00Z", "a YAML date is kept as the text JSON would hold"


def test_a_folder_without_a_descriptor_is_a_warning_and_a_hidden_one_is_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = fixture_project(VALID / "utf8-bom", tmp_path)
    (project / "datasets" / "drafts").mkdir()
    (project / "datasets" / ".git" / "objects").mkdir(parents=True)
    (project / "datasets" / ".git" / "objects" / "datapackage.json").write_text("{}")
    code, problems, text = validate(project, capsys)
    assert code == 0, text
    assert [(p.location, p.code, p.severity) for p in problems] == [("datasets/drafts", "missing-descriptor", Severity.WARNING)]
    assert main(["validate", "--strict", "--project", str(project)]) == 1


def test_problems_of_the_nested_descriptor_fixture_say_where_to_move_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = fixture_project(ROOT / "tests" / "fixtures" / "nested-descriptor", tmp_path)
    _, problems, _ = validate(project, capsys)
    nested = next(p for p in problems if p.code == "nested-descriptor")
    assert "Move data/datapackage.json to datasets/nested-descriptor/datapackage.json" in nested.fix
    shutil.move(project / "datasets/nested-descriptor/data/datapackage.json", project / "datasets/nested-descriptor/datapackage.json")
    descriptor = json.loads((project / "datasets/nested-descriptor/datapackage.json").read_text())
    descriptor["resources"][0]["path"] = "data/crimes.csv"
    (project / "datasets/nested-descriptor/datapackage.json").write_text(json.dumps(descriptor))
    code, problems, _ = validate(project, capsys)
    assert code == 0 and not [p for p in problems if isinstance(p, Problem) and p.severity is Severity.ERROR]
