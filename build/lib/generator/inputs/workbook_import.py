"""Reading an edited workbook back: each sheet's cells (read by openpyxl, never by hand), the
cells a table cannot hold (formulas, error values, merged cells) as problems placed in the
workbook's own terms (``observations!C14``), and a sheet turned into the CSV text its table's
file holds, keeping every unchanged record's bytes as the file wrote them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from generator.inputs.workbook_cells import Column, from_cell
from generator.problems.records import Problem

NOTES_MARKER = "Package"  # cell A1 of the notes sheet; B1 names the package
MADE_FROM = "Made from"  # a row of the notes sheet: each table's file as it was when the workbook was made
LINE_ENDING = re.compile(r"\r\n|\n|\r")
PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")
UTF8_BOM = b"\xef\xbb\xbf"
BOOLEAN_FORMULA = re.compile(r"=(TRUE|FALSE)(\(\))?", re.IGNORECASE)
ENDINGS = ("\r\n", "\n", "\r")


def cell_ref(sheet: str, column: int | None = None, row: int | None = None) -> str:
    """``observations!C14`` (a cell), ``observations!C:C`` (a column), ``observations!14:14``
    (a row) or ``observations`` (the sheet); ``column`` counts from 0."""
    if column is not None and row is not None:
        return f"{sheet}!{get_column_letter(column + 1)}{row}"
    if column is not None:
        letter = get_column_letter(column + 1)
        return f"{sheet}!{letter}:{letter}"
    if row is not None:
        return f"{sheet}!{row}:{row}"
    return sheet


@dataclass(frozen=True)
class ReadCell:
    """A cell's value as openpyxl reads it, with its number format."""

    value: object
    number_format: str = "General"


@dataclass
class ReadSheet:
    """One sheet: its header row as text and its other rows, up to the last row holding a value."""

    name: str
    header: list[str]
    rows: list[list[ReadCell]]
    problems: list[Problem] = field(default_factory=list)
    notes_of: str | None = None  # the package named in B1, when this is a notes sheet
    made_from: dict[str, str] = field(default_factory=dict)  # sheet -> SHA-256 of its table's file, from the notes sheet


def made_from_text(hashes: dict[str, str]) -> str:
    """``observations: 3f2a...; periods: 9b1c...``: each sheet's file's SHA-256, for the notes sheet."""
    return "; ".join(f"{sheet}: {digest}" for sheet, digest in hashes.items())


def _made_from(rows: Sequence[Sequence[ReadCell]]) -> dict[str, str]:
    for row in rows:
        if len(row) > 1 and row[0].value == MADE_FROM and isinstance(row[1].value, str):
            pairs = (part.rpartition(": ") for part in row[1].value.split("; "))
            return {sheet: digest for sheet, _, digest in pairs if sheet and digest}
    return {}


