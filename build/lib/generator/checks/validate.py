"""Validation: every problem in every package, as ``Problem`` records. Never raises for bad data.

Order of checks for each package, all reported in one run: the descriptor parses (JSON, or
YAML); every resource path is safe; every CSV file's bytes and cells are sound, read as its
dialect and encoding say (``raw_csv``); Frictionless validates the descriptor and every table;
then the domain checks in ``checks/domain.py`` run on the typed rows. A stage is skipped only when an
error before it makes it meaningless (a descriptor that cannot be read or used, a path that
cannot be followed, a file that cannot be decoded or is empty); warnings never stop one.
Folders in the datasets folder without a descriptor at their root are reported, not skipped.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import json
import logging
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from frictionless import Error, Field, FrictionlessException, Package, Report
from frictionless.errors import BlankRowError, CellError, ForeignKeyError, LabelError, PrimaryKeyError
from frictionless.resources import TableResource
from jsonschema import Draft202012Validator

from generator.checks import domain, fast, parallel, raw_csv
from generator.config import Config
from generator.inputs import embargo, load
from generator.model.dataset import INDICATOR_PROFILE, RELEASES, Dataset, build_dataset
from generator.problems import progress
from generator.problems.fixes import Suggestions, checksum_note, did_you_mean, fix_for, label_fix, required_fix
from generator.problems.records import Problem, Severity
from generator.problems.rules import code_for, rule_for

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
    made: tuple[Mapping[str, bytes], ...] = ()  # what ``make_files`` returned for each valid dataset, in order
    announced: tuple[embargo.Announced, ...] = ()  # every release the packages' logs announce, oldest first
    embargoes: tuple[embargo.Embargo, ...] = ()  # packages whose current version is announced for later


def validate_all(config: Config, make_files: MakeFiles | None = None) -> ValidationResult:
    """Validate every package under ``config.datasets_dir``.

    ``make_files``, when given, is called with each dataset that has no errors, in the process
    that validated it: on a large site packages are checked in worker processes, and this keeps
    their rows from being copied between processes a second time to make their downloads.

    A package whose current version is a release announced for after ``config.now`` is checked
    as it is, but the dataset (and its files) is the release it shows until then, read from git
    (``inputs.embargo``); the result lists such packages and every announced release.
    """
    folders = load.discover_packages(config.datasets_dir)
    unread = _folders_without_descriptor(config)
    if not folders:
        where = config.display(config.datasets_dir)
        return ValidationResult(
            (Problem("no-packages", "No datapackage was found.", where, fix=f"Add a folder {where}/<name>/ holding a datapackage.json."), *unread), (), 0
        )
    problems: list[Problem] = list(unread)
    datasets: list[Dataset] = []
    files: dict[str, bytes] = {}
    made_all: list[Mapping[str, bytes]] = []
    size = sum(p.stat().st_size for folder in folders for p in folder.rglob("*") if p.is_file())
    announced = sorted((a for folder in folders for a in embargo.announced(folder)), key=lambda a: (a.moment, a.package, a.version))
    embargoes = [embargo.embargo_of(folder, config.now) for folder in folders]
    checked = functools.partial(_checked_as_published, config=config, make_files=make_files)
    for found, dataset, made in parallel.map_ordered(checked, list(zip(folders, embargoes, strict=True)), size):
        problems.extend(found)
        files.update(made)
        if made:
            made_all.append(made)
        if dataset is not None:
            datasets.append(dataset)
    invalid = {folder.name for folder in folders} - {d.name for d in datasets}
    problems.extend(domain.across_packages(datasets, invalid, config))
    log.debug("validated %d package(s); invalid: %s", len(folders), sorted(invalid))
    kept = tuple(e for e in embargoes if e is not None)
    return ValidationResult(tuple(problems), tuple(datasets), len(folders), files, tuple(made_all), tuple(announced), kept)


def _folders_without_descriptor(config: Config) -> list[Problem]:
    """A problem for each folder in the datasets folder that would otherwise be skipped in silence."""
    problems = []
    for folder, nested in load.folders_without_descriptor(config.datasets_dir):
        where = config.display(folder)
        if nested is not None:
            inside = nested.relative_to(folder).as_posix()
            problems.append(
                Problem(
                    "nested-descriptor",
                    f"The folder has no descriptor at its root, so it is not published; {inside} is deeper inside it.",
                    config.display(nested),
                    fix=f"Move {inside} to {where}/{nested.name} (and correct the paths in it, which are relative to it).",
                )
            )
        else:
            problems.append(
                Problem(
                    "missing-descriptor",
                    "The folder holds no datapackage.json (or datapackage.yaml), so it is not published.",
                    where,
                    fix=f"Add {where}/datapackage.json describing its tables, or move the folder out of {config.display(config.datasets_dir)}.",
                    severity=Severity.WARNING,
                )
            )
    return problems


def _checked(folder: Path, config: Config, make_files: MakeFiles | None) -> tuple[list[Problem], Dataset | None, Mapping[str, bytes]]:
    problems, dataset = validate_package(folder, config)
    return problems, dataset, make_files(dataset) if dataset is not None and make_files is not None else {}


def _checked_as_published(
    item: tuple[Path, embargo.Embargo | None], config: Config, make_files: MakeFiles | None
) -> tuple[list[Problem], Dataset | None, Mapping[str, bytes]]:
    """``_checked``, for the version of the package that may be published at ``config.now``.

    An embargoed package is checked as it is (its coming release must be ready at its moment),
    then the release it shows until then is checked and made from its committed files, read
    in a scratch folder laid out as the project is (so problems name the same paths); the
    dataset then names the package's own folder again."""
    folder, held = item
    if held is None:
        return _checked(folder, config, make_files)
    problems, _ = validate_package(folder, config)
    if held.shown_files is None:
        return problems, None, {}
    with tempfile.TemporaryDirectory(prefix="generator-published-") as scratch:
        root = Path(scratch)
        try:
            inside = folder.parent.relative_to(config.root)
        except ValueError:
            inside = Path(folder.parent.name)
        view = embargo.write_files(held, root / inside / folder.name)
        shown = dataclasses.replace(config, root=root, datasets_dir=root / inside)
        found, dataset, made = _checked(view, shown, make_files)
        problems.extend(p for p in found if p not in problems)
        return problems, None if dataset is None else _rebased(dataset, view, folder), made


