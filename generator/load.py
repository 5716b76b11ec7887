"""Find datapackages and read their descriptors and tables. Reads only; judging is Frictionless'
(and ``validate``'s)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from frictionless import FrictionlessException, Package, Report

from generator import iso_dates

DESCRIPTOR_NAME = "datapackage.json"
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
    """Every folder directly under ``datasets_dir`` that holds a ``datapackage.json``, sorted."""
    if not datasets_dir.is_dir():
        return []
    return sorted(p.parent for p in datasets_dir.glob(f"*/{DESCRIPTOR_NAME}"))


def read_descriptor(package_dir: Path) -> Any:
    """The parsed JSON of a package's descriptor, read only when it is a regular file (not a
    link, device or pipe) of at most ``MAX_DESCRIPTOR_BYTES``.

    Raises:
        NotAFile, TooLarge, OSError: the file is not one to read, or cannot be read.
        UnicodeDecodeError: the file is not UTF-8.
        json.JSONDecodeError: the file is not JSON.
        TooDeep: the JSON nests too deep.
    """
    path = package_dir / DESCRIPTOR_NAME
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode):
        raise NotAFile(f"{path} is not a regular file")
    if info.st_size > MAX_DESCRIPTOR_BYTES:
        raise TooLarge(f"{path} is {info.st_size:,} bytes")
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK), "rb") as handle:
        data = handle.read(MAX_DESCRIPTOR_BYTES + 1)
    if len(data) > MAX_DESCRIPTOR_BYTES:
        raise TooLarge(f"{path} is over {MAX_DESCRIPTOR_BYTES:,} bytes")
    return loads(data.decode("utf-8"))


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


def validate_and_read(package: Package) -> tuple[Report, dict[str, list[dict[str, Any]]]]:
    """Frictionless' validation report of a package and, in the same single pass over each
    table, its typed rows (keyed by resource name, as dictionaries keyed by field name).

    Raises:
        FrictionlessException: the descriptor cannot be used at all.
    """
    iso_dates.register()
    try:
        package.to_descriptor(validate=True)
    except FrictionlessException as exception:
        return Report.from_validation(errors=exception.to_errors()), {}
    rows: dict[str, list[dict[str, Any]]] = {}
    reports = []
    for resource in package.resources:
        collected = rows.setdefault(resource.name, [])
        reports.append(resource.validate(on_row=lambda row, into=collected: into.append(row.to_dict())))
    return Report.from_validation_reports(time=0, reports=reports), rows
