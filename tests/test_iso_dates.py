"""The fast date reader gives exactly what Frictionless' own reader gives, for any cell."""

from __future__ import annotations

from datetime import date

import pytest
from frictionless import system
from frictionless.fields import DateField
from hypothesis import example, given
from hypothesis import strategies as st

from generator.inputs.iso_dates import IsoDateField, register

FAST = IsoDateField(name="day").create_value_reader()
FRICTIONLESS = DateField(name="day").create_value_reader()

iso_like = st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99))


@given(cell=st.text(max_size=12) | iso_like)
@example(cell="2024-02-29")
@example(cell="2023-02-29")
@example(cell="2024-1-5")
@example(cell="0000-01-01")
@example(cell="٢٠٢٤-٠١-٠٥")
@example(cell="2024-01-0²")
@example(cell="2024/01/05")
def test_every_cell_reads_as_frictionless_reads_it(cell: str) -> None:
    assert FAST(cell) == FRICTIONLESS(cell)


@pytest.mark.parametrize(("cell", "expected"), [("2024-03-02", date(2024, 3, 2)), ("2024-02-30", None), ("2024-1-5", date(2024, 1, 5)), ("soon", None)])
def test_dates_and_not_dates(cell: str, expected: date | None) -> None:
    assert FAST(cell) == expected


def test_another_format_is_left_to_frictionless() -> None:
    reader = IsoDateField(name="day", format="%d/%m/%Y").create_value_reader()
    assert reader("02/03/2024") == date(2024, 3, 2)
    assert reader("2024-03-02") is None


def test_once_registered_frictionless_uses_it_for_date_fields() -> None:
    register()
    assert system.select_field_class("date") is IsoDateField
    assert system.select_field_class("integer") is not IsoDateField
