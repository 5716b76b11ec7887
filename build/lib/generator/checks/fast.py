"""The fast path of validation: a whole table read as columns, valid or not decided here.

Frictionless reads a table one row and one cell at a time; that is most of the time of a
large build. Here a CSV file is parsed by Arrow into columns of text, and each column is
checked at once: the common shapes of a value (``-12``, ``3.5``) are recognised by a regular
expression over the column; every other distinct value is read by Frictionless' own cell
reader for that field, so types, formats, ``missingValues``, ``bareNumber``, ``groupChar``,
``decimalChar``, ``trueValues``, dates and the field constraints mean exactly what they mean
to Frictionless. ``unique``, ``primaryKey`` and ``foreignKeys`` (inside the package) are
checked on the columns' codes.

``check`` answers with the table's rows (``ColumnRows``) when it is valid, and ``None`` when
it is not, or when it uses anything this path does not implement (another dialect, an
encoding other than UTF-8, a declared size or checksum, a field type or format not listed
here, a blank row, white space around a cell...). ``None`` sends the table to Frictionless
and the byte checks, as before, whose report is what the publisher sees: this path never
writes a message, so every message stays as it is.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from frictionless import Detector, Schema

from generator.checks import raw_csv
from generator.inputs import iso_dates
from generator.model.columns import Coded, Column, ColumnRows, Integers, Texts

TYPES = frozenset({"string", "integer", "number", "boolean", "date"})
FIELD_KEYS = frozenset(
    {"name", "title", "description", "type", "format", "constraints", "missingValues", "bareNumber", "groupChar", "decimalChar", "trueValues", "falseValues"}
    | {"example", "rdfType", "unit"}
)
CONSTRAINTS = frozenset({"required", "unique", "enum", "minimum", "maximum", "pattern", "minLength", "maxLength"})
SCHEMA_KEYS = frozenset({"fields", "primaryKey", "foreignKeys", "missingValues", "uniqueKeys"})
RESOURCE_KEYS = frozenset({"name", "path", "title", "description", "schema", "format", "mediatype", "encoding", "dialect", "profile", "type"})
RESOURCE_KEYS |= frozenset({"licenses", "sources", "homepage", "scheme", "bytes"})
DIALECT_KEYS = frozenset({"delimiter", "header", "quoteChar", "doubleQuote", "lineTerminator", "caseSensitiveHeader", "csvddfVersion"})
SNIFFED_DELIMITERS = ",\t;|"  # what Frictionless guesses among when the dialect names no delimiter
SAMPLE_LINES = 100  # lines Frictionless reads to guess the dialect
ENCODING_BUFFER = 10_000  # bytes Frictionless reads to guess the encoding
INTEGER = r"^[+-]?[0-9]{1,18}$"  # read the same by int() and by Arrow's int64 cast
DECIMAL = r"^[+-]?([0-9]{1,15}(\.[0-9]{0,15})?|\.[0-9]{1,15})$"  # finite, well under the largest number the site computes with
PLAIN_NUMBER_OPTIONS = frozenset({"bareNumber", "groupChar", "decimalChar"})
WHITE = "".join(chr(code) for code in range(0x110000) if chr(code).isspace())  # what str.strip() removes
EMPTY_LINE = re.compile(rb"(^|\n)\r?\n")
DECODE_BLOCK = 16 * 1024 * 1024  # bytes checked as UTF-8 at a time
MANY = 5_000  # distinct values above which a column of integers, numbers or strings is checked by pattern, not value by value


@dataclass(frozen=True)
class Table:
    """A table this path has read and found valid: its columns by field name (typed rows)."""

    rows: ColumnRows

    def distinct(self, names: Sequence[str]) -> set[tuple[Any, ...]]:
        """The distinct typed value tuples of some columns (as Frictionless compares keys)."""
        columns = [self.rows.column(name) for name in names]
        return set(zip(*columns, strict=True))


def supported(resource: Mapping[str, Any]) -> bool:
    """Whether this path implements everything the resource uses (schema and dialect inlined)."""
    schema, dialect = resource.get("schema"), resource.get("dialect", {})
    if not isinstance(schema, Mapping) or not isinstance(dialect, Mapping) or not isinstance(resource.get("path"), str):
        return False
    if any(not key.startswith("x-") and key not in RESOURCE_KEYS for key in resource):
        return False
    if any(not key.startswith("x-") and key not in DIALECT_KEYS for key in dialect) or raw_csv.table_format(resource) != "csv":
        return False
    if dialect.get("header", True) is not True or dialect.get("quoteChar", '"') != '"' or dialect.get("doubleQuote", True) is not True:
        return False
    if not is_utf8(raw_csv.encoding_of(resource)):
        return False
    if any(not key.startswith("x-") and key not in SCHEMA_KEYS for key in schema):
        return False
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields or not all(isinstance(f, Mapping) and _supported_field(f) for f in fields):
        return False
    return all(isinstance(k, Mapping) and isinstance(k.get("reference"), Mapping) for k in schema.get("foreignKeys", []))


def _supported_field(field: Mapping[str, Any]) -> bool:
    constraints = field.get("constraints", {})
    return (
        field.get("type", "any") in TYPES
        and field.get("format", "default") == "default"
        and all(key.startswith("x-") or key in FIELD_KEYS for key in field)
        and isinstance(constraints, Mapping)
        and all(key in CONSTRAINTS for key in constraints)
    )


def check(resource: Mapping[str, Any], content: bytes, tables: Mapping[str, Table]) -> Table | None:
    """The table, read as columns, when it is valid; ``None`` when it is not, or when this path
    cannot decide (Frictionless then validates it). ``tables`` are the package's tables already
    found valid here, by name, for foreign keys (a key into any other table is not decided)."""
    if not supported(resource) or resource.get("scheme", "file") != "file" or resource.get("bytes", len(content)) != len(content):
        return None
    text = _sound_head(resource, content)  # the header and the lines Frictionless guesses the dialect from
    if text is None:
        return None
    schema = Schema.from_descriptor(dict(resource["schema"]))
    names = [field.name for field in schema.fields]
    delimiter = raw_csv.dialect_of(resource).delimiter
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    if header != names or len(set(names)) != len(names) or not _same_dialect(resource, text, delimiter):
        return None
    if len(names) == 1 and EMPTY_LINE.search(content):
        return None  # a single column reads an empty line as an empty cell; Frictionless as a blank row
    cells = _parsed(pa.py_buffer(memoryview(content)[len(codecs.BOM_UTF8) if content.startswith(codecs.BOM_UTF8) else 0 :]), delimiter, len(names))
    if cells is None or cells.num_rows == 0 or _too_long(cells):
        return None
    if _spaced(header) or any(pc.any(pc.not_equal(pc.utf8_trim(c, WHITE), c)).as_py() for c in cells.columns):
        return None  # a cell with white space around it: the byte checks warn
    iso_dates.register()
    columns: list[Column] = []
    for index, field in enumerate(schema.fields):
        column = _column(field, cells.column(index).combine_chunks(), schema)
        if column is None:
            return None
        columns.append(column)
    if _has_blank_row(columns, cells.num_rows):
        return None
    rows = cells.num_rows
    del cells
    pa.default_memory_pool().release_unused()  # the text of the file is no longer needed: give its memory back
    table = Table(ColumnRows(names, columns, rows))
    if not _keys_hold(resource["name"], schema, table, tables):
        return None
    return table


def _sound_head(resource: Mapping[str, Any], content: bytes) -> str | None:
    """The text of the file's first lines when the byte checks have nothing to say about the
    file, else None. The file is checked where it is, never copied whole as text."""
    if not content or b"\x00" in content:
        return None
    sample = content[:ENCODING_BUFFER]
    if raw_csv.encoding_of(resource) is None and not sample.isascii() and Detector().detect_encoding(sample) not in ("utf-8", "utf-8-sig"):
        return None  # Frictionless would read it in the encoding it guesses
    if b"\r" in content and not (content.count(b"\r") == content.count(b"\r\n") == content.count(b"\n")):
        return None  # line endings of more than one kind
    if not content.isascii():
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for start in range(0, len(content), DECODE_BLOCK):
                decoder.decode(content[start : start + DECODE_BLOCK], final=start + DECODE_BLOCK >= len(content))
        except UnicodeDecodeError:
            return None
    end = -1
    for _ in range(SAMPLE_LINES):
        end = content.find(b"\n", end + 1)
        if end < 0:
            break
    head = content if end < 0 else content[: end + 1]
    return head.decode("utf-8").removeprefix(raw_csv.BOM)


def _same_dialect(resource: Mapping[str, Any], text: str, delimiter: str) -> bool:
    """Whether Frictionless reads the file with this delimiter, '"' as quote, no escape
    character and no skipped initial space (it guesses what the dialect does not say)."""
    declared = resource.get("dialect", {}).get("delimiter")
    sample = "".join(line for _, line in zip(range(SAMPLE_LINES), io.StringIO(text, newline=""), strict=False))
    try:
        guessed: Any = csv.Sniffer().sniff(sample, declared or SNIFFED_DELIMITERS)
    except csv.Error:
        guessed = csv.excel()
    quote = '"' if guessed.quotechar == "'" else guessed.quotechar
    return bool((declared or guessed.delimiter) == delimiter and quote == '"' and not guessed.escapechar and not guessed.skipinitialspace)


def _parsed(data: pa.Buffer, delimiter: str, width: int) -> pa.Table | None:
    """Every data row (of UTF-8 ``data``) as columns of text, or None when a row has another number of cells."""
    names = [f"c{i}" for i in range(width)]
    try:
        return pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None


def _spaced(cells: Sequence[str]) -> bool:
    return any(cell != cell.strip() for cell in cells)


def _has_blank_row(columns: Sequence[Column], rows: int) -> bool:
    """Whether a row has no value in any column (every cell a missing value): Frictionless' blank row."""
    if any((isinstance(c, Integers) and c.missing is None) or (isinstance(c, Texts) and c.text.null_count == 0) for c in columns):
        return False  # a column with a value in every row
    blank = np.ones(rows, dtype=bool)
    for column in columns:
        if isinstance(column, Coded):
            blank &= column.codes < 0
        elif isinstance(column, Integers):
            blank &= column.missing if column.missing is not None else False
        else:
            blank &= column.text.is_null().to_numpy(zero_copy_only=False)
    return bool(blank.any())


