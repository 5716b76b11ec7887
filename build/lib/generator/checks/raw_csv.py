"""Checks on a CSV file's bytes and cells that Frictionless lets through.

Downloads are the authors' files, unaltered, so what a spreadsheet export can get wrong is
caught here: an empty file, a file that is not in its declared encoding (UTF-8 unless the
resource says otherwise), NUL bytes, mixed line endings, cells with spaces around them and
cells longer than a spreadsheet cell can hold. The file is read as the resource's ``dialect``
(and ``format``) describe it: a semicolon-separated or tab-separated file is read as such.
A UTF-8 byte-order mark is allowed (Excel's "CSV UTF-8" writes one). Pure: bytes in,
problems out.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from generator.problems.records import MORE_CELLS, Problem, Severity

BOM = "\ufeff"
MAX_CELL_CHARACTERS = 32_767  # the most a cell holds in Excel and LibreOffice Calc
MAX_PER_CODE = 20  # problems of one kind reported per file before they are summarised
FATAL = frozenset({"empty-file", "encoding-error"})  # after these the file cannot be read as a table at all
UTF8_NAMES = frozenset({"utf-8", "utf-8-sig"})

csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class Dialect:
    """How a CSV file is written (the CSV Dialect properties this generator reads)."""

    delimiter: str = ","
    quote_char: str = '"'
    double_quote: bool = True
    escape_char: str | None = None
    skip_initial_space: bool = False
    header: bool = True
    comment_char: str | None = None


def _one_character(value: object, default: str | None) -> str | None:
    return value if isinstance(value, str) and len(value) == 1 else default


def dialect_of(resource: Mapping[str, Any]) -> Dialect:
    """The dialect of a resource (schema and dialect inlined): its ``dialect`` object (Data
    Package v1 and v2 names) over the default of its ``format``, or of its path's extension
    when it has none (``tsv`` is tab-separated)."""
    raw = resource.get("dialect")
    declared: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    delimiter = "\t" if table_format(resource) == "tsv" else ","
    header_rows = declared.get("headerRows")
    header = declared.get("header", not (isinstance(header_rows, list) and not header_rows))
    return Dialect(
        delimiter=_one_character(declared.get("delimiter"), delimiter) or delimiter,
        quote_char=_one_character(declared.get("quoteChar"), '"') or '"',
        double_quote=declared.get("doubleQuote", True) is not False,
        escape_char=_one_character(declared.get("escapeChar"), None),
        skip_initial_space=declared.get("skipInitialSpace") is True,
        header=header is not False,
        comment_char=_one_character(declared.get("commentChar"), None),
    )


def encoding_of(resource: Mapping[str, Any]) -> str | None:
    """The resource's declared ``encoding``, if it declares one."""
    encoding = resource.get("encoding")
    return encoding if isinstance(encoding, str) else None


def table_format(resource: Mapping[str, Any]) -> str:
    """The resource's declared ``format`` in lower case, else its (first) path's extension."""
    declared = resource.get("format")
    if isinstance(declared, str) and declared:
        return declared.lower().lstrip(".")
    path = resource.get("path")
    first = path[0] if isinstance(path, list) and path else path
    return PurePosixPath(first).suffix.lower().lstrip(".") if isinstance(first, str) else ""


def _edge_space(dialect: Dialect) -> re.Pattern[str]:
    # White space (as str.strip() sees it, but not a line break) next to a delimiter, a quote or
    # a line break; or a line break next to a quote, which may be one inside a quoted cell.
    marks = re.escape(dialect.delimiter + dialect.quote_char)
    quote = re.escape(dialect.quote_char)
    return re.compile(rf"[^\S\r\n][{marks}\r\n]|[{marks}\r\n][^\S\r\n]|{quote}[\r\n]|[\r\n]{quote}")


EDGE_SPACE = _edge_space(Dialect())


def csv_problems(content: bytes, file: str, dialect: Dialect = Dialect(), encoding: str | None = None) -> list[Problem]:
    """Every problem with one CSV file's bytes; ``file`` is how messages name it, ``encoding``
    the resource's declared encoding (UTF-8 when ``None``)."""
    return table_problems([(content, file)], dialect, encoding)


