"""The XLSX writer: every kind of cell reads back as what was written, and nothing is a formula."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from generator.outputs.xlsx import Cell, Sheet, workbook_bytes

CREATED = datetime(2026, 11, 24, 9, 30)


def book(*sheets: Sheet) -> bytes:
    return workbook_bytes(list(sheets), title="A title & more", author="A <publisher>", created=CREATED)


def read_back(*rows: list[Cell]) -> list[openpyxl.cell.Cell]:
    sheet = openpyxl.load_workbook(io.BytesIO(book(Sheet("data", rows))))["data"]
    return [cell for row in sheet.iter_rows(min_row=1, max_row=len(rows)) for cell in row]


@pytest.mark.parametrize(
    ("value", "expected", "data_type"),
    [
        ("plain text", "plain text", "s"),
        ("  spaces kept  ", "  spaces kept  ", "s"),
        ("a & b < c > d", "a & b < c > d", "s"),
        ("é, ünïcode, 日本, 🙂", "é, ünïcode, 日本, 🙂", "s"),
        (42, 42, "n"),
        (-7, -7, "n"),
        (3.25, 3.25, "n"),
        (Decimal("12.50"), 12.5, "n"),
        (Decimal("1E+3"), 1000, "n"),
        (True, True, "b"),
        (False, False, "b"),
        (date(2024, 3, 2), datetime(2024, 3, 2), "d"),
        (date(1900, 1, 1), datetime(1900, 1, 1), "d"),
        (date(1900, 2, 28), datetime(1900, 2, 28), "d"),
        (date(1900, 3, 1), datetime(1900, 3, 1), "d"),
        (date(1899, 12, 31), "1899-12-31", "s"),  # before Excel's first date: kept as its ISO text
        (Decimal("NaN"), "NaN", "s"),  # a spreadsheet has no NaN: kept as text
        (float("inf"), "inf", "s"),
    ],
)
def test_each_kind_of_cell_reads_back_as_written(value: Cell, expected: object, data_type: str) -> None:
    (cell,) = read_back([value])
    assert cell.value == expected
    assert cell.data_type == data_type


def test_an_empty_cell_is_left_out_and_the_cells_after_it_keep_their_columns() -> None:
    cells = read_back(["a", None, "c"])
    assert [c.value for c in cells] == ["a", None, "c"]


@pytest.mark.parametrize("text", ["=1+1", '=HYPERLINK("https://evil.invalid","x")', "+44 20", "-2", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_text_that_looks_like_a_formula_is_a_string_with_the_quote_prefix(text: str) -> None:
    (cell,) = read_back([text])
    assert cell.data_type == "s"
    assert cell.value.replace("_x000D_", "\r") == text
    assert cell.quotePrefix


def test_no_sheet_holds_a_formula_element_whatever_its_text() -> None:
    rows: list[list[Cell]] = [["=1+1", "=A1", "<f>1</f>", "</t><f>SUM(A1)</f><t>"]]
    with zipfile.ZipFile(io.BytesIO(book(Sheet("data", rows)))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet
    (cells,) = openpyxl.load_workbook(io.BytesIO(book(Sheet("data", rows))))["data"].iter_rows(values_only=True)
    assert list(cells) == rows[0]


def as_excel_shows(stored: str) -> str:
    """Text as Excel shows it: OOXML's ``_xHHHH_`` escapes decoded (openpyxl leaves them as they are)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda match: chr(int(match.group(1), 16)), stored)


@pytest.mark.parametrize("text", ["bell\x07here", "nul\x00", "a_x0041_b", "_x005F_", "new\nline", "tab\tin", "cr\rin"])
def test_characters_xml_cannot_hold_and_text_that_looks_like_an_escape_show_as_written(text: str) -> None:
    (cell,) = read_back([f"text: {text}"])
    assert as_excel_shows(cell.value) == f"text: {text}"


def test_header_rows_are_bold_and_frozen_and_label_columns_bold() -> None:
    content = book(
        Sheet("data", [["name", "count"], ["a", 1]], bold_rows={1}, freeze_rows=1),
        Sheet("notes", [["Title", "x"], ["Field", "Type"]], bold_columns=1, wrap=True, widths=(22, 60)),
    )
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    data, notes = workbook["data"], workbook["notes"]
    assert [c.font.b for c in data[1]] == [True, True]
    assert [c.font.b for c in data[2]] == [False, False]
    assert data.freeze_panes == "A2"
    assert [c.font.b for c in notes[1]] == [True, False]
    assert notes["B1"].alignment.wrap_text
    assert notes.column_dimensions["A"].width == 22
    assert workbook.sheetnames == ["data", "notes"]


def test_the_workbook_carries_its_title_author_and_date() -> None:
    properties = openpyxl.load_workbook(io.BytesIO(book(Sheet("data", [["x"]])))).properties
    assert (properties.title, properties.creator, properties.created) == ("A title & more", "A <publisher>", CREATED)


def test_pandas_reads_the_same_table() -> None:
    rows: list[list[Cell]] = [["id", "ward", "day", "rate"], *([n, f"ward-{n}", date(2024, 1, n), Decimal(n) / 4] for n in range(1, 29))]
    frame = pd.read_excel(io.BytesIO(book(Sheet("data", rows, bold_rows={1}))), sheet_name="data")
    assert list(frame.columns) == rows[0]
    assert frame["id"].tolist() == list(range(1, 29))
    assert frame["day"].iloc[-1] == pd.Timestamp(2024, 1, 28)
    assert frame["rate"].iloc[1] == 0.5


def test_a_wide_sheet_names_columns_past_z() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(book(Sheet("wide", [list(range(30))]))))["wide"]
    assert sheet["Z1"].value == 25
    assert sheet["AD1"].value == 29
    assert sheet.dimensions == "A1:AD1"


def test_the_same_input_gives_the_same_bytes() -> None:
    assert book(Sheet("data", [["a", 1, date(2024, 1, 1)]])) == book(Sheet("data", [["a", 1, date(2024, 1, 1)]]))


@pytest.mark.parametrize(
    "names",
    [[""], ["x" * 32], ["a/b"], ["a[1]"], ["what?"], ["'quoted'"], ["notes", "NOTES"]],
)
def test_a_sheet_name_excel_would_refuse_is_refused(names: list[str]) -> None:
    with pytest.raises(ValueError, match="sheet"):
        book(*(Sheet(name, [["x"]]) for name in names))


def test_a_value_of_another_type_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot hold"):
        book(Sheet("data", [[datetime(2024, 1, 1, 12, 0)]]))