def read_workbook(path: Path, file: str) -> tuple[list[ReadSheet], list[Problem]]:
    """Every sheet of the workbook, and the problems of reading it (``file`` names it in them).

    Formulas and error values are problems (the cell's own place, what it holds); so is every
    merged range: a table's cell holds one value."""
    try:
        book = openpyxl.load_workbook(path, data_only=False, rich_text=False)
    except (OSError, InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as err:
        why = "it does not exist" if isinstance(err, FileNotFoundError) else f"it is not an .xlsx workbook ({type(err).__name__})"
        return [], [
            Problem(
                "workbook-unreadable",
                f"The workbook cannot be read: {why}.",
                file,
                fix="Save it from Excel or LibreOffice as an Excel Workbook (.xlsx), then import it again.",
            )
        ]
    sheets = []
    for sheet in book.worksheets:
        values = [list(row) for row in sheet.iter_rows()]
        problems = [
            Problem(
                "workbook-merged-cell",
                f"The cells {merged.coord} are merged; each cell of a table holds one value.",
                f"{sheet.title}!{merged.coord}",
                fix="Select the cells and choose Unmerge Cells, then type each cell's value.",
            )
            for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
        ]
        rows: list[list[ReadCell]] = []
        for row in values:
            read = []
            for cell in row:
                value = cell.value
                if isinstance(value, str) and cell.data_type == "f" and BOOLEAN_FORMULA.fullmatch(value):
                    value = value.upper().startswith("=TRUE")  # how LibreOffice saves TRUE and FALSE
                elif cell.data_type == "f" or isinstance(value, ArrayFormula | DataTableFormula):
                    text = value.text if isinstance(value, ArrayFormula) else str(value)
                    problems.append(_formula_problem(f"{sheet.title}!{cell.coordinate}", f"a formula ({text})"))
                    value = None
                elif cell.data_type == "e":
                    problems.append(_formula_problem(f"{sheet.title}!{cell.coordinate}", f"an error value ({value})"))
                    value = None
                read.append(ReadCell(value, str(cell.number_format or "General")))
            rows.append(read)
        while rows and all(c.value is None or c.value == "" for c in rows[-1]):
            rows.pop()
        width = max((i + 1 for row in rows for i, c in enumerate(row) if c.value not in (None, "")), default=0)
        rows = [row[:width] + [ReadCell(None)] * (width - len(row)) for row in rows]
        header = ["" if c.value is None else str(c.value) for c in rows[0]] if rows else []
        notes_of = str(rows[0][1].value) if len(header) > 1 and header[0] == NOTES_MARKER and rows[0][1].value is not None else None
        made_from = _made_from(rows) if notes_of else {}
        sheets.append(ReadSheet(sheet.title, header, rows[1:], problems, notes_of, made_from))
    return sheets, []


def _formula_problem(where: str, what: str) -> Problem:
    return Problem(
        "workbook-formula",
        f"The cell holds {what}; a table's file holds values, so a workbook imports values only.",
        where,
        fix="Type the value itself (or copy the cell and paste it back with Paste Special > Values only).",
    )


def sheet_records(sheet: ReadSheet, columns: Sequence[Column]) -> list[list[str]]:
    """The sheet's rows as CSV records (the header first), each cell as its column's text."""
    records = [list(sheet.header)]
    for row in sheet.rows:
        records.append([from_cell(cell.value, columns[i] if i < len(columns) else Column(""), cell.number_format) for i, cell in enumerate(row)])
    return records


@dataclass(frozen=True)
class CsvStyle:
    """How a table's file is written: its delimiter, quote character and encoding."""

    delimiter: str = ","
    quote_char: str = '"'
    encoding: str = "utf-8"


def raw_records(text: str, style: CsvStyle = CsvStyle()) -> list[tuple[list[str], str]]:
    """Each record of a CSV text with the exact text it was written as (its line ending too)."""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for line in PHYSICAL_LINE.findall(text):
            consumed.append(line)
            yield line

    records = []
    for record in csv.reader(lines(), delimiter=style.delimiter, quotechar=style.quote_char):
        records.append((record, "".join(consumed)))
        consumed.clear()
    return records


def csv_bytes(records: Sequence[Sequence[str]], original: bytes | None, style: CsvStyle = CsvStyle()) -> bytes:
    """The file's bytes for these records. A record the file already holds keeps its bytes (its
    quoting, its line ending), so an unedited sheet gives back the file byte for byte and an
    edit changes only the lines it touches; others are written with as few quotes as possible."""
    codec = style.encoding.lower().replace("_", "-")
    bom = original is not None and codec in ("utf-8", "utf8", "utf-8-sig") and original.startswith(UTF8_BOM)
    text = original.decode("utf-8-sig" if codec in ("utf-8", "utf8", "utf-8-sig") else style.encoding) if original is not None else ""
    ending_match = LINE_ENDING.search(text)
    ending = ending_match.group() if ending_match else "\n"
    old = [(_same(values), raw) for values, raw in raw_records(text, style)]
    spare: dict[tuple[str, ...], list[str]] = {}
    for index, (values, raw) in enumerate(old):
        if index >= len(records) or _same(records[index]) != values:
            spare.setdefault(values, []).append(raw)
    pieces = []
    for index, record in enumerate(records):
        key = _same(record)
        if index < len(old) and old[index][0] == key:
            raw = old[index][1]
        elif spare.get(key):
            raw = spare[key].pop(0)
        else:
            buffer = io.StringIO()
            csv.writer(buffer, delimiter=style.delimiter, quotechar=style.quote_char, lineterminator=ending).writerow(record)
            raw = buffer.getvalue()
        pieces.append(raw if raw.endswith(ENDINGS) else raw + ending)
    out = "".join(pieces)
    if text and not text.endswith(ENDINGS) and out.endswith(ending):
        out = out[: -len(ending)]
    data = out.encode("utf-8" if codec == "utf-8-sig" else style.encoding)
    return UTF8_BOM + data if bom else data


def _same(record: Sequence[str]) -> tuple[str, ...]:
    """A record as compared with the file's: a line break inside a cell is the same whichever
    kind it is (a workbook stores every one as a line feed)."""
    return tuple(LINE_ENDING.sub("\n", value) for value in record)
