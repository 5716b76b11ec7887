"""A package as one editable workbook (``python -m generator workbook``), written with openpyxl.

One sheet per table, named as the table, its header row bold and frozen, its columns sized and
typed as the Table Schema says (``inputs/workbook_cells``: numbers as numbers, dates as Excel
dates, text as text, so ``007`` keeps its zeros), drop-down lists for columns with allowed
values and for foreign keys (an ``indicator_id`` from the ``indicators`` sheet), then a notes
sheet naming the package and describing every field. Imported unedited, it gives back the
package's files byte for byte. Pure: returns the workbook's bytes.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from generator.checks.workbook import EditablePackage, EditableTable
from generator.inputs.workbook_cells import TEXT_FORMAT, to_cell
from generator.inputs.workbook_import import MADE_FROM, NOTES_MARKER, made_from_text

NOTES_SHEET = "notes"
LAST_ROW = 1_048_576  # a sheet's last row: drop-down lists cover every row a table may grow to
MAX_INLINE_LIST = 255  # characters Excel allows in a list written in the validation itself
FORMULA_START = ("=", "+", "-", "@")
MIN_WIDTH, MAX_WIDTH = 8, 60
MAX_MESSAGE = 255
BOLD = Font(bold=True)


def package_workbook(package: EditablePackage) -> bytes:
    """The workbook of a package: a sheet per table, then the notes sheet."""
    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    sheets = {t.name: t.sheet for t in package.tables}
    for table in package.tables:
        _table_sheet(book.create_sheet(table.sheet), table, sheets, {t.name: t for t in package.tables})
    taken = {name.casefold() for name in sheets.values()}
    notes = NOTES_SHEET if NOTES_SHEET not in taken else f"{NOTES_SHEET} (workbook)"
    _notes_sheet(book.create_sheet(notes), package)
    book.properties.title = package.title or package.name
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table_sheet(sheet: Worksheet, table: EditableTable, sheets: Mapping[str, str], tables: Mapping[str, EditableTable]) -> None:
    names = [str(f.get("name", "")) for f in table.fields]
    for index, name in enumerate(names, start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        _as_text(cell, name)
        cell.font = BOLD
    for row_number, record in enumerate(table.records[1:], start=2):
        for index, text in enumerate(record):
            column = table.columns[index] if index < len(table.columns) else None
            typed = to_cell(text, column) if column is not None else None
            cell = sheet.cell(row=row_number, column=index + 1)
            if typed is None or isinstance(typed.value, str):
                _as_text(cell, text)
            else:
                cell.value = typed.value
                cell.number_format = typed.number_format or "General"
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        longest = max((len(r[index - 1]) for r in table.records if index - 1 < len(r)), default=0)
        sheet.column_dimensions[letter].width = max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))
        sheet.column_dimensions[letter].number_format = column.number_format
    for index, field in enumerate(table.fields):
        validation = _drop_down(field, table, index, sheets, tables)
        if validation is not None:
            sheet.add_data_validation(validation)


class UnwritableCell(ValueError):
    """A value no workbook can hold (a control character other than tab and line breaks)."""


def _as_text(cell: Any, text: str) -> None:
    """A text cell that stays text: never a formula, shown as typed.

    Raises:
        UnwritableCell: the text holds a control character a workbook cannot hold.
    """
    control = ILLEGAL_CHARACTERS_RE.search(text)
    if control:
        where = f"{cell.parent.title}!{cell.coordinate}"
        raise UnwritableCell(
            f"{where} would hold the control character U+{ord(control.group()):04X}, which no workbook can hold: remove it from the CSV file first"
        )
    cell.value = text or None
    if text:
        cell.data_type = "s"
        cell.number_format = TEXT_FORMAT
        cell.quotePrefix = text.startswith(FORMULA_START)


def _drop_down(
    field: Mapping[str, Any], table: EditableTable, index: int, sheets: Mapping[str, str], tables: Mapping[str, EditableTable]
) -> DataValidation | None:
    """A list of the allowed values (``enum``), or of the referenced table's keys."""
    name = str(field.get("name", ""))
    required = bool((field.get("constraints") or {}).get("required")) or name in table.primary_key
    letter = get_column_letter(index + 1)
    source, described = _list_source(field, table, sheets, tables)
    if source is None:
        return None
    validation = DataValidation(type="list", formula1=source, allow_blank=not required, showDropDown=False)
    validation.showErrorMessage = True
    validation.errorTitle = "Not an allowed value"  # Excel refuses a title over 32 characters
    error = f"{name} must be {described}."
    validation.error = error if len(error) <= MAX_MESSAGE else "Choose a value from the drop-down list."  # and a message over 255
    validation.add(f"{letter}2:{letter}{LAST_ROW}")
    return validation


