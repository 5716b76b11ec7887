"""Importing an edited workbook, checked exactly as a build checks the package.

Each sheet becomes the CSV text its table's file would hold (``inputs/workbook_import``); the
would-be files are written into a temporary copy of the datasets folder, which is validated as
a build validates (``validate_all``: every package, so a key another package refers to is
checked too). Every problem in a table of the workbook is placed in the workbook's own terms
(``observations!C14``). Nothing here writes the project: the caller writes the files only
when there are no problems.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from openpyxl.utils import get_column_letter

from generator.checks import raw_csv
from generator.checks.validate import validate_all
from generator.config import Config
from generator.inputs import load
from generator.inputs.workbook_cells import Column, column_for
from generator.inputs.workbook_import import CsvStyle, ReadSheet, cell_ref, csv_bytes, raw_records, read_workbook, sheet_records
from generator.problems.records import Problem, Severity

MAX_SHEET_NAME = 31
NOT_IN_SHEET_NAMES = "[]:*?/\\"


def sheet_name(name: str) -> str:
    """A table's name as a sheet may be named: no ``[]:*?/\\``, at most 31 characters."""
    cleaned = "".join("_" if c in NOT_IN_SHEET_NAMES or not c.isprintable() else c for c in name)
    return cleaned.strip("'")[:MAX_SHEET_NAME].strip("'") or "data"


@dataclass(frozen=True)
class EditableTable:
    """A table of a package as a sheet: its fields and columns, its file and how it is written,
    and the file's records as they are now (the header first)."""

    name: str
    sheet: str
    path: Path
    fields: tuple[Mapping[str, Any], ...]
    columns: tuple[Column, ...]
    style: CsvStyle
    original: bytes
    records: tuple[tuple[str, ...], ...]
    foreign_keys: tuple[Mapping[str, Any], ...]
    primary_key: tuple[str, ...]
    title: str = ""
    description: str = ""


@dataclass(frozen=True)
class EditablePackage:
    """A package as a workbook sees it: its name, title and tables (those in one CSV file with a
    header row; ``skipped`` names the others, which are edited as files)."""

    name: str
    folder: Path
    title: str
    tables: tuple[EditableTable, ...]
    skipped: tuple[str, ...] = ()


def editable_package(folder: Path) -> EditablePackage:
    """The package in ``folder`` read for a workbook (the files as they are, valid or not).

    Raises:
        OSError, ValueError: the descriptor or a table's file cannot be read.
    """
    try:
        descriptor = load.read_descriptor(folder)
    except yaml.YAMLError as err:
        raise ValueError(f"the descriptor is not YAML: {err}") from err
    resources = descriptor.get("resources") if isinstance(descriptor, Mapping) else None
    if not isinstance(resources, list) or not all(isinstance(r, Mapping) for r in resources):
        raise ValueError("the descriptor is not an object with a list of resources: validate the package")
    descriptor = load.inline_references(descriptor, folder)
    tables, skipped, used = [], [], set[str]()
    for resource in descriptor.get("resources") or []:
        if not isinstance(resource, Mapping) or not isinstance(resource.get("name"), str):
            continue
        path, dialect = resource.get("path"), raw_csv.dialect_of(resource)
        schema: Mapping[str, Any] = resource["schema"] if isinstance(resource.get("schema"), Mapping) else {}
        target = _plain_file(folder, path)
        if target is None or not dialect.header or not dialect.double_quote or dialect.escape_char or dialect.comment_char:
            skipped.append(str(resource["name"]))
            continue
        style = CsvStyle(dialect.delimiter, dialect.quote_char, raw_csv.encoding_of(resource) or "utf-8")
        original = target.read_bytes()
        text = original.decode("utf-8-sig" if style.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else style.encoding)
        records = tuple(tuple(values) for values, _ in raw_records(text, style))
        header = records[0] if records else ()
        fields = tuple(f for f in schema.get("fields") or [] if isinstance(f, Mapping)) or tuple({"name": name, "type": "string"} for name in header)
        columns = tuple(column_for(f, [r[i] for r in records[1:] if i < len(r)]) for i, f in enumerate(fields))
        primary = schema.get("primaryKey") or []
        tables.append(
            EditableTable(
                name=str(resource["name"]),
                sheet=_unused(sheet_name(str(resource["name"])), used),
                path=target,
                fields=fields,
                columns=columns,
                style=style,
                original=original,
                records=records,
                foreign_keys=tuple(k for k in schema.get("foreignKeys") or [] if isinstance(k, Mapping)),
                primary_key=tuple([primary] if isinstance(primary, str) else primary),
                title=str(resource.get("title") or ""),
                description=str(resource.get("description") or ""),
            )
        )
    return EditablePackage(str(descriptor.get("name") or folder.name), folder, str(descriptor.get("title") or ""), tuple(tables), tuple(skipped))


