"""What to do about each kind of problem, in words a spreadsheet user can act on."""

from __future__ import annotations

import re

GENERIC_FIXES = {
    "type-error": "Enter a value of the field's type, or leave the cell empty if the field is optional.",
    "constraint-error": "Change the value so that it meets the rule in the field's constraints.",
    "missing-cell": "Add the missing value(s): every row needs as many cells as the header has columns.",
    "extra-cell": "Remove the extra cell(s), or quote a value that contains a comma.",
    "blank-row": "Delete the empty row.",
    "primary-key": "Give each row a unique key: remove the duplicate row or correct its identifier.",
    "unique-error": "Values in this column must be unique: remove or correct the duplicate.",
    "foreign-key": "Use a value that exists in the referenced table, or add it there first.",
    "missing-label": "Add the missing column to the header row (with the exact name in the schema).",
    "extra-label": "Remove the column, or add it to the resource's schema in datapackage.json.",
    "blank-label": "Give the column a name in the header row, or delete the empty column.",
    "duplicate-label": "Rename or remove one of the columns with the same name.",
    "incorrect-label": "Rename the column to the name the schema expects, in the same position.",
    "encoding-error": "Save the file as UTF-8 (in Excel: Save As, then 'CSV UTF-8').",
    "source-error": "Check that the file is a readable CSV file.",
    "scheme-error": "Use a relative path to a file inside the package folder.",
    "format-error": "Save the file as CSV.",
    "byte-count": "Update the resource's bytes property, or remove it.",
    "hash-count": "Update the resource's hash property, or remove it.",
}

DEFAULT_FIX = "Correct the value or the descriptor as the message says, then validate again."

_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_PERCENT = re.compile(r"^-?\d+(\.\d+)?\s*%$")
_CURRENCY = re.compile(r"^-?[£$€]\s*\d")


def fix_for(code: str, cell: object = None) -> str:
    """The most specific advice for a problem code and, where known, the offending cell."""
    if code == "type-error" and isinstance(cell, str):
        if cell != cell.strip():
            return f"Remove the spaces around {cell.strip()!r}."
        if _THOUSANDS.match(cell):
            return f"Write {cell!r} without thousands separators: {cell.replace(',', '')}."
        if _PERCENT.match(cell):
            number = cell.replace("%", "").strip()
            return f"Write {cell!r} as the number {number} (the unit is set by the indicator, not the cell)."
        if _CURRENCY.match(cell):
            return f"Write {cell!r} as a plain number, without the currency sign."
        if "\x00" in cell:
            return "Remove the NUL characters from the cell; re-export the file from the spreadsheet as CSV UTF-8."
    return GENERIC_FIXES.get(code, DEFAULT_FIX)
