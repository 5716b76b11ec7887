"""Domain checks that Frictionless cannot make, run on the typed rows of valid packages."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from frictionless import Error, FrictionlessException, Package
from frictionless.errors import CellError, ForeignKeyError, PrimaryKeyError

from generator.config import Config
from generator.inputs import load
from generator.model import compute
from generator.model.dataset import (
    FOREIGN_PACKAGE_KEYS,
    GLOSSARY,
    INDICATOR_PROFILE,
    RELEASES,
    Dataset,
    IndicatorSet,
    Period,
    Table,
    build_indicator_set,
    foreign_package_keys,
)
from generator.problems.fixes import Suggestions, fix_for
from generator.problems.records import Problem, Severity

PROFILE_FOLDERS = {INDICATOR_PROFILE: "indicator-profile"}
RELEASE_LOG_FOLDER = "release-log"
GLOSSARY_FOLDER = "glossary"
OPTIONAL_PROFILE_RESOURCES = {"published-assessments"}
OPTIONAL_FIELD = "x-optional"  # a profile field a package may leave out (if present, it has the profile's type)


def within_package(dataset: Dataset, config: Config) -> list[Problem]:
    """Checks on one valid dataset: its release log, its profile, and the indicator rules when it has that profile."""
    problems = release_log_problems(dataset, config) + glossary_problems(dataset, config)
    if dataset.profile is None:
        return problems
    problems += profile_problems(dataset, config)
    if problems or dataset.profile != INDICATOR_PROFILE:
        return problems
    problems += profile_table_problems(dataset, config)
    problems += unique_key_problems(dataset, profile_descriptor(dataset, config), config)
    if problems:
        return problems
    data = build_indicator_set(dataset)
    return [
        *value_problems(data, config),
        *missing_observation_problems(data, config),
        *missing_latest_period_problems(data, config),
        *overlapping_period_problems(data, config),
        *period_problems(data, config),
        *plausibility_problems(data, config),
        *reconcile(data, _file(dataset, "published-assessments", config)),
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
        if field["name"] not in have and field.get(OPTIONAL_FIELD):
            continue  # an optional column of the profile: a package may leave it out
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


def glossary_problems(dataset: Dataset, config: Config) -> list[Problem]:
    """A package's ``glossary`` resource, if it has one, has the glossary's fields."""
    schema_file = config.schemas_dir / GLOSSARY_FOLDER / f"{GLOSSARY}.json"
    if not dataset.has_table(GLOSSARY) or not schema_file.is_file():
        return []
    return _schema_problems(dataset, GLOSSARY, schema_file, config)


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


def missing_latest_period_problems(data: IndicatorSet, config: Config) -> list[Problem]:
    """An indicator with figures, but none for the newest period: the site shows "Not available"
    under that period. Warn, naming the observations row to add (once: not when an assessment
    was published for the missing value, which ``published-without-value`` reports)."""
    latest = compute.latest_period(data)
    if latest is None:
        return []
    observed = {indicator_id for indicator_id, _ in data.values}
    table = data.dataset.table("observations")
    return [
        Problem(
            "indicator-missing-latest-period",
            f"Indicator {i.id!r} has no value for the latest period, {latest.id!r} ({latest.label}): the site shows it as Not available there.",
            config.display(table.file),
            None,
            "period_id",
            f"Add the row {i.id},{latest.id},<value> to {config.display(table.file)}; if the source has no such figure, say why in the indicator's notes.",
            Severity.WARNING,
        )
        for i in data.indicators
        # with an assessment published for that period, published-without-value already says to add the value
        if i.id in observed and (i.id, latest.id) not in data.values and data.published_for(i.id, latest.id) is None
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


def across_packages(datasets: Sequence[Dataset], invalid: Iterable[str], config: Config) -> list[Problem]:
    """Foreign keys into other packages, declared as ``x-foreignPackageKeys`` in a schema.

    References into a package in ``invalid`` (folder names) are skipped: its own errors say why.
    """
    by_name = {d.name: d for d in datasets}
    skip = set(invalid)
    problems: list[Problem] = []
    for dataset in datasets:
        for index, resource in enumerate(dataset.descriptor["resources"]):
            for number, key in enumerate(foreign_package_keys(resource)):
                if key["reference"]["package"] not in skip:
                    where = f"resources[{index}].schema.{FOREIGN_PACKAGE_KEYS}[{number}]"
                    problems.extend(_foreign_package_key(dataset, dataset.table(resource["name"]), key, by_name, config, where))
    return problems


def _foreign_package_key(dataset: Dataset, table: Table, key: dict[str, Any], by_name: dict[str, Dataset], config: Config, where: str) -> Iterable[Problem]:
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
    key_problems = list(_foreign_package_key_fields(dataset, table, key, target.table(ref["resource"]), config, where))
    if key_problems:
        yield from key_problems
        return
    known = {tuple(row[f] for f in ref["fields"]) for row in target.table(ref["resource"]).rows}
    suggestions: Suggestions | None = None  # made at the first value not found
    for row_number, row in enumerate(table.rows, start=2):
        values = tuple(row.get(f) for f in key["fields"])
        if all(v is None for v in values) or values in known:
            continue
        text = ", ".join(map(str, values))
        suggestions = suggestions or Suggestions(", ".join(map(str, k)) for k in known)
        yield Problem(
            "foreign-key",
            f"{text} is not a {'/'.join(ref['fields'])} in {ref['package']}/{ref['resource']}.",
            file,
            row_number,
            key["fields"][0],
            f"{suggestions.did_you_mean(text)}Use a value listed in {ref['package']}/{ref['resource']}, or add it there first.",
        )


def licence_problems(dataset: Dataset, config: Config) -> list[Problem]:
    """A warning when the package names no licence and the site sets no default licence: the
    site then says "Licence not stated" rather than claim one the publisher never chose."""
    if dataset.licence is not None:
        return []
    return [
        Problem(
            "licence-not-stated",
            'The package does not say under which licence its data may be reused, so the site says "Licence not stated" and catalogues name no licence.',
            _descriptor(dataset, config),
            field="licenses",
            fix='Add a "licenses" list to datapackage.json, for example [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0", '
            '"path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}], using the licence the data is '
            "really published under; or set the site's default licence in mkdocs.yml (extra: default_licence: name, title, path).",
            severity=Severity.WARNING,
        )
    ]


# Never an internal error from data: numbers that cannot be drawn, and the profile's own rules.

NUMERIC_TYPES = ("number", "integer")
LARGEST_NUMBER = Decimal("1e300")  # beyond this, differences, percentages and chart scales of figures overflow


def _finite(value: object) -> bool:
    """Whether a typed cell holds a number that arithmetic and charts can use (or no number)."""
    if isinstance(value, Decimal):
        return value.is_finite() and abs(value) <= LARGEST_NUMBER
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) <= LARGEST_NUMBER
    return True


def _not_finite_message(value: object) -> str:
    text = str(value)
    if (isinstance(value, Decimal) and not value.is_finite()) or (isinstance(value, float) and not math.isfinite(value)):
        return f"The value {text!r} is not a number that can be shown or compared."
    shown = text if len(text) <= 20 else f"{text[:8]}... ({len(text.lstrip('-'))} digits)"
    return f"The value {shown} is too large to compute with or draw."


def number_problems(descriptor: Mapping[str, Any], rows: Mapping[str, Sequence[Mapping[str, Any]]], folder: Path, config: Config) -> list[Problem]:
    """``NaN``, ``Infinity``, ``inf`` and numbers too large to compute with (``1e400``), which
    Frictionless reads as valid numbers, in any package's number and integer fields."""
    problems = []
    for resource in descriptor["resources"]:
        fields = [f["name"] for f in (resource.get("schema") or {}).get("fields", []) if f.get("type") in NUMERIC_TYPES]
        if not fields:
            continue
        file = config.display(folder / load.table_place(resource))
        for row_number, row in enumerate(rows.get(resource["name"], ()), start=2):
            for name in fields:
                value = row.get(name)
                if not _finite(value):
                    problems.append(
                        Problem(
                            "non-finite-number",
                            _not_finite_message(value),
                            file,
                            row_number,
                            name,
                            "Write the figure as an ordinary number (for example 74 or 0.5); leave the cell empty if the figure is not available "
                            "and the field allows it.",
                        )
                    )
    return problems


