"""Frictionless reads ``date`` cells written ``YYYY-MM-DD`` several times faster, with the same results.

Frictionless reads every date of the default format with ``datetime.strptime``, which is a
sixth of the time it takes to validate a table with one date column. A cell of exactly
four ASCII digits, a hyphen, two digits, a hyphen and two digits is read here directly; any other
cell, and any other format, is read by Frictionless as before. Either way an impossible
date ("2024-02-30") is not a date. ``register()`` installs the reader as a Frictionless plugin.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
from frictionless import Plugin, system
from frictionless.fields import DateField

PLUGIN_NAME = "iso-dates"


@attrs.define(kw_only=True, repr=False)
class IsoDateField(DateField):  # type: ignore[misc]
    """Frictionless' date field, with a fast path for ``YYYY-MM-DD`` in the default format."""

    type = "date"

    def create_value_reader(self) -> Callable[[Any], Any]:
        general = super().create_value_reader()  # type: ignore[no-untyped-call]
        if self.format != "default":
            return general  # type: ignore[no-any-return]

        def value_reader(cell: Any) -> Any:
            if type(cell) is str and len(cell) == 10 and cell.isascii() and cell[4] == "-" and cell[7] == "-":
                year, month, day = cell[:4], cell[5:7], cell[8:]
                if year.isdigit() and month.isdigit() and day.isdigit():
                    try:
                        return date(int(year), int(month), int(day))
                    except ValueError:
                        return None
            return general(cell)

        return value_reader


class IsoDates(Plugin):  # type: ignore[misc]
    """The Frictionless plugin that makes ``date`` fields ``IsoDateField``s."""

    def select_field_class(self, type: str | None = None) -> type[DateField] | None:
        return IsoDateField if type == "date" else None


def register() -> None:
    """Install the plugin for this process (again is harmless)."""
    system.register(PLUGIN_NAME, IsoDates())
