"""Find datapackages and read their descriptors and tables. Reads only; judging is Frictionless'
(and ``validate``'s)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from frictionless import FrictionlessException, Package, Report

from generator import iso_dates

DESCRIPTOR_NAME = "datapackage.json"


def discover_packages(datasets_dir: Path) -> list[Path]:
    """Every folder directly under ``datasets_dir`` that holds a ``datapackage.json``, sorted."""
    if not datasets_dir.is_dir():
        return []
    return sorted(p.parent for p in datasets_dir.glob(f"*/{DESCRIPTOR_NAME}"))


def read_descriptor(package_dir: Path) -> Any:
    """The parsed JSON of a package's descriptor.

    Raises:
        OSError: the file cannot be read.
        UnicodeDecodeError: the file is not UTF-8.
        json.JSONDecodeError: the file is not JSON.
    """
    return json.loads((package_dir / DESCRIPTOR_NAME).read_text(encoding="utf-8"))


def inline_references(descriptor: Mapping[str, Any], package_dir: Path) -> dict[str, Any]:
    """A copy of a descriptor in which each resource's ``schema`` and ``dialect`` given as a
    (checked, relative) path is replaced by the JSON it points to.

    Raises:
        OSError, UnicodeDecodeError, json.JSONDecodeError: as ``read_descriptor``.
    """
    inlined = dict(descriptor)
    inlined["resources"] = [
        {
            key: json.loads((package_dir / value).read_text(encoding="utf-8")) if key in ("schema", "dialect") and isinstance(value, str) else value
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
