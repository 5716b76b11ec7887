"""How a CSV value becomes a workbook cell and back, so a workbook opened, saved and imported
unedited gives back the very same text.

A value becomes a typed cell (a number, an Excel date, TRUE/FALSE) only when its field's Table
Schema type says so and the cell turns back into exactly the text it came from; anything else
(``007`` in an integer column, ``NA`` where a number is missing, ``1e5``) stays text, which the
validation then judges as it judges the CSV file. Reading back, numbers lose a spreadsheet's
float noise (15 significant digits, as Excel keeps), dates are written as the field's format
says, and text is kept exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

TEXT_FORMAT = "@"  # Excel's "Text" number format: what is typed in the cell stays text
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DEFAULT_TRUE = ("true", "True", "TRUE", "1")  # Table Schema's defaults
DEFAULT_FALSE = ("false", "False", "FALSE", "0")
SIGNIFICANT_DIGITS = 15  # what a spreadsheet keeps of a number
PLAIN_INTEGER = re.compile(r"-?(0|[1-9][0-9]{0,14})")
PLAIN_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.([0-9]+))?")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")
YEAR = re.compile(r"[1-9][0-9]{3}")
FIXED_DECIMALS = re.compile(r"0(\.(0+))?")

Cell = str | int | float | bool | date | datetime | None


@dataclass(frozen=True)
class Column:
    """One field as a workbook column: its name, Table Schema type and format, and the words
    the CSV file writes for true and false (so TRUE in a cell goes back as the file wrote it)."""

    name: str
    type: str = "string"
    format: str = "default"
    true_word: str = "true"
    false_word: str = "false"

    @property
    def number_format(self) -> str:
        """The format of the whole column, for cells typed in new rows: dates look like dates,
        text columns keep what is typed (``007``) as text; numbers are left General."""
        if self.type == "date" and self.format in ("default", ""):
            return DATE_FORMAT
        if self.type == "datetime":
            return DATETIME_FORMAT
        if self.type in ("integer", "number", "boolean", "year", "date"):
            return "General"
        return TEXT_FORMAT


def column_for(field: Mapping[str, Any], values: Sequence[str] = ()) -> Column:
    """A field's column; ``values`` (the column's text in the CSV file) decide which of the
    allowed words for true and false the file uses."""
    kind = str(field.get("type") or "string")
    true_words = [str(w) for w in field.get("trueValues") or DEFAULT_TRUE]
    false_words = [str(w) for w in field.get("falseValues") or DEFAULT_FALSE]
    return Column(
        str(field.get("name", "")),
        kind,
        str(field.get("format") or "default"),
        _most_used(true_words, values),
        _most_used(false_words, values),
    )


def _most_used(words: Sequence[str], values: Sequence[str]) -> str:
    counts = {word: sum(value == word for value in values) for word in words}
    return max(words, key=lambda word: (counts[word], -words.index(word))) if words else ""


@dataclass(frozen=True)
class Typed:
    """A CSV value as a cell: the value and its number format (``None``: the column's)."""

    value: Cell
    number_format: str | None = None


def to_cell(text: str, column: Column) -> Typed:
    """The cell for one CSV value: typed when it turns back into the same text, else text."""
    if text == "":
        return Typed(None)
    typed = _typed(text, column)
    if typed is not None and from_cell(typed.value, column, typed.number_format or "General") == text:
        return typed
    return Typed(text, TEXT_FORMAT)


def _typed(text: str, column: Column) -> Typed | None:
    if column.type == "integer" and PLAIN_INTEGER.fullmatch(text):
        return Typed(int(text), "0")
    if column.type == "year" and YEAR.fullmatch(text):
        return Typed(int(text), "0")
    if column.type == "number":
        match = PLAIN_NUMBER.fullmatch(text)
        if match and len(text.replace("-", "").replace(".", "").lstrip("0")) <= SIGNIFICANT_DIGITS:
            decimals = len(match.group(3) or "")
            return Typed(int(text) if not decimals else float(text), "0." + "0" * decimals if decimals else "0")
    if column.type == "boolean" and text in (column.true_word, column.false_word):
        return Typed(text == column.true_word)
    if column.type == "date":
        day = _date(text, column.format)
        return None if day is None else Typed(day, DATE_FORMAT)
    if column.type == "datetime" and column.format in ("default", "") and ISO_DATETIME.fullmatch(text):
        try:
            return Typed(datetime.fromisoformat(text), DATETIME_FORMAT)
        except ValueError:
            return None
    return None


def _date(text: str, fmt: str) -> date | None:
    try:
        if fmt in ("default", ""):
            return date.fromisoformat(text) if ISO_DATE.fullmatch(text) else None
        if fmt == "any" or "%" not in fmt:
            return None
        return datetime.strptime(text, fmt).date()
    except ValueError:
        return None


def from_cell(value: object, column: Column, number_format: str = "General") -> str:
    """The CSV text for one cell as a spreadsheet saved it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return column.true_word if value else column.false_word
    if isinstance(value, int | float | Decimal):
        return number_text(value, number_format)
    if isinstance(value, datetime):
        return _datetime_text(value, column)
    if isinstance(value, date):
        return _date_text(value, column)
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def _date_text(day: date, column: Column) -> str:
    if column.type == "yearmonth":  # 2018-02 typed in a cell becomes the 1st of the month
        return f"{day.year:04d}-{day.month:02d}"
    if column.type == "date" and column.format not in ("default", "", "any") and "%" in column.format:
        return day.strftime(column.format)
    return day.isoformat()


def _datetime_text(moment: datetime, column: Column) -> str:
    if column.type == "datetime":
        return moment.isoformat()
    if moment.time() == time(0) or column.type in ("date", "yearmonth"):
        return _date_text(moment.date(), column)
    return moment.isoformat()


def number_text(value: int | float | Decimal, number_format: str = "General") -> str:
    """A number as plain CSV text: no exponent, no float noise (``0.30000000000000004`` is
    ``0.3``), and as many decimals as a fixed format shows (``1.50`` in a ``0.00`` cell)."""
    if isinstance(value, int):
        text = str(value)
    else:
        try:
            rounded = Decimal(f"{float(value):.{SIGNIFICANT_DIGITS}g}")
        except (InvalidOperation, ValueError, OverflowError):
            return str(value)
        if not rounded.is_finite():
            return str(value)
        text = format(rounded, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if text in ("-0", ""):
            text = "0"
    fixed = FIXED_DECIMALS.fullmatch(number_format)
    if fixed and fixed.group(2):
        wanted = len(fixed.group(2))
        whole, _, decimals = text.partition(".")
        if len(decimals) < wanted:
            text = f"{whole}.{decimals.ljust(wanted, '0')}"
    return text