def _unused(name: str, used: set[str]) -> str:
    """A sheet name no other sheet has (Excel compares them ignoring case): ``name``, else
    ``name~2``, ``name~3``... within 31 characters. ``used`` gains it."""
    candidate, number = name, 1
    while candidate.casefold() in used:
        number += 1
        candidate = f"{name[: MAX_SHEET_NAME - len(str(number)) - 1]}~{number}"
    used.add(candidate.casefold())
    return candidate


def _plain_file(folder: Path, path: object) -> Path | None:
    """The table's file when its path is one a build publishes from: relative, written with
    ``/``, inside the package, a regular file reached through no link; else ``None`` (such a
    table is never written by an import)."""
    if not isinstance(path, str) or not path or "\\" in path or ":" in path or path.startswith("/"):
        return None
    parts = PurePosixPath(path).parts
    if any(part in ("", ".", "..") for part in parts):
        return None
    target = folder
    for part in parts:
        target = target / part
        if target.is_symlink():
            return None
    return target if target.is_file() and target.resolve().is_relative_to(folder.resolve()) else None


@dataclass(frozen=True)
class ImportResult:
    """What an import would do: the package it is for, the files whose bytes change (path ->
    new bytes), the sheets read, and every problem (placed in the workbook where it can be)."""

    package: str | None
    changed: Mapping[Path, bytes]
    sheets: int
    problems: tuple[Problem, ...]
    sheet_names: frozenset[str] = frozenset()


def import_workbook(workbook: Path, config: Config, package: str | None = None) -> ImportResult:
    """The package's files as the workbook would have them, validated as a build validates them.

    ``package`` is the package's name; by default the one the workbook's notes sheet names."""
    where = config.display(workbook)
    sheets, problems = read_workbook(workbook, where)
    if problems:
        return ImportResult(None, {}, 0, tuple(problems))
    named = next((s.notes_of for s in sheets if s.notes_of), None)
    name = package or named
    folders = {f.name: f for f in load.discover_packages(config.datasets_dir)}
    if name not in folders:
        known = ", ".join(sorted(folders)) or "none"
        message = (
            f"The workbook names the package {name!r}, which is not in {config.display(config.datasets_dir)}."
            if name
            else "The workbook does not say which package it is for."
        )
        fix = f"Name the package with --package (the packages are: {known}), or start again from a workbook made by `python -m generator workbook`."
        return ImportResult(name, {}, 0, (Problem("workbook-package", message, where, fix=fix),))
    try:
        editable = editable_package(folders[name])
    except (OSError, ValueError) as err:
        return ImportResult(
            name, {}, 0, (Problem("workbook-package", f"The package {name!r} cannot be read: {err}.", where, fix="Validate the package and correct it first."),)
        )
    problems = [p for s in sheets for p in s.problems]
    by_sheet = {s.name: s for s in sheets if not s.notes_of}
    problems.extend(_sheet_problems(editable, by_sheet))
    records: dict[Path, list[list[str]]] = {}
    if not problems:  # the sheets are the tables: read their cells
        records = {t.path: sheet_records(by_sheet[t.sheet], t.columns) for t in editable.tables}
        problems.extend(p for t in editable.tables for p in _encoding_problems(t, records[t.path]))
    problems.extend(_out_of_date_problems(editable, next((s.made_from for s in sheets if s.notes_of), {})))
    if any(p.severity is Severity.ERROR for p in problems):
        return ImportResult(name, {}, len(sheets), tuple(problems), frozenset(by_sheet))
    files = {t.path: csv_bytes(records[t.path], t.original, t.style) for t in editable.tables}
    found = _placed(_validate_with(files, config), editable, config)
    changed = {path: content for path, content in files.items() if content != path.read_bytes()}
    return ImportResult(name, changed, len(sheets), (*problems, *found), frozenset(by_sheet))


def _out_of_date_problems(package: EditablePackage, made_from: Mapping[str, str]) -> list[Problem]:
    """A table whose file has changed since the workbook was made: importing would undo that change."""
    problems = []
    for table in package.tables:
        digest = made_from.get(table.sheet)
        if digest is not None and digest != hashlib.sha256(table.original).hexdigest():
            problems.append(
                Problem(
                    "workbook-out-of-date",
                    f"{table.path.name} has changed since this workbook was made: importing the sheet {table.sheet!r} would undo that change.",
                    table.sheet,
                    fix="Make your edits again in a fresh workbook (or import this one with --accept-warnings to replace the file's newer content).",
                    severity=Severity.WARNING,
                )
            )
    return problems


