"""A table as an XLSX workbook that is safe to open: text is always text, numbers stay numbers.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is what
spreadsheet programs run as a formula when it is typed or pasted ("CSV injection"). Here every
text cell is stored as a string, never a formula, and such cells also carry Excel's quote
prefix so that editing them keeps them text. Pure: returns the workbook's bytes, which are the
same for the same input (fixed dates inside and in the zip).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter

from generator.model import Dataset, Table

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31  # Excel's limit


def json_value(value: Any) -> Any:
    """A typed cell as a JSON value: numbers as numbers, dates as ISO text, others as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(part, int) for part in value):  # yearmonth
        return f"{value[0]:04d}-{value[1]:02d}"
    return str(value)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula if it were typed in."""
    return text.startswith(FORMULA_TRIGGERS)


def workbook(dataset: Dataset, table: Table, updated: datetime) -> bytes:
    """One table as a workbook: a data sheet, then a notes sheet describing it."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    book.set_properties({"title": table.title, "author": dataset.publisher, "created": updated.replace(tzinfo=None)})
    _data_sheet(book, table)
    _notes_sheet(book, dataset, table, updated)
    book.close()
    return buffer.getvalue()


def _data_sheet(book: xlsxwriter.Workbook, table: Table) -> None:
    sheet = book.add_worksheet(table.name[:MAX_SHEET_NAME])
    bold = book.add_format({"bold": True})
    quoted = book.add_format({"quote_prefix": True})
    iso_date = book.add_format({"num_format": "yyyy-mm-dd"})
    for column, field in enumerate(table.fields):
        sheet.write_string(0, column, field.name, bold)
    for row_index, row in enumerate(table.rows, start=1):
        for column, field in enumerate(table.fields):
            value = row.get(field.name)
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(row_index, column, value)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(row_index, column, float(value))
            elif isinstance(value, date) and not isinstance(value, datetime):
                sheet.write_datetime(row_index, column, datetime(value.year, value.month, value.day), iso_date)
            else:
                text = str(json_value(value))
                sheet.write_string(row_index, column, text, quoted if is_formula_like(text) else None)
    sheet.freeze_panes(1, 0)


def _notes_sheet(book: xlsxwriter.Workbook, dataset: Dataset, table: Table, updated: datetime) -> None:
    sheet = book.add_worksheet("notes")
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    quoted = book.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 3, 60)
    facts: list[tuple[str, str]] = [
        ("Title", table.title),
        ("Description", table.description),
        ("Dataset", dataset.title),
        ("Source", _sources(dataset.descriptor)),
        ("Publisher", dataset.publisher),
        ("Licence", f"{dataset.licence.title} {dataset.licence.path}".strip()),
        ("Last updated", f"{updated:%Y-%m-%d}"),
    ]
    line = 0
    for label, text in facts:
        sheet.write_string(line, 0, label, bold)
        sheet.write_string(line, 1, text, quoted if is_formula_like(text) else wrap)
        line += 1
    line += 1
    for column, heading in enumerate(("Field", "Type", "Required", "Description")):
        sheet.write_string(line, column, heading, bold)
    for field in table.fields:
        line += 1
        cells = (field.name, field.type, "Yes" if field.required or field.name in table.primary_key else "No", field.description)
        for column, text in enumerate(cells):
            sheet.write_string(line, column, text, quoted if is_formula_like(text) else wrap)


def _sources(descriptor: Mapping[str, Any]) -> str:
    sources: Sequence[Any] = descriptor.get("sources") or []
    titles = [str(s.get("title") or s.get("path") or "") for s in sources if isinstance(s, Mapping)]
    return "; ".join(t for t in titles if t) or "Not stated"
