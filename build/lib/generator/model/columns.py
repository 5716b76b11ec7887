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

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

CHUNK = 65_536  # rows made at a time when iterating
JSON_BLOCK = 262_144  # rows of JSON made at a time


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

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same rows (a tuple of dictionaries, or other columns)."""
        if not isinstance(other, Sequence) or isinstance(other, str | bytes) or len(other) != self.length:
            return False
        return all(mine == theirs for mine, theirs in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # rows held in arrays are not hashable, as a list is not

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


def json_array(rows: ColumnRows, encode: Callable[[Any], str]) -> bytes:
    """The rows as a JSON array of objects, one per line (``[\\n{"a": 1, "b": "x"},\\n...\\n]\\n``),
    made column by column: each distinct value is encoded once with ``encode`` (the encoder a
    row would be written with), integers are cast all at once; a block of rows at a time, so
    that little more than the finished text is held. The same text as encoding each row."""
    if rows.length == 0:
        return b"[]\n"
    keys = [("{" if index == 0 else ", ") + encode(name) + ": " for index, name in enumerate(rows.names)]
    values = [_json_values(column, encode) for column in rows.columns]  # each makes the text of a block of rows
    text = bytearray(b"[\n")
    for start in range(0, rows.length, JSON_BLOCK):
        stop = min(start + JSON_BLOCK, rows.length)
        pieces: list[pa.Array | str] = []
        for key, column in zip(keys, values, strict=True):
            pieces += [key, column(start, stop)]
        pieces.append("},\n")
        text += _joined(pc.binary_join_element_wise(*pieces, ""))
    text[-2:] = b"\n]\n"  # the last row ends the array
    return bytes(text)


def _joined(texts: pa.Array) -> memoryview:
    """The strings of an Arrow array one after another, as UTF-8 (nulls are nothing), without copying them."""
    body = pc.fill_null(texts, "").cast(pa.large_string())
    if len(body) == 0 or body.buffers()[2] is None:
        return memoryview(b"")
    offsets, data = body.buffers()[1], body.buffers()[2]
    start, stop = (int(x) for x in np.frombuffer(offsets, dtype=np.int64)[[body.offset, body.offset + len(body)]])
    return memoryview(data)[start:stop]


def concatenated(texts: pa.Array) -> bytes:
    """The strings of an Arrow array one after another, as UTF-8 (nulls are nothing)."""
    return bytes(_joined(texts))


def _json_values(column: Column, encode: Callable[[Any], str]) -> Callable[[int, int], pa.Array]:
    """What makes the JSON values of rows ``start`` to ``stop`` of a column; each distinct value
    is encoded once, for the whole column."""
    if isinstance(column, Integers):
        values, missing = column.values, column.missing
        return lambda start, stop: pc.fill_null(integer_texts(Integers(values[start:stop], None if missing is None else missing[start:stop])), "null")
    if isinstance(column, Texts):
        codes = column.text.dictionary_encode()
        distinct = [encode(Decimal(value) if column.decimal else value) for value in codes.dictionary.to_pylist()]
        texts, indices = pa.array([*distinct, "null"], pa.string()), pc.fill_null(codes.indices, len(distinct))
        return lambda start, stop: texts.take(indices.slice(start, stop - start))
    texts = pa.array([*(encode(value) for value in column.values), "null"], pa.string())
    positions = np.where(column.codes < 0, len(column.values), column.codes)
    return lambda start, stop: texts.take(pa.array(positions[start:stop]))


def integer_texts(column: Integers) -> pa.Array:
    """The integers as decimal text; a row with no value is null."""
    text = pc.cast(pa.array(column.values), pa.string())
    return text if column.missing is None else pc.if_else(pa.array(column.missing), pa.scalar(None, pa.string()), text)


def encoded(column: Coded | Texts, encode: Callable[[Any], str | None]) -> pa.Array:
    """Each row's typed value as ``encode`` writes it, each distinct value encoded once; a row
    with no value is null."""
    if isinstance(column, Texts):
        codes = column.text.dictionary_encode()
        distinct = [None if value is None else encode(Decimal(value) if column.decimal else value) for value in codes.dictionary.to_pylist()]
        return pa.array(distinct, pa.string()).take(codes.indices)
    indices = np.where(column.codes < 0, len(column.values), column.codes)
    return pa.array([*(encode(value) for value in column.values), None], pa.string()).take(pa.array(indices))