def _sheet_problems(package: EditablePackage, sheets: Mapping[str, ReadSheet]) -> list[Problem]:
    """A sheet missing, one too many, or a header that is not the table's columns."""
    problems = []
    expected = {t.sheet: t for t in package.tables}
    extra = [name for name in sheets if name not in expected]
    for table in package.tables:
        if table.sheet in sheets:
            problems.extend(_header_problems(table, sheets[table.sheet]))
            continue
        renamed = [name for name in extra if list(sheets[name].header) == list(table.records[0] if table.records else ())]
        hint = (
            f"the sheet {renamed[0]!r} has its columns: rename it back to {table.sheet!r}"
            if renamed
            else f"add the sheet {table.sheet!r} back (copy it from a fresh workbook)"
        )
        problems.append(
            Problem(
                "workbook-missing-sheet",
                f"The workbook has no sheet {table.sheet!r}, for the table {table.name!r}; an import writes every table of the package.",
                table.sheet,
                fix=f"{hint[0].upper()}{hint[1:]}.",
            )
        )
    missing = [t for t in package.tables if t.sheet not in sheets]
    for name in extra:
        same_columns = [t.sheet for t in missing if list(sheets[name].header) == list(t.records[0] if t.records else ())]
        close = same_columns or difflib.get_close_matches(name, [t.sheet for t in missing] or list(expected), n=1, cutoff=0.4)
        problems.append(
            Problem(
                "workbook-extra-sheet",
                f"The sheet {name!r} is not a table of the package {package.name!r}" + (f" (did you mean {close[0]!r}?)." if close else "."),
                name,
                fix="Rename it to its table's name, or delete it: a workbook holds one sheet per table and the notes sheet.",
            )
        )
    return problems


def _encoding_problems(table: EditableTable, records: Sequence[Sequence[str]]) -> list[Problem]:
    """A character the table's file cannot hold in its declared encoding, at its cell."""
    problems = []
    for row_number, record in enumerate(records, start=1):
        for column, text in enumerate(record):
            try:
                text.encode(table.style.encoding)
            except UnicodeEncodeError as err:
                character = text[err.start]
                problems.append(
                    Problem(
                        "encoding-error",
                        f"The character {character!r} (U+{ord(character):04X}) cannot be written in {table.style.encoding}, the encoding of the table's file.",
                        cell_ref(table.sheet, column, row_number),
                        fix="Type the text without it (for example a plain ' or - for a curly quote or a dash), "
                        "or declare the resource's encoding as utf-8 in datapackage.json.",
                    )
                )
            except LookupError:
                return []  # an unknown encoding: validation reports the descriptor
    return problems


def _header_problems(table: EditableTable, sheet: ReadSheet) -> list[Problem]:
    header = sheet.header
    expected = [str(f.get("name", "")) for f in table.fields]
    problems = []
    for index in range(max(len(expected), len(header))):
        want = expected[index] if index < len(expected) else None
        have = header[index] if index < len(header) else None
        if want == have:
            continue
        letter = get_column_letter(index + 1)
        if want is None and not have and all(index >= len(row) or row[index].value in (None, "") for row in sheet.rows):
            continue  # an empty column between the table and a stray value further right
        if want is None and not have:
            message, fix = f"Column {letter} holds values but has no name in row 1, and the table {table.name!r} has no more columns.", "Delete the column."
        elif want is None:
            message, fix = f"Column {letter} ({have!r}) is not a column of the table {table.name!r}.", "Delete the column."
        elif not have:
            message, fix = (
                f"The column {want!r} is missing: row 1 is empty here.",
                f"Type {want} in this cell (the columns are, in order: {', '.join(expected)}).",
            )
        else:
            message, fix = (
                f"The column here is named {have!r}; the table's column here is {want!r}.",
                f"Name it {want} (the columns are, in order: {', '.join(expected)}).",
            )
        problems.append(Problem("workbook-header", message, cell_ref(table.sheet, index, 1), fix=fix))
    return problems


def _validate_with(files: Mapping[Path, bytes], config: Config) -> tuple[Problem, ...]:
    """Validate every package with these files in place of the real ones, in a temporary copy;
    problems about the copy name the real files."""
    with tempfile.TemporaryDirectory(prefix="generator-import-") as scratch:
        copy = Path(scratch).resolve() / config.datasets_dir.name
        shutil.copytree(config.datasets_dir, copy, symlinks=True)
        for path, content in files.items():
            (copy / path.relative_to(config.datasets_dir)).write_bytes(content)
        checked = validate_all(dataclasses.replace(config, datasets_dir=copy))
        shown, real = copy.as_posix(), config.display(config.datasets_dir)
        return tuple(
            dataclasses.replace(p, file=p.file.replace(shown, real, 1), message=p.message.replace(shown, real), fix=p.fix.replace(shown, real))
            for p in checked.problems
        )


def _placed(problems: Sequence[Problem], package: EditablePackage, config: Config) -> list[Problem]:
    """Problems in a table of the workbook as ``sheet!C14``; others as they are."""
    files = {config.display(t.path): t for t in package.tables}
    placed = []
    for problem in problems:
        table = files.get(problem.file)
        if table is None:
            placed.append(problem)
            continue
        names = [str(f.get("name", "")) for f in table.fields]
        column = names.index(problem.field) if problem.field in names else None
        placed.append(dataclasses.replace(problem, file=cell_ref(table.sheet, column, problem.row), row=None, field=None))
    return placed


def blocks(problems: Sequence[Problem], accept_warnings: bool) -> bool:
    """True when an import must write nothing: any error; any warning unless accepted."""
    return any(p.severity is Severity.ERROR or not accept_warnings for p in problems)