def _rebased(dataset: Dataset, view: Path, folder: Path) -> Dataset:
    """The dataset read from ``view``, naming ``folder`` instead (its files' real place)."""
    tables = tuple(
        dataclasses.replace(t, file=folder / t.file.relative_to(view), parts=tuple(folder / p.relative_to(view) for p in t.parts)) for t in dataset.tables
    )
    return dataclasses.replace(dataset, folder=folder, tables=tables)


def validate_package(folder: Path, config: Config) -> tuple[list[Problem], Dataset | None]:
    """The problems of one package, and the dataset when it has no errors.

    Every stage runs unless an earlier one found what makes it meaningless: a descriptor that
    cannot be read or used, a path that cannot be followed, a file that cannot be decoded or is
    empty. Warnings never stop a stage.
    """
    descriptor_file = config.display(load.descriptor_path(folder))
    descriptor, problems = _parse_descriptor(folder, descriptor_file)
    if descriptor is None:
        return problems, None
    problems.extend(_descriptor_problems(descriptor, folder, descriptor_file, config))
    problems.extend(name_problems(descriptor, folder, descriptor_file))
    if any(p.severity is Severity.ERROR and p.code not in NAME_PROBLEMS for p in problems):
        return problems + _sound_tables_raw_problems(descriptor, problems, folder, config), None
    try:
        descriptor = load.inline_references(descriptor, folder)
    except (OSError, ValueError) as err:
        message = f"A schema or dialect file cannot be read as JSON: {err}."
        return [*problems, Problem("invalid-reference", message, descriptor_file, fix="Correct that JSON file.")], None
    problems.extend(_shape_problems(descriptor, descriptor_file))
    problems.extend(_constraint_problems(descriptor, descriptor_file))
    if any(p.code == "invalid-descriptor" for p in problems):
        return problems, None
    problems.extend(column_count_problems(descriptor, folder, config))
    if any(p.code == "too-many-columns" for p in problems):  # read no further than the header
        return problems, None
    decided = _fast_tables(descriptor, folder) if config.fast_path else {}
    raw = [p for resource in descriptor["resources"] if resource["name"] not in decided for p in _raw_problems(resource, folder, config)]
    if any(p.code in raw_csv.FATAL for p in raw):
        return problems + raw, None
    inferred = frozenset(r["name"] for r in descriptor["resources"] if not r.get("schema"))
    try:
        package = Package(load.for_frictionless(descriptor), basepath=str(folder))
        report, read = load.validate_and_read(package, _joined(descriptor, folder), decided)
    except FrictionlessException as err:
        return [*problems, *raw, *descriptor_error_problems(err.to_errors() or [err.error], descriptor, descriptor_file)], None
    found = [*_report_problems(report, descriptor, folder, descriptor_file, config), *domain.number_problems(descriptor, read, folder, config)]
    rows: dict[str, Sequence[Mapping[str, Any]]] = {**read, **{name: table.rows for name, table in decided.items()}}
    problems.extend(_one_per_cell(raw, _in_parts(found, descriptor, folder, config)))
    if any(p.severity is Severity.ERROR for p in problems):
        return problems, None
    descriptor = _with_inferred_schemas(descriptor, package, inferred)
    dataset = build_dataset(descriptor, folder, rows, inferred, config.default_licence)
    within = domain.within_package(dataset, config)
    placed = {(p.file, p.row, p.field) for p in within}
    problems.extend(p for p in row_name_problems(dataset, config) if (p.file, p.row, p.field) not in placed)  # one problem per cell
    problems.extend(within)
    problems.extend(domain.licence_problems(dataset, config))
    return problems, None if any(p.severity is Severity.ERROR for p in problems) else dataset


