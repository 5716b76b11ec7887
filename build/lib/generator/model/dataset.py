"""Frozen dataclasses built from valid sources. No I/O, no validation: inputs are already checked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.model.columns import ColumnRows

INDICATOR_PROFILE = "indicators"
PROFILE_KEY = "x-profile"
FOREIGN_PACKAGE_KEYS = "x-foreignPackageKeys"
RELEASES = "releases"  # the resource that holds a package's release log
GLOSSARY = "glossary"  # the resource that holds a package's glossary

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Field:
    """One column of a table, from its Table Schema."""

    name: str
    type: str
    title: str
    description: str
    required: bool
    constraints: Mapping[str, Any]


@dataclass(frozen=True)
class Table:
    """One tabular resource with its typed rows."""

    name: str
    title: str
    description: str
    path: str
    file: Path
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    rows: Sequence[Row]  # a tuple, or the columns the fast path read (``columns.ColumnRows``)
    parts: tuple[Path, ...] = ()  # every file of a table kept in several (a ``path`` array), in order
    inferred: bool = False  # the resource had no schema: its fields are the types Frictionless inferred


LICENCE_NOT_STATED = "Licence not stated"  # what the site says when a package names no licence and the site sets no default


@dataclass(frozen=True)
class Licence:
    """The licence a dataset is published under: one its package names, or the site's default
    licence (``site_default``), which the publisher chose in mkdocs.yml for packages naming none."""

    name: str
    title: str
    path: str
    site_default: bool = False


@dataclass(frozen=True)
class Contributor:
    """A person or organisation the descriptor credits, with the roles it states (none when it states none)."""

    name: str
    roles: tuple[str, ...]
    path: str
    organization: str


@dataclass(frozen=True)
class Source:
    """Where the data comes from, as the descriptor names it; ``path`` is a web address or empty."""

    title: str
    path: str


def foreign_package_keys(resource: Mapping[str, Any]) -> Any:
    """A resource's ``x-foreignPackageKeys``, its references into other packages, as the
    descriptor gives them (``[]`` when it gives none): the one place that key is read."""
    return (resource.get("schema") or {}).get(FOREIGN_PACKAGE_KEYS, [])


@dataclass(frozen=True)
class Dataset:
    """One datapackage: its metadata and tables."""

    name: str
    title: str
    description: str
    folder: Path
    descriptor: Mapping[str, Any]
    tables: tuple[Table, ...]
    licence: Licence | None  # None: the package states no licence and the site sets no default

    @property
    def profile(self) -> str | None:
        """The site profile the package declares (``indicators``), if any."""
        value = self.descriptor.get(PROFILE_KEY)
        return value if isinstance(value, str) else None

    @property
    def publisher(self) -> str:
        """Who publishes the dataset: its first contributor with the publisher role (v1 ``role``,
        v2 ``roles``); empty when the descriptor names none (never guessed from another role)."""
        return next((c.name for c in self.contributors if "publisher" in c.roles), "")

    @property
    def contributors(self) -> tuple[Contributor, ...]:
        """Every contributor (v1 and v2; v1 authors are contributors with the author role)
        that has a name, in the descriptor's order."""
        found = (contributor_of(c) for c in _list(self.descriptor.get("contributors")) if isinstance(c, Mapping))
        return tuple(c for c in found if c.name)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source the descriptor names, in its order."""
        found = (Source(_text(s.get("title")), _text(s.get("path") or s.get("url"))) for s in _list(self.descriptor.get("sources")) if isinstance(s, Mapping))
        return tuple(s for s in found if s.title or s.path)

    def table(self, name: str) -> Table:
        """The table called ``name``; ``KeyError`` if there is none."""
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(f"{self.name} has no resource {name!r}")

    def has_table(self, name: str) -> bool:
        """Whether the package has a resource called ``name``."""
        return any(t.name == name for t in self.tables)


@dataclass(frozen=True)
class Priority:
    id: str
    title: str
    sequence: int


@dataclass(frozen=True)
class Indicator:
    """One indicator. ``title`` is what pages show: the data's display title where it gives one,
    else the source's; ``published_title`` is the source's title, kept as published."""

    id: str
    priority_id: str
    sequence: int
    title: str
    definition: str | None
    unit: str
    polarity: str
    source: str
    notes: str | None
    published_title: str = ""

    @property
    def retitled(self) -> bool:
        """Whether pages show a display title in place of the source's title."""
        return bool(self.published_title) and self.published_title != self.title