def _too_long(cells: pa.Table) -> bool:
    return any((pc.max(pc.utf8_length(column)).as_py() or 0) > raw_csv.MAX_CELL_CHARACTERS for column in cells.columns)


def _column(field: Any, text: pa.Array, schema: Schema) -> Column | None:
    """A column of text as typed values, or None when a value breaks its field (or a typed
    value is one the site cannot compute with)."""
    missing_values = field.missing_values if field.has_defined("missing_values") else schema.missing_values
    missing = pc.is_in(text, value_set=pa.array(missing_values, pa.string())) if missing_values else None
    constraints = field.constraints or {}
    plain = set(constraints) <= {"required", "unique"} and not (PLAIN_NUMBER_OPTIONS & set(field.list_defined()))
    if constraints.get("required") and missing is not None and pc.any(missing).as_py():
        return None
    encoded = text.dictionary_encode()
    if len(encoded.dictionary) > MANY and plain and field.type in ("integer", "number", "string"):
        return _by_pattern(field, text, missing)
    return _by_value(field, encoded)


def _by_value(field: Any, encoded: pa.DictionaryArray) -> Column | None:
    """Each distinct value read by Frictionless' cell reader for the field."""
    read: Callable[[Any], tuple[Any, Any]] = field.create_cell_reader()
    values = []
    for cell in encoded.dictionary.to_pylist():
        value, notes = read(cell)
        if notes or not _computable(value):
            return None
        values.append(value)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32)
    canonical = _canonical(values, codes)
    if field.constraints.get("unique") and _repeats(canonical.codes[canonical.codes >= 0]):
        return None
    return canonical