def _fast_tables(descriptor: Mapping[str, Any], folder: Path) -> dict[str, fast.Table]:
    """The tables the fast path finds valid, by name: Frictionless and the byte checks leave
    them be. Any other table is theirs, and what they report is what the publisher sees."""
    resources = load.for_frictionless(descriptor)["resources"]

    def read(resource: Mapping[str, Any]) -> bytes:
        progress.report("Checking %s: %s", folder.name, resource["name"])
        return (folder / str(resource["path"])).read_bytes()

    found = fast.check_package(resources, read)
    for name, table in found.items():
        progress.report("Checked %s: %s (%s rows)", folder.name, name, f"{len(table.rows):,}")
    return found


NAME_PROBLEMS = frozenset({"missing-name", "name-mismatch", "unsafe-name"})  # the tables can still be checked


def _one_per_cell(raw: Sequence[Problem], found: Sequence[Problem]) -> list[Problem]:
    """The byte checks' problems and Frictionless', one per cell. Where both found one, the
    byte check's, unless Frictionless' is an error (spaces that make a value break its field's
    type or rules are more than a warning): then Frictionless' problem with the byte check's
    fix ("remove the spaces"), which says what to do."""

    def cell(problem: Problem) -> tuple[str, int | None, str | None]:
        return problem.file, problem.row, problem.field

    fixes = {cell(p): p.fix for p in raw if p.row is not None and p.field is not None}
    errors = {cell(p) for p in found if p.severity is Severity.ERROR and cell(p) in fixes}
    kept = [p for p in raw if cell(p) not in errors]
    for problem in found:
        if cell(problem) in errors:
            kept.append(dataclasses.replace(problem, fix=fixes[cell(problem)]))
        elif cell(problem) not in fixes:
            kept.append(problem)
    return kept