def table_problems(parts: Sequence[tuple[bytes, str]], dialect: Dialect = Dialect(), encoding: str | None = None) -> list[Problem]:
    """Every problem with the files of one table: one file, or several (a ``path`` array), each
    given as ``(bytes, name in messages)``. Several files are one table read one after another
    (the Data Resource specification); a later file may start with the header row again (as
    Frictionless expects), which is then skipped, or go straight to the rows (as the
    specification's plain concatenation means)."""
    problems: list[Problem] = []
    header: list[str] | None = None
    data_rows = 0
    for index, (content, file) in enumerate(parts):
        if not content:
            fix = "Export the table again with its header row, or remove the resource."
            problems.append(Problem("empty-file", "The file is empty: it has no header row.", file, fix=fix))
            continue
        found, text = _decoded(content, file, encoding)
        problems.extend(found)
        if text is None:
            continue
        problems.extend(_line_ending_problems(text, file, dialect.quote_char))
        facts: dict[str, Any] = {}
        problems.extend(_summarised(_cell_problems(text, file, dialect, facts, header if index else None)))
        data_rows += facts["rows"]
        header = header if index else facts["header"]
        if index < len(parts) - 1 and not text.endswith(("\n", "\r")):
            problems.append(
                Problem(
                    "multipart-file",
                    f"The file does not end with a line break: joined as they are, its last row would run into the first row of "
                    f"{parts[index + 1][1]}, the next file of the same table (the site adds the line break; other tools may not).",
                    file,
                    text.count("\n") + 1,
                    fix="Open the file and save it again as CSV (or add a line break after the last row).",
                    severity=Severity.WARNING,
                )
            )
    if data_rows == 0 and not any(p.code in FATAL for p in problems):
        fix = "Add the rows of data, or remove the resource from datapackage.json."
        problems.append(Problem("no-rows", "The file has a header row but no data rows.", parts[0][1], fix=fix))
    return problems


@dataclass(frozen=True)
class Part:
    """One file of a table kept in several: how many rows it holds (as a spreadsheet numbers
    them) and whether its first is the table's header row again, skipped when they are joined."""

    rows: int
    repeats_header: bool


def layout(parts: Sequence[bytes], dialect: Dialect = Dialect(), encoding: str | None = None) -> list[Part]:
    """How the files of one table (already checked: decodable, not empty) make it up."""
    found: list[Part] = []
    header: list[str] | None = None
    for index, content in enumerate(parts):
        _, text = _decoded(content, "", encoding)
        records = list(_reader(text or "", dialect))
        header = header if index else (records[0] if records else [])
        repeats = bool(index and dialect.header and records and records[0] == header)
        found.append(Part(len(records), repeats))
    return found


def joined(parts: Sequence[bytes], dialect: Dialect = Dialect(), encoding: str | None = None) -> bytes:
    """The files of one table (already checked: decodable, not empty) as the one CSV file they
    make: their text one after another, without the first line of a later file that repeats the
    header row or the byte-order mark of a later file, and with a line break after a file that
    does not end with one. In the declared encoding: for UTF-8 and one-byte encodings the bytes
    of each file are kept as they are."""
    if len(parts) == 1:
        return parts[0]
    codec = _codec(encoding) or "utf-8"
    pieces = []
    for index, (content, part) in enumerate(zip(parts, layout(parts, dialect, encoding), strict=True)):
        text = _decoded(content, "", encoding)[1] or ""
        if part.repeats_header:
            text = LINE_BREAK.split(text, maxsplit=1)[1] if LINE_BREAK.search(text) else ""
        if index < len(parts) - 1 and text and not text.endswith(("\n", "\r")):
            text += "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
        pieces.append(text)
    bom = codecs.BOM_UTF8 if codec == "utf-8" and parts[0].startswith(codecs.BOM_UTF8) else b""
    return bom + "".join(pieces).encode(codec)


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _codec(encoding: str | None) -> str | None:
    """Python's name for a declared encoding; ``None`` when Python knows no such character
    encoding (or only a bytes-to-bytes one, such as base64)."""
    try:
        "a".encode(encoding or "utf-8")  # LookupError for an unknown or bytes-to-bytes codec
        return codecs.lookup(encoding or "utf-8").name
    except (LookupError, ValueError):
        return None