def _canonical(values: list[Any], codes: np.ndarray[Any, np.dtype[np.int32]]) -> Coded:
    """The column with one code per distinct typed value (``01`` and ``1`` are one integer;
    a missing value is ``None``, code -1)."""
    position: dict[Any, int] = {}
    kept: list[Any] = []
    remap = np.empty(len(values) + 1, dtype=np.int32)
    for index, value in enumerate(values):
        if value is None:
            remap[index] = -1
            continue
        key = (type(value) is bool, value)  # True == 1 as keys; not as values of one column
        if key not in position:
            position[key] = len(kept)
            kept.append(value)
        remap[index] = position[key]
    return Coded(remap[codes], kept)


def _computable(value: Any) -> bool:
    """Whether arithmetic and charts can use a typed value (the domain check's rule)."""
    if isinstance(value, Decimal):
        return value.is_finite() and abs(value) <= Decimal("1e300")
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) <= 10**300
    return True


def _by_pattern(field: Any, text: pa.Array, missing: pa.Array | None) -> Column | None:
    """A column of many distinct values: those of the common shape recognised all at once, the
    few others read by Frictionless' cell reader."""
    if field.type == "string":
        return Texts(text if missing is None else pc.if_else(missing, pa.scalar(None, pa.string()), text)) if _unique_ok(field, text, missing) else None
    shape = pc.match_substring_regex(text, INTEGER if field.type == "integer" else DECIMAL)
    if missing is not None:
        shape = pc.or_(shape, missing)
    others = np.flatnonzero(~shape.to_numpy(zero_copy_only=False))
    read = field.create_cell_reader()
    if len(others) > len(text) // 100:
        return _by_value(field, text.dictionary_encode())
    if field.type == "number":
        if any(_read_fails(read, cell) for cell in set(text.take(pa.array(others)).to_pylist())):
            return None
        if len(others) or not _unique_ok(field, text, missing):
            return _by_value(field, text.dictionary_encode())  # few odd numbers: read every value exactly
        return Texts(text if missing is None else pc.if_else(missing, pa.scalar(None, pa.string()), text), decimal=True)
    numbers = np.zeros(len(text), dtype=np.int64)
    usual = np.flatnonzero(shape.to_numpy(zero_copy_only=False) & ~(np.zeros(len(text), bool) if missing is None else missing.to_numpy(zero_copy_only=False)))
    numbers[usual] = pc.cast(text.take(pa.array(usual)), pa.int64()).to_numpy()
    absent = np.zeros(len(text), dtype=bool) if missing is None else missing.to_numpy(zero_copy_only=False).copy()
    for index, cell in zip(others.tolist(), text.take(pa.array(others)).to_pylist(), strict=True):
        value, notes = read(cell)
        if notes or not _computable(value) or (value is not None and not -(2**63) <= value < 2**63):
            return None
        if value is None:
            absent[index] = True
        else:
            numbers[index] = value
    if field.constraints.get("unique") and _repeats(numbers[~absent]):
        return None
    return Integers(numbers, absent if absent.any() else None)