def profile_descriptor(dataset: Dataset, config: Config) -> dict[str, Any]:
    """The package with only its profile resources, each with the profile's field definitions
    (its own for extra fields), primary, unique and foreign keys: the rules every profile
    package meets, whatever its own schema says."""
    folder = config.schemas_dir / PROFILE_FOLDERS[INDICATOR_PROFILE]
    profile = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}
    resources = []
    for resource in dataset.descriptor["resources"]:
        schema = profile.get(resource["name"])
        if schema is None:
            continue
        own = resource.get("schema") or {}
        defined = {f["name"]: f for f in schema["fields"]}
        keys = {key: schema[key] for key in ("primaryKey", "foreignKeys", "uniqueKeys") if key in schema}
        others = {key: value for key, value in own.items() if key not in ("fields", "primaryKey", "foreignKeys", "uniqueKeys")}
        resources.append({**resource, "schema": {**others, **keys, "fields": [defined.get(f["name"], f) for f in own.get("fields", [])]}})
    return {**dataset.descriptor, "resources": resources}


def profile_table_problems(dataset: Dataset, config: Config) -> list[Problem]:
    """The profile resources checked with the profile's own Table Schemas (types, required
    values, allowed values, patterns, primary, unique and foreign keys), in addition to the
    package's schema, so that nothing downstream meets data the profile forbids."""
    descriptor = _descriptor(dataset, config)
    profiled = profile_descriptor(dataset, config)
    if _own_schemas_cover_profile(dataset, profiled):
        return []  # Frictionless has already checked every rule of the profile (the usual case): skip a second pass
    try:
        report, _ = load.validate_and_read(Package(profiled, basepath=str(dataset.folder)))
    except FrictionlessException as err:
        message = f"The tables cannot be checked against the {dataset.profile} profile: {err.error.message}"
        return [Problem("profile-field", message, descriptor, fix=PROFILE_FIX)]
    problems = [Problem("profile-field", f"The {dataset.profile} profile: {e.message}", descriptor, fix=PROFILE_FIX) for e in report.errors]
    primary_keys = {r["name"]: r["schema"].get("primaryKey", []) for r in profiled["resources"]}
    for task in report.tasks:
        file = config.display(dataset.folder / task.place) if task.place else descriptor
        for error in task.errors:
            row, field = _profile_where(error, primary_keys.get(task.name, []))
            message = f"The {dataset.profile} profile: {_profile_message(error, field)}"
            problems.append(Problem(error.type, message, file, row, field, fix_for(error.type, getattr(error, "cell", None))))
    return problems


