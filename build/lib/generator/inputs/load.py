"""Find datapackages and read their descriptors and tables. Reads only; judging is Frictionless'
(and ``validate``'s)."""

from __future__ import annotations

import functools
import json
import os
import stat
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import yaml
from frictionless import Detector, FrictionlessException, Package, Report

from generator.inputs import iso_dates
from generator.problems import progress

DESCRIPTOR_NAME = "datapackage.json"
DESCRIPTOR_NAMES = (DESCRIPTOR_NAME, "datapackage.yaml", "datapackage.yml")  # the standard allows YAML too
INFERRED_SAMPLE_ROWS = 100_000  # rows Frictionless looks at to infer the types of a table without a schema


def descriptor_path(package_dir: Path) -> Path:
    """The package's descriptor: ``datapackage.json``, else ``datapackage.yaml`` or ``.yml``."""
    return next((path for path in (package_dir / name for name in DESCRIPTOR_NAMES) if path.is_symlink() or path.exists()), package_dir / DESCRIPTOR_NAME)

MAX_DESCRIPTOR_BYTES = 10_000_000  # a descriptor of a thousand tables is well under 1 MB
MAX_JSON_DEPTH = 64  # a real descriptor nests about 8 levels deep


class NotAFile(OSError):
    """The descriptor is a link, a device, a pipe or a folder: not a regular file (it is never opened)."""


class TooLarge(OSError):
    """The descriptor is larger than ``MAX_DESCRIPTOR_BYTES``."""


class TooDeep(ValueError):
    """The JSON nests arrays and objects more than ``MAX_JSON_DEPTH`` levels deep."""


def loads(text: str) -> Any:
    """``json.loads``, refusing JSON nested deeper than ``MAX_JSON_DEPTH`` (which would exhaust
    the stack of the parser or of anything that walks the result).

    Raises:
        json.JSONDecodeError: the text is not JSON.
        TooDeep: it nests too deep.
    """
    try:
        parsed = json.loads(text)
    except RecursionError as err:
        raise TooDeep(f"it nests more than {MAX_JSON_DEPTH} levels deep") from err
    level: list[Any] = [parsed]
    for _ in range(MAX_JSON_DEPTH):  # breadth first, without recursion
        level = [child for value in level if isinstance(value, dict | list) for child in (value.values() if isinstance(value, dict) else value)]
        if not level:
            return parsed
    raise TooDeep(f"it nests more than {MAX_JSON_DEPTH} levels deep")


def discover_packages(datasets_dir: Path) -> list[Path]:
    """Every folder directly under ``datasets_dir`` that holds a descriptor at its root, sorted."""
    if not datasets_dir.is_dir():
        return []
    return sorted({p.parent for name in DESCRIPTOR_NAMES for p in datasets_dir.glob(f"*/{name}")})