def _sound_tables_raw_problems(descriptor: Mapping[str, Any], problems: Sequence[Problem], folder: Path, config: Config) -> list[Problem]:
    """The byte and cell problems of the tables described without error, when only other
    tables' descriptions have errors (a missing file...): worth knowing in the same run."""
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return []
    errors = [p for p in problems if p.severity is Severity.ERROR and p.code not in NAME_PROBLEMS]
    if any(not (p.field or "").startswith("resources[") for p in errors):
        return []  # a problem of the whole package
    broken = {index for index in range(len(resources)) for p in errors if (p.field or "").startswith(f"resources[{index}]")}
    sound = [r for index, r in enumerate(resources) if index not in broken and isinstance(r, dict)]
    try:
        inlined = load.inline_references({"resources": sound}, folder)
    except (OSError, ValueError):
        return []
    if _shape_problems(inlined, ""):
        return []
    return [p for resource in inlined["resources"] for p in _raw_problems(resource, folder, config)]


def _parts(resource: Mapping[str, Any]) -> list[str]:
    """A resource's path as a list: one file, or the files of a ``path`` array."""
    path = resource["path"]
    return [str(part) for part in path] if isinstance(path, list) else [str(path)]


def _raw_problems(resource: Mapping[str, Any], folder: Path, config: Config) -> list[Problem]:
    """The problems of the bytes and cells of a resource's file(s), read as its dialect and
    encoding say."""
    parts = [(folder / part).read_bytes() for part in _parts(resource)]
    names = [config.display(folder / part) for part in _parts(resource)]
    return raw_csv.table_problems(list(zip(parts, names, strict=True)), raw_csv.dialect_of(resource), raw_csv.encoding_of(resource))


def _joined(descriptor: Mapping[str, Any], folder: Path) -> dict[str, bytes]:
    """The one CSV file each table kept in several files makes, by resource name."""
    joined = {}
    for resource in descriptor["resources"]:
        if len(parts := _parts(resource)) > 1:
            contents = [(folder / part).read_bytes() for part in parts]
            joined[resource["name"]] = raw_csv.joined(contents, raw_csv.dialect_of(resource), raw_csv.encoding_of(resource))
    return joined


def _in_parts(problems: list[Problem], descriptor: Mapping[str, Any], folder: Path, config: Config) -> list[Problem]:
    """Frictionless' problems of a table kept in several files, moved from the row of the
    files read as one to the file and row a spreadsheet user opens."""
    moved = problems
    for resource in descriptor["resources"]:
        parts = _parts(resource)
        if len(parts) < 2:
            continue
        as_one = config.display(folder / load.joined_place(parts[0]))
        layout = raw_csv.layout([(folder / part).read_bytes() for part in parts], raw_csv.dialect_of(resource), raw_csv.encoding_of(resource))
        moved = [_moved(p, parts, layout, folder, config) if p.file == as_one else p for p in moved]
    return moved


def _moved(problem: Problem, parts: Sequence[str], layout: Sequence[raw_csv.Part], folder: Path, config: Config) -> Problem:
    row, index = problem.row, 0
    if row is not None and row > layout[0].rows:
        row, index = row - layout[0].rows, 1
        while index < len(parts) - 1 and row > layout[index].rows - layout[index].repeats_header:
            row, index = row - (layout[index].rows - layout[index].repeats_header), index + 1
        row += layout[index].repeats_header  # a later file that repeats the header row: its rows start at 2
    return dataclasses.replace(problem, file=config.display(folder / parts[index]), row=row)


def _with_inferred_schemas(descriptor: Mapping[str, Any], package: Package, inferred: frozenset[str]) -> dict[str, Any]:
    """The descriptor with the schema Frictionless inferred for each resource that has none."""
    schemas = {resource.name: resource.schema.to_descriptor() for resource in package.resources if resource.name in inferred}
    return {**descriptor, "resources": [{**r, "schema": schemas[r["name"]]} if r["name"] in schemas else r for r in descriptor["resources"]]}


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
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return None, [
            Problem(
                "invalid-yaml",
                f"The descriptor is not valid YAML: {getattr(err, 'problem', None) or err}{f' at line {line}' if line else ''}.",
                file,
                row=line,
                fix="Correct the YAML at that line (indentation, or a ':' inside a value that needs quotes, is the usual cause).",
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
        problems.extend(_table_path_problems(resource, folder, file, field, config))
        for key in ("schema", "dialect"):  # may be a separate JSON file: never a URL
            if isinstance(resource.get(key), str):
                problems.extend(_path_problems(resource[key], folder, file, f"{field}.{key}", config, suffix=".json"))
        if isinstance(resource.get("profile"), str) and _is_url(resource["profile"]):
            problems.append(_remote_problem(resource["profile"], file, f"{field}.profile"))
    return problems


NOT_CSV_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".json", ".jsonl", ".ndjson", ".geojson", ".parquet", ".zip", ".gz", ".pdf", ".xml"})