def unique_key_problems(dataset: Dataset, descriptor: Mapping[str, Any], config: Config) -> list[Problem]:
    """Rows that repeat a ``uniqueKeys`` combination of the resource's schema in ``descriptor``
    (Frictionless does not check unique keys)."""
    problems = []
    for resource in descriptor["resources"]:
        table = dataset.table(resource["name"])
        for key in resource["schema"].get("uniqueKeys", []):
            names, seen = _names(key), set()
            for row_number, row in enumerate(table.rows, start=2):
                values = tuple(row.get(name) for name in names)
                if all(v is None for v in values):
                    continue
                if values in seen:
                    problems.append(
                        Problem(
                            "unique-error",
                            f"Another row of {table.name} has the same {', '.join(names)} ({', '.join(map(str, values))}); each must be unique.",
                            config.display(table.file),
                            row_number,
                            ",".join(names),
                            fix_for("unique-error"),
                        )
                    )
                seen.add(values)
    return problems


def _own_schemas_cover_profile(dataset: Dataset, profiled: Mapping[str, Any]) -> bool:
    """Whether each profile resource's own schema already states every rule of the profile's:
    the same field definitions (type and constraints), primary key, foreign and unique keys."""
    own = {r["name"]: r.get("schema") or {} for r in dataset.descriptor["resources"]}
    for resource in profiled["resources"]:
        mine, rules = own[resource["name"]], resource["schema"]
        fields = {f["name"]: f for f in mine.get("fields", [])}
        for field in rules["fields"]:
            have = fields.get(field["name"], {})
            if have.get("type", "any") != field.get("type", "any") or any(
                (have.get("constraints") or {}).get(k) != v for k, v in (field.get("constraints") or {}).items()
            ):
                return False
        if _names(mine.get("primaryKey")) != _names(rules.get("primaryKey")):
            return False
        foreign = [_foreign_key(k) for k in mine.get("foreignKeys", []) if isinstance(k, Mapping)]
        if any(_foreign_key(k) not in foreign for k in rules.get("foreignKeys", [])):
            return False
        unique = [_names(k) for k in mine.get("uniqueKeys", [])]
        if any(_names(k) not in unique for k in rules.get("uniqueKeys", [])):
            return False
    return True