def folders_without_descriptor(datasets_dir: Path) -> list[tuple[Path, Path | None]]:
    """Every folder directly under ``datasets_dir`` (but hidden ones, such as ``.git``) with no
    descriptor at its root, each with the first descriptor found deeper inside it, if any."""
    if not datasets_dir.is_dir():
        return []
    found = []
    for folder in sorted(p for p in datasets_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if any((folder / name).exists() or (folder / name).is_symlink() for name in DESCRIPTOR_NAMES):  # read (or refused) as a package
            continue
        nested = sorted(
            p for name in DESCRIPTOR_NAMES for p in folder.rglob(name) if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        )
        found.append((folder, nested[0] if nested else None))
    return found


class _YamlLoader(yaml.SafeLoader):
    """YAML's safe loader, reading dates as text (as JSON would hold them)."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_descriptor(package_dir: Path) -> Any:
    """The parsed JSON (or YAML) of a package's descriptor, read only when it is a regular file
    (not a link, device or pipe) of at most ``MAX_DESCRIPTOR_BYTES``.

    Raises:
        NotAFile, TooLarge, OSError: the file is not one to read, or cannot be read.
        UnicodeDecodeError: the file is not UTF-8.
        json.JSONDecodeError: the file is not JSON.
        yaml.YAMLError: a ``datapackage.yaml`` is not YAML.
        TooDeep: the JSON nests too deep.
    """
    path = descriptor_path(package_dir)
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode):
        raise NotAFile(f"{path} is not a regular file")
    if info.st_size > MAX_DESCRIPTOR_BYTES:
        raise TooLarge(f"{path} is {info.st_size:,} bytes")
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK), "rb") as handle:
        data = handle.read(MAX_DESCRIPTOR_BYTES + 1)
    if len(data) > MAX_DESCRIPTOR_BYTES:
        raise TooLarge(f"{path} is over {MAX_DESCRIPTOR_BYTES:,} bytes")
    text = data.decode("utf-8")
    if path.suffix in (".yaml", ".yml"):
        # through JSON, so that what YAML allows and JSON does not (numbers as keys...) is as JSON reads it
        try:
            return loads(json.dumps(yaml.load(text, Loader=_YamlLoader), default=str))
        except RecursionError as err:
            raise TooDeep(f"it nests more than {MAX_JSON_DEPTH} levels deep") from err
    return loads(text)


def inline_references(descriptor: Mapping[str, Any], package_dir: Path) -> dict[str, Any]:
    """A copy of a descriptor in which each resource's ``schema`` and ``dialect`` given as a
    (checked, relative) path is replaced by the JSON it points to.

    Raises:
        OSError, UnicodeDecodeError, json.JSONDecodeError: as ``read_descriptor``.
    """
    inlined = dict(descriptor)
    inlined["resources"] = [
        {
            key: loads((package_dir / value).read_text(encoding="utf-8")) if key in ("schema", "dialect") and isinstance(value, str) else value
            for key, value in r.items()
        }
        for r in descriptor["resources"]
    ]
    return inlined


def joined_place(first_part: str) -> str:
    """Where problems of a table kept in several files are placed until they are moved to the
    file and row they come from: its first file, marked."""
    return f"{first_part} (multipart)"


def table_place(resource: Mapping[str, Any]) -> str:
    """The path that names a resource's table in problems: its file, or ``joined_place`` of its
    first file when it is kept in several."""
    path = resource["path"]
    return joined_place(str(path[0])) if isinstance(path, list) and len(path) > 1 else str(path[0] if isinstance(path, list) else path)


def validate_and_read(
    package: Package, joined: Mapping[str, bytes] | None = None, decided: Collection[str] = ()
) -> tuple[Report, dict[str, list[dict[str, Any]]]]:
    """Frictionless' validation report of a package and, in the same single pass over each
    table, its typed rows (keyed by resource name, as dictionaries keyed by field name).

    ``joined`` holds, by resource name, the one CSV file that a table kept in several files
    makes (``raw_csv.joined``): Frictionless reads that, as published, rather than its own join
    (which always drops the first line of a later file, even a row of data); its problems are
    placed at ``<first file> (multipart)``. The tables named in ``decided`` (found valid by the
    fast path) are not read again: the report and the rows are of the others only.

    Raises:
        FrictionlessException: the descriptor cannot be used at all.
    """
    iso_dates.register()
    for resource in package.resources:
        if not resource.schema.fields:  # no schema: Frictionless infers one, from every row so that no row breaks it
            resource.detector = Detector(sample_size=INFERRED_SAMPLE_ROWS, field_confidence=1.0)
    try:
        package.to_descriptor(validate=True)
    except FrictionlessException as exception:
        return Report.from_validation(errors=exception.to_errors()), {}
    places: dict[str, str] = {}
    for resource in package.resources:
        if joined and resource.name in joined and resource.path:  # Frictionless keeps the first file as path, the others as extrapaths
            places[resource.name] = joined_place(resource.path)
            resource.format = resource.format or "csv"
            resource.path, resource.extrapaths, resource.data, resource.scheme = None, [], joined[resource.name], "buffer"
    rows: dict[str, list[dict[str, Any]]] = {}
    reports = []
    for resource in package.resources:
        if resource.name in decided:
            continue
        collected = rows.setdefault(resource.name, [])
        reports.append(resource.validate(on_row=functools.partial(_collect, collected, f"{package.name or 'package'}: {resource.name}")))
    report = Report.from_validation_reports(time=0, reports=reports)
    for task in report.tasks:
        task.place = places.get(task.name, task.place)
    return report, rows


PROGRESS_EVERY = 50_000  # rows between two progress reports while Frictionless reads a table


def _collect(into: list[dict[str, Any]], table: str, row: Any) -> None:
    into.append(row.to_dict())
    if len(into) % PROGRESS_EVERY == 0:
        progress.report("Checking %s (%s rows)", table, f"{len(into):,}")


def _missing_values(values: Any) -> Any:
    """Data Package v2 missing values (``[{"value": "-99", "label": "Refused"}]``) as the
    strings Frictionless 5 reads in a v1 descriptor."""
    if not isinstance(values, list):
        return values
    return [value.get("value") if isinstance(value, Mapping) else value for value in values]


def for_frictionless(descriptor: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a (shape-checked, references inlined) descriptor that Frictionless 5 reads as
    the standard means it: v2 ``missingValues`` objects become their values."""
    copied: dict[str, Any] = json.loads(json.dumps(descriptor))
    for resource in copied["resources"]:
        schema = resource.get("schema")
        if not isinstance(schema, dict):
            continue
        if "missingValues" in schema:
            schema["missingValues"] = _missing_values(schema["missingValues"])
        for field in schema.get("fields") or []:
            if isinstance(field, dict) and "missingValues" in field:
                field["missingValues"] = _missing_values(field["missingValues"])
    return copied