def _table_path_problems(resource: Mapping[str, Any], folder: Path, file: str, field: str, config: Config) -> list[Problem]:
    """The problems of a table's path, or of each of its files when ``path`` is an array
    (Data Resource "multiple files"): each must be as safe as a single path."""
    declared = resource.get("format")
    if isinstance(declared, str) and declared.lower().lstrip(".") not in ("csv", "tsv"):
        message = f"The resource declares the format {declared!r}; tables are published from CSV files."
        fix = 'Save the table as CSV (UTF-8), point the path at it and set "format": "csv" (or remove "format").'
        return [Problem("not-csv", message, file, field=f"{field}.format", fix=fix)]
    path = resource.get("path")
    if isinstance(path, list) and path:
        return [p for index, part in enumerate(path) for p in _table_part_problems(part, resource, folder, file, f"{field}.path[{index}]", config)]
    return _table_part_problems(path, resource, folder, file, f"{field}.path", config)


def _table_part_problems(path: object, resource: Mapping[str, Any], folder: Path, file: str, field: str, config: Config) -> list[Problem]:
    suffix = ".csv"
    if isinstance(path, str) and _is_csv(path, resource):
        suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower()  # a CSV file by another name: its own suffix is the one expected
    return _path_problems(path, folder, file, field, config, suffix=suffix)


def _is_csv(path: str, resource: Mapping[str, Any]) -> bool:
    """Whether a table's file is CSV: a .csv or .tsv file, or any file but a spreadsheet or JSON
    one whose resource declares a CSV ``format`` or a ``dialect``."""
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower()
    if suffix in (".csv", ".tsv"):
        return True
    if suffix in NOT_CSV_SUFFIXES:
        return False
    declared = resource.get("format")
    return (isinstance(declared, str) and declared.lower() in ("csv", "tsv")) or isinstance(resource.get("dialect"), (dict, str))


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


BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _list(value: object) -> list[Any]:
    """``value`` when it is a list, else an empty one (its shape is reported elsewhere)."""
    return value if isinstance(value, list) else []


def _constraint_problems(descriptor: Mapping[str, Any], file: str) -> list[Problem]:
    """Each field constraint that its field's type cannot read (``"minimum": [1]`` on a number,
    ``"maximum": "soon"`` on a date, a pattern that is no regular expression): Frictionless
    accepts them and then fails on the first row."""
    problems = []
    for index, resource in enumerate(_list(descriptor.get("resources"))):
        schema = resource.get("schema") if isinstance(resource, Mapping) else None
        for number, raw in enumerate(_list(schema.get("fields")) if isinstance(schema, Mapping) else []):
            constraints = raw.get("constraints") if isinstance(raw, Mapping) else None
            if not isinstance(constraints, Mapping) or not constraints:
                continue
            where = f"resources[{index}].schema.fields[{number}].constraints"
            try:
                read = Field.from_descriptor({k: v for k, v in raw.items() if k != "constraints"}).create_value_reader()
                re.compile(str(constraints.get("pattern", "")))
            except (FrictionlessException, re.error) as err:
                problems.append(Problem("invalid-descriptor", f"The field cannot be read: {err}.", file, field=where, fix=rule_for("invalid-descriptor").fix))
                continue
            kind = str(raw.get("type", "string"))
            kind = f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"
            unreadable = [name for name in BOUNDS if name in constraints and read(constraints[name]) is None]
            unreadable += ["enum"] if isinstance(constraints.get("enum"), list) and any(read(value) is None for value in constraints["enum"]) else []
            problems.extend(
                Problem(
                    "invalid-descriptor",
                    f"The constraint {name} is {constraints[name]!r}, which is not {kind} value.",
                    file,
                    field=f"{where}.{name}",
                    fix=f"Write {name} as {kind} value, as the cells of the column are written, or remove it.",
                )
                for name in unreadable
            )
    return problems


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
        columns.append(("indicators", "indicator_id", "indicator id"))  # other tables' ids are keys into this one
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
    for resource, part in ((r, part) for r in descriptor["resources"] for part in _parts(r)):
        path = folder / part
        delimiter = raw_csv.dialect_of(resource).delimiter
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