def _names(key: object) -> list[str]:
    return [key] if isinstance(key, str) else [str(k) for k in key] if isinstance(key, list) else []


def _foreign_key(key: Mapping[str, Any]) -> tuple[list[str], str, list[str]]:
    reference = key.get("reference") or {}
    return _names(key.get("fields")), str(reference.get("resource") or ""), _names(reference.get("fields"))


PROFILE_FIX = "Copy the table's schema from schemas/indicator-profile/ and correct the data it refuses."


def _profile_where(error: Error, primary_key: Sequence[str]) -> tuple[int | None, str | None]:
    if isinstance(error, CellError):
        return error.row_number, error.field_name
    if isinstance(error, ForeignKeyError):
        return error.row_number, ",".join(error.field_names)
    if isinstance(error, PrimaryKeyError):
        return error.row_number, ",".join(primary_key) or None
    return getattr(error, "row_number", None), None


def _profile_message(error: Error, field: str | None) -> str:
    cell = getattr(error, "cell", None)
    if isinstance(error, CellError) and isinstance(cell, str):
        return f"the value {cell!r} breaks the rule: {error.note}."
    if isinstance(error, ForeignKeyError):
        values = ", ".join(map(str, error.field_cells))
        return f"{values} is not among the {'/'.join(error.reference_field_names or error.field_names)} values of {error.reference_name or 'this table'}."
    if isinstance(error, PrimaryKeyError):
        return f"another row has the same {field}; each row needs its own."
    return str(error.message)


def period_problems(data: IndicatorSet, config: Config) -> list[Problem]:
    """Periods make sense: each starts before it ends, and comparisons lead back in time
    without a period being compared with itself, directly or round a cycle."""
    table = data.dataset.table("periods")
    file = config.display(table.file)
    problems = []
    for row_number, row in enumerate(table.rows, start=2):
        period_id, start, end, compared = row["period_id"], row.get("start_date"), row.get("end_date"), row.get("compared_with")
        if start is not None and end is not None and start > end:
            problems.append(
                Problem(
                    "period-end-before-start",
                    f"Period {period_id!r} starts on {start.isoformat()}, after it ends on {end.isoformat()}.",
                    file,
                    row_number,
                    "end_date",
                    "Correct the dates: the start date is the first day of the period, the end date its last day.",
                )
            )
        if compared == period_id:
            problems.append(
                Problem(
                    "period-compared-with-itself",
                    f"Period {period_id!r} is compared with itself.",
                    file,
                    row_number,
                    "compared_with",
                    "Name the earlier period it is compared with, or leave the cell empty.",
                )
            )
    comparison = {p.id: p.compared_with for p in data.periods if p.compared_with and p.compared_with != p.id}
    reported: set[str] = set()
    for row_number, row in enumerate(table.rows, start=2):
        cycle = _comparison_cycle(row["period_id"], comparison)
        if cycle and not reported & set(cycle):
            reported.update(cycle)
            problems.append(
                Problem(
                    "period-comparison-cycle",
                    f"The comparisons go round in a circle: {' -> '.join([*cycle, cycle[0]])}.",
                    file,
                    row_number,
                    "compared_with",
                    "Each period is compared with an earlier one: correct compared_with so that following it never comes back to the same period.",
                )
            )
    return problems


