"""Validation: every problem in every package, as ``Problem`` records. Never raises for bad data.

Order of checks for each package, each stage running only when the one before found no
error: the descriptor parses; every resource path is safe; every CSV file's bytes and cells
are sound (``raw_csv``); Frictionless validates the descriptor and every table; then the
domain checks in ``checks.py`` run on the typed rows.
"""

from __future__ import annotations

import csv
import functools
import json
import logging
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from frictionless import Error, FrictionlessException, Package, Report
from frictionless.errors import BlankRowError, CellError, ForeignKeyError, LabelError, PrimaryKeyError
from jsonschema import Draft202012Validator

from generator import checks, load, parallel, raw_csv
from generator.config import Config
from generator.fixes import fix_for
from generator.model import INDICATOR_PROFILE, RELEASES, Dataset, build_dataset
from generator.pages import referenced_resources
from generator.problems import Problem, Severity

log = logging.getLogger(__name__)


MakeFiles = Callable[[Dataset], Mapping[str, bytes]]
MAX_PATH_PART, MAX_PATH = 255, 4096  # bytes: what Linux file systems allow for one name, and for a path


@dataclass(frozen=True)
class ValidationResult:
    """Every problem found, how many packages were checked, the datasets that had no errors
    and the files made from them (when ``validate_all`` was asked to make them)."""

    problems: tuple[Problem, ...]
    datasets: tuple[Dataset, ...]
    packages: int
    files: Mapping[str, bytes] = field(default_factory=dict)


def validate_all(config: Config, make_files: MakeFiles | None = None) -> ValidationResult:
    """Validate every package under ``config.datasets_dir``.

    ``make_files``, when given, is called with each dataset that has no errors, in the process
    that validated it: on a large site packages are checked in worker processes, and this keeps
    their rows from being copied between processes a second time to make their downloads.
    """
    folders = load.discover_packages(config.datasets_dir)
    if not folders:
        where = config.display(config.datasets_dir)
        return ValidationResult(
            (Problem("no-packages", "No datapackage was found.", where, fix=f"Add a folder {where}/<name>/ holding a datapackage.json."),), (), 0
        )
    problems: list[Problem] = []
    datasets: list[Dataset] = []
    files: dict[str, bytes] = {}
    size = sum(p.stat().st_size for folder in folders for p in folder.rglob("*") if p.is_file())
    for found, dataset, made in parallel.map_ordered(functools.partial(_checked, config=config, make_files=make_files), folders, size):
        problems.extend(found)
        files.update(made)
        if dataset is not None:
            datasets.append(dataset)
    invalid = {folder.name for folder in folders} - {d.name for d in datasets}
    problems.extend(checks.across_packages(datasets, invalid, config))
    used = set().union(*(referenced_resources(page.read_text(encoding="utf-8")) for page in sorted(config.site_src_dir.rglob("*.md"))))
    problems.extend(checks.unused_resource_problems(datasets, used, config))
    log.debug("validated %d package(s); invalid: %s", len(folders), sorted(invalid))
    return ValidationResult(tuple(problems), tuple(datasets), len(folders), files)


def _checked(folder: Path, config: Config, make_files: MakeFiles | None) -> tuple[list[Problem], Dataset | None, Mapping[str, bytes]]:
    problems, dataset = validate_package(folder, config)
    return problems, dataset, make_files(dataset) if dataset is not None and make_files is not None else {}


def validate_package(folder: Path, config: Config) -> tuple[list[Problem], Dataset | None]:
    """The problems of one package, and the dataset when it has no errors."""
    descriptor_file = config.display(folder / load.DESCRIPTOR_NAME)
    descriptor, problems = _parse_descriptor(folder, descriptor_file)
    if descriptor is None:
        return problems, None
    problems.extend(_descriptor_problems(descriptor, folder, descriptor_file, config))
    problems.extend(name_problems(descriptor, folder, descriptor_file))
    if problems:
        return problems, None
    try:
        descriptor = load.inline_references(descriptor, folder)
    except (OSError, ValueError) as err:
        return [Problem("invalid-reference", f"A schema or dialect file cannot be read as JSON: {err}.", descriptor_file, fix="Correct that JSON file.")], None
    problems.extend(_shape_problems(descriptor, descriptor_file))
    if problems:
        return problems, None
    problems.extend(column_count_problems(descriptor, folder, config))
    if problems:
        return problems, None
    for resource in descriptor["resources"]:
        path = folder / resource["path"]
        problems.extend(raw_csv.csv_problems(path.read_bytes(), config.display(path)))
    if problems:
        return problems, None
    try:
        report, rows = load.validate_and_read(Package(descriptor, basepath=str(folder)))
    except FrictionlessException as err:
        return [
            Problem(
                "invalid-descriptor",
                err.error.message,
                descriptor_file,
                fix="Correct the descriptor as the message says (see datapackage.org for the standard).",
            )
        ], None
    problems.extend(_report_problems(report, descriptor, folder, descriptor_file, config))
    if any(p.severity is Severity.ERROR for p in problems):
        return problems, None
    dataset = build_dataset(descriptor, folder, rows)
    problems.extend(row_name_problems(dataset, config))
    problems.extend(checks.within_package(dataset, config))
    return problems, None if any(p.severity is Severity.ERROR for p in problems) else dataset