def _list_source(field: Mapping[str, Any], table: EditableTable, sheets: Mapping[str, str], tables: Mapping[str, EditableTable]) -> tuple[str | None, str]:
    name = str(field.get("name", ""))
    enum = (field.get("constraints") or {}).get("enum")
    if isinstance(enum, list) and enum:
        words = [str(v) for v in enum]
        inline = ",".join(words)
        if len(inline) <= MAX_INLINE_LIST and not any(c in inline for c in '"') and all("," not in w for w in words):
            return f'"{inline}"', f"one of {', '.join(words)}"
    for key in table.foreign_keys:
        fields, reference = key.get("fields"), key.get("reference") or {}
        fields = [fields] if isinstance(fields, str) else fields
        targets = reference.get("fields")
        targets = [targets] if isinstance(targets, str) else targets
        if fields != [name] or not isinstance(targets, list) or len(targets) != 1:
            continue
        target_name = str(reference.get("resource") or "") or table.name
        target = tables.get(target_name)
        if target is None:
            continue
        target_fields = [str(f.get("name", "")) for f in target.fields]
        if targets[0] not in target_fields:
            continue
        letter = get_column_letter(target_fields.index(targets[0]) + 1)
        return f"{quote_sheetname(sheets[target_name])}!${letter}$2:${letter}${LAST_ROW}", f"a {targets[0]} in the sheet {sheets[target_name]}"
    return None, ""


def _constraints(field: Mapping[str, Any]) -> str:
    constraints = field.get("constraints") or {}
    parts = []
    for key, value in constraints.items():
        if key == "required":
            continue
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        parts.append(f"{'one of' if key == 'enum' else key}: {shown}")
    return "; ".join(parts)


def _drop_down_note(field: Mapping[str, Any], table: EditableTable, sheets: Mapping[str, str], tables: Mapping[str, EditableTable]) -> str:
    source, described = _list_source(field, table, sheets, tables)
    return f"Yes: {described}" if source else ""


def _notes_sheet(sheet: Worksheet, package: EditablePackage) -> None:
    sheets = {t.name: t.sheet for t in package.tables}
    tables = {t.name: t for t in package.tables}
    facts: list[Sequence[str]] = [
        (NOTES_MARKER, package.name),
        ("Title", package.title),
        (
            "How to edit",
            "Edit the table sheets: add, change or delete rows. Keep the sheets and their column names as they are, type values (not formulas), "
            "and leave a cell empty when there is no value. Then import the workbook (the publishers' guide says how); it is checked as a build checks "
            "the data, and nothing is changed while any problem remains.",
        ),
    ]
    facts.append((MADE_FROM, made_from_text({t.sheet: hashlib.sha256(t.original).hexdigest() for t in package.tables})))
    if package.skipped:
        facts.append(
            (
                "Not in this workbook",
                f"Tables edited as files (kept in several files, in an unusual CSV dialect, or at a path outside the package): {', '.join(package.skipped)}",
            )
        )
    rows: list[Sequence[str]] = [
        *facts,
        (),
        ("Sheet", "Column", "Field", "Title", "Description", "Type", "Format", "Required", "Constraints", "Drop-down list"),
    ]
    for table in package.tables:
        for index, field in enumerate(table.fields):
            name = str(field.get("name", ""))
            required = bool((field.get("constraints") or {}).get("required")) or name in table.primary_key
            rows.append(
                (
                    table.sheet,
                    get_column_letter(index + 1),
                    name,
                    str(field.get("title") or ""),
                    str(field.get("description") or ""),
                    str(field.get("type") or "string"),
                    str(field.get("format") or ""),
                    "Yes" if required else "No",
                    _constraints(field),
                    _drop_down_note(field, table, sheets, tables),
                )
            )
    header_row = len(facts) + 2
    for row_number, row in enumerate(rows, start=1):
        for column, text in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            _as_text(cell, text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if row_number == header_row or (column == 1 and row_number < header_row):
                cell.font = BOLD
    for letter, width in zip("ABCDEFGHIJ", (22, 8, 24, 30, 60, 10, 10, 9, 40, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