def _message(code: str, message: str, note: str, cell: object, field: Mapping[str, Any] | None = None) -> str:

    """Frictionless' message, put plainly where we can."""
    name = (field or {}).get("name")
    if code == "type-error" and isinstance(cell, str):
        expected = note.removeprefix('type is "').split("/")[0].rstrip('"')
        return f"The value {cell!r} is not a valid {expected}."
    if code == "constraint-error" and cell in ("", None) and '"required"' in note:
        return f"A value is needed here: every row needs a {name or 'value in this column'}, and this cell is empty."
    if code == "constraint-error" and '"enum"' in note and isinstance(allowed := _constraint(field, "enum"), list):
        return f"The value {cell!r} is not one of the values allowed in {name}: {', '.join(map(str, allowed))}."
    if code == "constraint-error" and isinstance(cell, str):
        return f"The value {cell!r} breaks the rule: {note}."
    return message


def _label_message(code: str, error: LabelError) -> str | None:
    if code == "missing-label":
        return f"The header has no column {error.field_name!r}; the schema lists it in position {error.field_number}."
    if code == "incorrect-label":
        return f"The column in position {error.field_number} is headed {error.label!r}, but the schema names it {error.field_name!r}."
    return None


def _constraint(field: Mapping[str, Any] | None, name: str) -> object:
    constraints = (field or {}).get("constraints")
    return constraints.get(name) if isinstance(constraints, Mapping) else None


_AT_PROPERTY = re.compile(r"^(?P<what>.*) at property '(?P<path>[^']*)'$")
_REQUIRES = re.compile(r"^(?P<kind>license|source|contributor) requires (?P<what>.+?): (?P<item>\{.*\})$")
_NOT_VALID_FORMAT = re.compile(r'^property "(?P<name>[^"]+)" is not valid "(?P<format>[^"]+)"$')
_SPELT = {"license": "licence"}
_FORMAT_EXAMPLES = {"datetime": "YYYY-MM-DDThh:mm:ssZ, for example 2019-04-01T09:30:00Z", "date": "YYYY-MM-DD, for example 2019-04-01"}


_ALLOWED = re.compile(r" is not one of \[(?P<values>[^\]]*)\]")
_OWNERS = {"resource-error": (), "dialect-error": ("dialect",), "schema-error": ("schema",), "field-error": ("schema", "fields", "*")}


def _dotted(parts: Sequence[str | int]) -> str | None:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in parts).lstrip(".") or None


def _owner(descriptor: Mapping[str, Any], kind: str, path: Sequence[str | int], what: str) -> list[str | int] | None:
    """Where in the descriptor the resource, schema, dialect or field that Frictionless' error
    is about is (its errors give a path inside that object only): the one holding a value at
    ``path`` that the reason starts with, or None."""
    if kind not in _OWNERS:
        return None
    for index, resource in enumerate(descriptor.get("resources") or []):
        found = _candidates(resource, list(_OWNERS[kind]), ["resources", index])
        for where, owner in found:
            value: Any = owner
            for part in path:
                value = _item(value, part)
            if value is not None and what.startswith(repr(value)):
                return where
    return None