def _parse_descriptor(folder: Path, file: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        descriptor = load.read_descriptor(folder)
    except json.JSONDecodeError as err:
        return None, [
            Problem(
                "invalid-json",
                f"The descriptor is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}.",
                file,
                row=err.lineno,
                fix="Correct the JSON at that line (a missing comma, quote or bracket is the usual cause).",
            )
        ]
    except UnicodeDecodeError:
        return None, [Problem("encoding-error", "The descriptor is not UTF-8 text.", file, fix=fix_for("encoding-error"))]
    except load.TooDeep as err:
        return None, [
            Problem("json-too-deep", f"The descriptor cannot be used: {err}.", file, fix="Write the descriptor as the Data Package standard describes.")
        ]
    except load.NotAFile:
        return None, [
            Problem(
                "not-regular-file",
                "The descriptor is a link, device, pipe or folder, not a file saved in the package folder.",
                file,
                fix="Replace it with the datapackage.json file itself.",
            )
        ]
    except load.TooLarge:
        return None, [
            Problem(
                "descriptor-too-large",
                f"The descriptor is larger than {load.MAX_DESCRIPTOR_BYTES // 1_000_000} MB, far more than any package needs.",
                file,
                fix="Describe each table once, and keep the data itself in the CSV files.",
            )
        ]
    except OSError as err:
        return None, [Problem("unreadable-file", f"The descriptor cannot be read: {err.strerror}.", file, fix="Check that the file exists and is readable.")]
    if not isinstance(descriptor, dict):
        return None, [Problem("invalid-descriptor", "The descriptor must be a JSON object ({...}).", file, fix="Wrap the descriptor's properties in { }.")]
    return descriptor, []


def _descriptor_problems(descriptor: Mapping[str, Any], folder: Path, file: str, config: Config) -> list[Problem]:
    problems: list[Problem] = []
    name = descriptor.get("name")
    if not isinstance(name, str) or not name:
        problems.append(
            Problem(
                "missing-name",
                "The package has no name; it is needed for its URL /data/<name>/.",
                file,
                field="name",
                fix=f'Add "name": "{folder.name}" (lower case, digits and dashes).',
            )
        )
    elif name != folder.name:
        problems.append(
            Problem(
                "name-mismatch",
                f"The package is named {name!r} but its folder is {folder.name!r}.",
                file,
                field="name",
                fix=f"Rename the folder to {name}, or set name to {folder.name!r}.",
            )
        )
    if isinstance(descriptor.get("profile"), str) and _is_url(descriptor["profile"]):
        problems.append(_remote_problem(descriptor["profile"], file, "profile"))
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        problems.append(
            Problem("missing-resources", "The package lists no resources.", file, field="resources", fix='Add a "resources" list with one entry per CSV file.')
        )
        return problems
    seen: set[str] = set()
    for index, resource in enumerate(resources):
        field = f"resources[{index}]"
        if not isinstance(resource, dict):
            problems.append(Problem("invalid-resource", "A resource must be a JSON object.", file, field=field, fix="Describe the resource as { ... }."))
            continue
        rname = resource.get("name")
        if not isinstance(rname, str) or not rname:
            problems.append(
                Problem(
                    "missing-resource-name",
                    "The resource has no name; it is needed for its download URL.",
                    file,
                    field=f"{field}.name",
                    fix='Add "name" (lower case, digits and dashes), for example the file name without .csv.',
                )
            )
        elif rname in seen:
            problems.append(
                Problem("duplicate-resource-name", f"Two resources are named {rname!r}.", file, field=f"{field}.name", fix="Give every resource its own name.")
            )
        else:
            seen.add(rname)
        problems.extend(_path_problems(resource.get("path"), folder, file, f"{field}.path", config))
        for key in ("schema", "dialect"):  # may be a separate JSON file: never a URL
            if isinstance(resource.get(key), str):
                problems.extend(_path_problems(resource[key], folder, file, f"{field}.{key}", config, suffix=".json"))
        if isinstance(resource.get("profile"), str) and _is_url(resource["profile"]):
            problems.append(_remote_problem(resource["profile"], file, f"{field}.profile"))
    return problems


def _is_url(text: str) -> bool:
    return "://" in text or text.lower().startswith(("http:", "https:", "ftp:", "file:", "data:"))


def _remote_problem(url: str, file: str, field: str) -> Problem:
    return Problem(
        "remote-path",
        f"{url!r} is a URL; nothing is ever fetched from the network to build the site.",
        file,
        field=field,
        fix="Download the file, put it in the package folder and use a relative path (or write the schema inline).",
    )


DESCRIPTOR_SHAPE = Draft202012Validator(json.loads((Path(__file__).parent / "schemas" / "descriptor.json").read_text(encoding="utf-8")))


def _shape_problems(descriptor: Mapping[str, Any], file: str) -> list[Problem]:
    """Each property of the wrong shape (a list where an object belongs...), named by its path."""
    return [
        Problem(
            "invalid-descriptor",
            f"{error.message}.",
            file,
            field="".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path).lstrip(".") or None,
            fix="Give the property the shape the Data Package standard describes (see datapackage.org), or remove it.",
        )
        for error in sorted(DESCRIPTOR_SHAPE.iter_errors(descriptor), key=lambda e: [str(p) for p in e.absolute_path])
    ]