def _decoded(content: bytes, file: str, encoding: str | None) -> tuple[list[Problem], str | None]:
    """The file's text in its declared encoding (without a byte-order mark), or the problem."""
    codec = _codec(encoding)
    if codec is None:
        return [
            Problem(
                "encoding-error",
                f"The declared encoding {encoding!r} is not a known character encoding.",
                file,
                fix='Correct the resource\'s "encoding" in datapackage.json (for example "utf-8", "windows-1252" or "latin-1"), or remove it for UTF-8.',
            )
        ], None
    if codec in UTF8_NAMES:
        try:
            return [], content.decode("utf-8").removeprefix(BOM)
        except UnicodeDecodeError as err:
            return [_encoding_problem(content, err, file)], None
    try:
        text = content.decode(codec).removeprefix(BOM)
    except UnicodeDecodeError as err:
        line = content.count(b"\n", 0, err.start) + 1
        return [
            Problem(
                "encoding-error",
                f"The file is not {encoding} text as its resource declares: byte 0x{content[err.start]:02X} on line {line} cannot be read.",
                file,
                line,
                fix='Correct the resource\'s "encoding" in datapackage.json to the one the file was saved in, '
                'or save the file as CSV UTF-8 and remove "encoding".',
            )
        ], None
    return _mismatch_problems(content, text, file, str(encoding)), text


def _mismatch_problems(content: bytes, text: str, file: str, encoding: str) -> list[Problem]:
    """A warning when a file declared in a one-byte encoding (latin-1...) is really UTF-8:
    read as declared, "£3m" would come out as "Â£3m"."""
    if content.isascii() or (_codec(encoding) or "").startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
        return []
    try:
        utf8 = content.decode("utf-8")
    except UnicodeDecodeError:
        return []
    start = next(i for i, byte in enumerate(content) if byte > 127)
    line = content.count(b"\n", 0, start) + 1
    seen, meant = (value.splitlines()[line - 1].strip() if value.splitlines() else "" for value in (text, utf8.removeprefix(BOM)))
    return [
        Problem(
            "encoding-mismatch",
            f"The file is declared as {encoding} but it is UTF-8 text: line {line} would read {seen[:60]!r} instead of {meant[:60]!r}.",
            file,
            line,
            fix='Set "encoding": "utf-8" on the resource in datapackage.json (or remove "encoding": UTF-8 is the default).',
            severity=Severity.WARNING,
        )
    ]


def _encoding_problem(content: bytes, err: UnicodeDecodeError, file: str) -> Problem:
    line = content.count(b"\n", 0, err.start) + 1
    byte = content[err.start]
    guess = content[err.start : err.start + 1].decode("cp1252", errors="replace")
    return Problem(
        "encoding-error",
        f"The file is not UTF-8: byte 0x{byte:02X} on line {line} (perhaps {guess!r} saved as Windows-1252).",
        file,
        line,
        fix="Save the file as CSV UTF-8 (in Excel: Save As, then 'CSV UTF-8'; in LibreOffice: character set 'Unicode (UTF-8)'); "
        'or, if it is meant to be Windows-1252, say so with "encoding": "windows-1252" on the resource in datapackage.json.',
    )


def _record_endings(text: str, quote_char: str = '"') -> Iterator[tuple[int, str]]:
    """``(line number, ending)`` of every line break that ends a record, not one inside quotes."""
    quotes = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        quotes += line.count(quote_char)
        ending = line[len(line.rstrip("\r\n")) :]
        if ending and quotes % 2 == 0:
            yield number, ending


def _line_ending_problems(text: str, file: str, quote_char: str = '"') -> list[Problem]:
    if "\r" not in text:
        return []  # every line ends in \n
    endings = list(_record_endings(text, quote_char))
    counts = Counter(ending for _, ending in endings)
    if len(counts) < 2:
        return []
    usual = counts.most_common(1)[0][0]
    first_odd = next(number for number, ending in endings if ending != usual)
    names = {"\r\n": "Windows (CRLF)", "\n": "Unix (LF)", "\r": "old Mac (CR)"}
    found = ", ".join(f"{count} {names.get(ending, repr(ending))}" for ending, count in counts.most_common())
    return [
        Problem(
            "mixed-line-endings",
            f"Lines end in different ways ({found}); line {first_odd} is the first that differs.",
            file,
            first_odd,
            fix="Open the file in your spreadsheet program and save it again as CSV, so that every line ends the same way.",
        )
    ]


def may_have_spaces_or_nul(text: str, dialect: Dialect = Dialect()) -> bool:
    """Whether any cell of a CSV text might hold a NUL or begin or end with white space. False
    means none does, so only the cells' lengths need checking (most files, and it is quicker)."""
    ends = (text[:1], text[-1:])
    edge = EDGE_SPACE if dialect == Dialect() else _edge_space(dialect)
    return "\x00" in text or any(end.isspace() and end not in "\r\n" for end in ends) or edge.search(text) is not None


def _reader(text: str, dialect: Dialect) -> Iterator[list[str]]:
    """The records of a CSV text, without comment rows."""
    rows = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=dialect.delimiter,
        quotechar=dialect.quote_char,
        doublequote=dialect.double_quote,
        escapechar=dialect.escape_char,
        skipinitialspace=dialect.skip_initial_space,
    )
    comment = dialect.comment_char
    return (row for row in rows if not (comment and row and row[0].startswith(comment)))