def _item(value: Any, part: str | int) -> Any:
    if isinstance(value, dict):
        return value.get(part)
    if isinstance(value, list) and isinstance(part, int) and part < len(value):
        return value[part]
    return None


def _candidates(value: Any, steps: list[str], where: list[str | int]) -> list[tuple[list[str | int], Any]]:
    if not steps:
        return [(where, value)]
    step, rest = steps[0], steps[1:]
    if step == "*":
        return [c for i, item in enumerate(value) for c in _candidates(item, rest, [*where, i])] if isinstance(value, list) else []
    return _candidates(value[step], rest, [*where, step]) if isinstance(value, dict) and step in value else []


def descriptor_error_problems(errors: Iterable[Error], descriptor: Mapping[str, Any], file: str) -> list[Problem]:
    """Frictionless' errors about a descriptor, every one, each naming the property it is about
    and the reason (never only "descriptor is not valid")."""
    problems = []
    for error in errors:
        code = code_for(error.type)
        note = error.note or error.message
        field, message, fix = None, note, rule_for(code).fix
        if match := _AT_PROPERTY.match(note):
            parts: list[str | int] = [int(part) if part.isdigit() else part for part in match["path"].split("/") if part]
            base = [] if error.type == "package-error" else _owner(descriptor, error.type, parts, match["what"])
            field = _dotted([*base, *parts]) if base is not None else None
            message = match["what"] if base is not None else error.message
            allowed = _ALLOWED.search(match["what"])
            if allowed and isinstance(parts[-1] if parts else None, str):
                fix = did_you_mean(match["what"].split(" is not one of")[0].strip("'"), allowed["values"].replace("'", "").split(", ")) + fix
        elif match := _REQUIRES.match(note):
            key = f"{match['kind']}s"
            items = descriptor.get(key)
            index = next((i for i, item in enumerate(items) if repr(item) == match["item"]), None) if isinstance(items, list) else None
            field = key if index is None else f"{key}[{index}]"
            kind = _SPELT.get(match["kind"], match["kind"])
            has = ", ".join(map(repr, items[index])) if isinstance(items, list) and index is not None and isinstance(items[index], dict) else ""
            message = f"Each {kind} requires {match['what']}; this one has {'only ' + has if has else 'neither'}"
            fix = f'Add "name" (a short identifier, such as "OGL-UK-3.0" for a licence) or "path" (its web address) to the {kind}.'
        elif match := _NOT_VALID_FORMAT.match(note):
            field = match["name"]
            message = f"{descriptor.get(field)!r} is not a valid {match['format']}"
            if match["format"] in _FORMAT_EXAMPLES:
                fix = f"Write {field} as {_FORMAT_EXAMPLES[match['format']]}, or remove it."
        elif error.type != "package-error":
            message = error.message
        message = message[:1].upper() + message[1:]
        problems.append(Problem(code, message if message.endswith(".") else f"{message}.", file, field=field, fix=fix))
    return problems


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
    problems = descriptor_error_problems(report.errors, descriptor, descriptor_file)
    resources = {r["name"]: r for r in descriptor["resources"]}
    references = _References(descriptor, folder)
    for task in report.tasks:
        place = config.display(folder / task.place) if task.place and "://" not in task.place else descriptor_file
        resource = resources.get(task.name, {})
        primary_key = _primary_key(resource)
        fields = {f.get("name"): f for f in (resource.get("schema") or {}).get("fields", []) if isinstance(f, dict)}
        blank_rows = {e.row_number for e in task.errors if isinstance(e, BlankRowError)}
        seen: set[tuple[int | None, str | None]] = set()
        for error in sorted(task.errors, key=lambda e: e.type not in STRUCTURAL_ERRORS):  # stable: file order otherwise
            row, field = _where(error, primary_key)
            if (row in blank_rows and not isinstance(error, BlankRowError)) or (field is not None and (row, field) in seen):
                continue
            seen.add((row, field))
            code = code_for(error.type)
            cell = getattr(error, "cell", None)
            schema_field = fields.get(getattr(error, "field_name", None))
            message = _message(code, error.message, error.note, cell, schema_field)
            fix = fix_for(code, cell, schema_field)
            if isinstance(error, LabelError):
                message = _label_message(code, error) or message
                fix = label_fix(code, error.field_name, error.label, resource, list(resources.values()))
            elif code == "constraint-error" and schema_field is not None:
                fix = _constraint_fix(error.note, cell, schema_field, resource, primary_key) or fix
            elif isinstance(error, ForeignKeyError):
                reference = error.reference_name or task.name
                values = ", ".join(error.field_cells)
                message = f"{values} is not a {'/'.join(error.reference_field_names)} in the table {reference!r}."
                fix = references.suggestions(reference, error.reference_field_names).did_you_mean(values) + fix
            if code in ("byte-count", "hash-count") and (declared := _declared(code, error.note, resource)):
                message, fix = declared
            else:
                fix += checksum_note(resource)
            problems.append(Problem(code=code, message=message, file=place, row=row, field=field, fix=fix))
    return problems


