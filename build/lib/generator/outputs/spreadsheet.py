"""A table as an XLSX workbook that is safe to open: text is always text, numbers stay numbers.

The workbook holds the data sheet (a bold, frozen header row, then a row per record) and a
notes sheet saying what the table is, where it comes from, its licence and what each field
means. ``xlsx`` writes it and cannot write a formula; text a spreadsheet would run as one
carries the quote prefix. Pure: returns the workbook's bytes, the same for the same input.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from generator.model import urls
from generator.model.columns import Column, ColumnRows, Integers, encoded, integer_texts
from generator.model.dataset import LICENCE_NOT_STATED, Dataset, Licence, Table
from generator.outputs.xlsx import MAX_SHEET_NAME, NOT_IN_SHEET_NAMES, Cell, Rows, Sheet, cell_tail, workbook_bytes

NOTES_SHEET = "notes"
MAX_DATA_ROWS = 1_048_575  # a worksheet holds 1,048,576 rows, the first the header
CELL_TYPES = (str, int, float, Decimal, bool, date)


def json_value(value: Any) -> Any:
    """A typed cell as a JSON value: numbers as numbers, dates as ISO text, others as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(part, int) for part in value):  # yearmonth
        return f"{value[0]:04d}-{value[1]:02d}"
    return str(value)


def cell_value(value: Any) -> Cell:
    """A typed value as a workbook cell: what a spreadsheet can hold as it is, otherwise its text."""
    if value is None or (type(value) in CELL_TYPES):
        return value  # type: ignore[no-any-return]
    return str(json_value(value))


def workbook(dataset: Dataset, table: Table, updated: datetime) -> bytes:
    """One table as a workbook: a data sheet, then a notes sheet describing it."""
    name = sheet_name(table.name)
    if len(table.rows) > MAX_DATA_ROWS:
        data = _too_many_rows(name, dataset, table)
    elif isinstance(table.rows, ColumnRows) and [f.name for f in table.fields] == list(table.rows.names):
        cells = [_cells(column) for column in table.rows.columns]
        data = Sheet(name, [list(table.rows.names)], bold_rows={1}, freeze_rows=1, more=Rows(cells, len(table.rows)))
    else:
        data = Sheet(name, _data_rows(table), bold_rows={1}, freeze_rows=1)
    notes = _notes_sheet(NOTES_SHEET if name.casefold() != NOTES_SHEET else f"{NOTES_SHEET} on this table", dataset, table, updated)
    return workbook_bytes([data, notes], title=table.title, author=dataset.publisher, created=updated.replace(tzinfo=None))


def _too_many_rows(name: str, dataset: Dataset, table: Table) -> Sheet:
    """A data sheet that says the table is too long for a worksheet, and where its data is."""
    csv_file = PurePosixPath(urls.resource_csv(dataset.name, table.name)).name
    lines = [
        (
            f"This table has {len(table.rows):,} rows: more than a worksheet holds ({MAX_DATA_ROWS + 1:,} rows, with the header row), "
            "so they are not in this workbook.",
        ),
        (
            f"Download the CSV file {csv_file} from the same page: it holds every row. Spreadsheet programs open only its first {MAX_DATA_ROWS:,} rows; "
            "data tools (R, Python, a database) read it whole.",
        ),
    ]
    return Sheet(name, lines, widths=(120,), wrap=True)


def _cells(column: Column) -> pa.Array:
    """Each row's cell of one column as the workbook writes it (after its reference)."""
    if isinstance(column, Integers):
        return pc.binary_join_element_wise('"><v>', integer_texts(column), "</v></c>", "")
    return encoded(column, lambda value: cell_tail(cell_value(value)))


def sheet_name(name: str) -> str:
    """A table's name as a sheet may be named: the characters a sheet name cannot hold become
    ``_``, no ``'`` at either end, at most 31 characters; ``data`` when nothing is left."""
    cleaned = NOT_IN_SHEET_NAMES.sub("_", "".join(character if character.isprintable() else "_" for character in name))
    return cleaned.strip("'")[:MAX_SHEET_NAME].strip("'") or "data"


def _data_rows(table: Table) -> Iterator[Sequence[Cell]]:
    names = [field.name for field in table.fields]
    yield names
    for row in table.rows:
        yield [cell_value(row.get(name)) for name in names]


def _notes_sheet(name: str, dataset: Dataset, table: Table, updated: datetime) -> Sheet:
    """What the table is, then a definition of each field under a bold header."""
    facts = [
        ("Title", table.title),
        ("Description", table.description),
        ("Dataset", dataset.title),
        ("Source", _sources(dataset)),
        *([("Publisher", dataset.publisher)] if dataset.publisher else []),
        ("Licence", licence_note(dataset.licence)),
        ("Last updated", f"{updated:%Y-%m-%d}"),
    ]
    fields = [(f.name, f.type, "Yes" if f.required or f.name in table.primary_key else "No", f.description) for f in table.fields]
    rows: list[Sequence[Cell]] = [*facts, (), ("Field", "Type", "Required", "Description"), *fields]
    return Sheet(name, rows, bold_rows={len(facts) + 2}, bold_columns=1, wrap=True, widths=(22, 60, 60, 60))


def licence_note(licence: Licence | None) -> str:
    """The licence as the notes sheet states it: title and address, and whether it is the
    site's default; "Licence not stated" when there is none."""
    if licence is None:
        return LICENCE_NOT_STATED
    default = " (the site's default licence: the package names none)" if licence.site_default else ""
    return f"{licence.title} {licence.path}".strip() + default


def _sources(dataset: Dataset) -> str:
    titles = [f"{s.title} {s.path}".strip() for s in dataset.sources]
    return "; ".join(titles) or "Not stated"