def _cell_problems(text: str, file: str, dialect: Dialect, facts: dict[str, Any], table_header: list[str] | None = None) -> Iterator[Problem]:
    """The problems of every cell; ``facts`` gets the ``header`` and the number of data ``rows``.
    ``table_header`` is the header row of the table's first file when this is a later one: its
    first row is a header only if it repeats that one."""
    rows = _reader(text, dialect)
    header = next(rows, []) if dialect.header else []
    first = 2 if dialect.header else 1
    if table_header is not None and dialect.header and header != table_header:
        rows, header, first = itertools.chain([header], rows), table_header, 1  # a later file that goes straight to its rows
    elif table_header is not None:
        header = table_header
    facts["header"], facts["rows"] = header, 0
    every_cell = may_have_spaces_or_nul(text, dialect)
    if first == 2:
        yield from _row_cell_problems(header, header, 1, file)
    for row_number, row in enumerate(rows, start=first):
        facts["rows"] = row_number - first + 1
        if every_cell or max(map(len, row), default=0) > MAX_CELL_CHARACTERS:
            yield from _row_cell_problems(row, header, row_number, file)


SPACE_NAMES = {" ": "spaces", "\t": "tabs", "\xa0": "a non-breaking space", "\r": "a carriage return", "\n": "a line break"}


def _surrounding_space_problem(cell: str, file: str, row_number: int, field: str) -> Problem:
    stripped = cell.strip()
    edges = cell[: len(cell) - len(cell.lstrip())] + cell[len(cell.rstrip()) :]
    kinds = list(dict.fromkeys(SPACE_NAMES.get(character, "invisible white space") for character in edges))
    what = " and ".join(kinds)
    if kinds == ["spaces"]:
        fix = f"Remove the spaces: write {stripped!r}."
    else:
        fix = f"Remove {' and '.join(kind.replace('a ', 'the ', 1) if kind.startswith('a ') else 'the ' + kind for kind in kinds)}: write {stripped!r}."
        if "a non-breaking space" in kinds:
            fix += (
                " A non-breaking space looks like a space but is not one (it comes with text pasted from a web page or a document):"
                " in a spreadsheet, find and replace it (Ctrl+H, then Alt+0160) with nothing."
            )
        if "a carriage return" in kinds or "a line break" in kinds:
            fix += " The line break is inside the cell (Alt+Enter in Excel): click into the cell and delete it."
    return Problem(
        "surrounding-spaces",
        f"The value {cell!r} has {what} before or after it.",
        file,
        row_number,
        field,
        fix,
        Severity.WARNING,
    )


def _row_cell_problems(row: list[str], header: list[str], row_number: int, file: str) -> Iterator[Problem]:
    for column, cell in enumerate(row):
        field = header[column] if column < len(header) and header[column] else f"column {column + 1}"
        if "\x00" in cell:
            yield Problem(
                "nul-byte",
                "The cell holds NUL characters (invisible bytes of value zero).",
                file,
                row_number,
                field,
                "Delete the cell's contents and type them again, or re-export the file from the spreadsheet as CSV UTF-8.",
            )
        elif len(cell) > MAX_CELL_CHARACTERS:
            yield Problem(
                "cell-too-large",
                f"The cell holds {len(cell):,} characters; a spreadsheet cell holds at most {MAX_CELL_CHARACTERS:,}, so downloads would be cut short.",
                file,
                row_number,
                field,
                "Shorten the text, or publish it as a separate document and put its address in the cell.",
            )
        elif cell != cell.strip():
            yield _surrounding_space_problem(cell, file, row_number, field)


def _summarised(problems: Iterable[Problem]) -> list[Problem]:
    """At most ``MAX_PER_CODE`` problems of each kind, then one line saying how many more
    (``problems.sort_key`` puts it after its examples)."""
    kept: list[Problem] = []
    seen: Counter[str] = Counter()
    for problem in problems:
        seen[problem.code] += 1
        if seen[problem.code] <= MAX_PER_CODE:
            kept.append(problem)
    for code, count in seen.items():
        if count > MAX_PER_CODE:
            first = next(p for p in kept if p.code == code)
            kept.append(
                Problem(
                    code,
                    f"{count - MAX_PER_CODE:,} {MORE_CELLS}.",
                    first.file,
                    fix="Correct them in the same way, then validate again.",
                    severity=first.severity,
                )
            )
    return kept