def _path_problems(path: object, folder: Path, file: str, field: str, config: Config, suffix: str = ".csv") -> list[Problem]:
    """Refuse anything but a relative path to a regular ``suffix`` file inside the package folder,
    reached without links; never reads the file (a FIFO or device would block or never end)."""

    def problem(code: str, message: str, fix: str) -> list[Problem]:
        return [Problem(code, message, file, field=field, fix=fix)]

    if not isinstance(path, str) or not path:
        return problem("missing-path", "The resource has no path (tables are published from CSV files).", 'Add "path": "data/<file>.csv".')
    if _is_url(path):
        return [_remote_problem(path, file, field)]
    if any(ord(character) < 32 or ord(character) == 127 for character in path):
        return problem("invalid-path", f"The path {path!r} holds control characters.", "Type the path again: letters, digits, '-', '_', '.' and '/'.")
    pure = PurePosixPath(path.replace("\\", "/"))
    if pure.is_absolute() or (len(path) > 1 and path[1] == ":"):
        return problem("absolute-path", f"The path {path!r} is absolute.", "Use a path relative to the package folder, such as data/<file>.csv.")
    if ".." in pure.parts:
        return problem("unsafe-path", f"The path {path!r} leaves the package folder.", "Move the file into the package folder and use a path without '..'.")
    if "\\" in path:
        return problem(
            "backslash-path", f"The path {path!r} separates folders with '\\', which works only on Windows.", f"Write it with '/': {pure.as_posix()}."
        )
    too_long = [part for part in pure.parts if len(part.encode("utf-8")) > MAX_PATH_PART]
    if too_long or len(path.encode("utf-8")) > MAX_PATH:
        return problem(
            "path-too-long",
            f"The path {path[:60]!r}... is longer than file systems allow ({MAX_PATH_PART} bytes a name, {MAX_PATH:,} in all).",
            "Give the file and its folders shorter names.",
        )
    target = folder / pure
    try:
        outside = not target.resolve().is_relative_to(folder.resolve())
    except (RuntimeError, OSError):  # RuntimeError: a loop of links
        return problem("linked-file", f"The path {path!r} is a link that leads round in a loop.", "Replace the link with the file itself.")
    if outside:
        return problem(
            "unsafe-path",
            f"The path {path!r} points outside the package folder (through a link).",
            "Replace the link with a copy of the file inside the package folder.",
        )
    return _file_kind_problems(path, target, folder, config, suffix, problem)


