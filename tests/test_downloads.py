"""Downloads: safe to open in a spreadsheet, faithful to the data, the same bytes every time."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.model.dataset import build_dataset
from generator.outputs.downloads import table_json
from generator.outputs.spreadsheet import workbook
from generator.pipeline import BuildResult
from tests.conftest import ROOT

UPDATED = datetime(2026, 11, 24, tzinfo=UTC)
DANGEROUS = ['=HYPERLINK("https://evil.invalid","click")', "+44 20 7364 5000", "-2 (down)", "@SUM(A1:A9)", "\tcmd", "\rcmd"]

DESCRIPTOR = {
    "name": "safety",
    "title": "Spreadsheet safety",
    "description": "Text that looks like formulas.",
    "sources": [{"title": "Test source"}],
    "contributors": [{"title": "A partnership", "roles": ["publisher"]}],
    "resources": [
        {
            "name": "cells",
            "title": "Cells",
            "description": "One row per dangerous text.",
            "path": "data/cells.csv",
            "schema": {
                "fields": [
                    {"name": "text", "type": "string", "description": "Text to keep as text."},
                    {"name": "count", "type": "integer", "description": "A count."},
                    {"name": "rate", "type": "number", "description": "A rate."},
                    {"name": "day", "type": "date", "description": "A day."},
                ]
            },
        }
    ],
}
ROWS = [{"text": text, "count": -index, "rate": Decimal("12.5"), "day": date(2024, 3, index + 1)} for index, text in enumerate(DANGEROUS)]


@pytest.fixture
def table_and_dataset() -> tuple[object, object]:
    dataset = build_dataset(DESCRIPTOR, Path("/nowhere"), {"cells": ROWS})
    return dataset.tables[0], dataset


def open_workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def test_text_that_looks_like_a_formula_is_stored_as_text_never_as_a_formula(table_and_dataset: tuple) -> None:  # type: ignore[type-arg]
    table, dataset = table_and_dataset
    sheet = open_workbook(workbook(dataset, table, UPDATED))["cells"]
    texts = [sheet.cell(row=r, column=1) for r in range(2, 2 + len(DANGEROUS))]
    assert [c.value.replace("_x000D_", "\r") for c in texts] == DANGEROUS  # OOXML writes a carriage return as _x000D_
    assert {c.data_type for c in texts} == {"s"}, "stored as strings, not formulas"
    assert all(c.quotePrefix for c in texts), "editing the cell keeps it text"


def test_numbers_stay_numbers_and_dates_stay_dates(table_and_dataset: tuple) -> None:  # type: ignore[type-arg]
    table, dataset = table_and_dataset
    sheet = open_workbook(workbook(dataset, table, UPDATED))["cells"]
    assert [sheet.cell(row=1, column=c).value for c in range(1, 5)] == ["text", "count", "rate", "day"]
    assert [sheet.cell(row=3, column=c).value for c in range(2, 4)] == [-1, 12.5]
    assert {sheet.cell(row=3, column=c).data_type for c in range(2, 4)} == {"n"}
    assert sheet.cell(row=3, column=4).value == datetime(2024, 3, 2)


def test_the_notes_sheet_says_what_the_table_is_and_defines_every_field(table_and_dataset: tuple) -> None:  # type: ignore[type-arg]
    table, dataset = table_and_dataset
    notes = open_workbook(workbook(dataset, table, UPDATED))["notes"]
    facts = {row[0]: row[1] for row in notes.iter_rows(min_row=1, max_row=7, max_col=2, values_only=True)}
    assert facts == {
        "Title": "Cells",
        "Description": "One row per dangerous text.",
        "Dataset": "Spreadsheet safety",
        "Source": "Test source",
        "Publisher": "A partnership",
        "Licence": "Licence not stated",  # DESCRIPTOR names no licence: none is invented
        "Last updated": "2026-11-24",
    }
    fields = [row[:2] for row in notes.iter_rows(min_row=10, max_col=4, values_only=True)]
    assert fields == [("text", "string"), ("count", "integer"), ("rate", "number"), ("day", "date")]


def test_a_workbook_is_the_same_bytes_every_time(table_and_dataset: tuple) -> None:  # type: ignore[type-arg]
    table, dataset = table_and_dataset
    assert workbook(dataset, table, UPDATED) == workbook(dataset, table, UPDATED)


def test_json_keeps_types_and_field_order(table_and_dataset: tuple) -> None:  # type: ignore[type-arg]
    table, _ = table_and_dataset
    records = json.loads(table_json(table))
    assert records[1] == {"text": DANGEROUS[1], "count": -1, "rate": 12.5, "day": "2024-03-02"}
    assert list(records[0]) == ["text", "count", "rate", "day"]


def test_every_table_of_the_built_site_downloads_as_csv_json_and_xlsx_with_the_same_rows(built_site: BuildResult) -> None:
    checked = 0
    for descriptor_file in sorted((built_site.site_dir / "data").glob("*/datapackage.json")):
        folder = descriptor_file.parent
        for resource in json.loads(descriptor_file.read_text(encoding="utf-8"))["resources"]:
            name = resource["name"]
            csv_rows = len(list(csv.reader(io.StringIO((folder / f"{name}.csv").read_text(encoding="utf-8"))))) - 1
            records = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
            sheet = open_workbook((folder / f"{name}.xlsx").read_bytes())[name[:31]]
            assert len(records) == sheet.max_row - 1 == csv_rows, name
            checked += 1
    tables = sum(len(json.loads(p.read_text(encoding="utf-8"))["resources"]) for p in (ROOT / "datasets").glob("*/datapackage.json"))
    assert checked == tables + 1  # and the table of every indicator figure (indicator-figures)


def test_a_table_called_notes_keeps_its_own_sheet_beside_the_notes() -> None:
    descriptor = {**DESCRIPTOR, "resources": [{**DESCRIPTOR["resources"][0], "name": "notes"}]}  # type: ignore[index]
    dataset = build_dataset(descriptor, Path("/nowhere"), {"notes": ROWS})
    book = open_workbook(workbook(dataset, dataset.tables[0], UPDATED))
    assert book.sheetnames == ["notes", "notes on this table"]
    assert book["notes"].max_row == len(ROWS) + 1


def test_json_of_an_empty_table_is_an_empty_array_and_a_number_that_is_not_one_is_null() -> None:
    empty = build_dataset(DESCRIPTOR, Path("/nowhere"), {"cells": []}).tables[0]
    assert table_json(empty) == b"[]\n"
    odd = build_dataset(DESCRIPTOR, Path("/nowhere"), {"cells": [{**ROWS[0], "rate": Decimal("NaN")}]}).tables[0]
    assert json.loads(table_json(odd))[0]["rate"] is None
