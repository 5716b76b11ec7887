"""What to do about each kind of problem, in words a spreadsheet user can act on.

Each code's general advice is its rule's ``fix`` (``generator/problems/rules.py``); the helpers here
give more specific advice where the offending cell, field or table tells us more.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from generator.problems.rules import DEFAULT_FIX, rule_for

__all__ = ["DEFAULT_FIX", "Suggestions", "checksum_note", "closest", "date_fix", "did_you_mean", "fix_for", "label_fix", "required_fix"]

_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_PERCENT = re.compile(r"^-?\d+(\.\d+)?\s*%$")
_CURRENCY = re.compile(r"^-?[£$€]\s*\d")


def fix_for(code: str, cell: object = None, field: Mapping[str, Any] | None = None) -> str:
    """The most specific advice for a problem code and, where known, the offending cell and
    the descriptor of its field."""
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
        if field is not None and field.get("type") in _EXAMPLES:
            return date_fix(cell, field)
    return rule_for(code).fix


def closest(value: object, known: Iterable[object]) -> str | None:
    """The known value most like ``value`` (a likely misspelling), or None when none is close."""
    candidates = sorted({str(k) for k in known if k is not None})
    text = str(value)
    match = difflib.get_close_matches(text, candidates, n=1, cutoff=0.6) or [c for c in candidates if c.casefold() == text.casefold()]
    return match[0] if match and match[0] != text else None


def did_you_mean(value: object, known: Iterable[object]) -> str:
    """``"Did you mean 'x'? "`` when a known value is close to ``value``, else ``""``."""
    suggestion = closest(value, known)
    return f"Did you mean {suggestion!r}? " if suggestion is not None else ""


class Suggestions:
    """``did_you_mean`` over one set of known values, for many values not found: each value is
    looked up once (rows often share a misspelling), and not at all when the known values or
    the values looked up are too many for the search to stay quick."""

    MAX_KNOWN = 10_000
    MAX_LOOKUPS = 200

    def __init__(self, known: Iterable[object]) -> None:
        self._known = sorted({str(k) for k in known if k is not None})
        self._said: dict[str, str] = {}

    def did_you_mean(self, value: object) -> str:
        """``"Did you mean 'x'? "`` or ``""``, as ``did_you_mean``."""
        text = str(value)
        if text not in self._said:
            quick = len(self._known) <= self.MAX_KNOWN and len(self._said) < self.MAX_LOOKUPS
            self._said[text] = did_you_mean(text, self._known) if quick else ""
        return self._said[text]


# Dates ---------------------------------------------------------------------------------------

_ISO = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%dT%H:%M:%S", "year": "%Y"}
_EXAMPLES = {"date": datetime(2019, 4, 1), "datetime": datetime(2019, 4, 1, 9, 30), "year": datetime(2019, 1, 1)}
_WORDS = {"date": "dates", "datetime": "dates and times", "year": "years"}
_SPELLED = {"%Y": "YYYY", "%y": "YY", "%m": "MM", "%d": "DD", "%H": "hh", "%M": "mm", "%S": "ss", "%b": "Mon", "%B": "Month", "%f": "ffffff", "%z": "+hhmm"}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_YEAR_MONTH_DAY = re.compile(r"^(\d{4})[/.-]?(\d{1,2})[/.-]?(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_WRITTEN = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y")


def _target_format(field: Mapping[str, Any]) -> str:
    kind = str(field.get("type"))
    fmt = field.get("format")
    return fmt if isinstance(fmt, str) and "%" in fmt else _ISO[kind]


def _spelled(fmt: str) -> str:
    return re.sub(r"%[A-Za-z]", lambda m: _SPELLED.get(m.group(), m.group()), fmt)


def _when(numbers: Sequence[str | None], year_first: bool) -> datetime | None:
    parts = [int(n) if n else 0 for n in numbers]
    year, month, day = (parts[0], parts[1], parts[2]) if year_first else (parts[2], parts[1], parts[0])
    try:
        return datetime(year, month, day, parts[3], parts[4], parts[5])
    except ValueError:
        return None


def read_date(cell: str) -> tuple[datetime, str] | None:
    """The date a cell most likely means, with how it was read (for the advice), or None.

    Day/month/year is read first, as written in the UK; month/day/year only when the month
    cannot be the second number (``04/30/2019``).
    """
    text = cell.strip()
    if match := _DAY_MONTH_YEAR.match(text):
        numbers = match.groups()
        when = _when(numbers, year_first=False)
        if when is not None:
            ambiguous = int(numbers[0]) <= 12 and numbers[0] != numbers[1]
            return when, " (read as day/month/year, as in the UK)" if ambiguous else ""
        swapped = _when((numbers[1], numbers[0], *numbers[2:]), year_first=False)
        return (swapped, " (read as month/day/year)") if swapped is not None else None
    if match := _YEAR_MONTH_DAY.match(text):
        when = _when(match.groups(), year_first=True)
        return (when, "") if when is not None else None
    for written in _WRITTEN:
        try:
            return datetime.strptime(text, written), ""
        except ValueError:
            continue
    return None


def date_fix(cell: str, field: Mapping[str, Any]) -> str:
    """How to write a date, date-time or year the field accepts: its format in words, and the
    offending value converted when we can tell what it means (else an example)."""
    kind = str(field.get("type"))
    fmt = _target_format(field)
    read = read_date(cell)
    if kind == "year" and read is None and (years := re.findall(r"(?<!\d)\d{4}(?!\d)", cell)) and len(set(years)) == 1:
        read = datetime(int(years[0]), 1, 1), ""
    advice = f"Write {_WORDS[kind]} as {_spelled(fmt)}, for example "
    if read is None:
        return advice + f"{_EXAMPLES[kind].strftime(fmt)}."
    when, how = read
    text = advice + f"{when.strftime(fmt)} for {cell!r}{how}."
    if kind == "datetime" and ":" not in cell:
        text += " Add the time of day if it is known."
    return text


# Blank required values -----------------------------------------------------------------------


def required_fix(field: Mapping[str, Any], missing_values: Sequence[str], in_primary_key: bool) -> str:
    """What to do about a blank cell in a required field, and how to record a figure that is
    genuinely not available."""
    name = str(field.get("name"))
    advice = f"Enter the {name} for this row. If the figure is genuinely not available, leave the row out and say why in the table's description"
    if in_primary_key:
        return advice + f": {name} is part of the table's key, so every row needs one."
    markers = [m for m in missing_values if m]
    if markers:
        return advice + (
            f'; or, if {name} may be unknown, remove "required" from its constraints in datapackage.json and write {markers[0]!r} '
            "(the missing-value marker the schema declares) in the cell, and explain it in the description."
        )
    return advice + f'; or, if {name} may be unknown, remove "required" from its constraints in datapackage.json and explain the blanks in the description.'


# Header labels -------------------------------------------------------------------------------


def label_fix(code: str, field_name: str | None, label: str | None, resource: Mapping[str, Any], others: Collection[Mapping[str, Any]]) -> str:
    """The fix for a header problem, with what renaming the field in the schema instead would
    change too: the keys that name it."""
    if code == "incorrect-label" and field_name and label:
        text = f"Rename the column {label!r} in the header row to {field_name!r}, the name the schema gives it in this position."
    else:
        text = rule_for(code).fix
    keys = _keys_naming(field_name, resource, others) if code == "incorrect-label" else []
    if keys:
        text += f" If you rename the field in the schema instead, rename it in {' and '.join(keys)} too."
    return text


def checksum_note(resource: Mapping[str, Any]) -> str:
    """What else to change after editing a CSV file whose resource declares its size or
    checksum (else Frictionless reports a second wave of errors about them), or ``""``."""
    declared = [key for key in ("bytes", "hash") if key in resource]
    if not declared:
        return ""
    return f" Editing the CSV changes its size and checksum: update or remove the resource's {' and '.join(declared)} in datapackage.json too."


def _keys_naming(field_name: str | None, resource: Mapping[str, Any], others: Collection[Mapping[str, Any]]) -> list[str]:
    """Where the schemas' keys name a field: this table's primaryKey and foreignKeys, and the
    foreignKeys of other tables that refer to it."""
    if not field_name:
        return []
    schema = resource.get("schema") or {}
    primary = schema.get("primaryKey") or []
    places = ["primaryKey"] if field_name in ([primary] if isinstance(primary, str) else primary) else []
    if any(field_name in _names(key.get("fields")) for key in schema.get("foreignKeys") or [] if isinstance(key, Mapping)):
        places.append("foreignKeys")
    for other in others:
        for key in (other.get("schema") or {}).get("foreignKeys") or []:
            reference = key.get("reference") if isinstance(key, Mapping) else None
            target = reference.get("resource") if isinstance(reference, Mapping) else None
            if other is not resource and target == resource.get("name") and field_name in _names(reference.get("fields")):  # type: ignore[union-attr]
                places.append(f"the foreignKeys of {other.get('name')!r}")
    return places


def _names(fields: object) -> list[str]:
    return [fields] if isinstance(fields, str) else [f for f in fields if isinstance(f, str)] if isinstance(fields, list) else []