@dataclass(frozen=True)
class Period:
    id: str
    sequence: int
    label: str
    start_date: date | None
    end_date: date | None
    dates_stated: bool
    compared_with: str | None
    notes: str | None


@dataclass(frozen=True)
class Status:
    id: str
    sequence: int
    label: str
    published_label: str
    symbol: str
    meaning: str


@dataclass(frozen=True)
class StatusRule:
    """Gives ``status_id`` when ``adverse_from <= adverse % change < adverse_below``."""

    id: str
    indicator_id: str | None
    status_id: str
    adverse_from: float | None
    adverse_below: float | None
    minimum_count: float | None = None  # below this count (the figure or the one compared with), no status is given


@dataclass(frozen=True)
class PublishedAssessment:
    """What the source printed for one indicator and period, kept as printed."""

    indicator_id: str
    period_id: str
    change_text: str | None
    status_label: str
    row: int


@dataclass(frozen=True)
class IndicatorSet:
    """A package that follows the indicator profile, as linked objects."""

    dataset: Dataset
    priorities: tuple[Priority, ...]
    indicators: tuple[Indicator, ...]
    periods: tuple[Period, ...]
    values: Mapping[tuple[str, str], float]
    statuses: tuple[Status, ...]
    rules: tuple[StatusRule, ...]
    published: tuple[PublishedAssessment, ...]

    def period(self, period_id: str) -> Period:
        return next(p for p in self.periods if p.id == period_id)

    def status(self, status_id: str) -> Status:
        return next(s for s in self.statuses if s.id == status_id)

    def status_by_published_label(self, label: str) -> Status | None:
        return next((s for s in self.statuses if s.published_label == label), None)

    def indicators_for(self, priority_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.priority_id == priority_id)

    def series(self, indicator_id: str) -> tuple[tuple[Period, float], ...]:
        """The indicator's values in chronological order."""
        return tuple((p, self.values[indicator_id, p.id]) for p in self.periods if (indicator_id, p.id) in self.values)

    def published_for(self, indicator_id: str, period_id: str) -> PublishedAssessment | None:
        return next((a for a in self.published if (a.indicator_id, a.period_id) == (indicator_id, period_id)), None)

    def rules_for(self, indicator_id: str) -> tuple[StatusRule, ...]:
        """The indicator's own rules if it has any, else the package-wide ones."""
        own = tuple(r for r in self.rules if r.indicator_id == indicator_id)
        return own or tuple(r for r in self.rules if r.indicator_id is None)

    def minimum_count_for(self, indicator_id: str) -> float | None:
        """The smallest count the indicator's status rules assess: the largest ``minimum_count``
        among the rules that apply to it; ``None`` when none sets one."""
        found = [r.minimum_count for r in self.rules_for(indicator_id) if r.minimum_count is not None]
        return max(found) if found else None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def is_web_address(value: str) -> bool:
    """Whether a path from a descriptor is an http(s) address, safe to link to."""
    return value[:8].lower().startswith(("http://", "https://")) and not any(c.isspace() or ord(c) < 32 for c in value)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def contributor_of(raw: Mapping[str, Any]) -> Contributor:
    """A contributor from its descriptor: name from ``title`` (else given and family names),
    roles from v2 ``roles`` or v1 ``role``, exactly as stated."""
    name = _text(raw.get("title")) or " ".join(_text(raw.get(k)) for k in ("givenName", "familyName") if raw.get(k))
    roles = _list(raw.get("roles")) or [raw.get("role")]
    return Contributor(
        name=name,
        roles=tuple(_text(r) for r in roles if r),
        path=_text(raw.get("path") or raw.get("url")),
        organization=_text(raw.get("organization")),
    )


def _field(raw: Mapping[str, Any]) -> Field:
    constraints = raw.get("constraints") or {}
    return Field(
        name=str(raw["name"]),
        type=str(raw.get("type", "any")),
        title=_text(raw.get("title")),
        description=_text(raw.get("description")),
        required=bool(constraints.get("required")),
        constraints=constraints,
    )


def licence_of(descriptor: Mapping[str, Any], default: Licence | None = None) -> Licence | None:
    """The first licence the descriptor names (v1 ``url`` or v2 ``path``); else ``default``, the
    site's default licence when the publisher configured one; else ``None``: not stated.

    Never a licence the publisher did not choose: the code has no default of its own.
    """
    licences = descriptor.get("licenses")
    first = licences[0] if isinstance(licences, list) and licences else None
    if isinstance(first, Mapping):
        name = _text(first.get("name") or first.get("id"))
        path = _text(first.get("path") or first.get("url"))
        title = _text(first.get("title") or name or path)
        if title:
            return Licence(name=name, title=title, path=path)
    return None if default is None else Licence(default.name, default.title, default.path, site_default=True)


