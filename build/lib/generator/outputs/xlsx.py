"""A small writer of XLSX workbooks (Office Open XML) that cannot write a formula.

Each cell is written from its Python type: ``bool`` as a boolean, a finite ``int``, ``float``
or ``Decimal`` as a number, a ``date`` as a date (shown ``yyyy-mm-dd``), ``str`` as an inline
string and ``None`` as an empty cell. There is no way to ask for a formula, and text that a
spreadsheet would run as one if it were typed in (it begins ``= + - @``, a tab or a carriage
return: "CSV injection") also carries Excel's quote prefix, so that editing the cell keeps it
text. The sheets' XML is written directly, a row at a time, which is several times faster than
a general-purpose library on tables of millions of cells. The same input gives the same bytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from generator.model.columns import concatenated
from generator.outputs.archive import zip_bytes

Cell = str | int | float | Decimal | bool | date | None

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
EXCEL_EPOCH = date(1899, 12, 30).toordinal()  # day 0 of Excel's 1900 date system, counting its phantom 29 February 1900
FIRST_DATE, REAL_DAYS_FROM = date(1900, 1, 1), date(1900, 3, 1)
# Characters XML cannot hold or parsers would change (a carriage return), and text that OOXML
# would read as an escape (_x000D_): both are written as OOXML escapes.
NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
OOXML_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

BOLD, QUOTED, WRAP = 1, 2, 4  # style flags of a text cell; their sum is its index in the style sheet
DATE_STYLE = 8


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula if it were typed in."""
    return text.startswith(FORMULA_TRIGGERS)


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its rows of cells and how they look.

    Attributes:
        name: the tab's name: at most 31 characters, none of ``[]:*?/\\``.
        rows: the rows, top to bottom; each is its cells from column A.
        bold_rows: the numbers (from 1) of the rows whose cells are bold (headers).
        bold_columns: how many columns at the left are bold (labels).
        wrap: whether text wraps and sits at the top of its cell.
        widths: column widths in characters, from column A.
        freeze_rows: how many rows at the top stay in view when scrolling.
    """

    name: str
    rows: Iterable[Sequence[Cell]]
    bold_rows: Collection[int] = ()
    bold_columns: int = 0
    wrap: bool = False
    widths: Sequence[float] = ()
    freeze_rows: int = 0
    more: Rows | None = None  # rows after ``rows``, given column by column


@dataclass(frozen=True)
class Rows:
    """Plain rows (not bold, not wrapped) given column by column, for tables of many rows:
    ``cells[column][row]`` is what ``cell_tail`` writes for the cell, null for an empty one."""

    cells: Sequence[pa.Array]
    count: int


def cell_tail(value: Cell) -> str | None:
    """A plain cell's XML after its reference (``<c r="A2"`` then this); None for an empty cell."""
    return None if value is None else _cell("", value, 0).removeprefix('<c r="')


def _more_rows(more: Rows, first: int) -> str:
    """The XML of ``more``'s rows, numbered from ``first``, made column by column."""
    numbers = pc.cast(pa.array(np.arange(first, first + more.count, dtype=np.int64)), pa.string())
    pieces: list[pa.Array | str] = ['<row r="', numbers, '">']
    for column, cells in enumerate(more.cells):
        pieces.append(pc.fill_null(pc.binary_join_element_wise(f'<c r="{_column_letters(column)}', numbers, cells, ""), ""))
    pieces.append("</row>")
    return concatenated(pc.binary_join_element_wise(*pieces, "")).decode("utf-8")


