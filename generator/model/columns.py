"""A table's typed rows kept as columns: what the fast validation path reads a CSV file into.

``ColumnRows`` is a sequence of rows (each a dictionary keyed by field name, with the same
Python values Frictionless gives: ``int``, ``Decimal``, ``date``, ``bool``, ``str`` or
``None``), so everything that reads rows reads it as before; but it holds one array per
column, not a dictionary per row. A column of few distinct values is their list and, for
each row, the position of its value in it; a column of many integers is a NumPy array; a
column of many numbers or strings is the Arrow array of their text. Rows are made when they
are asked for, and pickled columns cross between processes as a few large buffers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, overload

import numpy as np
import pyarrow as pa

CHUNK = 65_536  # rows made at a time when iterating


@dataclass(frozen=True)
class Coded:
    """A column of few distinct values: ``values[codes[row]]`` (a code of -1 is ``None``)."""

    codes: np.ndarray[Any, np.dtype[np.int32]]
    values: Sequence[Any]

    def chunk(self, start: int, stop: int) -> list[Any]:
        """The typed values of rows ``start`` to ``stop`` (from 0)."""
        values = [*self.values, None]  # code -1 picks the None at the end
        return [values[code] for code in self.codes[start:stop].tolist()]


@dataclass(frozen=True)
class Integers:
    """A column of integers; ``missing`` marks the rows with no value (``None``)."""

    values: np.ndarray[Any, np.dtype[np.int64]]
    missing: np.ndarray[Any, np.dtype[np.bool_]] | None

    def chunk(self, start: int, stop: int) -> list[Any]:
        """The typed values of rows ``start`` to ``stop`` (from 0)."""
        values: list[Any] = self.values[start:stop].tolist()
        if self.missing is not None:
            for index in np.flatnonzero(self.missing[start:stop]).tolist():
                values[index] = None
        return values


@dataclass(frozen=True)
class Texts:
    """A column of strings, or of numbers kept as their text (``decimal``: read as ``Decimal``,
    as Frictionless reads a number); a null is ``None``."""

    text: pa.Array
    decimal: bool = False

    def chunk(self, start: int, stop: int) -> list[Any]:
        """The typed values of rows ``start`` to ``stop`` (from 0)."""
        values: list[Any] = self.text.slice(start, stop - start).to_pylist()
        if self.decimal:
            return [None if value is None else Decimal(value) for value in values]
        return values


Column = Coded | Integers | Texts


class ColumnRows(Sequence[dict[str, Any]]):
    """Typed rows held as columns, read as a sequence of dictionaries keyed by field name."""

    def __init__(self, names: Sequence[str], columns: Sequence[Column], length: int) -> None:
        self.names, self.columns, self.length = tuple(names), tuple(columns), length

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self.length)
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return self._rows(start, max(start, stop))
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError(index)
        return self._rows(index, index + 1)[0]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for start in range(0, self.length, CHUNK):
            yield from self._rows(start, min(start + CHUNK, self.length))

    def _rows(self, start: int, stop: int) -> list[dict[str, Any]]:
        chunks = [column.chunk(start, stop) for column in self.columns]
        return [dict(zip(self.names, values, strict=True)) for values in zip(*chunks, strict=True)]

    def column(self, name: str) -> list[Any]:
        """Every typed value of one column, in row order."""
        return self.columns[self.names.index(name)].chunk(0, self.length)
