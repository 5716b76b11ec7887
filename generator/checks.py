"""Domain checks that Frictionless cannot make, run on the typed rows of valid packages."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from generator import compute, load
from generator.config import Config
from generator.model import (
    FOREIGN_PACKAGE_KEYS,
    INDICATOR_PROFILE,
    RELEASES,
    Dataset,
    IndicatorSet,
    Table,
    build_indicator_set,
)
from generator.problems import Problem, Severity

PROFILE_FOLDERS = {INDICATOR_PROFILE: "indicator-profile"}
RELEASE_LOG_FOLDER = "release-log"
OPTIONAL_PROFILE_RESOURCES = {"published-assessments"}


def within_package(dataset: Dataset, config: Config) -> list[Problem]:
    """Checks on one valid dataset: its release log, its profile, and the indicator rules when it has that profile."""
    problems = release_log_problems(dataset, config)
    if dataset.profile is None:
        return problems
    problems += profile_problems(dataset, config)
    if problems or dataset.profile != INDICATOR_PROFILE:
        return problems
    data = build_indicator_set(dataset)
    return [
        *value_problems(data, config),
        *missing_observation_problems(data, config),
        *overlapping_period_problems(data, config),
        *compute.reconcile(data, _file(dataset, "published-assessments", config)),
    ]


def _file(dataset: Dataset, resource: str, config: Config) -> str:
    return config.display(dataset.table(resource).file) if dataset.has_table(resource) else config.display(dataset.folder)


def _descriptor(dataset: Dataset, config: Config) -> str:
    return config.display(load.descriptor_path(dataset.folder))  # datapackage.json, or .yaml


def profile_problems(dataset: Dataset, config: Config) -> list[Problem]:
    """Every resource and field the declared profile requires, with the required type."""
    file = _descriptor(dataset, config)
    folder_name = PROFILE_FOLDERS.get(dataset.profile or "")
    if folder_name is None:
        known = ", ".join(sorted(PROFILE_FOLDERS))
        return [
            Problem(
                "unknown-profile",
                f"Unknown profile {dataset.profile!r}.",
                file,
                field="x-profile",
                fix=f"Use one of: {known}; or remove x-profile to publish the package as plain data.",
            )
        ]
    problems = []
    for schema_file in sorted((config.schemas_dir / folder_name).glob("*.json")):
        resource = schema_file.stem
        if not dataset.has_table(resource):
            if resource not in OPTIONAL_PROFILE_RESOURCES:
                problems.append(
                    Problem(
                        "profile-missing-resource",
                        f"The {dataset.profile} profile needs a resource named {resource!r}.",
                        file,
                        field="resources",
                        fix=f"Add the resource, with the schema in {config.display(schema_file)}.",
                    )
                )
            continue
        problems.extend(_schema_problems(dataset, resource, schema_file, config))
    return problems


def _schema_problems(dataset: Dataset, resource: str, schema_file: Path, config: Config) -> list[Problem]:
    """Every field of ``schema_file`` that the resource lacks or types differently."""
    have = {f.name: f.type for f in dataset.table(resource).fields}
    problems = []
    for field in json.loads(schema_file.read_text(encoding="utf-8"))["fields"]:
        if have.get(field["name"]) != field["type"]:
            found = f"has type {have[field['name']]!r}" if field["name"] in have else "is missing"
            problems.append(
                Problem(
                    "profile-field",
                    f"Resource {resource!r}: field {field['name']!r} {found}; it needs type {field['type']!r}.",
                    _descriptor(dataset, config),
                    field=field["name"],
                    fix=f"Copy the field from {config.display(schema_file)}.",
                )
            )
    return problems


def release_log_problems(dataset: Dataset, config: Config) -> list[Problem]:
    """A package's ``releases`` resource, if it has one, has the release log's fields."""
    schema_file = config.schemas_dir / RELEASE_LOG_FOLDER / f"{RELEASES}.json"
    if not dataset.has_table(RELEASES) or not schema_file.is_file():
        return []
    return _schema_problems(dataset, RELEASES, schema_file, config)


def value_problems(data: IndicatorSet, config: Config) -> list[Problem]:
    """Rates must lie in 0-100 and counts must not be negative."""
    table = data.dataset.table("observations")
    units = {i.id: i.unit for i in data.indicators}
    problems = []
    for row_number, row in enumerate(table.rows, start=2):
        unit, value = units.get(row["indicator_id"]), row["value"]
        if unit == "percent" and not 0 <= value <= 100:
            problems.append(
                Problem(
                    "rate-out-of-range",
                    f"{row['indicator_id']} is a percent but the value is {value}.",
                    config.display(table.file),
                    row_number,
                    "value",
                    "Enter a percentage between 0 and 100 (69 for 69%).",
                )
            )
        elif unit == "count" and value < 0:
            problems.append(
                Problem(
                    "negative-count",
                    f"{row['indicator_id']} is a count but the value is {value}.",
                    config.display(table.file),
                    row_number,
                    "value",
                    "Counts cannot be negative: check the sign.",
                )
            )
    return problems


def missing_observation_problems(data: IndicatorSet, config: Config) -> list[Problem]:
    """An indicator with no observation at all is published with no figures: warn."""
    observed = {indicator_id for indicator_id, _ in data.values}
    table = data.dataset.table("indicators")
    return [
        Problem(
            "indicator-without-observations",
            f"Indicator {i.id!r} has no observations.",
            config.display(table.file),
            _row_of(table, "indicator_id", i.id),
            "indicator_id",
            "Add its values to observations, or remove the indicator.",
            Severity.WARNING,
        )
        for i in data.indicators
        if i.id not in observed
    ]


def overlapping_period_problems(data: IndicatorSet, config: Config) -> list[Problem]:
    """Periods with stated dates must not overlap."""
    table = data.dataset.table("periods")
    dated = sorted((p for p in data.periods if p.start_date and p.end_date), key=lambda p: p.start_date)  # type: ignore[arg-type,return-value]
    problems = []
    for earlier, later in pairwise(dated):
        if later.start_date <= earlier.end_date:  # type: ignore[operator]
            problems.append(
                Problem(
                    "overlapping-periods",
                    f"Period {later.id!r} starts before {earlier.id!r} ends.",
                    config.display(table.file),
                    _row_of(table, "period_id", later.id),
                    "start_date",
                    "Correct the dates so that periods do not overlap.",
                )
            )
    return problems


def _row_of(table: Table, key: str, value: object) -> int | None:
    return next((n for n, row in enumerate(table.rows, start=2) if row.get(key) == value), None)


def unused_resource_problems(datasets: Sequence[Dataset], used: set[tuple[str, str]], config: Config) -> list[Problem]:
    """Warn about a resource that is only a download: no page or chart shows or links to it.

    ``used`` holds the ``(package, resource)`` pairs that hand-written pages refer to; the
    resources of a site profile and tables linked to a profile's priorities are used by the
    generated pages.
    """
    used = set(used) | {(d.name, RELEASES) for d in datasets}  # the releases page shows every release log
    for dataset in datasets:
        folder = PROFILE_FOLDERS.get(dataset.profile or "")
        if folder is not None:
            used.update((dataset.name, schema.stem) for schema in (config.schemas_dir / folder).glob("*.json"))
        for resource in dataset.descriptor["resources"]:
            keys = (resource.get("schema") or {}).get(FOREIGN_PACKAGE_KEYS, [])
            if any(key["reference"]["resource"] == "priorities" for key in keys):  # listed on the priority pages
                used.add((dataset.name, resource["name"]))
    return [
        Problem(
            "unused-resource",
            f"No page or chart shows the resource {table.name!r}; it is published only as a download.",
            _descriptor(dataset, config),
            field=f"resources[{index}]",
            fix=f'Show it on a page in site_src/docs (for example {{{{ table("{dataset.name}", "{table.name}") }}}}), or remove it from the package.',
            severity=Severity.WARNING,
        )
        for dataset in datasets
        for index, table in enumerate(dataset.tables)
        if (dataset.name, table.name) not in used
    ]


def across_packages(datasets: Sequence[Dataset], invalid: Iterable[str], config: Config) -> list[Problem]:
    """Foreign keys into other packages, declared as ``x-foreignPackageKeys`` in a schema.

    References into a package in ``invalid`` (folder names) are skipped: its own errors say why.
    """
    by_name = {d.name: d for d in datasets}
    skip = set(invalid)
    problems: list[Problem] = []
    for dataset in datasets:
        for resource in dataset.descriptor["resources"]:
            for key in (resource.get("schema") or {}).get(FOREIGN_PACKAGE_KEYS, []):
                if key["reference"]["package"] not in skip:
                    problems.extend(_foreign_package_key(dataset, dataset.table(resource["name"]), key, by_name, config))
    return problems


def _foreign_package_key(dataset: Dataset, table: Table, key: dict[str, Any], by_name: dict[str, Dataset], config: Config) -> Iterable[Problem]:
    ref = key["reference"]
    file = config.display(table.file)
    target = by_name.get(ref["package"])
    if target is None or not target.has_table(ref["resource"]):
        yield Problem(
            "foreign-package-missing",
            f"{table.name} refers to {ref['package']}/{ref['resource']}, which is not a valid package here.",
            _descriptor(dataset, config),
            field=FOREIGN_PACKAGE_KEYS,
            fix="Add or correct that package, or remove the reference.",
        )
        return
    known = {tuple(row[f] for f in ref["fields"]) for row in target.table(ref["resource"]).rows}
    for row_number, row in enumerate(table.rows, start=2):
        values = tuple(row.get(f) for f in key["fields"])
        if all(v is None for v in values) or values in known:
            continue
        yield Problem(
            "foreign-key",
            f"{', '.join(map(str, values))} is not a {'/'.join(ref['fields'])} in {ref['package']}/{ref['resource']}.",
            file,
            row_number,
            key["fields"][0],
            f"Use a value listed in {ref['package']}/{ref['resource']}, or add it there first.",
        )