def _file_kind_problems(path: str, target: Path, folder: Path, config: Config, suffix: str, problem: Callable[[str, str, str], list[Problem]]) -> list[Problem]:
    """Without following links or opening anything: each step of the path is a real folder or
    file, and the file is a regular one of the right kind."""
    step, mode, size = folder, stat.S_IFDIR, 0
    for part in target.relative_to(folder).parts:
        step = step / part
        try:
            info = step.lstat()
            mode, size = info.st_mode, info.st_size
        except FileNotFoundError:
            return problem("missing-file", f"The file {config.display(target)} does not exist.", "Add the file, or correct the path.")
        except OSError as err:
            return problem("unreadable-file", f"The file {path!r} cannot be read: {err.strerror}.", "Check that the file exists and is readable.")
        if stat.S_ISLNK(mode):
            return problem(
                "linked-file",
                f"The path {path!r} is, or goes through, a link ({config.display(step)}); only regular files are published.",
                "Replace the link with a copy of the file itself.",
            )
    if stat.S_ISDIR(mode):
        return problem("missing-file", f"The path {path!r} is a folder, not a file.", "Point the path at the file in that folder.")
    if not stat.S_ISREG(mode):
        return problem(
            "not-regular-file",
            f"The path {path!r} is a device, pipe or socket, not a file saved on disk.",
            f"Save the data as a {suffix} file in the package folder and point the path at it.",
        )
    if target.suffix.lower() != suffix:
        kind = suffix.lstrip(".")
        return problem(f"not-{kind}", f"The file {path!r} is not a {suffix} file.", f"Save it as {kind.upper()} (UTF-8) and point the path at it.")
    if suffix == ".json" and size > load.MAX_DESCRIPTOR_BYTES:
        return problem(
            "descriptor-too-large",
            f"The file {path!r} is larger than {load.MAX_DESCRIPTOR_BYTES // 1_000_000} MB, far more than any schema or dialect needs.",
            "Describe each field once; keep the data itself in the CSV files.",
        )
    return []


MAX_NAME = 100  # characters in a name that becomes part of a file name or web address
MAX_COLUMNS = 16_384  # the most columns a spreadsheet holds (XFD)
MAX_HEADER_BYTES = 32 * 1024 * 1024  # read no further than this looking for the end of the header row


def unsafe_name(name: str) -> str | None:
    """Why ``name`` cannot be one segment of a path or address (None when it can)."""
    if not name:
        return "it is empty"
    if len(name) > MAX_NAME:
        return f"it is {len(name):,} characters long (at most {MAX_NAME})"
    if "/" in name or "\\" in name:
        return "it holds '/' or '\\', which would make it a folder in a web address"
    if name.startswith("."):
        return "it starts with '.', which hides files and leads to other folders"
    if any(ord(character) < 32 or 127 <= ord(character) < 160 for character in name):
        return "it holds control characters"
    return None


def _name_problem(name: str, why: str, file: str, field: str, what: str, row: int | None = None) -> Problem:
    return Problem(
        "unsafe-name",
        f"The {what} {name[:MAX_NAME]!r} cannot be used in a web address: {why}.",
        file,
        row=row,
        field=field,
        fix=f"Use a short name of lower-case letters, digits and dashes (at most {MAX_NAME} characters), such as 'ward-crime-2024'.",
    )


def name_problems(descriptor: Mapping[str, Any], folder: Path, file: str) -> list[Problem]:
    """The package's folder and name, and each resource's name, are safe single path segments."""
    problems = []
    folder_why = unsafe_name(folder.name)
    if folder_why:
        problems.append(_name_problem(folder.name, folder_why, file, "name", "package folder"))
    name = descriptor.get("name")
    why = unsafe_name(name) if isinstance(name, str) and name and name != folder.name else None
    if why and isinstance(name, str):
        problems.append(_name_problem(name, why, file, "name", "package name"))
    resources = descriptor.get("resources")
    for index, resource in enumerate(resources if isinstance(resources, list) else []):
        rname = resource.get("name") if isinstance(resource, dict) else None
        why = unsafe_name(rname) if isinstance(rname, str) and rname else None
        if why and isinstance(rname, str):
            problems.append(_name_problem(rname, why, file, f"resources[{index}].name", "resource name"))
    return problems