def _comparison_cycle(start: str, comparison: Mapping[str, str]) -> list[str]:
    """The periods met by following ``compared_with`` from ``start`` if that leads back to it."""
    path, current = [start], comparison.get(start)
    while current is not None and current not in path:
        path.append(current)
        current = comparison.get(current)
    return path if current == start else []


SEQUENCED_RESOURCES = (("priorities", "priority_id"), ("indicators", "indicator_id"), ("periods", "period_id"), ("statuses", "status_id"))
LENGTH_TOLERANCE_DAYS = 7  # months and quarters differ by a few days; a quarter and a year by far more


def plausibility_problems(data: IndicatorSet, config: Config) -> list[Problem]:
    """Warnings about figures that are allowed but probably wrong: percentages written as
    fractions, rows whose order is arbitrary, and periods compared with one of another length."""
    return [*_fraction_problems(data, config), *_sequence_problems(data, config), *_comparison_length_problems(data, config)]


def _fraction_problems(data: IndicatorSet, config: Config) -> list[Problem]:
    """A percent indicator whose every value lies in 0..1, one of them strictly between: 0.74 for 74%."""
    table = data.dataset.table("observations")
    percents = {i.id for i in data.indicators if i.unit == "percent"}
    by_indicator: dict[str, list[tuple[int, Any]]] = {}
    for row_number, row in enumerate(table.rows, start=2):
        if row["indicator_id"] in percents:
            by_indicator.setdefault(row["indicator_id"], []).append((row_number, row["value"]))
    problems = []
    for indicator in data.indicators:
        values = by_indicator.get(indicator.id, [])
        fractions = [(n, value) for n, value in values if 0 < value < 1]
        others = [value for _, value in values if not 0 < value < 1]
        if fractions and all(0 <= value <= 1 for _, value in values):
            row_number, value = fractions[0]
            why = f"{indicator.id} is a percent, but all its values lie between 0 and 1: {value} looks like a fraction."
            problems.append(_fraction_problem(why, value, table.file, row_number, config))
        elif fractions and others and all(value >= 1 for value in others):  # 0.74 typed among 69 and 72
            span = (
                f"{compute.format_number(min(others))} to {compute.format_number(max(others))}"
                if min(others) != max(others)
                else compute.format_number(others[0])
            )
            for row_number, value in fractions:
                why = f"{indicator.id} is a percent, and {value} is far below its other values ({span}): it looks like a fraction."
                problems.append(_fraction_problem(why, value, table.file, row_number, config))
    return problems


def _fraction_problem(message: str, value: Any, file: Path, row_number: int, config: Config) -> Problem:
    whole = compute.format_number(float(value) * 100)
    return Problem(
        "percent-as-fraction",
        message,
        config.display(file),
        row_number,
        "value",
        f"Did you mean {whole}? Write percentages out of 100: {whole} for {whole}%, not {value}. If the figure really is below 1%, ignore this warning.",
        Severity.WARNING,
    )


def _sequence_problems(data: IndicatorSet, config: Config) -> list[Problem]:
    """Two rows of the same table with one ``sequence``: their order on the site would be arbitrary."""
    problems = []
    for name, key in SEQUENCED_RESOURCES:
        table = data.dataset.table(name)
        first: dict[object, object] = {}
        for row_number, row in enumerate(table.rows, start=2):
            sequence = row["sequence"]
            if sequence in first:
                problems.append(
                    Problem(
                        "duplicate-sequence",
                        f"{row[key]!r} has sequence {sequence}, like {first[sequence]!r}: the order of the two is arbitrary.",
                        config.display(table.file),
                        row_number,
                        "sequence",
                        f"Give each row of {name} its own sequence number, in the order they are to be shown.",
                        Severity.WARNING,
                    )
                )
            else:
                first[sequence] = row[key]
    return problems