_EXPECTED_ACTUAL = re.compile(r'expected is "(?P<expected>[^"]*)" and actual is "(?P<actual>[^"]*)"')


def _declared(code: str, note: str, resource: Mapping[str, Any]) -> tuple[str, str] | None:
    """The message and fix for a declared size or checksum that is not the file's: the value to write."""
    match = _EXPECTED_ACTUAL.search(note)
    if match is None:
        return None
    if code == "byte-count":
        return (
            f"The file is {match['actual']} bytes long, but the resource's bytes says {match['expected']}.",
            f'Set "bytes": {match["actual"]} in the resource in datapackage.json, or remove bytes.',
        )
    declared = str(resource.get("hash", ""))
    value = f"{declared.split(':', 1)[0]}:{match['actual']}" if ":" in declared else match["actual"]
    return (
        f"The file's checksum is {match['actual']}, but the resource's hash says {match['expected']}.",
        f'Set "hash": "{value}" in the resource in datapackage.json, or remove hash.',
    )


def _constraint_fix(note: str, cell: object, field: Mapping[str, Any], resource: Mapping[str, Any], primary_key: Sequence[str]) -> str | None:
    """Advice for a blank required value or a value not in the allowed list, or None."""
    if cell in ("", None) and '"required"' in note:
        markers = (resource.get("schema") or {}).get("missingValues", [""])
        return required_fix(field, [m for m in markers if isinstance(m, str)], field.get("name") in primary_key)
    allowed = _constraint(field, "enum")
    if '"enum"' in note and isinstance(allowed, list):
        values = ", ".join(map(str, allowed))
        return f"{did_you_mean(cell, allowed)}Use one of the allowed values ({values}), or add the value to the field's enum in datapackage.json."
    return None


class _References:
    """The values of a package's tables that foreign keys refer to, read when first needed
    (only to suggest the closest one to a value that is not there)."""

    def __init__(self, descriptor: Mapping[str, Any], folder: Path) -> None:
        self._descriptor, self._folder = descriptor, folder
        self._read: dict[tuple[str, tuple[str, ...]], Suggestions] = {}

    def suggestions(self, resource: str, fields: Sequence[str]) -> Suggestions:
        """Suggestions among the values (comma-joined when a key has several fields) of ``fields`` in ``resource``."""
        key = (resource, tuple(fields))
        if key not in self._read:
            self._read[key] = Suggestions(self._values(resource, fields))
        return self._read[key]

    def _values(self, resource: str, fields: Sequence[str]) -> set[str]:
        try:
            table = Package(dict(self._descriptor), basepath=str(self._folder)).get_resource(resource)
            header, *rows = table.read_cells() if isinstance(table, TableResource) else [[]]
        except (FrictionlessException, ValueError) as err:
            log.debug("cannot read %s to suggest a value: %s", resource, err)
            return set()
        columns = [header.index(f) for f in fields if f in header]
        if len(columns) != len(fields):
            return set()
        return {", ".join(str(row[i]) for i in columns) for row in rows if all(i < len(row) for i in columns)}