def row_name_problems(dataset: Dataset, config: Config) -> list[Problem]:
    """Values that become web addresses are safe single path segments: each release's
    ``version`` (its zip's name) and, in an indicator package, each ``indicator_id``."""
    columns = [(RELEASES, "version", "release version")]
    if dataset.profile == INDICATOR_PROFILE:
        columns += [(table.name, "indicator_id", "indicator id") for table in dataset.tables if any(f.name == "indicator_id" for f in table.fields)]
    problems = []
    for table_name, column, what in columns:
        if not dataset.has_table(table_name):
            continue
        table = dataset.table(table_name)
        for number, row in enumerate(table.rows, start=2):
            value = row.get(column)
            why = unsafe_name(str(value)) if value is not None else None
            if why:
                problems.append(_name_problem(str(value), why, config.display(table.file), column, what, row=number))
    return problems


def column_count_problems(descriptor: Mapping[str, Any], folder: Path, config: Config) -> list[Problem]:
    """No CSV header has more columns than a spreadsheet holds; checked on the header row alone,
    before any tool reads the whole file."""
    problems = []
    for resource in descriptor["resources"]:
        path = folder / resource["path"]
        dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
        found = dialect.get("delimiter")
        delimiter = found if isinstance(found, str) and len(found) == 1 else ","
        with path.open("rb") as handle:
            header = handle.readline(MAX_HEADER_BYTES)
        if header.count(delimiter.encode()) < MAX_COLUMNS:
            continue  # fewer separators than the limit: fewer columns, whatever is quoted
        columns = len(next(csv.reader([header.decode("utf-8", "replace")], delimiter=delimiter), []))
        if columns > MAX_COLUMNS or len(header) >= MAX_HEADER_BYTES:
            problems.append(
                Problem(
                    "too-many-columns",
                    f"The header row has {'at least ' if len(header) >= MAX_HEADER_BYTES else ''}{columns:,} columns; "
                    f"a spreadsheet holds at most {MAX_COLUMNS:,}.",
                    config.display(path),
                    row=1,
                    fix="Check the file was saved as CSV with one column per field; split a very wide table into several tables.",
                )
            )
    return problems


def _message(code: str, message: str, note: str, cell: object) -> str:
    """Frictionless' message, put plainly where we can."""
    if code == "type-error" and isinstance(cell, str):
        expected = note.removeprefix('type is "').split("/")[0].rstrip('"')
        return f"The value {cell!r} is not a valid {expected}."
    if code == "constraint-error" and isinstance(cell, str):
        return f"The value {cell!r} breaks the rule: {note}."
    return message


STRUCTURAL_ERRORS = {"blank-row", "missing-cell", "extra-cell"}  # reported instead of what they cause in the same place


def _where(error: Error, primary_key: Sequence[str]) -> tuple[int | None, str | None]:
    """The row (header = 1) and field a Frictionless error is about, as a spreadsheet user sees them."""
    if isinstance(error, LabelError):
        return 1, error.label or error.field_name
    if isinstance(error, CellError):
        return error.row_number, error.field_name or f"column {error.field_number}"
    if isinstance(error, ForeignKeyError):
        return error.row_number, ",".join(error.field_names)
    if isinstance(error, PrimaryKeyError):
        return error.row_number, ",".join(primary_key) or None
    return getattr(error, "row_number", None), None


def _primary_key(resource: Mapping[str, Any]) -> list[str]:
    key = (resource.get("schema") or {}).get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def _report_problems(report: Report, descriptor: Mapping[str, Any], folder: Path, descriptor_file: str, config: Config) -> list[Problem]:
    """Frictionless' errors as problems: one per cell (a missing cell is not also a broken rule)
    and none but ``blank-row`` for a blank row."""
    problems = [Problem(e.type, e.message, descriptor_file, fix=fix_for(e.type)) for e in report.errors]
    keys = {r["name"]: _primary_key(r) for r in descriptor["resources"]}
    for task in report.tasks:
        place = config.display(folder / task.place) if task.place and "://" not in task.place else descriptor_file
        primary_key = keys.get(task.name, [])
        blank_rows = {e.row_number for e in task.errors if isinstance(e, BlankRowError)}
        seen: set[tuple[int | None, str | None]] = set()
        for error in sorted(task.errors, key=lambda e: e.type not in STRUCTURAL_ERRORS):  # stable: file order otherwise
            row, field = _where(error, primary_key)
            if (row in blank_rows and not isinstance(error, BlankRowError)) or (field is not None and (row, field) in seen):
                continue
            seen.add((row, field))
            cell = getattr(error, "cell", None)
            problems.append(
                Problem(
                    code=error.type,
                    message=_message(error.type, error.message, error.note, cell),
                    file=place,
                    row=row,
                    field=field,
                    fix=fix_for(error.type, cell),
                )
            )
    return problems
