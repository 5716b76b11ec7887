"""The fast path of validation gives Frictionless' verdict: a table it passes is one
Frictionless and the byte checks pass, and a table they refuse it never passes.

The property test writes schemas and CSV text full of the hard cases (spaces, leading zeros,
exponents, ``NaN``, ``bareNumber: false``, ``groupChar``, ``decimalChar``, ``trueValues``,
29 February, impossible dates, non-ASCII digits, empty strings against missing values,
quoted cells, duplicate keys) and compares the two verdicts on every example, once with the
values checked one distinct value at a time and once with the common shapes checked by
pattern. ``FAST_PATH_EXAMPLES`` sets how many examples (CI runs few; run many locally).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from frictionless import Package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.checks import domain, fast, raw_csv
from generator.inputs import load
from generator.model.columns import Coded, ColumnRows, Integers
from generator.model.dataset import Dataset, build_table
from generator.outputs import downloads, spreadsheet

EXAMPLES = int(os.environ.get("FAST_PATH_EXAMPLES", "60"))

HARD_CELLS = [
    *["", " 1", "1 ", "007", "0", "-0", "+5", "12", "-12", "1_000", "12345678901234567890", "9223372036854775808"],
    *["1.5", ".5", "5.", "1e3", "1E-2", "1e400", "0.00001", "NaN", "nan", "Infinity", "-inf", "1,000", "1.000,5", "1,5", "£5", "5%"],
    *["\u0663", "\u0661\u0662", "\uff11"],  # non-ASCII digits: Python's int() reads them
    *["2024-02-29", "2023-02-29", "2024-13-01", "0000-01-01", "9999-12-31", "2024-1-5", "2024-02-30", "2024-12-31"],
    *["true", "false", "yes", "no", "TRUE", "True", "1"],
    *["-", "NA", "n/a", "é", "a,b", 'a"b', "\u00a0x", "x\t", "line\nbreak", "abc", "abcdef", "ward-1", "ward-2"],
]
NUMBERS = ["integer", "number"]
UPDATED = datetime(2024, 4, 1)


@st.composite
def fields(draw: st.DrawFn, index: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(fast.TYPES)))
    field: dict[str, Any] = {"name": f"f{index}", "type": kind}
    if kind in NUMBERS and draw(st.booleans()):
        field["bareNumber"] = False
    if kind == "number" and draw(st.booleans()):
        field.update(draw(st.sampled_from([{"groupChar": ","}, {"decimalChar": ","}, {"groupChar": ".", "decimalChar": ","}])))
    if kind == "boolean" and draw(st.booleans()):
        field.update(trueValues=["yes", "true"], falseValues=["no", "false"])
    if draw(st.booleans()):
        field["missingValues"] = draw(st.sampled_from([[""], ["", "NA"], ["-"], []]))
    constraints: dict[str, Any] = {}
    for name in draw(st.sets(st.sampled_from(["required", "unique", "enum", "bounds", "pattern", "length"]), max_size=2)):
        if name in ("required", "unique"):
            constraints[name] = True
        elif name == "enum":
            constraints["enum"] = draw(st.lists(st.sampled_from(HARD_CELLS[:20] if kind in NUMBERS else HARD_CELLS), min_size=1, max_size=4, unique=True))
        elif name == "bounds" and kind in NUMBERS:
            constraints[draw(st.sampled_from(["minimum", "maximum"]))] = draw(st.integers(-20, 20))
        elif name == "bounds" and kind == "date":
            constraints[draw(st.sampled_from(["minimum", "maximum"]))] = "2024-01-01"
        elif name == "pattern" and kind == "string":
            constraints["pattern"] = draw(st.sampled_from(["[a-z]+", "ward-[0-9]", "[0-9]+"]))
        elif name == "length" and kind == "string":
            constraints[draw(st.sampled_from(["minLength", "maxLength"]))] = draw(st.integers(0, 4))
    if constraints:
        field["constraints"] = constraints
    return field


@st.composite
def tables(draw: st.DrawFn) -> tuple[dict[str, Any], bytes]:
    """A resource (schema inlined) and its CSV file."""
    width = draw(st.integers(1, 3))
    schema: dict[str, Any] = {"fields": [draw(fields(i)) for i in range(width)]}
    if draw(st.booleans()):
        schema["missingValues"] = draw(st.sampled_from([[""], ["", "NA"], ["-", "n/a"]]))
    if draw(st.integers(0, 3)) == 0:
        schema["primaryKey"] = ["f0"]
    cell = st.one_of(st.sampled_from(HARD_CELLS), st.integers(-99, 99).map(str), st.sampled_from(["2024-01-05", "2023-06-30", "ward-3"]))
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), min_size=0, max_size=8))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow([f["name"] for f in schema["fields"]])
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.integers(0, 7)) == 0:
        text = "\ufeff" + text  # Excel's "CSV UTF-8"
    return {"name": "table", "path": "table.csv", "schema": schema}, text.encode("utf-8")


def frictionless_passes(resource: Mapping[str, Any], content: bytes, tmp: Any) -> bool:
    """Whether Frictionless, the byte checks and the number check have nothing to say."""
    (tmp / "table.csv").write_bytes(content)
    if raw_csv.csv_problems(content, "table.csv"):
        return False
    package = Package({"name": "p", "resources": [dict(resource)]}, basepath=str(tmp))
    report, rows = load.validate_and_read(package)
    numeric = [f["name"] for f in resource["schema"]["fields"] if f["type"] in domain.NUMERIC_TYPES]
    return bool(report.valid) and all(domain._finite(row.get(name)) for row in rows["table"] for name in numeric)


@pytest.mark.parametrize("many", [fast.MANY, 0], ids=["value by value", "by pattern"])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(table=tables())
def test_the_fast_path_passes_exactly_the_tables_frictionless_passes(table: tuple[dict[str, Any], bytes], many: int, tmp_path: Any, monkeypatch: Any) -> None:
    resource, content = table
    monkeypatch.setattr(fast, "MANY", many)
    found = fast.check(resource, content, {})
    assert (found is not None) == frictionless_passes(resource, content, tmp_path), content
    if found is not None:  # and its rows are Frictionless' rows, value for value
        _, rows = load.validate_and_read(Package({"name": "p", "resources": [dict(resource)]}, basepath=str(tmp_path)))
        assert list(found.rows) == rows["table"]
        assert [type(v) for row in found.rows for v in row.values()] == [type(v) for row in rows["table"] for v in row.values()]
        by_rows, by_columns = (build_table(resource, tmp_path, table_rows) for table_rows in (rows["table"], found.rows))
        assert downloads.table_json(by_columns) == downloads.table_json(by_rows)  # downloads made from the columns are the same files
        dataset = Dataset("p", "P", "", tmp_path, {"name": "p", "resources": [resource]}, (by_columns,), None)
        made = spreadsheet.workbook(dataset, by_columns, UPDATED)
        assert made == spreadsheet.workbook(dataclasses.replace(dataset, tables=(by_rows,)), by_rows, UPDATED)


def test_a_table_of_many_values_is_read_as_columns_with_frictionless_values() -> None:
    lines = ["id,amount,day,name", *(f"{i},{i % 1000}.{i % 7},2024-02-{i % 29 + 1:02d},n{i}" for i in range(20_000))]
    schema = {
        "fields": [
            {"name": "id", "type": "integer", "constraints": {"unique": True}},
            {"name": "amount", "type": "number"},
            {"name": "day", "type": "date"},
            {"name": "name", "type": "string"},
        ],
        "primaryKey": ["id"],
    }
    found = fast.check({"name": "t", "path": "t.csv", "schema": schema}, "\n".join(lines).encode(), {})
    assert found is not None and isinstance(found.rows, ColumnRows) and len(found.rows) == 20_000
    assert found.rows[19_999] == {"id": 19_999, "amount": Decimal("999.0"), "day": found.rows[19_999]["day"], "name": "n19999"}
    assert str(found.rows[27]["day"]) == "2024-02-28" and str(found.rows[28]["day"]) == "2024-02-29"


def test_a_repeated_key_among_many_rows_is_left_to_frictionless() -> None:
    lines = ["id,name", *(f"{i},n{i}" for i in range(10_000)), "17,again"]
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}], "primaryKey": ["id"]}
    assert fast.check({"name": "t", "path": "t.csv", "schema": schema}, "\n".join(lines).encode(), {}) is None


def test_a_foreign_key_into_a_table_found_valid_is_checked_on_its_values() -> None:
    parents = {"name": "wards", "path": "w.csv", "schema": {"fields": [{"name": "ward", "type": "string"}], "primaryKey": ["ward"]}}
    children = {
        "name": "counts",
        "path": "c.csv",
        "schema": {
            "fields": [{"name": "ward", "type": "string"}],
            "foreignKeys": [{"fields": ["ward"], "reference": {"resource": "wards", "fields": ["ward"]}}],
        },
    }
    files = {"w.csv": b"ward\na\nb\n", "c.csv": b"ward\na\nb\na\n"}
    assert set(fast.check_package([children, parents], lambda r: files[r["path"]])) == {"wards", "counts"}
    files["c.csv"] = b"ward\na\nc\n"
    assert set(fast.check_package([children, parents], lambda r: files[r["path"]])) == {"wards"}


def test_a_table_longer_than_a_worksheet_gets_a_workbook_that_says_so_and_points_to_the_csv(tmp_path: Any) -> None:
    import openpyxl

    length = spreadsheet.MAX_DATA_ROWS + 1
    rows = ColumnRows(["ward"], [Coded(np.zeros(length, dtype=np.int32), ["a"])], length)
    table = build_table({"name": "spending", "path": "spending.csv", "schema": {"fields": [{"name": "ward", "type": "string"}]}}, tmp_path, rows)
    dataset = Dataset("council", "Council", "", tmp_path, {"name": "council", "resources": []}, (table,), None)
    (tmp_path / "book.xlsx").write_bytes(spreadsheet.workbook(dataset, table, UPDATED))
    sheet = openpyxl.load_workbook(tmp_path / "book.xlsx", read_only=True).worksheets[0]
    said = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert said[0].startswith("This table has 1,048,576 rows: more than a worksheet holds (1,048,576 rows, with the header row)")
    assert "spending.csv" in said[1] and len(said) == 2


def test_a_table_that_fits_a_worksheet_has_every_row_in_it(tmp_path: Any) -> None:
    import openpyxl

    rows = ColumnRows(["n"], [Integers(np.arange(50_000, dtype=np.int64), None)], 50_000)
    table = build_table({"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "n", "type": "integer"}]}}, tmp_path, rows)
    dataset = Dataset("p", "P", "", tmp_path, {"name": "p", "resources": []}, (table,), None)
    (tmp_path / "book.xlsx").write_bytes(spreadsheet.workbook(dataset, table, UPDATED))
    values = [row[0] for row in openpyxl.load_workbook(tmp_path / "book.xlsx", read_only=True).worksheets[0].iter_rows(values_only=True)]
    assert values == ["n", *range(50_000)]


@pytest.mark.parametrize("length", [1, 3, 7])
def test_json_made_a_block_of_rows_at_a_time_is_the_json_made_row_by_row(length: int, tmp_path: Any, monkeypatch: Any) -> None:
    from generator.model import columns

    monkeypatch.setattr(columns, "JSON_BLOCK", 3)
    rows = ColumnRows(["n", "day"], [Integers(np.arange(length, dtype=np.int64), None), Coded(np.zeros(length, dtype=np.int32), ["x"])], length)
    schema = {"fields": [{"name": "n", "type": "integer"}, {"name": "day", "type": "string"}]}
    by_columns, by_rows = (build_table({"name": "t", "path": "t.csv", "schema": schema}, tmp_path, held) for held in (rows, list(rows)))
    assert downloads.table_json(by_columns) == downloads.table_json(by_rows)
