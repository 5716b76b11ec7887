"""Checks on a CSV file's bytes and cells that Frictionless lets through.

Downloads are the authors' files, unaltered, so what a spreadsheet export can get wrong is
caught here: an empty file, a file that is not UTF-8, a byte-order mark, NUL bytes, mixed line
endings, cells with spaces around them and cells longer than a spreadsheet cell can hold.
Pure: bytes in, problems out.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator

from generator.problems import Problem

BOM = "\ufeff"
MAX_CELL_CHARACTERS = 32_767  # the most a cell holds in Excel and LibreOffice Calc
MAX_PER_CODE = 20  # problems of one kind reported per file before they are summarised

# White space (as str.strip() sees it, but not a line break) next to a comma, a quote or a line
# break; or a line break next to a quote, which may be one inside a quoted cell.
EDGE_SPACE = re.compile(r'[^\S\r\n][,"\r\n]|[,"\r\n][^\S\r\n]|"[\r\n]|[\r\n]"')

csv.field_size_limit(sys.maxsize)


def csv_problems(content: bytes, file: str) -> list[Problem]:
    """Every problem with one CSV file's bytes; ``file`` is how messages name it."""
    if not content:
        return [
            Problem("empty-file", "The file is empty: it has no header row.", file, fix="Export the table again with its header row, or remove the resource.")
        ]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as err:
        return [_encoding_problem(content, err, file)]
    problems: list[Problem] = []
    if text.startswith(BOM):
        problems.append(
            Problem(
                "utf8-bom",
                "The file starts with a byte-order mark (BOM), an invisible character that many tools read as part of the first column name.",
                file,
                1,
                fix="Save the file as UTF-8 without a BOM: in Notepad choose Save As, Encoding 'UTF-8' (not 'UTF-8 with BOM'); "
                "LibreOffice Calc and Google Sheets save CSV without one.",
            )
        )
        text = text[1:]
    problems.extend(_line_ending_problems(text, file))
    return problems + _summarised(_cell_problems(text, file))


def _encoding_problem(content: bytes, err: UnicodeDecodeError, file: str) -> Problem:
    line = content.count(b"\n", 0, err.start) + 1
    byte = content[err.start]
    guess = content[err.start : err.start + 1].decode("cp1252", errors="replace")
    return Problem(
        "encoding-error",
        f"The file is not UTF-8: byte 0x{byte:02X} on line {line} (perhaps {guess!r} saved as Windows-1252).",
        file,
        line,
        fix="Save the file as CSV UTF-8 (in Excel: Save As, then 'CSV UTF-8'; in LibreOffice: character set 'Unicode (UTF-8)').",
    )


def _record_endings(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, ending)`` of every line break that ends a record, not one inside quotes."""
    quotes = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        quotes += line.count('"')
        ending = line[len(line.rstrip("\r\n")) :]
        if ending and quotes % 2 == 0:
            yield number, ending


def _line_ending_problems(text: str, file: str) -> list[Problem]:
    if "\r" not in text:
        return []  # every line ends in \n
    endings = list(_record_endings(text))
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


def may_have_spaces_or_nul(text: str) -> bool:
    """Whether any cell of a CSV text might hold a NUL or begin or end with white space. False
    means none does, so only the cells' lengths need checking (most files, and it is quicker)."""
    ends = (text[:1], text[-1:])
    return "\x00" in text or any(end.isspace() and end not in "\r\n" for end in ends) or EDGE_SPACE.search(text) is not None


def _cell_problems(text: str, file: str) -> Iterator[Problem]:
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, [])
    every_cell = may_have_spaces_or_nul(text)
    yield from _row_cell_problems(header, header, 1, file)
    row_number = 1
    for row_number, row in enumerate(rows, start=2):
        if every_cell or max(map(len, row), default=0) > MAX_CELL_CHARACTERS:
            yield from _row_cell_problems(row, header, row_number, file)
    if row_number == 1:
        yield Problem("no-rows", "The file has a header row but no data rows.", file, fix="Add the rows of data, or remove the resource from datapackage.json.")


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
            yield Problem(
                "surrounding-spaces",
                f"The value {cell!r} has spaces (or tabs) before or after it.",
                file,
                row_number,
                field,
                f"Remove the spaces: write {cell.strip()!r}.",
            )


def _summarised(problems: Iterable[Problem]) -> list[Problem]:
    """At most ``MAX_PER_CODE`` problems of each kind, then one line saying how many more."""
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
                    code, f"{count - MAX_PER_CODE:,} more cells have the same problem.", first.file, fix="Correct them in the same way, then validate again."
                )
            )
    return kept