def workbook_bytes(sheets: Sequence[Sheet], *, title: str, author: str, created: datetime) -> bytes:
    """The workbook of ``sheets``, with its title, author and creation date in its properties.

    Raises:
        ValueError: a sheet name is empty, too long, repeated or holds a character Excel forbids;
            or a cell holds a value of another type than ``Cell``.
    """
    _check_names([sheet.name for sheet in sheets])
    entries = {
        "[Content_Types].xml": _content_types(len(sheets)),
        "_rels/.rels": _relationships(
            [
                ("rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "xl/workbook.xml"),
                ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
            ]
        ),
        "docProps/core.xml": _core_properties(title, author, created),
        "xl/workbook.xml": _workbook(sheets),
        "xl/_rels/workbook.xml.rels": _relationships(
            [(f"rId{n}", f"{RELATIONSHIPS}/worksheet", f"worksheets/sheet{n}.xml") for n in range(1, len(sheets) + 1)]
            + [(f"rId{len(sheets) + 1}", f"{RELATIONSHIPS}/styles", "styles.xml")]
        ),
        "xl/styles.xml": STYLES,
    }
    for number, sheet in enumerate(sheets, start=1):
        entries[f"xl/worksheets/sheet{number}.xml"] = _worksheet(sheet, selected=number == 1)
    return zip_bytes({name: text.encode("utf-8") for name, text in entries.items()}, created)


def _check_names(names: Sequence[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if not name or len(name) > MAX_SHEET_NAME or NOT_IN_SHEET_NAMES.search(name) or name.startswith("'") or name.endswith("'"):
            raise ValueError(f"{name!r} cannot name a sheet: 1 to {MAX_SHEET_NAME} characters, none of []:*?/\\ and no ' at either end")
        if name.casefold() in seen:
            raise ValueError(f"two sheets are named {name!r}")
        seen.add(name.casefold())


def _column_letters(index: int) -> str:
    """``A`` for 0, ``Z`` for 25, ``AA`` for 26..."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _text(value: str) -> str:
    if NEEDS_ESCAPE.search(value):
        value = escape(OOXML_ESCAPE.sub(lambda m: "_x005F_" if m.group() == "_" else f"_x{ord(m.group()):04X}_", value))
    return value


def _text_cell(reference: str, text: str, style: int) -> str:
    if is_formula_like(text):
        style |= QUOTED
    attribute = f' s="{style}"' if style else ""
    return f'<c r="{reference}"{attribute} t="inlineStr"><is><t xml:space="preserve">{_text(text)}</t></is></c>'


def _cell(reference: str, value: Cell, style: int) -> str:
    """One cell's XML; ``style`` is the flags of a text cell. Types are matched exactly: a
    ``bool`` is not written as an ``int``, nor a ``datetime`` as a ``date``."""
    if type(value) is str:
        return _text_cell(reference, value, style)
    if type(value) is int:
        return f'<c r="{reference}"><v>{value}</v></c>'
    if type(value) is bool:
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if type(value) is float or type(value) is Decimal:
        finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
        return f'<c r="{reference}"><v>{value}</v></c>' if finite else _text_cell(reference, str(value), style)
    if type(value) is date:
        if value < FIRST_DATE:
            return _text_cell(reference, value.isoformat(), style)
        serial = value.toordinal() - EXCEL_EPOCH - (value < REAL_DAYS_FROM)
        return f'<c r="{reference}" s="{DATE_STYLE}"><v>{serial}</v></c>'
    raise ValueError(f"a cell cannot hold {type(value).__name__}: {value!r}")


def _worksheet(sheet: Sheet, *, selected: bool) -> str:
    rows: list[str] = []
    letters: list[str] = []
    text_style = WRAP if sheet.wrap else 0
    for number, cells in enumerate(sheet.rows, start=1):
        while len(letters) < len(cells):
            letters.append(_column_letters(len(letters)))
        row_style = text_style | (BOLD if number in sheet.bold_rows else 0)
        xml = "".join(
            _cell(f"{letters[column]}{number}", value, row_style | (BOLD if column < sheet.bold_columns else 0))
            for column, value in enumerate(cells)
            if value is not None
        )
        rows.append(f'<row r="{number}">{xml}</row>')
    count = len(rows)
    if sheet.more is not None and sheet.more.count:
        rows.append(_more_rows(sheet.more, count + 1))
        count += sheet.more.count
        while len(letters) < len(sheet.more.cells):
            letters.append(_column_letters(len(letters)))
    dimension = f"A1:{_column_letters(max(len(letters), 1) - 1)}{max(count, 1)}"
    pane = (
        f'<pane ySplit="{sheet.freeze_rows}" topLeftCell="A{sheet.freeze_rows + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>'
        if sheet.freeze_rows
        else ""
    )
    tab = ' tabSelected="1"' if selected else ""
    view = f'<sheetViews><sheetView{tab} workbookViewId="0">{pane}</sheetView></sheetViews>'
    columns = "".join(f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>' for n, width in enumerate(sheet.widths, start=1))
    return (
        f'{XML_DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><dimension ref="{dimension}"/>{view}'
        f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{columns}</cols>" if columns else ""}'
        f'<sheetData>{"".join(rows)}</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
    )


def _workbook(sheets: Sequence[Sheet]) -> str:
    tabs = "".join(f'<sheet name={quoteattr(sheet.name)} sheetId="{n}" r:id="rId{n}"/>' for n, sheet in enumerate(sheets, start=1))
    return f'{XML_DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><bookViews><workbookView/></bookViews><sheets>{tabs}</sheets></workbook>'


def _relationships(targets: Sequence[tuple[str, str, str]]) -> str:
    links = "".join(f'<Relationship Id="{key}" Type="{kind}" Target="{target}"/>' for key, kind, target in targets)
    return f'{XML_DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{links}</Relationships>'


def _content_types(sheets: int) -> str:
    prefix = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = [
        ("/xl/workbook.xml", f"{prefix}.sheet.main+xml"),
        ("/xl/styles.xml", f"{prefix}.styles+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        *((f"/xl/worksheets/sheet{n}.xml", f"{prefix}.worksheet+xml") for n in range(1, sheets + 1)),
    ]
    overrides = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in parts)
    return (
        f'{XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )


def _core_properties(title: str, author: str, created: datetime) -> str:
    stamp = f"{created:%Y-%m-%dT%H:%M:%SZ}"
    return (
        f'{XML_DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_text(title)}</dc:title><dc:creator>{_text(author)}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
    )


def _styles() -> str:
    """Text styles 0-7 (the sum of BOLD, QUOTED and WRAP), then the date style (8)."""
    text_styles = []
    for flags in range(8):
        quoted = ' quotePrefix="1"' if flags & QUOTED else ""
        alignment = '<alignment vertical="top" wrapText="1"/>' if flags & WRAP else ""
        text_styles.append(
            f'<xf numFmtId="0" fontId="{flags & BOLD}" fillId="0" borderId="0" xfId="0"{quoted} applyFont="1" applyAlignment="1">{alignment}</xf>'
        )
    date_style = '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    return (
        f'{XML_DECLARATION}<styleSheet xmlns="{MAIN}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(text_styles) + 1}">{"".join(text_styles)}{date_style}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )


STYLES = _styles()