def _read_fails(read: Callable[[Any], tuple[Any, Any]], cell: str) -> bool:
    value, notes = read(cell)
    return bool(notes) or not _computable(value)


def _unique_ok(field: Any, text: pa.Array, missing: pa.Array | None) -> bool:
    """For a column of strings or numbers kept as text: no two rows hold one value, when the
    field must be unique (two numbers written differently may be equal: read them)."""
    if not field.constraints.get("unique"):
        return True
    kept = text if missing is None else text.filter(pc.invert(missing))
    if field.type == "number":
        return len({Decimal(value) for value in kept.to_pylist()}) == len(kept)
    return len(pc.unique(kept)) == len(kept)


def _repeats(values: np.ndarray[Any, Any]) -> bool:
    """Whether a value is in two rows."""
    return bool((np.diff(np.sort(values)) == 0).any())


def _keys_hold(name: str, schema: Schema, table: Table, tables: Mapping[str, Table]) -> bool:
    """The primary key holds (no two rows with one key, no row with none) and every foreign key
    value is in the table it refers to (one in this package already found valid here)."""
    key = list(schema.primary_key)
    if len(key) == 1 and not _single_key_holds(table.rows.columns[table.rows.names.index(key[0])]):
        return False
    if len(key) > 1:
        rows = list(zip(*(table.rows.column(field) for field in key), strict=True))
        if any(all(value is None for value in row) for row in rows) or len(set(rows)) != len(rows):
            return False
    for foreign in schema.foreign_keys:
        target_name = foreign["reference"].get("resource") or name
        target = table if target_name == name else tables.get(target_name)
        if target is None:
            return False
        wanted = {row for row in table.distinct(foreign["fields"]) if any(value is not None for value in row)}
        if not wanted <= target.distinct(foreign["reference"]["fields"]):
            return False
    return True


def _single_key_holds(column: Column) -> bool:
    """A one-field primary key: every row has a value, and no two the same."""
    if isinstance(column, Coded):
        return bool((column.codes >= 0).all()) and not _repeats(column.codes)
    if isinstance(column, Integers):
        return column.missing is None and not _repeats(column.values)
    if column.text.null_count:
        return False
    return len({Decimal(value) for value in column.text.to_pylist()}) == len(column.text) if column.decimal else len(pc.unique(column.text)) == len(column.text)


def is_utf8(encoding: str | None) -> bool:
    """Whether a declared encoding (or none) is UTF-8."""
    try:
        return encoding is None or codecs.lookup(encoding).name in raw_csv.UTF8_NAMES
    except LookupError:
        return False


def check_package(resources: Sequence[Mapping[str, Any]], read: Callable[[Mapping[str, Any]], bytes]) -> dict[str, Table]:
    """The tables of a package this path finds valid, by name; a table whose foreign keys
    refer to another is checked after it (a cycle, or a key into a table not found valid
    here, leaves the table to Frictionless). ``read`` gives a resource's bytes."""
    found: dict[str, Table] = {}
    waiting = [r for r in resources if supported(r)]
    while waiting:
        ready = [r for r in waiting if all(t in found or t == r["name"] for t in _targets(r))]
        if not ready:
            break
        for resource in ready:
            table = check(resource, read(resource), found)
            if table is not None:
                found[resource["name"]] = table
        waiting = [r for r in waiting if r not in ready and all(t in found or t == r["name"] or t in _names(waiting) for t in _targets(r))]
    return found


def _targets(resource: Mapping[str, Any]) -> set[str]:
    keys = (resource.get("schema") or {}).get("foreignKeys", [])
    return {str(k["reference"].get("resource") or resource["name"]) for k in keys}


def _names(resources: Sequence[Mapping[str, Any]]) -> set[str]:
    return {str(r["name"]) for r in resources}
