"""What a data change does, in Markdown a reviewer reads before merging (the ``diff`` command
and the job summary of every pull request). Pure: changes in (``model.changes``), text out.

Every value taken from data is escaped, so that data never becomes Markdown or HTML.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Sequence

from generator.model import compute
from generator.model.changes import ADDED, CHANGED, REMOVED, FigureChange, PackageChanges, RowChange

ARROW = "→"
MAX_LINES = 200  # per section of a package's summary
FIGURES_TABLE = "observations"  # in an indicator package, its rows are said as figures
_ESCAPED = {ord(c): f"\\{c}" for c in "\\`*_[]<>|~&#"}


def md(value: object) -> str:
    """Text from data, inert in Markdown: the characters that could start markup, a link or
    HTML are escaped with a backslash, and line breaks become spaces."""
    return " ".join(str(value).split()).translate(_ESCAPED)


def code(name: object) -> str:
    """A name from data (a table, a field, a git ref) as a code span, which Markdown shows as it
    is; escaped text when it holds a backtick or a line break."""
    text = str(name)
    return f"`{text}`" if text and "`" not in text and text == " ".join(text.split()) else md(text)


def cell(value: object) -> str:
    """A value of a table as a reader reads it: dates in ISO form, numbers without exponent,
    ``(empty)`` for a missing value."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def status_words(change: FigureChange) -> str:
    """``status Red, unchanged``, ``status Amber → Red``, ``no status, unchanged``."""
    if change.old_status == change.new_status:
        return f"status {md(change.new_status)}, unchanged" if change.new_status else "no status, unchanged"
    return f"status {md(change.old_status or 'none')} {ARROW} {md(change.new_status or 'none')}"


def figure_line(change: FigureChange, currency: compute.Currency) -> str:
    """One figure: ``Number of knife crimes, Year to date: 741 → 760 (status Red, unchanged)``."""
    where = f"{md(change.indicator_title)}, {md(change.period_label)}"
    if change.old is None and change.new is not None:
        status = f"status {md(change.new_status)}" if change.new_status else "no status"
        return f"{where}: {md(compute.format_value(change.new, change.unit, currency))} (new; {status})"
    if change.new is None and change.old is not None:
        return f"{where}: {md(compute.format_value(change.old, change.unit, currency))} (taken out)"
    assert change.old is not None and change.new is not None
    old, new = (md(compute.format_value(v, change.unit, currency)) for v in (change.old, change.new))
    values = f"{old} {ARROW} {new}" if change.revised else f"{new}, unchanged"
    return f"{where}: {values} ({status_words(change)})"


def key_words(change: RowChange) -> str:
    """The row's key as ``indicator_id knife-crimes, period_id ytd``."""
    return ", ".join(f"{code(name)} {md(cell(value))}" for name, value in change.key)


def row_line(change: RowChange) -> str:
    """One row: its table and key, and for a changed row each cell's old and new value."""
    cells = "; ".join(f"{code(name)} {md(cell(old))} {ARROW} {md(cell(new))}" for name, old, new in change.cells)
    return f"{code(change.table)}: {key_words(change)}" + (f": {cells}" if cells else "")


def _section(title: str, lines: Sequence[str]) -> list[str]:
    """A heading and a list of at most ``MAX_LINES`` lines, then how many more there are (a job
    summary holds at most 1 MB, and nobody reviews ten thousand lines one by one)."""
    if not lines:
        return []
    more = [f"- and {len(lines) - MAX_LINES:,} more"] if len(lines) > MAX_LINES else []
    return [f"### {title}", "", *(f"- {line}" for line in lines[:MAX_LINES]), *more, ""]


def package_summary(changes: PackageChanges, currency: compute.Currency) -> str:
    """The Markdown section of one package: a heading, then a list per kind of change (amounts
    of money in ``currency``)."""
    versions = f" ({md(changes.old_version or 'none')} {ARROW} {md(changes.new_version or 'none')})" if changes.old_version != changes.new_version else ""
    lines = [f"## {md(changes.title)}{versions}", ""]
    if changes.package_added:
        count = sum(1 for r in changes.rows if r.kind == ADDED)
        lines += [f"A new package: {count:,} row{'s' if count != 1 else ''} in {len(changes.tables_added) or len({r.table for r in changes.rows})} tables.", ""]
        return "\n".join(lines)
    if changes.package_removed:
        return "\n".join([*lines, "The package is taken out.", ""])
    figures = changes.figures
    lines += _section("Figures changed", [figure_line(f, currency) for f in figures if f.revised])
    lines += _section("New figures", [figure_line(f, currency) for f in figures if f.kind == ADDED])
    lines += _section("Figures taken out", [figure_line(f, currency) for f in figures if f.kind == REMOVED])
    statuses = [(f, md(f.old_status or "no status"), md(f.new_status or "no status")) for f in figures if f.status_changed]
    lines += _section("Statuses that change", [f"{md(f.indicator_title)}, {md(f.period_label)}: {old} {ARROW} {new}" for f, old, new in statuses])
    lines += _section("New periods", [md(label) for _, label in changes.periods_added] if not changes.package_added else [])
    rows = [r for r in changes.rows if not (changes.indicators and r.table == FIGURES_TABLE)]
    lines += _section("Rows added", [row_line(r) for r in rows if r.kind == ADDED])
    lines += _section("Rows removed", [row_line(r) for r in rows if r.kind == REMOVED])
    lines += _section("Rows changed", [row_line(r) for r in rows if r.kind == CHANGED])
    schema = [f"table {code(name)} added" for name in changes.tables_added] + [f"table {code(name)} removed" for name in changes.tables_removed]
    for f in changes.fields:
        if f.kind == ADDED:
            schema.append(f"{code(f.table)}: field {code(f.field)} added ({md(f.new_type)})")
        elif f.kind == REMOVED:
            schema.append(f"{code(f.table)}: field {code(f.field)} removed (was {md(f.old_type)})")
        else:
            schema.append(f"{code(f.table)}: field {code(f.field)} type {md(f.old_type)} {ARROW} {md(f.new_type)}")
    lines += _section("Schema changes", schema)
    return "\n".join(lines)


def summary(changes: Sequence[PackageChanges], baseline: str, currency: compute.Currency, not_compared: Sequence[str] = ()) -> str:
    """The whole summary: what the data is compared with, the packages that could not be
    compared (their earlier data no longer validates; given escaped), then each package that changed."""
    head = ["# What this data change does", "", f"Compared with {baseline}.", ""]
    if not_compared:
        head += [f"Not compared, because its earlier data no longer validates: {', '.join(not_compared)}.", ""]
    if not changes:
        return "\n".join([*head, "No data changes: every package is as it was.", ""])
    return "\n".join(head) + "\n" + "\n".join(package_summary(c, currency) for c in changes)