def build_table(raw: Mapping[str, Any], folder: Path, rows: Sequence[Row], inferred: bool = False) -> Table:
    """A table from its resource descriptor (schema inlined, or ``inferred`` by Frictionless)
    and typed rows. A ``path`` array (a table in several files) is kept as its ``parts``."""
    schema = raw.get("schema") or {}
    key = schema.get("primaryKey") or []
    paths = [str(part) for part in raw["path"]] if isinstance(raw["path"], list) else [str(raw["path"])]
    path = paths[0]
    return Table(
        name=str(raw["name"]),
        title=_text(raw.get("title") or raw["name"]),
        description=_text(raw.get("description")),
        path=path,
        file=folder / path,
        fields=tuple(_field(f) for f in schema.get("fields", [])),
        primary_key=(key,) if isinstance(key, str) else tuple(key),
        rows=rows if isinstance(rows, ColumnRows) else tuple(rows),
        parts=tuple(folder / part for part in paths) if len(paths) > 1 else (),
        inferred=inferred,
    )


def build_dataset(
    descriptor: Mapping[str, Any],
    folder: Path,
    rows: Mapping[str, Sequence[Row]],
    inferred: frozenset[str] = frozenset(),
    default_licence: Licence | None = None,
) -> Dataset:
    """A dataset from a valid descriptor (schemas inlined) and the rows of each resource;
    ``inferred`` names the resources whose schemas Frictionless inferred; ``default_licence``
    (the site's, from mkdocs.yml) applies when the package names none."""
    tables = tuple(build_table(r, folder, rows[r["name"]], r["name"] in inferred) for r in descriptor["resources"] if r["name"] in rows)
    return Dataset(
        name=str(descriptor["name"]),
        title=_text(descriptor.get("title") or descriptor["name"]),
        description=_text(descriptor.get("description")),
        folder=folder,
        descriptor=descriptor,
        tables=tables,
        licence=licence_of(descriptor, default_licence),
    )


def build_indicator_set(dataset: Dataset) -> IndicatorSet:
    """Link the resources of an indicator-profile dataset into objects."""
    rows = {t.name: t.rows for t in dataset.tables}
    published = rows.get("published-assessments", ())
    by_sequence = lambda item: (item.sequence, item.id)  # noqa: E731
    return IndicatorSet(
        dataset=dataset,
        priorities=tuple(sorted((Priority(r["priority_id"], r["title"], r["sequence"]) for r in rows["priorities"]), key=by_sequence)),
        indicators=tuple(
            sorted(
                (
                    Indicator(
                        r["indicator_id"],
                        r["priority_id"],
                        r["sequence"],
                        r.get("display_title") or r["title"],
                        r.get("definition"),
                        r["unit"],
                        r["polarity"],
                        r["source"],
                        r.get("notes"),
                        r["title"],
                    )
                    for r in rows["indicators"]
                ),
                key=by_sequence,
            )
        ),
        periods=tuple(
            sorted(
                (
                    Period(
                        r["period_id"],
                        r["sequence"],
                        r["label"],
                        r.get("start_date"),
                        r.get("end_date"),
                        bool(r["dates_stated"]),
                        r.get("compared_with"),
                        r.get("notes"),
                    )
                    for r in rows["periods"]
                ),
                key=by_sequence,
            )
        ),
        values={(r["indicator_id"], r["period_id"]): float(r["value"]) for r in rows["observations"]},
        statuses=tuple(
            sorted(
                (Status(r["status_id"], r["sequence"], r["label"], r["published_label"], r["symbol"], r["meaning"]) for r in rows["statuses"]), key=by_sequence
            )
        ),
        rules=tuple(
            StatusRule(
                r["rule_id"],
                r.get("indicator_id"),
                r["status_id"],
                None if r.get("adverse_change_from") is None else float(r["adverse_change_from"]),
                None if r.get("adverse_change_below") is None else float(r["adverse_change_below"]),
                None if r.get("minimum_count") is None else float(r["minimum_count"]),
            )
            for r in rows["status-rules"]
        ),
        published=tuple(
            PublishedAssessment(r["indicator_id"], r["period_id"], r.get("published_change_percent"), r["published_direction_of_travel"], row)
            for row, r in enumerate(published, start=2)
        ),
    )


@dataclass(frozen=True)
class FileFacts:
    """What a reader checks before using a download."""

    path: str
    bytes: int
    sha256: str