def _comparison_length_problems(data: IndicatorSet, config: Config) -> list[Problem]:
    """A period compared with one of a clearly different length (a quarter with a year to date)."""
    table = data.dataset.table("periods")
    by_id = {p.id: p for p in data.periods}
    problems = []
    for row_number, row in enumerate(table.rows, start=2):
        period, other = by_id[row["period_id"]], by_id.get(row.get("compared_with") or "")
        if other is None or other is period:
            continue
        days, other_days = _length(period), _length(other)
        if days is not None and other_days is not None and abs(days - other_days) > LENGTH_TOLERANCE_DAYS:
            problems.append(
                Problem(
                    "comparison-length-mismatch",
                    f"Period {period.id!r} ({days} days) is compared with {other.id!r} ({other_days} days): a change between them says little.",
                    config.display(table.file),
                    row_number,
                    "compared_with",
                    "Compare the period with one of the same length (a quarter with a quarter, a year to date with the previous one), or correct the dates.",
                    Severity.WARNING,
                )
            )
    return problems


def _length(period: Period) -> int | None:
    """The period's length in days, counting both ends; ``None`` without sound dates."""
    if period.start_date is None or period.end_date is None or period.start_date > period.end_date:
        return None
    return (period.end_date - period.start_date).days + 1


def _foreign_package_key_fields(dataset: Dataset, table: Table, key: dict[str, Any], target: Table, config: Config, where: str) -> Iterable[Problem]:
    """A key across packages names fields that exist on both sides, as many on each."""
    ref = key["reference"]
    named = f"{ref['package']}/{ref['resource']}"
    for side, fields, owner, place in (("fields", key["fields"], table, f"{where}.fields"), ("reference", ref["fields"], target, f"{where}.reference.fields")):
        have = [f.name for f in owner.fields]
        for name in fields:
            if name not in have:
                yield Problem(
                    "foreign-package-key-field",
                    f"The key from {table.name} to {named} names the field {name!r}, which {owner.name} does not have"
                    f"{' (in ' + ref['package'] + ')' if side == 'reference' else ''}.",
                    _descriptor(dataset, config),
                    field=place,
                    fix=f"Use one of the fields of {owner.name}: {', '.join(have)}.",
                )
    if len(key["fields"]) != len(ref["fields"]):
        yield Problem(
            "foreign-package-key-field",
            f"The key from {table.name} to {named} lists {len(key['fields'])} field(s) but refers to {len(ref['fields'])}.",
            _descriptor(dataset, config),
            field=where,
            fix="List as many fields under reference as under fields, in the same order.",
        )


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def reconcile(data: IndicatorSet, file: str) -> list[Problem]:
    """Warnings for every published change or status that disagrees with the computed one."""
    problems: list[Problem] = []
    for published in data.published:
        indicator = next(i for i in data.indicators if i.id == published.indicator_id)
        found = compute.assess(data, indicator, data.period(published.period_id))

        def warn(code: str, message: str, field: str, fix: str, row: int = published.row) -> None:
            problems.append(Problem(code, message, file, row, field, fix, Severity.WARNING))

        if found is None:
            warn(
                "published-without-value",
                f"{indicator.id} has no value for {published.period_id}, but an assessment was published for it.",
                "period_id",
                "Add the observation, or remove the published assessment.",
            )
            continue
        text, pct = published.change_text, found.percent_change
        if text and pct is not None and abs(float(text) - pct) > 0.5 * 10 ** -_decimals(text) + 1e-9:
            warn(
                "published-change-mismatch",
                f"Published change {text}% for {indicator.id}, but the values give {pct:+.2f}%.",
                "published_change_percent",
                "Check the two values in observations and the published change; correct whichever is wrong.",
            )
        if found.computed_status and found.published_status and found.computed_status != found.published_status:
            warn(
                "published-status-mismatch",
                f"Published direction of travel {published.status_label} for {indicator.id}, but the status rules give {found.computed_status.label}.",
                "published_direction_of_travel",
                "Check the values, the indicator's polarity and the status rules; correct whichever is wrong.",
            )
    return problems
