"""Editing in a spreadsheet: ``workbook PACKAGE`` writes an editable workbook, ``import FILE``
reads it back, checks it as a build would and writes the package's CSV files only when nothing
is wrong; problems are placed in the workbook's own terms (``observations!C14``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from generator.cli import main
from generator.inputs.workbook_cells import Column, from_cell, number_text, to_cell
from generator.inputs.workbook_import import csv_bytes
from generator.site.package_files import replace_files
from tests.conftest import copy_project

PACKAGES = ("community-safety-performance", "community-safety-plan")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
OGL = {"name": "OGL-UK-3.0", "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/", "title": "Open Government Licence v3.0"}

AWKWARD_SCHEMA = {
    "fields": [
        {"name": "code", "type": "string", "description": "An id with leading zeros.", "constraints": {"required": True}},
        {"name": "long_id", "type": "string"},
        {"name": "count", "type": "integer"},
        {"name": "share", "type": "number"},
        {"name": "on", "type": "date"},
        {"name": "active", "type": "boolean"},
        {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
        {"name": "note", "type": "string"},
    ],
    "primaryKey": ["code"],
    "missingValues": ["", "NA"],
}
AWKWARD_CSV = (
    "code,long_id,count,share,on,active,kind,note\r\n"
    '007,12345678901234567890123,10,0.1,2024-02-29,TRUE,a,"Café, ‘quoted’ – naïve"\r\n'
    "010,00001,0,1.50,,FALSE,b,=SUM(A1:A2)\r\n"
    '"x1",,NA,0.30000000000000004,1999-12-31,TRUE,a,"two\r\nlines"\r\n'
    "x2,-5,-3,-0.95,2000-01-01,,,\r\n"
)


def project_with(tmp_path: Path, awkward: bool = False) -> Path:
    project = copy_project(tmp_path / "project")
    if awkward:
        package = project / "datasets" / "awkward"
        (package / "data").mkdir(parents=True)
        resource = {"name": "codes", "path": "data/codes.csv", "schema": AWKWARD_SCHEMA}
        descriptor = {"name": "awkward", "title": "Awkward values", "licenses": [OGL], "resources": [resource]}
        (package / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
        (package / "data" / "codes.csv").write_bytes(AWKWARD_CSV.encode("utf-8"))
    return project


def files_of(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted((project / "datasets").rglob("*")) if p.is_file()}


def workbook_of(project: Path, package: str) -> Path:
    out = project / f"{package}.xlsx"
    assert main(["workbook", package, "--project", str(project), "-o", str(out)]) == 0
    return out


def run_import(project: Path, workbook: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, list[str]]:
    code = main(["import", str(workbook), "--project", str(project), *options])
    captured = capsys.readouterr()
    return code, [line for line in (captured.out + captured.err).splitlines() if not line.startswith("Wrote ")]  # not the workbook command's


def edit(workbook: Path, changes: dict[tuple[str, str], object]) -> Path:
    book = openpyxl.load_workbook(workbook)
    for (sheet, cell), value in changes.items():
        book[sheet][cell].value = value
    book.save(workbook)
    return workbook


def cell_of(book: openpyxl.Workbook, sheet: str, column: str, key: str) -> str:
    """The coordinate of ``column`` in the row whose first cell is ``key``."""
    rows = list(book[sheet].iter_rows())
    names = [c.value for c in rows[0]]
    row = next(r for r in rows[1:] if r[0].value == key)
    return str(row[names.index(column)].coordinate)


# The workbook


def test_the_workbook_has_a_typed_sheet_per_table_with_a_frozen_bold_header_and_a_notes_sheet(tmp_path: Path) -> None:
    project = project_with(tmp_path, awkward=True)
    book = openpyxl.load_workbook(workbook_of(project, "awkward"))
    assert book.sheetnames == ["codes", "notes"]
    sheet = book["codes"]
    assert sheet.freeze_panes == "A2" and all(c.font.bold for c in sheet[1])
    assert [c.value for c in sheet[1]] == [f["name"] for f in AWKWARD_SCHEMA["fields"]]
    first = [c.value for c in sheet[2]]
    assert first[:7] == ["007", "12345678901234567890123", 10, 0.1, datetime(2024, 2, 29), True, "a"]  # ids keep their zeros, dates are dates
    assert sheet["E2"].is_date and sheet["E2"].number_format == "yyyy-mm-dd"
    assert sheet["D3"].value == 1.5 and sheet["D3"].number_format == "0.00"  # 1.50 shows as written
    assert sheet["C4"].value == "NA" and sheet["D4"].value == "0.30000000000000004"  # what a number cannot hold exactly stays text
    assert sheet["H3"].value == "=SUM(A1:A2)" and sheet["H3"].data_type == "s" and sheet["H3"].quotePrefix  # text, never a formula
    assert sheet.column_dimensions["A"].number_format == "@"  # an id typed in a new row stays text
    assert 8 <= sheet.column_dimensions["H"].width <= 60


def test_columns_with_allowed_values_or_a_foreign_key_have_drop_down_lists(tmp_path: Path) -> None:
    project = project_with(tmp_path)
    book = openpyxl.load_workbook(workbook_of(project, "community-safety-performance"))
    lists = {str(v.sqref): v.formula1 for v in book["observations"].data_validations.dataValidation}
    assert lists == {"A2:A1048576": "'indicators'!$A$2:$A$1048576", "B2:B1048576": "'periods'!$A$2:$A$1048576"}
    unit = next(v for v in book["indicators"].data_validations.dataValidation if str(v.sqref).startswith("G"))
    assert unit.formula1 == '"count,percent,currency"' and unit.showErrorMessage and not unit.allow_blank
    assert unit.error == "unit must be one of count, percent, currency."
    every = [v for sheet in book.worksheets for v in sheet.data_validations.dataValidation]
    assert all(len(v.errorTitle) <= 32 and len(v.error) <= 255 for v in every)  # Excel calls a workbook with longer ones corrupt
    compared = next(v for v in book["periods"].data_validations.dataValidation if str(v.sqref).startswith("G"))
    assert compared.formula1 == "'periods'!$A$2:$A$1048576" and compared.allow_blank  # a key into its own table, optional


def test_the_notes_sheet_names_the_package_and_describes_every_field(tmp_path: Path) -> None:
    project = project_with(tmp_path, awkward=True)
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(workbook_of(project, "awkward"))["notes"].iter_rows()]
    assert rows[0][:2] == ["Package", "awkward"]
    header = rows.index(["Sheet", "Column", "Field", "Title", "Description", "Type", "Format", "Required", "Constraints", "Drop-down list"])
    fields = {row[2]: row for row in rows[header + 1 :]}
    assert set(fields) == {f["name"] for f in AWKWARD_SCHEMA["fields"]}
    assert fields["code"][:8] == ["codes", "A", "code", None, "An id with leading zeros.", "string", None, "Yes"]
    assert fields["kind"][8:] == ["one of: a, b", "Yes: one of a, b"]


def test_tables_whose_names_would_share_a_sheet_get_sheets_of_their_own_and_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path, awkward=True)
    package = project / "datasets" / "awkward"
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    long_name = "a-table-name-longer-than-a-sheet-name-allows"
    for name in ("notes", long_name, long_name + "-too"):
        (package / "data" / f"{name}.csv").write_bytes(AWKWARD_CSV.encode("utf-8"))
        descriptor["resources"].append({**descriptor["resources"][0], "name": name, "path": f"data/{name}.csv"})
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    before = files_of(project)
    workbook = workbook_of(project, "awkward")
    assert openpyxl.load_workbook(workbook).sheetnames == ["codes", "notes", long_name[:31], long_name[:29] + "~2", "notes (workbook)"]
    code, lines = run_import(project, workbook, capsys)
    assert code == 0 and files_of(project) == before, lines


def test_a_package_that_does_not_exist_is_a_usage_error_naming_the_packages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    assert main(["workbook", "no-such-package", "--project", str(project)]) == 2
    assert "community-safety-performance, community-safety-plan" in capsys.readouterr().err


def test_a_control_character_no_workbook_can_hold_is_refused_naming_its_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path, awkward=True)
    csv_file = project / "datasets/awkward/data/codes.csv"
    csv_file.write_bytes(csv_file.read_bytes().replace(b"=SUM(A1:A2)", b"bell\x07"))
    assert main(["workbook", "awkward", "--project", str(project), "-o", str(tmp_path / "out.xlsx")]) == 1
    assert "codes!H3 would hold the control character U+0007, which no workbook can hold" in capsys.readouterr().err
    assert not (tmp_path / "out.xlsx").exists()


def test_a_table_whose_path_leads_outside_its_package_is_left_out_and_never_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path, awkward=True)
    package = project / "datasets" / "awkward"
    (project / "datasets" / "outside.csv").write_bytes(AWKWARD_CSV.encode("utf-8"))
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({**descriptor["resources"][0], "name": "escape", "path": "../outside.csv"})
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    book = openpyxl.load_workbook(workbook_of(project, "awkward"))
    assert book.sheetnames == ["codes", "notes"]
    notes = {row[0].value: row[1].value for row in book["notes"].iter_rows(max_row=5) if row[0].value}
    assert notes["Not in this workbook"].endswith("or at a path outside the package): escape")


# Round trips


@pytest.mark.parametrize("package", PACKAGES)
def test_an_unedited_workbook_imports_to_byte_identical_csv_files(package: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    before = files_of(project)
    workbook = workbook_of(project, package)
    code, lines = run_import(project, workbook, capsys)
    assert code == 0, lines
    assert files_of(project) == before
    assert "files changed: none" in lines[-1]


def test_awkward_values_survive_a_round_trip_byte_for_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path, awkward=True)
    before = files_of(project)
    code, lines = run_import(project, workbook_of(project, "awkward"), capsys)
    assert code == 0, lines
    assert files_of(project)["datasets/awkward/data/codes.csv"] == AWKWARD_CSV.encode("utf-8")
    assert files_of(project) == before


def test_every_value_becomes_a_cell_that_gives_back_its_text() -> None:
    columns = {
        "integer": Column("n", "integer"),
        "number": Column("x", "number"),
        "date": Column("d", "date"),
        "boolean": Column("b", "boolean", true_word="TRUE"),
    }
    cases = {
        "integer": ["0", "7", "-3", "007", "+4", "123456789012345678", "NA"],
        "number": ["0.1", "1.50", "-0.95", "14768", "0.30000000000000004", "1e5", "1,000", "-0", "NaN"],
        "date": ["2024-02-29", "2023-02-29", "29/02/2024"],
        "boolean": ["TRUE", "FALSE", "yes"],
    }
    for kind, texts in cases.items():
        for text in texts:
            typed = to_cell(text, columns[kind])
            assert from_cell(typed.value, columns[kind], typed.number_format or "General") == text, (kind, text)
    assert isinstance(to_cell("007", columns["integer"]).value, str) and isinstance(to_cell("7", columns["integer"]).value, int)


def test_numbers_read_back_without_float_noise_and_with_the_decimals_the_cell_shows() -> None:
    assert number_text(0.1 + 0.2) == "0.3"
    assert number_text(14768.0) == "14768"
    assert number_text(1.5, "0.00") == "1.50" and number_text(0.74, "0") == "0.74"  # never fewer decimals than the value has
    assert number_text(1e-7) == "0.0000001" and number_text(1e20) == "100000000000000000000"


def test_an_unchanged_record_keeps_its_bytes_and_a_new_one_is_written_plainly() -> None:
    original = b'id,text\r\n"a","no comma"\r\nb,plain\r\n'
    assert csv_bytes([["id", "text"], ["a", "no comma"], ["b", "plain"]], original) == original
    assert csv_bytes([["id", "text"], ["b", "plain"], ["c", "x, y"]], original) == b'id,text\r\nb,plain\r\nc,"x, y"\r\n'


# Edits


def test_an_edit_is_written_to_the_lines_it_changes_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    workbook = workbook_of(project, "community-safety-performance")
    book = openpyxl.load_workbook(workbook)
    notes = cell_of(book, "indicators", "notes", "asb-calls-101")
    edit(workbook, {("indicators", notes): "Calls, as counted by the police.", ("releases", "F2"): datetime(2027, 2, 24)})
    indicators = project / "datasets/community-safety-performance/data/indicators.csv"
    releases = project / "datasets/community-safety-performance/data/releases.csv"
    old_indicators, old_releases = indicators.read_text(encoding="utf-8").splitlines(), releases.read_text(encoding="utf-8").splitlines()
    code, lines = run_import(project, workbook, capsys)
    assert code == 0, lines
    new_indicators, new_releases = indicators.read_text(encoding="utf-8").splitlines(), releases.read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(old_indicators, new_indicators, strict=True) if old != new]
    assert len(changed) == 1 and changed[0][1].endswith(',CSP operating context table,"Calls, as counted by the police."')
    assert new_releases[1].endswith(",2027-02-24") and new_releases[1].startswith(old_releases[1][:40])  # a date typed in a cell is ISO
    assert "indicators.csv" in lines[-1] and "releases.csv" in lines[-1] and "observations.csv" not in lines[-1]


def test_a_problem_is_placed_at_its_cell_and_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    before = files_of(project)
    workbook = edit(workbook_of(project, "community-safety-performance"), {("observations", "C3"): "abc", ("observations", "A4"): "no-such-indicator"})
    code, lines = run_import(project, workbook, capsys)
    assert code == 1
    assert lines[0].startswith("observations!A4 [foreign-key] no-such-indicator is not a indicator_id in the table 'indicators'. Fix: ")
    assert lines[1].startswith("observations!C3 [type-error] The value 'abc' is not a valid number. Fix: ")
    assert lines[-1] == "Nothing was written: correct the workbook and import it again."
    assert files_of(project) == before


def test_an_edit_that_breaks_another_packages_key_is_refused_as_a_build_would_refuse_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    before = files_of(project)
    workbook = workbook_of(project, "community-safety-performance")
    book = openpyxl.load_workbook(workbook)
    renamed = {("priorities", cell_of(book, "priorities", "priority_id", "re-offending")): "reoffending"}
    renamed |= {("indicators", row[1].coordinate): "reoffending" for row in book["indicators"].iter_rows(min_row=2) if row[1].value == "re-offending"}
    code, lines = run_import(project, edit(workbook, renamed), capsys)  # valid on its own, but the plan's outputs name re-offending
    assert code == 1 and files_of(project) == before
    assert lines[0].startswith(
        "datasets/community-safety-plan/data/deliverables.csv:7:priority_id [foreign-key] re-offending is not a priority_id in "
        "community-safety-performance/priorities. Fix: Did you mean 'reoffending'?"
    )


def test_github_format_annotates_the_workbook_naming_each_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    workbook = edit(workbook_of(project, "community-safety-performance"), {("observations", "C3"): "abc"})
    code, lines = run_import(project, workbook, capsys, "--format", "github")
    assert code == 1
    assert lines[0].startswith("::error file=community-safety-performance.xlsx,title=type-error::observations!C3: The value 'abc' is not a valid number.")


def test_a_percent_typed_as_a_fraction_is_questioned_and_not_written_unless_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    workbook = workbook_of(project, "community-safety-performance")
    where = cell_of(openpyxl.load_workbook(workbook), "observations", "value", "dv-court-conviction-rate")  # 72, then 69
    edit(workbook, {("observations", where): 0.74})
    before = files_of(project)
    code, lines = run_import(project, workbook, capsys)
    assert code == 1 and files_of(project) == before
    question = next(line for line in lines if "[percent-as-fraction]" in line)
    assert question.startswith(f"observations!{where} [percent-as-fraction] warning: ") and "Fix: Did you mean 74?" in question
    code, lines = run_import(project, workbook, capsys, "--accept-warnings")
    assert code == 0 and "dv-court-conviction-rate,previous-ytd,0.74" in (project / "datasets/community-safety-performance/data/observations.csv").read_text()


# What a workbook cannot hold


def test_a_formula_or_an_error_value_is_refused_at_its_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    before = files_of(project)
    workbook = edit(workbook_of(project, "community-safety-performance"), {("observations", "C2"): "=14000+909"})
    book = openpyxl.load_workbook(workbook)
    book["priorities"]["C2"].value, book["priorities"]["C2"].data_type = "#DIV/0!", "e"
    book.save(workbook)
    code, lines = run_import(project, workbook, capsys)
    assert code == 1 and files_of(project) == before
    assert lines == [
        "observations!C2 [workbook-formula] The cell holds a formula (=14000+909); a table's file holds values, so a workbook imports values only. "
        "Fix: Type the value itself (or copy the cell and paste it back with Paste Special > Values only).",
        "priorities!C2 [workbook-formula] The cell holds an error value (#DIV/0!); a table's file holds values, so a workbook imports values only. "
        "Fix: Type the value itself (or copy the cell and paste it back with Paste Special > Values only).",
        "2 error(s), 0 warning(s)",
        "Nothing was written: correct the workbook and import it again.",
    ]


def test_true_and_false_saved_as_libreoffice_saves_them_are_values_not_formulas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    before = files_of(project)
    workbook = edit(workbook_of(project, "community-safety-performance"), {("periods", "F2"): "=FALSE()", ("periods", "F3"): "=false"})
    code, lines = run_import(project, workbook, capsys)
    assert code == 0, lines
    assert files_of(project) == before


def test_merged_cells_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    workbook = workbook_of(project, "community-safety-performance")
    book = openpyxl.load_workbook(workbook)
    book["priorities"].merge_cells("B2:B3")
    book.save(workbook)
    code, lines = run_import(project, workbook, capsys)
    assert code == 1 and lines[0].startswith("priorities!B2:B3 [workbook-merged-cell] The cells B2:B3 are merged")


def test_a_renamed_sheet_is_missing_with_a_hint_and_an_extra_sheet_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    workbook = workbook_of(project, "community-safety-performance")
    book = openpyxl.load_workbook(workbook)
    book["observations"].title = "obs"
    book.create_sheet("my sums")
    book.save(workbook)
    code, lines = run_import(project, workbook, capsys)
    assert code == 1
    assert lines == [
        "my sums [workbook-extra-sheet] The sheet 'my sums' is not a table of the package 'community-safety-performance'. "
        "Fix: Rename it to its table's name, or delete it: a workbook holds one sheet per table and the notes sheet.",
        "obs [workbook-extra-sheet] The sheet 'obs' is not a table of the package 'community-safety-performance' (did you mean 'observations'?). "
        "Fix: Rename it to its table's name, or delete it: a workbook holds one sheet per table and the notes sheet.",
        "observations [workbook-missing-sheet] The workbook has no sheet 'observations', for the table 'observations'; an import writes every table "
        "of the package. Fix: The sheet 'obs' has its columns: rename it back to 'observations'.",
        "3 error(s), 0 warning(s)",
        "Nothing was written: correct the workbook and import it again.",
    ]


def test_a_renamed_missing_or_extra_column_is_refused_at_its_header_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    workbook = edit(
        workbook_of(project, "community-safety-performance"),
        {("observations", "C1"): "valeu", ("observations", "D1"): "comment", ("priorities", "C1"): None},
    )
    code, lines = run_import(project, workbook, capsys)
    assert code == 1
    assert lines[:3] == [
        "observations!C1 [workbook-header] The column here is named 'valeu'; the table's column here is 'value'. "
        "Fix: Name it value (the columns are, in order: indicator_id, period_id, value).",
        "observations!D1 [workbook-header] Column D ('comment') is not a column of the table 'observations'. Fix: Delete the column.",
        "priorities!C1 [workbook-header] The column 'sequence' is missing: row 1 is empty here. Fix: Type sequence in this cell "
        "(the columns are, in order: priority_id, title, sequence).",
    ]


def test_a_file_that_is_not_a_workbook_or_names_no_package_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    (project / "fake.xlsx").write_text("not a workbook")
    code, lines = run_import(project, project / "fake.xlsx", capsys)
    assert code == 1 and lines[0].startswith("fake.xlsx [workbook-unreadable] The workbook cannot be read: it is not an .xlsx workbook")
    workbook = workbook_of(project, "community-safety-plan")
    book = openpyxl.load_workbook(workbook)
    del book["notes"]
    book.save(workbook)
    code, lines = run_import(project, workbook, capsys)
    assert code == 1 and lines[0].startswith("community-safety-plan.xlsx [workbook-package] The workbook does not say which package it is for.")
    code, lines = run_import(project, workbook, capsys, "--package", "community-safety-plan")
    assert code == 0, lines


def test_a_file_in_another_encoding_round_trips_and_a_character_it_cannot_hold_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path, awkward=True)
    package = project / "datasets" / "awkward"
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["encoding"] = "windows-1252"
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (package / "data" / "codes.csv").write_bytes(AWKWARD_CSV.encode("windows-1252"))
    before = files_of(project)
    workbook = workbook_of(project, "awkward")
    code, lines = run_import(project, workbook, capsys)
    assert code == 0 and files_of(project) == before, lines
    edit(workbook, {("codes", "H2"): "Café 😀"})
    code, lines = run_import(project, workbook, capsys)
    assert code == 1 and files_of(project) == before
    assert lines[0].startswith("codes!H2 [encoding-error] The character '😀' (U+1F600) cannot be written in windows-1252, the encoding of the table's file.")


def test_values_in_a_column_without_a_name_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    workbook = edit(workbook_of(project, "community-safety-performance"), {("priorities", "E3"): "a stray note"})
    code, lines = run_import(project, workbook, capsys)
    assert code == 1
    assert lines[:2] == [
        "priorities!E1 [workbook-header] Column E holds values but has no name in row 1, and the table 'priorities' has no more columns. "
        "Fix: Delete the column.",
        "1 error(s), 0 warning(s)",
    ]


def test_a_workbook_made_before_its_file_changed_is_questioned_before_it_undoes_the_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    workbook = workbook_of(project, "community-safety-performance")
    priorities = project / "datasets/community-safety-performance/data/priorities.csv"
    newer = priorities.read_bytes().replace(b"Violence", b"Violence and exploitation")
    priorities.write_bytes(newer)  # someone else's edit, after the workbook was made
    code, lines = run_import(project, workbook, capsys)
    assert code == 1 and priorities.read_bytes() == newer
    assert lines[0] == (
        "priorities [workbook-out-of-date] warning: priorities.csv has changed since this workbook was made: importing the sheet 'priorities' "
        "would undo that change. Fix: Make your edits again in a fresh workbook "
        "(or import this one with --accept-warnings to replace the file's newer content)."
    )
    code, lines = run_import(project, workbook, capsys, "--accept-warnings")
    assert code == 0 and b"Violence and exploitation" not in priorities.read_bytes()


def test_files_are_replaced_whole_leaving_no_temporary_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("old")
    replace_files({first: b"new a", second: b"new b"})
    assert (first.read_bytes(), second.read_bytes()) == (b"new a", b"new b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


# A workbook saved by LibreOffice


def libreoffice_saved(workbook: Path, folder: Path) -> Path:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
    folder.mkdir()
    profile = folder.parent / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx", "--outdir", str(folder), str(workbook)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / workbook.name


@pytest.mark.parametrize("package", [*PACKAGES, "awkward"])
def test_a_workbook_saved_by_libreoffice_imports_to_the_same_files(package: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path, awkward=True)
    before = files_of(project)
    saved = libreoffice_saved(workbook_of(project, package), tmp_path / "saved")
    book = openpyxl.load_workbook(saved)
    if package == "awkward":  # what LibreOffice made of the cells: dates stay dates, ids stay text
        assert isinstance(book["codes"]["E2"].value, datetime) and book["codes"]["A2"].value == "007"
    code, lines = run_import(project, saved, capsys)
    assert code == 0, lines
    assert files_of(project) == before


def test_libreoffice_edits_keep_dates_and_ids_and_question_a_fraction_of_a_percent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = project_with(tmp_path)
    workbook = workbook_of(project, "community-safety-performance")
    where = cell_of(openpyxl.load_workbook(workbook), "observations", "value", "dv-court-conviction-rate")
    edit(workbook, {("observations", where): 0.74, ("periods", "D3"): date(2019, 4, 1)})
    saved = libreoffice_saved(workbook, tmp_path / "saved")
    code, lines = run_import(project, saved, capsys)
    assert code == 1 and any(line.startswith(f"observations!{where} [percent-as-fraction]") and "Did you mean 74?" in line for line in lines)
    code, lines = run_import(project, saved, capsys, "--accept-warnings")
    periods = (project / "datasets/community-safety-performance/data/periods.csv").read_text(encoding="utf-8").splitlines()
    assert code == 0 and periods[2].startswith("ytd,2,Year to date,2019-04-01,")
